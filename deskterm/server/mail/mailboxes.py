"""The desk's mailboxes: where the server reads mail (IMAP) and sends it (SMTP) from.

A mailbox is a row of the server-only table `mailbox`, made by `deskterm server mailbox
add`. Its password is never stored: the row says where to read it (an environment
variable or a file), and it is read when the server loads its mailboxes, so a password
never appears on a command line, in the database or in its backups.

URLs: `imaps://USER@HOST[:PORT][/FOLDER]` (TLS), `imap://USER@HOST[:PORT]?starttls=1`
(STARTTLS), `imap://...` without it only on a loopback address (tests, a local relay);
`smtps://`, `smtp://...?starttls=1` and plain `smtp://` on loopback alike. USER defaults
to the mailbox's address; FOLDER to INBOX.

This module also holds the other server-only tables of the mail intake (`mail_taken`,
`mail_failure`, `mail_aside`, `mail_attachment_blob`): none is a synced entity, none
leaves the server. Revision 0011 makes them.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
)

from deskterm.domain import ENTITIES
from deskterm.domain.clock import utcnow
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.domain.mail import ADDRESS_LIMIT, MESSAGE_ID_LIMIT
from deskterm.domain.types import UtcDateTime
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.server.database import Database, server_metadata

log = logging.getLogger("deskterm.server.mail")

#: How often a mailbox without IDLE is looked at, by default (seconds).
POLL_SECONDS = 30.0
NAME = re.compile(r"^[a-z][a-z0-9._-]{0,39}$")

mailbox = Table(
    "mailbox", server_metadata,
    Column("name", String(40), primary_key=True),
    Column("address", String(ADDRESS_LIMIT), nullable=False),
    Column("imap_url", Text, nullable=False),
    Column("smtp_url", Text, nullable=False),
    Column("department_id", String(64)),
    #: Where the password is read from: one of the two.
    Column("password_env", String(200)),
    Column("password_file", Text),
    #: Where a taken message is moved (none: it stays, flagged \Seen).
    Column("processed_folder", String(200)),
    Column("poll_seconds", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

#: Every message the intake took, once: what it was and what became of it.
mail_taken = Table(
    "mail_taken", server_metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("mailbox", String(40), nullable=False),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("uid", BigInteger, nullable=False),
    Column("message_id", String(MESSAGE_ID_LIMIT)),
    #: normal, auto_reply, bounce, loop, unreadable, duplicate
    Column("outcome", String(20), nullable=False),
    #: The contact it became (a normal mail).
    Column("contact_id", String(64)),
    #: Flagged \Seen (and moved) on the IMAP server after the commit.
    Column("flagged", Boolean, nullable=False),
    Column("taken_at", UtcDateTime, nullable=False),
    UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_mail_taken_uid"),
)
Index("ix_mail_taken_message_id", mail_taken.c.mailbox, mail_taken.c.message_id)

#: A message whose taking failed, and how often: put aside after MAX_ATTEMPTS.
mail_failure = Table(
    "mail_failure", server_metadata,
    Column("mailbox", String(40), primary_key=True),
    Column("uidvalidity", BigInteger, primary_key=True),
    Column("uid", BigInteger, primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

#: A message that could not be made into anything: kept whole, with why.
mail_aside = Table(
    "mail_aside", server_metadata,
    Column("id", String(64), primary_key=True),
    Column("mailbox", String(40), nullable=False),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("uid", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

#: The bytes of a kept attachment (domain.mail.MailAttachment lists it; only when kept).
mail_attachment_blob = Table(
    "mail_attachment_blob", server_metadata,
    Column("attachment_id", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)


class MailboxTrouble(InvalidInput):
    """A mailbox cannot be used as configured (its URL, its password)."""


@dataclass(frozen=True)
class Endpoint:
    """A mail server as a URL names it."""

    scheme: str
    host: str
    port: int
    #: "tls", "starttls" or "plain" (plain only on loopback)
    security: str
    username: str
    #: IMAP: the folder read (INBOX); SMTP: unused.
    folder: str


@dataclass(frozen=True)
class Mailbox:
    """A desk mailbox as the server uses it; `password` is read when it is loaded."""

    name: str
    address: str
    imap_url: str
    smtp_url: str
    department_id: str | None
    password: str
    processed_folder: str | None = None
    poll_seconds: float = POLL_SECONDS

    @property
    def imap(self) -> Endpoint:
        return endpoint(self.imap_url, self.address)

    @property
    def smtp(self) -> Endpoint:
        return endpoint(self.smtp_url, self.address)

    @property
    def domain(self) -> str:
        """The domain of its address: our Message-IDs end in it."""
        return self.address.rsplit("@", 1)[-1]


_DEFAULT_PORTS = {("imap", "tls"): 993, ("imap", "starttls"): 143, ("imap", "plain"): 143,
                  ("smtp", "tls"): 465, ("smtp", "starttls"): 587, ("smtp", "plain"): 25}


def endpoint(url: str, address: str) -> Endpoint:
    """The server a mailbox URL names; MailboxTrouble saying what is wrong with it."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps", "smtp", "smtps"):
        raise MailboxTrouble(_("'{url}' is not an imap://, imaps://, smtp:// or smtps:// URL"
                               ).format(url=url))
    kind = scheme.rstrip("s")
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["0"])[-1].lower() in ("1", "yes", "true", "on")
    security = "tls" if scheme.endswith("s") else "starttls" if starttls else "plain"
    host = parts.hostname or ""
    if not host:
        raise MailboxTrouble(_("the URL '{url}' names no host").format(url=url))
    if security == "plain" and not is_loopback(host):
        raise MailboxTrouble(_("{url} would send the password unencrypted: use {secure}:// "
                               "or add ?starttls=1 (plain is only for a loopback address)"
                               ).format(url=url, secure=f"{kind}s"))
    try:
        port = parts.port or _DEFAULT_PORTS[(kind, security)]
    except ValueError:
        raise MailboxTrouble(_("the URL '{url}' has a port out of range").format(
            url=url)) from None
    folder = unquote(parts.path.strip("/")) or "INBOX"
    return Endpoint(scheme, host, port, security, unquote(parts.username or "") or address,
                    folder)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_password(name: str, env: str | None, file: str | None) -> str:
    """A mailbox's password from where its row says; MailboxTrouble when it is not there."""
    if env:
        value = os.environ.get(env)
        if not value:
            raise MailboxTrouble(_("the password of mailbox '{name}' is read from the "
                                   "environment variable {variable}, which is not set"
                                   ).format(name=name, variable=env))
        return value
    if file:
        try:
            return Path(file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise MailboxTrouble(_("cannot read the password of mailbox '{name}' from "
                                   "{path}: {reason}").format(name=name, path=file,
                                                              reason=error.strerror)) from None
    raise MailboxTrouble(_("mailbox '{name}' has no password source").format(name=name))


@dataclass(frozen=True)
class MailboxRow:
    """A mailbox as stored (no password; where it is read from)."""

    name: str
    address: str
    imap_url: str
    smtp_url: str
    department_id: str | None
    department: str | None
    password_env: str | None
    password_file: str | None
    processed_folder: str | None
    poll_seconds: float
    created_at: datetime

    def loaded(self) -> Mailbox:
        """The mailbox with its password read (MailboxTrouble when it cannot be)."""
        return Mailbox(self.name, self.address, self.imap_url, self.smtp_url,
                       self.department_id,
                       read_password(self.name, self.password_env, self.password_file),
                       self.processed_folder, self.poll_seconds)


def mailbox_rows(connection: Connection) -> list[MailboxRow]:
    departments = ENTITIES["department"].__table__
    rows = connection.execute(
        select(mailbox, departments.c.code)
        .select_from(mailbox.outerjoin(departments,
                                       departments.c.id == mailbox.c.department_id))
        .order_by(mailbox.c.name)).all()
    return [MailboxRow(r.name, r.address, r.imap_url, r.smtp_url, r.department_id, r.code,
                       r.password_env, r.password_file, r.processed_folder,
                       float(r.poll_seconds), r.created_at) for r in rows]


def load_mailboxes(connection: Connection) -> list[Mailbox]:
    """Every mailbox with its password read. One whose password cannot be read is left
    out, with a warning in the server's log (the others still work)."""
    loaded = []
    for row in mailbox_rows(connection):
        try:
            loaded.append(row.loaded())
        except MailboxTrouble as trouble:
            log.warning("mailbox %s left out: %s", row.name, trouble.message)
    return loaded


def find_mailbox(connection: Connection, name: str) -> MailboxRow:
    for row in mailbox_rows(connection):
        if row.name == name:
            return row
    raise NotFound(_("no mailbox '{name}' (deskterm server mailbox list shows them)").format(
        name=name))


def add_mailbox(db: Database, name: str, *, address: str, imap_url: str, smtp_url: str,
                department: str | None, password_env: str | None, password_file: str | None,
                processed_folder: str | None = None,
                poll_seconds: float = POLL_SECONDS) -> MailboxRow:
    """Store a mailbox (its URLs checked; its password source, not the password)."""
    if not NAME.match(name):
        raise InvalidInput(_("'{name}' is not a mailbox name: up to 40 lowercase letters, "
                             "digits, '.', '_' or '-', starting with a letter").format(name=name))
    address = address.strip().lower()
    if address.count("@") != 1 or len(address) > ADDRESS_LIMIT or " " in address:
        raise InvalidInput(_("'{address}' is not an email address").format(address=address))
    endpoint(imap_url, address)
    endpoint(smtp_url, address)
    if bool(password_env) == bool(password_file):
        raise InvalidInput(_("give the password's source: --password-env VARIABLE or "
                             "--password-file FILE (never the password itself)"))
    if password_file:
        password_file = str(Path(password_file).expanduser().resolve())
    if not 1 <= poll_seconds <= 3600:
        raise InvalidInput(_("the poll interval is 1 to 3600 seconds"))
    departments = ENTITIES["department"].__table__
    with db.writing() as connection:
        if connection.execute(select(mailbox.c.name).where(mailbox.c.name == name)).first():
            raise Conflict(_("there is already a mailbox '{name}'").format(name=name))
        department_id = None
        if department:
            department_id = connection.execute(
                select(departments.c.id).where(departments.c.code == department.upper())
            ).scalar()
            if department_id is None:
                raise NotFound(_("no department '{code}'").format(code=department))
        connection.execute(insert(mailbox).values(
            name=name, address=address, imap_url=imap_url, smtp_url=smtp_url,
            department_id=department_id, password_env=password_env or None,
            password_file=password_file or None, processed_folder=processed_folder or None,
            poll_seconds=int(poll_seconds), created_at=utcnow()))
        return find_mailbox(connection, name)


def remove_mailbox(db: Database, name: str) -> None:
    """Forget a mailbox (what it took stays recorded, should it be added again)."""
    with db.writing() as connection:
        find_mailbox(connection, name)
        connection.execute(delete(mailbox).where(mailbox.c.name == name))


def taken_counts(connection: Connection) -> dict[str, int]:
    """How many messages the intake took per mailbox."""
    from sqlalchemy import func

    return {name: int(count) for name, count in connection.execute(
        select(mail_taken.c.mailbox, func.count()).group_by(mail_taken.c.mailbox))}


def probe_imap(box: Mailbox) -> tuple[str, bool, str]:
    """Log in to the mailbox's IMAP server: ("IMAP", worked, what was found or went wrong)."""
    from deskterm.server.mail.intake import connect

    try:
        client = connect(box, timeout=20)
        try:
            folder = box.imap.folder
            status = client.folder_status(folder, ["MESSAGES", "UNSEEN"])
            idle = client.has_capability("IDLE")
        finally:
            client.logout()
    except Exception as error:
        return "IMAP", False, _problem(box.imap, error)
    messages, unseen = int(status[b"MESSAGES"]), int(status[b"UNSEEN"])
    said = (ngettext("logged in to {host} as {user}; {folder} holds {messages} message, "
                     "{unseen} unread; new mail is announced (IDLE)",
                     "logged in to {host} as {user}; {folder} holds {messages} messages, "
                     "{unseen} unread; new mail is announced (IDLE)", messages) if idle else
            ngettext("logged in to {host} as {user}; {folder} holds {messages} message, "
                     "{unseen} unread; no IDLE, so it is polled",
                     "logged in to {host} as {user}; {folder} holds {messages} messages, "
                     "{unseen} unread; no IDLE, so it is polled", messages))
    return "IMAP", True, said.format(host=box.imap.host, user=box.imap.username, folder=folder,
                                     messages=number(messages), unseen=number(unseen))


def probe_smtp(box: Mailbox) -> tuple[str, bool, str]:
    """Log in to the mailbox's SMTP server: ("SMTP", worked, what was found or went wrong)."""
    import smtplib
    import ssl

    server = box.smtp
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP = (smtplib.SMTP_SSL(server.host, server.port, timeout=20,
                                               context=context)
                              if server.security == "tls" else
                              smtplib.SMTP(server.host, server.port, timeout=20))
        try:
            smtp.ehlo()
            if server.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if smtp.has_extn("auth"):
                smtp.login(server.username, box.password)
                said = _("logged in to {host} as {user}").format(host=server.host,
                                                                  user=server.username)
            else:
                said = _("{host} answers and asks for no login").format(host=server.host)
        finally:
            smtp.quit()
    except Exception as error:
        return "SMTP", False, _problem(server, error)
    return "SMTP", True, said


def _problem(server: Endpoint, error: Exception) -> str:
    reason = str(error).strip() or type(error).__name__
    return _("{host}:{port}: {reason}").format(host=server.host, port=server.port,
                                               reason=reason.splitlines()[0][:300])
