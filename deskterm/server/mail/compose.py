"""An agent's answer as the mail the server sends: headers that thread, the ticket key, no
injected header.

`compose_reply` makes the `EmailMessage` of one outbound mail contact. It threads with
what came before on the ticket: In-Reply-To names the latest inbound mail, References
every mail of the ticket in order (an inbound mail by its own Message-ID, one of ours by
`<{contact_id}@{domain}>`, the form our Message-IDs take, so a customer's answer names the
contact it answers). It refuses, with `ComposeError` (a permanent failure: sending again
would not help), a mail without exactly one valid address or with a line break in any
header: a CR or LF in a subject must never become a header of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from deskterm.domain.contacts import Contact
from deskterm.domain.enums import Direction
from deskterm.domain.errors import DeskError
from deskterm.domain.keys import ticket_key
from deskterm.domain.tickets import Ticket
from deskterm.i18n import _

# The header that marks a mail as the desk's own, so intake never takes it in again.
from deskterm.server.mail.parse import LOOP_HEADER

#: How many Message-IDs References keeps: the first and the newest (RFC 5322 3.6.4 lets
#: a long thread's list be trimmed; the first keeps the thread's root).
REFERENCES_KEPT = 20


class ComposeError(DeskError):
    """The mail cannot be made as it stands: its address or a header is not acceptable."""

    code = "mail_not_composable"


def message_id(contact_id: str, domain: str) -> str:
    """The Message-ID of an outbound mail contact: `<{contact_id}@{domain}>`."""
    return f"<{contact_id}@{domain}>"


def mail_domain(address: str) -> str:
    """The domain of an address (`desk@example.com`: `example.com`)."""
    return address.rsplit("@", 1)[-1].lower()


def compose_reply(contact: Contact, *, ticket: Ticket | None, desk_address: str,
                  desk_name: str, thread: Sequence[Contact], now: datetime) -> EmailMessage:
    """The mail of an outbound contact, from the desk's address, threaded with `thread`.

    `thread`: the ticket's mail contacts, in the order they happened (this one may be among
    them: only those before it count). `desk_name` is the From's display name. ComposeError
    when it cannot be sent as it stands.
    """
    domain = mail_domain(desk_address)
    mail = EmailMessage(policy=policy.SMTP)
    earlier = _before(contact, thread)
    headers = [
        ("From", str(Address(display_name=_one_line(desk_name, "From"),
                             addr_spec=_valid_address(desk_address)))),
        ("To", _valid_address(contact.address)),
        ("Subject", _subject(contact, ticket)),
        ("Date", format_datetime(now)),
        ("Message-ID", message_id(contact.id, domain)),
    ]
    inbound = [mail.message_id for mail in earlier
               if mail.direction == Direction.INBOUND and mail.message_id]
    if inbound:
        headers.append(("In-Reply-To", _one_line(inbound[-1], "In-Reply-To")))
    references = [reference for reference in (_reference(mail, domain) for mail in earlier)
                  if reference]
    if references:
        if len(references) > REFERENCES_KEPT:
            references = references[:1] + references[-(REFERENCES_KEPT - 1):]
        headers.append(("References", " ".join(
            _one_line(reference, "References") for reference in references)))
    headers.append((LOOP_HEADER, _valid_address(desk_address)))
    for name, value in headers:
        try:
            mail[name] = value
        except ValueError as error:  # the policy's own refusal of a line break
            raise ComposeError(_("the mail's {header} header cannot be written: {reason}")
                               .format(header=name, reason=error)) from None
    mail.set_content(contact.body if contact.body is not None else contact.summary,
                     charset="utf-8")
    return mail


def _before(contact: Contact, thread: Sequence[Contact]) -> list[Contact]:
    """The mails of `thread` that came before `contact` (by time, then by id: ids are
    UUIDv7, so they follow the order they were made in)."""
    place = (contact.occurred_at, contact.id)
    return [mail for mail in thread
            if mail.id != contact.id and (mail.occurred_at, mail.id) < place]


def _reference(mail: Contact, domain: str) -> str | None:
    if mail.direction == Direction.OUTBOUND:
        return message_id(mail.id, domain)
    return mail.message_id


def _subject(contact: Contact, ticket: Ticket | None) -> str:
    """The contact's subject (else the ticket's) with the ticket key as `[SD-1042]`."""
    subject = contact.subject if contact.subject is not None else (
        ticket.subject if ticket is not None else "")
    subject = _one_line(subject, "Subject").strip()
    if ticket is None or ticket.number is None:
        return subject
    tag = f"[{ticket_key(ticket.number, ticket.id)}]"
    if tag.lower() in subject.lower():
        return subject
    return f"{tag} {subject}".strip()


def _one_line(value: str, header: str) -> str:
    """`value` when it holds no line break; ComposeError otherwise (header injection)."""
    if "\r" in value or "\n" in value or "\0" in value:
        raise ComposeError(_("the mail's {header} holds a line break, which could add a "
                             "header of its own; it is not sent").format(header=header))
    return value


def _valid_address(address: str | None) -> str:
    """`address` when it is exactly one plain address (`jo@example.com`); ComposeError
    otherwise."""
    if not address or not address.strip():
        raise ComposeError(_("the mail has no address to send it to"))
    address = _one_line(address.strip(), "To")
    found = getaddresses([address])
    if len(found) != 1 or found[0][0] or found[0][1] != address or address.count("@") != 1:
        raise ComposeError(_("'{address}' is not one valid mail address").format(
            address=address))
    local, domain = address.split("@")
    if not local or "." not in domain or any(char.isspace() for char in address):
        raise ComposeError(_("'{address}' is not one valid mail address").format(
            address=address))
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        raise ComposeError(_("'{address}' is not one valid mail address").format(
            address=address)) from None
    return address
