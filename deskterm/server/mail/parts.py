"""A mail's parts: its readable text, its attachments, and its headers as they came.

`Body.walk` goes through a message's MIME tree: text/plain (preferred in an alternative)
and text/html (made readable) become the text; every other part with a file name or
content that is not text becomes an attachment, a forwarded mail (message/rfc822)
included. A part the standard library cannot read is kept as its undecoded bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.generator import BytesGenerator
from email.message import Message
from io import BytesIO
from urllib.parse import unquote_to_bytes

from deskterm.domain.mail import ATTACHMENT_KEPT_LIMIT, CONTENT_TYPE_LIMIT, FILENAME_LIMIT
from deskterm.server.mail.decode import (
    decode_bytes,
    decode_header,
    header_bytes,
    one_line,
    safe_content_type,
    safe_filename,
    without_controls,
)
from deskterm.server.mail.html_text import html_to_text, tidy

#: How deep multiparts may nest, and how many parts are read, before the rest is ignored.
MAX_DEPTH = 40
MAX_PARTS = 2_000
_NAME_PARAMETER = re.compile(r"(?:file)?name\*?[0-9*]*\s*=\s*\"?([^\";]*)", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    #: Its decoded size in bytes.
    size: int
    #: Its SHA-256, hex.
    sha256: str
    #: Its bytes; None when larger than ATTACHMENT_KEPT_LIMIT.
    data: bytes | None


class Body:
    """Walks a message's parts: the readable text, and every other part as an attachment."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.attachments: list[ParsedAttachment] = []
        self._parts = 0

    def walk(self, part: Message, depth: int, *, want_text: bool) -> None:
        self._parts += 1
        if depth > MAX_DEPTH or self._parts > MAX_PARTS:
            return
        content_type = part.get_content_type()
        children = part.get_payload() if part.is_multipart() else None
        if isinstance(children, list) and content_type.startswith("multipart/"):
            chosen = _best_alternative(children) if content_type == "multipart/alternative" \
                else None
            for child in children:
                if isinstance(child, Message):
                    self.walk(child, depth + 1,
                              want_text=want_text and (chosen is None or child is chosen))
            return
        if content_type.startswith("multipart/"):
            # A multipart without its parts (no boundary, or cut off): its text as it is.
            if want_text:
                self.texts.append(tidy(decode_bytes(_payload(part))))
            return
        try:
            if content_type in ("message/rfc822", "message/global") or _is_attachment(part):
                self._attach(part, content_type)
            elif content_type in ("text/plain", "text/html"):
                if want_text:
                    self.texts.append(_text_of(part, content_type))
            else:
                self._attach(part, content_type)
        except Exception:  # one part too broken to read: kept as its undecoded bytes
            self._keep(_undecoded(part), None, "application/octet-stream")

    def _attach(self, part: Message, content_type: str) -> None:
        data = _payload(part)
        name = _filename(part)
        if not name and content_type in ("message/rfc822", "message/global"):
            forwarded = part.get_payload()
            if isinstance(forwarded, list) and forwarded and isinstance(forwarded[0], Message):
                subject = one_line(header_text(forwarded[0], "Subject"), 100)
                name = f"{subject}.eml" if subject else None
        self._keep(data, name, content_type)

    def _keep(self, data: bytes, name: str | None, content_type: str) -> None:
        self.attachments.append(ParsedAttachment(
            filename=safe_filename(name, content_type, FILENAME_LIMIT),
            content_type=safe_content_type(content_type)[:CONTENT_TYPE_LIMIT], size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data if len(data) <= ATTACHMENT_KEPT_LIMIT else None))


def _best_alternative(children: list[Message | str]) -> Message | None:
    """The alternative to read: text/plain, else one holding text/plain, else HTML."""
    def rank(child: Message) -> int:
        content_type = child.get_content_type()
        if content_type == "text/plain":
            return 0
        if content_type.startswith("multipart/"):
            return 1 if any(sub.get_content_type() == "text/plain"
                            for sub in _limited(child.walk())) else 3
        return 2 if content_type == "text/html" else 4
    parts = [child for child in children if isinstance(child, Message)]
    return min(parts, key=rank) if parts else None


def _limited(parts: Iterable[Message]) -> Iterable[Message]:
    for count, part in enumerate(parts):
        if count >= MAX_PARTS:
            return
        yield part


def _is_attachment(part: Message) -> bool:
    disposition = raw_header(part, "Content-Disposition").split(";")[0].strip().lower()
    return disposition == "attachment" or bool(_filename(part))


def _filename(part: Message) -> str | None:
    """A part's file name as it gave it (Content-Disposition's, else Content-Type's)."""
    try:
        name = part.get_filename() or part.get_param("name")
        if isinstance(name, tuple):  # an RFC 2231 value the old API leaves in pieces
            name = decode_bytes(str(name[2]).encode("latin-1", "replace"), name[0])
    except Exception:  # a parameter the library cannot read (a NUL in its charset, ...)
        name = None
        for header in ("Content-Disposition", "Content-Type"):
            match = _NAME_PARAMETER.search(raw_header(part, header))
            if match:
                charset, quotes, value = match.group(1).partition("''")
                name = decode_bytes(unquote_to_bytes(value), charset) if quotes else charset
                break
    if not name:
        return None
    text = str(name)
    return decode_header(header_bytes(text)) if "=?" in text else without_controls(text)


def _payload(part: Message) -> bytes:
    """A part's bytes, transfer-decoded (a forwarded mail: its whole source)."""
    if part.is_multipart():
        payload = part.get_payload()
        return b"".join(_source(sub) for sub in payload if isinstance(sub, Message))
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else _undecoded(part)


def _undecoded(part: Message) -> bytes:
    """A part's body as it came, not transfer-decoded. Read from the message itself:
    `get_payload()` decodes it with the part's charset, and raises on a broken one."""
    payload = getattr(part, "_payload", None)
    return header_bytes(payload) if isinstance(payload, str) else b""


def _source(message: Message) -> bytes:
    """A message's bytes, headers as they came (the old policy does not refold them)."""
    for generator_policy in (policy.compat32, None):
        try:
            buffer = BytesIO()
            BytesGenerator(buffer, mangle_from_=False, policy=generator_policy).flatten(message)
            return buffer.getvalue()
        except Exception:  # a forwarded mail too broken to write out again
            continue
    return b""


def _text_of(part: Message, content_type: str) -> str:
    try:
        charset = part.get_content_charset()
    except Exception:  # a charset parameter the library cannot read: guessed instead
        charset = None
    text = decode_bytes(_payload(part), charset)
    return html_to_text(text) if content_type == "text/html" else tidy(text)


def header_text(message: Message, name: str) -> str:
    """A header's decoded text (the first of its name), or "" when it has none."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return decode_header(header_bytes(value))
    return ""


def raw_header(message: Message, name: str) -> str:
    """A header's undecoded text (encoded words left as they are), unfolded."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return decode_bytes(header_bytes(value)).replace("\r", "").replace("\n", "")
    return ""


def has_header(message: Message, name: str) -> bool:
    return any(key.lower() == name.lower() for key, _value in message.raw_items())
