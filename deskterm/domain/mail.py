"""Mail: the limits of a mail kept as a contact, its attachments, and its deliveries.

A mail is a Contact on the email channel (its subject, body, address and Message-ID are
the contact's fields). What else the desk keeps of mail is here:

- `MailAttachment`: a file that came with an inbound mail, listed on its contact; the
  bytes stay on the server (size-limited) and are fetched on demand.
- `MailDelivery`: what became of an outbound mail the server sent, one row per outcome
  (`sent`, or `retrying` with why, or `failed` for good); a mail with none yet is queued.

Both are written by the server only (server.rules refuses them from any replica).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.types import (
    MAX_INT,
    EnumText,
    UtcDateTime,
    identifier,
    matching,
    reference,
)
from deskterm.i18n import pgettext

#: A subject as a mail carries it (RFC 5322 sets no limit; a desk needs no more).
SUBJECT_LIMIT = 300
#: A mail's text, after HTML is made readable: longer is cut, with a note.
BODY_LIMIT = 100_000
#: An address (RFC 5321: 64 + @ + 255).
ADDRESS_LIMIT = 320
#: A Message-ID (RFC 5322's line limit).
MESSAGE_ID_LIMIT = 998
#: The largest attachment whose bytes the server keeps (a larger one is listed, with its
#: size, and not kept).
ATTACHMENT_KEPT_LIMIT = 10 * 1024 * 1024
#: The largest size an attachment may be listed with.
ATTACHMENT_SIZE_LIMIT = MAX_INT
#: An attachment's file name and content type.
FILENAME_LIMIT = 255
CONTENT_TYPE_LIMIT = 127


class DeliveryStatus(StrEnum):
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """`sent`, `retrying`, `failed` / `verstuurd`, `opnieuw proberen`, `mislukt`."""
        return {DeliveryStatus.SENT: pgettext("mail delivery", "sent"),
                DeliveryStatus.RETRYING: pgettext("mail delivery", "retrying"),
                DeliveryStatus.FAILED: pgettext("mail delivery", "failed")}[self]


class MailAttachment(SQLModel, table=True):
    """A file that came with an inbound mail. Insert-only; written by the server."""

    __tablename__ = "mail_attachment"

    id: str = identifier()
    contact_id: str = reference("contact.id")
    filename: str = Field(max_length=FILENAME_LIMIT)
    content_type: str = Field(max_length=CONTENT_TYPE_LIMIT)
    #: Its size in bytes.
    size: int = Field(ge=0, le=ATTACHMENT_SIZE_LIMIT)
    #: Its SHA-256, hex: what the server's copy is checked against when fetched.
    sha256: str = matching(r"^[0-9a-f]{64}$", min_length=64, max_length=64)


class MailDelivery(SQLModel, table=True):
    """One outcome of sending an outbound mail (a contact). Insert-only; by the server."""

    __tablename__ = "mail_delivery"

    id: str = identifier()
    contact_id: str = reference("contact.id")
    status: DeliveryStatus = Field(sa_type=EnumText(DeliveryStatus))
    #: Why it is retried or failed, as the mail server said it (none when sent).
    detail: str | None = Field(default=None, max_length=500)
    #: The attempt this outcome is of: 1 the first.
    attempt: int = Field(default=1, ge=1, le=1000)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
