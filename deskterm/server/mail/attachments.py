"""A mail attachment's bytes, for a caller who may have the contact it came with.

The desk's replicas list attachments (domain.mail.MailAttachment, synced); the bytes stay
on the server, in `mail_attachment_blob`, and are fetched one at a time. Who may fetch
one is who may pull its contact (server.rules' pull rule): nobody else learns even
that it exists (404 for both).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from deskterm.domain import ENTITIES
from deskterm.domain.errors import NotFound
from deskterm.i18n import _
from deskterm.server.database import Database
from deskterm.server.mail.mailboxes import mail_attachment_blob
from deskterm.server.rules import Caller, may_pull_row, stored_row


@dataclass(frozen=True)
class AttachmentFile:
    filename: str
    content_type: str
    data: bytes


def attachment_file(db: Database, caller: Caller, attachment_id: str) -> AttachmentFile:
    """The attachment's name, type and bytes; NotFound when the caller may not have it,
    it does not exist, or its bytes were not kept (too large) or no longer match."""
    attachments = ENTITIES["mail_attachment"].__table__
    with db.reading() as connection:
        row = connection.execute(select(attachments).where(
            attachments.c.id == attachment_id)).first()
        contact = stored_row(connection, "contact", row.contact_id) if row else None
        if row is None or contact is None or \
                not may_pull_row(connection, caller, "contact", contact):
            raise NotFound(_("no attachment {id}").format(id=attachment_id))
        data = connection.execute(select(mail_attachment_blob.c.data).where(
            mail_attachment_blob.c.attachment_id == attachment_id)).scalar()
    if data is None:
        raise NotFound(_("the attachment {name} was not kept: it is larger than the server "
                         "keeps").format(name=row.filename))
    data = bytes(data)
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise NotFound(_("the server's copy of the attachment {name} is damaged").format(
            name=row.filename))
    return AttachmentFile(row.filename, row.content_type, data)
