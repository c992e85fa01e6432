"""`deskterm server mailbox ...` against a real server database and a real Dovecot."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskterm.bench.dovecot import Dovecot
from tests.cli.conftest import Cli
from tests.support.mail import dovecot as dovecot  # the fixture


def test_add_list_test_and_remove_a_mailbox(run_cli: Cli, tmp_path: Path, dovecot: Dovecot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    monkeypatch.setenv("DESK_IMAP_PASSWORD", dovecot.password)
    made = run_cli("server", "mailbox", "add", "support", "--imap", dovecot.url,
                   "--smtp", "smtp://127.0.0.1:1", "--address", dovecot.user,
                   "--password-env", "DESK_IMAP_PASSWORD", "--database-url", url)
    assert made.code == 0, made.err
    assert "mailbox 'support' added (desk@example.test)" in made.out
    listed = run_cli("server", "mailbox", "list", "--database-url", url)
    assert listed.out.splitlines()[0].split()[:3] == ["NAME", "ADDRESS", "IMAP"]
    line = next(line for line in listed.out.splitlines() if line.startswith("support"))
    assert "variable DESK_IMAP_PASSWORD" in line and dovecot.password not in listed.out
    [shown] = run_cli("--json", "server", "mailbox", "list", "--database-url", url).data
    assert (shown["name"], shown["password_env"], shown["taken"]) == (
        "support", "DESK_IMAP_PASSWORD", 0)

    tested = run_cli("server", "mailbox", "test", "support", "--database-url", url)
    lines = tested.out.splitlines()
    assert lines[0].startswith("IMAP: ok, logged in to 127.0.0.1 as desk@example.test; "
                               "INBOX holds 0 messages"), lines
    assert lines[1].startswith("SMTP: failed, 127.0.0.1:1: "), lines  # nothing listens there
    assert tested.code == 1 and "cannot be used as configured" in tested.err
    tested = run_cli("--lang", "nl", "server", "mailbox", "test", "support",
                     "--database-url", url)
    assert tested.out.splitlines()[0].startswith("IMAP: in orde, ingelogd op 127.0.0.1")

    run_cli("server", "mailbox", "remove", "support", "--database-url", url)
    assert "no mailboxes yet" in run_cli("server", "mailbox", "list", "--database-url",
                                         url).out


def test_add_refuses_a_password_on_no_source_and_plain_imap_off_loopback(
        run_cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    base = ("server", "mailbox", "add", "support", "--smtp", "smtps://mail.example.com",
            "--address", "desk@example.com", "--database-url", url)
    run_cli(*base, "--imap", "imaps://mail.example.com").refused(2, "--password-env")
    run_cli(*base, "--imap", "imap://mail.example.com", "--password-env", "X").refused(
        2, "unencrypted", "starttls=1")
    made = run_cli(*base, "--imap", "imap://mail.example.com?starttls=1",
                   "--password-file", str(tmp_path / "secret"))
    assert made.code == 0, made.err
    run_cli("server", "mailbox", "test", "support", "--database-url", url).refused(
        2, "cannot read the password", "secret")
