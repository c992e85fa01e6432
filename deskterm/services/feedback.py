"""Customer feedback intake: one response, or a CSV file of them.

A response names its ticket and carries the overall satisfaction (CSAT 1-5) and, where
the survey asked, the seven driver scores (1-5 each) and a comment. A compliment in the
response (the `kudos` column) is shared on the kudos feed, about the ticket's owner.

The CSV import keeps every good row and reports each bad one with its line number:
the good rows are written in one transaction, the bad ones not at all.

CSV columns (a header row is required; names are case-insensitive, order is free):
`ticket` (SD-1042 or the ticket id; required), `csat` (1-5; required), `reliability`,
`empathy`, `customer_focus`, `customer_knowledge`, `waiting_time`, `accessibility`,
`phone_menu` (1-5 or empty), `comment`, `received_at` (ISO 8601, UTC when no offset is
given; default: now), `kudos` (a compliment to share).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from deskterm.domain import Agent, Feedback, Kudos, Ticket
from deskterm.domain.customers import Customer
from deskterm.domain.enums import KudosSource
from deskterm.domain.errors import DeskError, InvalidInput
from deskterm.domain.feedback import DRIVERS
from deskterm.domain.types import text_limit
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_ticket
from deskterm.store.outbox import record

#: The columns a feedback CSV may have; `ticket` and `csat` are required.
COLUMNS = ("ticket", "csat", *DRIVERS, "comment", "received_at", "kudos")
MAX_ROWS = 100_000
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Response:
    """One response as typed or read, before it is checked."""

    ticket: str
    csat: Any
    drivers: dict[str, Any] = field(default_factory=dict)
    comment: str | None = None
    received_at: Any = None
    kudos: str | None = None


@dataclass
class ImportReport:
    imported: int = 0
    kudos: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)


def _score(value: Any, name: str, *, required: bool) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{name} is required (1 to 5)")
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{name} must be a whole number from 1 to 5")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number from 1 to 5, not '{value}'") \
            from None
    if not 1 <= number <= 5:
        raise InvalidInput(f"{name} {number} is out of range; use 1 to 5")
    return number


def _moment(value: Any, now: datetime) -> datetime:
    if value is None or (isinstance(value, str) and not value.strip()):
        return now
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(f"received_at '{value}' is not an ISO 8601 time") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment > now:
        raise InvalidInput("received_at is in the future")
    return moment.astimezone(UTC)


def _build(ctx: ServiceContext, session: Session, response: Response, source: str
           ) -> tuple[Feedback, Kudos | None]:
    if not str(response.ticket or "").strip():
        raise InvalidInput("ticket is required")
    ticket: Ticket = find_ticket(session, str(response.ticket))
    unknown = sorted(set(response.drivers) - set(DRIVERS))
    if unknown:
        raise InvalidInput(f"unknown driver {', '.join(unknown)}")
    # Any: mypy checks `**scores` against every keyword of Feedback, the str ones too.
    scores: dict[str, Any] = {
        name: _score(response.drivers.get(name), name.replace("_", " "), required=False)
        for name in DRIVERS}
    csat = _score(response.csat, "csat", required=True)
    assert csat is not None  # required: _score raised if missing
    feedback = Feedback(
        ticket_id=ticket.id, customer_id=ticket.customer_id, agent_id=ticket.owner_id,
        csat=csat, **scores,
        comment=clean_text(response.comment, "comment", required=False,
                           limit=text_limit(Feedback, "comment")) or None,
        source=source, received_at=_moment(response.received_at, ctx.now()),
        author_id=ctx.actor.id)
    kudos = None
    compliment = clean_text(response.kudos, "kudos", required=False,
                            limit=text_limit(Kudos, "message"))
    if compliment:
        customer = session.get(Customer, ticket.customer_id)
        owner = session.get(Agent, ticket.owner_id) if ticket.owner_id else None
        kudos = Kudos(source=KudosSource.CUSTOMER,
                      from_name=customer.name if customer else "a customer", message=compliment,
                      about_agent_id=ticket.owner_id, team_id=owner.team_id if owner else None,
                      customer_id=ticket.customer_id,
                      ticket_id=ticket.id, feedback_id=feedback.id, author_id=ctx.actor.id,
                      created_at=feedback.received_at)
    return feedback, kudos


def _write(session: Session, ctx: ServiceContext, feedback: Feedback, kudos: Kudos | None
           ) -> None:
    session.add(feedback)
    session.flush()
    record(session, "feedback", feedback, author_id=ctx.actor.id)
    if kudos is not None:
        session.add(kudos)
        session.flush()
        record(session, "kudos", kudos, author_id=ctx.actor.id)


def record_feedback(ctx: ServiceContext, response: Response, *, source: str = "import"
                    ) -> Feedback:
    """Record one response (leads and admins: feedback steers the desk)."""
    ctx.require_lead("record customer feedback")
    with ctx.store.transaction() as session:
        feedback, kudos = _build(ctx, session, response, source)
        _write(session, ctx, feedback, kudos)
    return feedback


def import_csv(ctx: ServiceContext, path: Path) -> ImportReport:
    """Import a CSV of responses: good rows kept (one transaction), bad rows reported."""
    ctx.require_lead("import customer feedback")
    rows = _read_rows(path)
    report = ImportReport()
    with ctx.store.transaction() as session:
        for line, row in rows:
            try:
                with session.begin_nested():
                    feedback, kudos = _build(ctx, session, _response(row), "import")
                    _write(session, ctx, feedback, kudos)
            except DeskError as error:
                report.bad.append((line, error.message))
                continue
            report.imported += 1
            report.kudos += kudos is not None
    return report


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InvalidInput(f"no file {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a directory, not a CSV file") from None
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    with handle:
        try:
            reader = csv.reader(handle)
            header = [name.strip().lower() for name in next(reader, [])]
            if "ticket" not in header or "csat" not in header:
                raise InvalidInput(f"{path} needs a header row with at least the columns "
                                   "ticket and csat")
            unknown = [name for name in header if name and name not in COLUMNS]
            if unknown:
                raise InvalidInput(f"{path} has unknown column(s) {', '.join(unknown)}; "
                                   f"known: {', '.join(COLUMNS)}")
            rows: list[tuple[int, dict[str, str]]] = []
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise InvalidInput(f"{path} has more than {MAX_ROWS:,} rows; split it")
                rows.append((reader.line_num, dict(zip(header, values, strict=False))))
        except UnicodeDecodeError:
            raise InvalidInput(f"{path} is not UTF-8 text") from None
        except csv.Error as error:
            raise InvalidInput(f"{path} is not a readable CSV file: {error}") from None
    return rows


def _response(row: dict[str, str]) -> Response:
    return Response(ticket=row.get("ticket", ""), csat=row.get("csat"),
                    drivers={d: row.get(d) for d in DRIVERS if d in row},
                    comment=row.get("comment"), received_at=row.get("received_at"),
                    kudos=row.get("kudos"))
