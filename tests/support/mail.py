"""Fixtures for the mail tests: a real Dovecot IMAP server on a loopback port, and mail.

`dovecot` starts Debian's Dovecot with its own configuration in the test's temporary
directory (deskterm.bench.dovecot); a test that takes it is skipped, saying so, only when
the `dovecot` binary cannot be found (.ci/run installs it and fails on such a skip).
Messages go in over IMAP APPEND, as a mail server's delivery would put them.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient

from deskterm.bench.dovecot import Dovecot, find_dovecot

NO_DOVECOT = ("dovecot is not installed (apt-get install dovecot-imapd): no IMAP server to "
              "test against")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if find_dovecot() is None:
        pytest.skip(NO_DOVECOT)
    with Dovecot() as server:
        yield server


def imap(server: Dovecot) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=server.port, ssl=False)
    client.login(server.user, server.password)
    return client


def append(server: Dovecot, *messages: bytes | EmailMessage) -> None:
    """Put messages in the inbox over IMAP APPEND."""
    client = imap(server)
    try:
        for message in messages:
            raw = message.as_bytes() if isinstance(message, EmailMessage) else message
            client.append("INBOX", raw)
    finally:
        client.logout()


def flags(server: Dovecot, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
    """Each message's flags in a folder, by UID."""
    client = imap(server)
    try:
        client.select_folder(folder, readonly=True)
        return {uid: tuple(data[b"FLAGS"]) for uid, data in
                client.fetch(client.search(["ALL"]), ["FLAGS"]).items()}
    finally:
        client.logout()


def mail(subject: str = "The printer on floor 2 jams", *,
         sender: str = "Jo Jansen <jo@example.com>",
         body: str = "It jams every morning.\nCan someone look?", message_id: str | None = None,
         headers: dict[str, str] | None = None,
         attachments: list[tuple[str, str, bytes]] = ()) -> EmailMessage:  # type: ignore[assignment]
    """A mail a customer sends the desk."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "desk@example.test"
    message["Subject"] = subject
    message["Date"] = "Mon, 30 Nov 2026 09:00:00 +0100"
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content_type, data in attachments:
        main, sub = content_type.split("/", 1)
        message.add_attachment(data, maintype=main, subtype=sub, filename=filename)
    return message
