"""Mail's bytes to text: charsets, RFC 2047 headers, one-line subjects, safe file names.

Mail in the wild names charsets wrongly or not at all, and its headers carry raw 8-bit
bytes as often as encoded words. Nothing here raises for any input: a charset that is
unknown or wrong falls back to UTF-8, then Windows-1252/Latin-1 (the Western European
mail a Dutch desk gets), then UTF-8 with replacement characters.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import mimetypes
import re
import unicodedata

#: Characters that end a line for `str.splitlines` (and for a terminal): a subject or a
#: file name folds them to spaces, so no header or path can be split by one.
_LINE_BREAKS = "\r\n\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")
_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
_BLANK = re.compile(rb"[ \t\r\n]*")
_SPACES = re.compile(r"\s+")
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
#: The types' own extensions, from Python's table only (not the system's mime.types), so
#: a default file name is the same on every server.
_TYPES = mimetypes.MimeTypes()
_DEFAULT_NAMES = {
    "message/rfc822": "forwarded.eml",
    "message/global": "forwarded.eml",
    "message/delivery-status": "delivery-status.txt",
    "text/calendar": "invite.ics",
    "text/plain": "text.txt",
    "text/html": "page.html",
    "image/jpeg": "image.jpg",
}


def known_charset(charset: str | None) -> str | None:
    """The codec `charset` names, or None when Python knows no such charset."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").split("*")[0]
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """`data` as text: in `charset` when it reads so, else UTF-8, else Windows-1252, else
    Latin-1 (which reads any bytes). A charset that is not a text encoding (`base64`,
    `rot13`) is ignored."""
    codec = known_charset(charset)
    if codec is not None:
        try:
            return data.decode(codec)
        except Exception:  # any codec may fail its own way (idna, base64, utf-7)
            pass
    for fallback in ("utf-8", "cp1252"):
        try:
            return data.decode(fallback)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def header_bytes(value: object) -> bytes:
    """A header's raw value as the parser kept it: a str with its 8-bit bytes escaped as
    surrogates (`BytesParser`), or a `Header` of the old API; back to bytes."""
    text = str(value)
    try:
        return text.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def decode_header(raw: bytes) -> str:
    """A header's text: RFC 2047 encoded words decoded in their charsets (adjacent words in
    one charset joined first, so a character split between two words survives), raw 8-bit
    bytes read as UTF-8 or Windows-1252, folded lines unfolded."""
    raw = re.sub(rb"\r?\n(?=[ \t])", b"", raw)
    pieces: list[str] = []
    pending = bytearray()
    pending_charset: str | None = None
    position = 0
    after_word = False

    def flush() -> None:
        nonlocal pending_charset
        if pending:
            pieces.append(decode_bytes(bytes(pending), pending_charset))
            pending.clear()
        pending_charset = None

    for match in _ENCODED_WORD.finditer(raw):
        between = raw[position:match.start()]
        # RFC 2047: blanks between two encoded words are not part of the text.
        if not (after_word and _BLANK.fullmatch(between)):
            flush()
            pieces.append(decode_bytes(between))
        charset = match.group(1).decode("ascii", "replace").lower()
        word = _word_bytes(match.group(2).upper(), match.group(3))
        if word is None:
            flush()
            pieces.append(decode_bytes(match.group(0)))
            after_word = False
        else:
            if charset != pending_charset:
                flush()
                pending_charset = charset
            pending.extend(word)
            after_word = True
        position = match.end()
    flush()
    pieces.append(decode_bytes(raw[position:]))
    return "".join(pieces)


def _word_bytes(encoding: bytes, text: bytes) -> bytes | None:
    """An encoded word's bytes, or None when they do not decode."""
    try:
        if encoding == b"B":
            return base64.b64decode(text + b"=" * (-len(text) % 4))
        return binascii.a2b_qp(text, header=True)
    except (binascii.Error, ValueError):
        return None


def without_controls(text: str) -> str:
    """`text` without control characters other than line breaks and tabs, without lone
    surrogates (which no database or terminal takes), and without the marks that turn
    text's direction (`invoice\u202efdp.exe` would show as `invoiceexe.pdf`)."""
    return "".join(
        character for character in text
        if character in "\n\t" or (unicodedata.category(character) not in ("Cc", "Cs", "Co")
                                   and character not in _BIDI_CONTROLS))


def one_line(text: str, limit: int) -> str:
    """`text` on one line: line breaks and tabs as spaces, control characters dropped,
    runs of blanks as one space, trimmed, cut at `limit` characters."""
    for character in _LINE_BREAKS:
        text = text.replace(character, " ")
    text = _SPACES.sub(" ", without_controls(text)).strip()
    return text[:limit].rstrip()


def safe_content_type(text: str | None) -> str:
    """A content type as `type/subtype` in lower case, or application/octet-stream."""
    value = (text or "").strip().lower()
    return value if _CONTENT_TYPE.match(value) else "application/octet-stream"


def safe_filename(name: str | None, content_type: str, limit: int) -> str:
    """A file name that is only a name: no path separators or control characters, not
    `.` or `..`, at most `limit` characters (its extension kept when cut); a default
    name from the content type when there is none."""
    text = one_line(name or "", 10 * limit)
    text = re.sub(r"[/\\\x00]", "_", text).strip(" .")
    if not text:
        return default_filename(content_type)
    if len(text) > limit:
        stem, dot, extension = text.rpartition(".")
        if dot and stem and 0 < len(extension) <= 16:
            text = stem[:limit - len(extension) - 1].rstrip() + "." + extension
        else:
            text = text[:limit]
    return text


def default_filename(content_type: str) -> str:
    """A name for an attachment that came without one: `image.png`, `forwarded.eml`."""
    if content_type in _DEFAULT_NAMES:
        return _DEFAULT_NAMES[content_type]
    extension = _TYPES.guess_extension(content_type) or ".bin"
    stem = {"image": "image", "audio": "audio", "video": "video"}.get(
        content_type.partition("/")[0], "attachment")
    return stem + extension
