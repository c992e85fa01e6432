"""Reading one mail: who sent it, about what, its readable text, its files, and what kind it is.

`parse_mail(raw)` takes a message's bytes as the mailbox gave them and never raises: a
mail that cannot be read at all comes back as `MailKind.UNREADABLE` with the reason in
`problem` (plain English, for an operator), and whatever could be read of it. The
intake makes a ticket or a contact of a NORMAL mail only; auto-replies, bounces and our
own mail coming back (loops) are recognised here so they never become tickets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from enum import StrEnum

from deskterm.domain.keys import KEY_PREFIX, key_number
from deskterm.domain.mail import ADDRESS_LIMIT, BODY_LIMIT, MESSAGE_ID_LIMIT, SUBJECT_LIMIT
from deskterm.server.mail.decode import decode_header, header_bytes, one_line, without_controls
from deskterm.server.mail.html_text import tidy
from deskterm.server.mail.parts import Body, ParsedAttachment, has_header, header_text, raw_header

__all__ = ["LOOP_HEADER", "MailKind", "ParsedAttachment", "ParsedMail", "is_ours", "parse_mail",
           "summary", "ticket_key_in"]

#: The header our sender sets on every mail it sends: a mail carrying it is our own.
LOOP_HEADER = "X-Deskterm-Loop"
#: A summary's length: the first lines of the text.
SUMMARY_LIMIT = 300
#: At most this many References are kept (the newest): threads grow long, ids are few.
MAX_REFERENCES = 100
#: What ends a mail's text cut at BODY_LIMIT (stored with it, so in one language).
CUT_NOTE = "\n\n[The rest of this mail was cut: {count} more characters.]"

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PREFIX = re.escape(KEY_PREFIX)
_BRACKETED_KEY = re.compile(r"\[\s*(" + _PREFIX + r"[0-9]+)\s*\]", re.IGNORECASE)
_BARE_KEY = re.compile(r"(?<![A-Za-z0-9])(" + _PREFIX + r"[0-9]+)(?![A-Za-z0-9])", re.IGNORECASE)
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"\x00-\x1f\x7f]+@[^@\s<>()\[\],;:\"\x00-\x1f\x7f]+$")
_AUTO_SUBJECTS = ("automatic reply:", "auto:", "out of office", "afwezig",
                  "automatisch antwoord")
_AUTO_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk", "list"})
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})


class MailKind(StrEnum):
    NORMAL = "normal"
    #: An out-of-office or other automatic answer.
    AUTO_REPLY = "auto_reply"
    #: A delivery failure report.
    BOUNCE = "bounce"
    #: Our own mail coming back.
    LOOP = "loop"
    #: Not readable as a mail a person sent (see `ParsedMail.problem`).
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ParsedMail:
    kind: MailKind = MailKind.NORMAL
    #: Why the mail is UNREADABLE, in plain English for an operator; else None.
    problem: str | None = None
    #: The mail's own Message-ID, with its angle brackets.
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    #: The sender's addr-spec, lower-cased.
    from_address: str | None = None
    from_name: str | None = None
    #: The addresses of To and Cc, lower-cased.
    to: tuple[str, ...] = ()
    #: One line, at most SUBJECT_LIMIT characters.
    subject: str = ""
    #: The readable text (text/plain preferred, else HTML made text), at most BODY_LIMIT.
    text: str = ""
    #: The text's first lines (or the subject when there is no text), at most SUMMARY_LIMIT.
    summary: str = ""
    attachments: tuple[ParsedAttachment, ...] = ()
    #: From the Date header, in UTC.
    sent_at: datetime | None = None
    #: The ticket key the subject names (`[SD-1042]` first, else a bare `SD-1042`).
    ticket_key: str | None = None
    #: The contacts our own Message-IDs in In-Reply-To and References name, newest first.
    contact_ids: tuple[str, ...] = field(default=())


def is_ours(mail: ParsedMail, our_addresses: set[str]) -> bool:
    """Whether `mail` is our own coming back: it carries our loop header, or it is from
    one of our mailboxes' addresses."""
    if mail.kind is MailKind.LOOP:
        return True
    ours = {address.strip().lower() for address in our_addresses}
    return mail.from_address is not None and mail.from_address in ours


def parse_mail(raw: bytes) -> ParsedMail:
    """The mail in `raw`; never raises (an unreadable mail says why in `problem`)."""
    raw = bytes(raw)
    if not raw.strip():
        return ParsedMail(kind=MailKind.UNREADABLE, problem="The message is empty.")
    failure: Exception | None = None
    # The old policy (compat32) first: every header is decoded here from its raw bytes
    # (`decode_header`), so the modern policy's header objects would only cost time: they
    # make parsing some 8 times slower (3 ms a mail against 0.4), a mail of 100,000 parts
    # 30 s against 3. Where the old one fails on a part, the modern one gets a chance.
    for parse_policy in (policy.compat32, policy.default):
        try:
            message = BytesParser(policy=parse_policy).parsebytes(raw)
            return _read(message)
        except Exception as error:  # a broken mail must not stop the intake
            failure = error
    return ParsedMail(
        kind=MailKind.UNREADABLE,
        problem=f"The message could not be read as a mail ({type(failure).__name__}: "
                f"{one_line(str(failure), 200)}).")


def _read(message: Message) -> ParsedMail:
    body = Body()
    body.walk(message, 0, want_text=True)
    subject = one_line(header_text(message, "Subject"), SUBJECT_LIMIT)
    from_name, from_address = _sender(message)
    message_id = _first_id(header_text(message, "Message-ID"))
    in_reply_to = _first_id(header_text(message, "In-Reply-To"))
    references = tuple(_MESSAGE_ID.findall(header_text(message, "References"))[-MAX_REFERENCES:])
    references = tuple(ref for ref in references if len(ref) <= MESSAGE_ID_LIMIT)
    text = _cut(tidy(without_controls("\n\n".join(body.texts))))
    kind, problem = _kind(message, subject, from_address)
    return ParsedMail(
        kind=kind, problem=problem, message_id=message_id, in_reply_to=in_reply_to,
        references=references, from_address=from_address, from_name=from_name,
        to=_recipients(message), subject=subject, text=text, summary=summary(text, subject),
        attachments=tuple(body.attachments), sent_at=_date(header_text(message, "Date")),
        ticket_key=ticket_key_in(subject),
        contact_ids=_contact_ids(in_reply_to, references))


def _kind(message: Message, subject: str, from_address: str | None
          ) -> tuple[MailKind, str | None]:
    if has_header(message, LOOP_HEADER):
        return MailKind.LOOP, None
    if _is_bounce(message, from_address):
        return MailKind.BOUNCE, None
    if _is_auto_reply(message, subject):
        return MailKind.AUTO_REPLY, None
    if from_address is None:
        return MailKind.UNREADABLE, "The message has no sender: its From header names no address."
    return MailKind.NORMAL, None


def _is_auto_reply(message: Message, subject: str) -> bool:
    auto_submitted = header_text(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if any(header_text(message, name).strip().lower() not in ("", "no")
           for name in ("X-Autoreply", "X-Autorespond")):
        return True
    if header_text(message, "Precedence").strip().lower() in _AUTO_PRECEDENCE:
        return True
    if has_header(message, "X-Auto-Response-Suppress") and has_header(message, "Auto-Submitted"):
        return True
    return subject.lower().startswith(_AUTO_SUBJECTS)


def _is_bounce(message: Message, from_address: str | None) -> bool:
    if (message.get_content_type() == "multipart/report"
            and str(message.get_param("report-type") or "").lower() == "delivery-status"):
        return True
    if from_address is not None and from_address.split("@")[0] in _BOUNCE_SENDERS:
        return True
    return header_text(message, "Return-Path").strip() == "<>"


def ticket_key_in(subject: str) -> str | None:
    """The ticket key a subject names: `[SD-1042]` first, else a bare `SD-1042`."""
    for pattern in (_BRACKETED_KEY, _BARE_KEY):
        for match in pattern.finditer(subject):
            number = key_number(match.group(1))
            if number is not None:
                return f"{KEY_PREFIX}{number}"
    return None


def summary(text: str, subject: str = "") -> str:
    """The first lines of `text` (else the subject), at most SUMMARY_LIMIT characters."""
    lines: list[str] = []
    length = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if length + len(line) + 1 > SUMMARY_LIMIT:
            if not lines:
                lines.append(line[:SUMMARY_LIMIT - 1].rstrip() + "…")
            break
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines) if lines else subject[:SUMMARY_LIMIT]


def _cut(text: str) -> str:
    if len(text) <= BODY_LIMIT:
        return text
    keep = BODY_LIMIT - len(CUT_NOTE) - 20
    return text[:keep] + CUT_NOTE.format(count=f"{len(text) - keep:,}")


def _contact_ids(in_reply_to: str | None, references: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for message_id in [in_reply_to, *reversed(references)]:
        if message_id is None:
            continue
        local = message_id[1:-1].rpartition("@")[0].lower()
        if _UUID.match(local) and local not in found:
            found.append(local)
    return tuple(found)


def _addresses(message: Message, *names: str) -> list[tuple[str, str]]:
    values = [raw_header(message, name) for name in names]
    return getaddresses([value for value in values if value])


def _address(text: str) -> str | None:
    address = text.strip().lower()
    return address if _ADDRESS.match(address) and len(address) <= ADDRESS_LIMIT else None


def _sender(message: Message) -> tuple[str | None, str | None]:
    for name, address in _addresses(message, "From"):
        spec = _address(address)
        if spec is not None:
            display = one_line(decode_header(header_bytes(name)), 200).strip("\"' ")
            return display or None, spec
    return None, None


def _recipients(message: Message) -> tuple[str, ...]:
    found = dict.fromkeys(
        spec for spec in (_address(address) for _name, address in
                          _addresses(message, "To", "Cc")) if spec is not None)
    return tuple(found)


def _first_id(text: str) -> str | None:
    match = _MESSAGE_ID.search(text)
    if match is None:
        token = one_line(text, MESSAGE_ID_LIMIT).split(" ")[0]
        return f"<{token}>" if token and "@" in token and len(token) + 2 <= MESSAGE_ID_LIMIT \
            else None
    return match.group(0) if len(match.group(0)) <= MESSAGE_ID_LIMIT else None


def _date(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
