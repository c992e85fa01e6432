"""`deskterm bench mail`: the mail intake's speed beside a bare IMAP FETCH, in one run.

A throwaway Dovecot on a loopback port (bench.dovecot) gets N queued messages (customers'
mails, one in five an answer naming an earlier ticket's key, one in fifty an auto-reply).
Then, against the same messages in the same run:

- FETCH alone: one IMAP connection fetches every message (BODY.PEEK[], in the intake's
  own batches) and throws it away: the floor no intake can go below;
- intake: the server's intake takes every message (parse, one transaction each, flag),
  into a fresh server database (SQLite; or PostgreSQL with --database-url).

Both run after a warm-up SELECT, so Dovecot's first indexing of the folder counts for
neither. The report is a Markdown table, English only, like the other benches.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

DEFAULT_MESSAGES = 10_000


@dataclass
class Timed:
    what: str
    messages: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0


@dataclass
class MailBench:
    messages: int
    backend: str
    results: list[Timed] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    tickets: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"messages": self.messages, "backend": self.backend,
                "outcomes": self.outcomes, "tickets": self.tickets,
                "results": [{"what": r.what, "messages": r.messages, "seconds": r.seconds,
                             "per_second": r.per_second} for r in self.results]}


def queued_messages(count: int) -> list[bytes]:
    """`count` believable customer mails; some answer earlier tickets, some auto-reply."""
    made = []
    for index in range(count):
        message = EmailMessage()
        customer = index % 400
        message["From"] = f"Customer {customer} <customer{customer}@example.com>"
        message["To"] = "desk@example.test"
        message["Date"] = "Mon, 30 Nov 2026 09:00:00 +0100"
        message["Message-ID"] = f"<bench-{index}@example.com>"
        if index % 50 == 49:
            message["Subject"] = "Out of office"
            message["Auto-Submitted"] = "auto-replied"
        elif index % 5 == 4 and index > 10:
            message["Subject"] = f"Re: [SD-{1001 + index // 10}] still not working"
        else:
            message["Subject"] = f"Printer {index} jams on floor {index % 7}"
        message.set_content(f"Hello desk,\n\nThe printer jams again ({index}).\n"
                            + "It started this morning after the update.\n" * 5
                            + "\nRegards,\nCustomer\n")
        made.append(message.as_bytes())
    return made


def render(bench: MailBench) -> str:
    rows = ["| what | messages | seconds | messages/s |", "|---|---:|---:|---:|"]
    for result in bench.results:
        rows.append(f"| {result.what} | {result.messages:,} | {result.seconds:.2f} | "
                    f"{result.per_second:,.0f} |")
    fetch = next((r for r in bench.results if r.what.startswith("IMAP FETCH")), None)
    intake = next((r for r in bench.results if r.what.startswith("intake")), None)
    lines = [f"Mail intake of {bench.messages:,} queued messages, Dovecot on loopback, "
             f"server database on {bench.backend}", "", *rows, ""]
    if fetch and intake and intake.per_second:
        lines.append(f"The intake runs at {intake.per_second / fetch.per_second:.0%} of bare "
                     f"FETCH speed; outcomes: "
                     + ", ".join(f"{k} {v:,}" for k, v in sorted(bench.outcomes.items()))
                     + f"; {bench.tickets:,} tickets made.")
    return "\n".join(lines)


def run_mail_bench(messages: int, progress: Callable[[str], None],
                   database_url: str | None = None) -> MailBench:
    """Run it; `database_url` a PostgreSQL server to make a scratch database on."""
    from imapclient import IMAPClient
    from sqlalchemy import func, select

    from deskterm.bench.dovecot import Dovecot
    from deskterm.bench.syncbench.servers import fresh_database
    from deskterm.domain import ENTITIES
    from deskterm.server.database import Database
    from deskterm.server.mail.intake import MailIntake, _chunks, connect
    from deskterm.server.mail.mailboxes import Mailbox

    backend = "postgres" if database_url else "sqlite"
    with tempfile.TemporaryDirectory(prefix="deskterm-bench-mail-") as folder, \
            Dovecot() as dovecot, fresh_database(backend, Path(folder), database_url) as url:
        bench = MailBench(messages, "PostgreSQL" if database_url else "SQLite")
        progress(f"queueing {messages:,} messages in Dovecot on port {dovecot.port}")
        dovecot.deliver(queued_messages(messages))
        mailbox = Mailbox("bench", dovecot.user, dovecot.url, "smtp://127.0.0.1:25", None,
                          dovecot.password)
        client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=300)
        client.login(dovecot.user, dovecot.password)
        progress("warm-up: Dovecot indexes the folder")
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["ALL"])
        progress("IMAP FETCH alone")
        started = time.perf_counter()
        fetched = 0
        for chunk in _chunks(client, uids):
            fetched += len(client.fetch(chunk, ["BODY.PEEK[]"]))
        bench.results.append(Timed("IMAP FETCH alone (BODY.PEEK[])", fetched,
                                   time.perf_counter() - started))
        client.logout()
        db = Database(url)
        try:
            progress(f"intake into a fresh server database ({bench.backend})")
            intake = MailIntake(db, mailbox)
            client = connect(mailbox, timeout=300)
            started = time.perf_counter()
            done = intake.run_round(client)
            seconds = time.perf_counter() - started
            client.logout()
            bench.outcomes = done.outcomes
            bench.results.append(Timed("intake (parse, one transaction each, flag \\Seen)",
                                       len(done.taken), seconds))
            tickets = ENTITIES["ticket"].__table__
            with db.reading() as connection:
                bench.tickets = int(connection.execute(
                    select(func.count()).select_from(tickets)).scalar_one())
        finally:
            db.dispose()
        return bench


__all__ = ["DEFAULT_MESSAGES", "MailBench", "render", "run_mail_bench"]
