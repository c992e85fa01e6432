"""The mail tests' fixtures: a Dovecot on loopback (tests.support.mail), a desk mailbox."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from deskterm.bench.dovecot import Dovecot
from deskterm.server.mail.mailboxes import Mailbox, add_mailbox, find_mailbox
from tests.support.mail import dovecot as dovecot  # the fixture, for these tests
from tests.support.servers import RunningServer


@pytest.fixture
def desk_mailbox(server: RunningServer, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
                 ) -> Callable[..., Mailbox]:
    """Add the Dovecot account as the desk's mailbox `support`; returns it loaded."""
    monkeypatch.setenv("DESK_IMAP_PASSWORD", dovecot.password)

    def make(**options: object) -> Mailbox:
        add_mailbox(server.db, "support", address=dovecot.user, imap_url=dovecot.url,
                    smtp_url="smtp://127.0.0.1:2525", department=None,
                    password_env="DESK_IMAP_PASSWORD", password_file=None,
                    **options)  # type: ignore[arg-type]
        with server.db.reading() as connection:
            return find_mailbox(connection, "support").loaded()

    return make
