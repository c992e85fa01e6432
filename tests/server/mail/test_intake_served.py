"""The intake beside the API, as `deskterm serve` runs it: replicas pull what mail made, and
an attachment's bytes go to those who may have its contact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from deskterm.cli.main import main
from deskterm.domain import Contact, MailAttachment, Ticket
from deskterm.server.mail.mailboxes import Mailbox
from deskterm.server.runner import ServerThread
from tests.support.mail import append, flags, mail
from tests.support.servers import RunningServer
from tests.support.sync import Replica, wait_for


def test_serve_takes_mail_the_replica_pulls_it_and_attachments_download(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox],
        replica_of: Callable[..., Replica], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    desk_mailbox(poll_seconds=1)
    append(dovecot, mail("Invoice is wrong", attachments=[
        ("invoice.pdf", "application/pdf", b"%PDF-1.4 not really")]))
    served = ServerThread(server.db.url, mail=True).start()
    try:
        wait_for(lambda: flags(dovecot) and all(b"\\Seen" in f
                                                for f in flags(dovecot).values()), 30)
        alex = Replica.open(tmp_path / "alex.db", served.url, server.tokens["alex"], "alex")
        try:
            with alex.store.transaction() as session:
                [ticket] = session.exec(select(Ticket)).all()
                [contact] = session.exec(select(Contact)).all()
                [attachment] = session.exec(select(MailAttachment)).all()
            assert ticket.subject == "Invoice is wrong" and ticket.number is not None
            assert contact.ticket_id == ticket.id and contact.subject == "Invoice is wrong"
            assert (attachment.filename, attachment.size) == ("invoice.pdf", 19)
            assert alex.client.attachment(attachment.id) == b"%PDF-1.4 not really"
        finally:
            alex.close()
        store = str(tmp_path / "alex.db")
        capsys.readouterr()
        assert main(["--db", store, "attachment", "list", ticket.key]) == 0
        listed = capsys.readouterr().out
        assert "invoice.pdf" in listed and attachment.id in listed and "19 bytes" in listed
        saved = tmp_path / "saved"
        saved.mkdir()
        assert main(["--db", store, "attachment", "save", attachment.id, "--to",
                     str(saved)]) == 0
        assert (saved / "invoice.pdf").read_bytes() == b"%PDF-1.4 not really"
        path = f"{served.url}/api/v1/attachments/{attachment.id}"
        answer = httpx.get(path, headers={"Authorization": f"Bearer {server.tokens['casey']}"})
        assert answer.status_code == 200 and answer.content == b"%PDF-1.4 not really"
        assert answer.headers["content-type"] == "application/octet-stream"
        assert "invoice.pdf" in answer.headers["content-disposition"]
        assert httpx.get(path).status_code == 401
        assert httpx.get(path, headers={"Authorization": "Bearer dkt_nobody"}).status_code == 401
        missing = httpx.get(f"{served.url}/api/v1/attachments/nothing-here",
                            headers={"Authorization": f"Bearer {server.tokens['alex']}"})
        assert missing.status_code == 404
    finally:
        served.stop()
