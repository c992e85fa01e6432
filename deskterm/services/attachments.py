"""The mail attachments listed on a ticket (their bytes stay on the server)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from deskterm.domain import Contact, MailAttachment
from deskterm.services.context import ServiceContext
from deskterm.services.lookup import find_ticket


@dataclass(frozen=True)
class ListedAttachment:
    attachment: MailAttachment
    #: The mail it came with: when, and its subject.
    received_at: datetime
    subject: str | None


def ticket_attachments(ctx: ServiceContext, ref: str) -> list[ListedAttachment]:
    """Every attachment of the mails on ticket `ref`, oldest mail first."""
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        rows = session.exec(
            select(MailAttachment, Contact)
            .join(Contact, col(Contact.id) == col(MailAttachment.contact_id))
            .where(Contact.ticket_id == ticket.id)
            .order_by(col(Contact.occurred_at), col(MailAttachment.filename))).all()
        return [ListedAttachment(a, c.occurred_at, c.subject) for a, c in rows]


def find_attachment(ctx: ServiceContext, attachment_id: str) -> MailAttachment | None:
    """The listed attachment with this id, if this store has it."""
    with ctx.store.transaction() as session:
        return session.get(MailAttachment, attachment_id.strip())
