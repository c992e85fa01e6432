"""Customer feedback intake: one response, or a CSV file of them.

A response names its ticket and carries the overall satisfaction (CSAT 1-5) and, where
the survey asked, the seven driver scores (1-5 each) and a comment. A compliment in the
response (the `kudos` column), or else the top CSAT score, is shared on the kudos feed
for the whole desk, about the ticket's owner.

The CSV import keeps every good row and reports each bad one with its line number:
the good rows are written in one transaction, the bad ones not at all. A row with more
fields than the header is bad (a comma in an unquoted comment would otherwise shift or
cut the row silently); empty trailing fields are not (spreadsheets write them).

What identifies a response (`same_response`, the one home of the rule, for the import,
`record_feedback` and the server's intake alike): its ticket, its CSAT, its driver
scores, its comment and the time it was received. The same response imported twice
counts once: the second is reported as already recorded (the API answers 409), not
added. A response without a time (no `received_at`) is the same as an earlier one on
that ticket with the same answers, at whatever time that one came in: a re-import of a
file without times is otherwise indistinguishable from new answers.

The file may be comma- or semicolon-separated (Excel in a Dutch locale writes `;`, and
a decimal comma: a score `4,0` reads as 4), with or without a UTF-8 byte-order mark.

CSV columns (a header row is required; names are case-insensitive, order is free):
`ticket` (SD-1042 or the ticket id; required), `csat` (1-5; required), `reliability`,
`empathy`, `customer_focus`, `customer_knowledge`, `waiting_time`, `accessibility`,
`phone_menu` (1-5 or empty), `comment`, `received_at` (ISO 8601, UTC when no offset is
given; default: now), `kudos` (a compliment to share).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from deskterm.domain import Agent, Feedback, Kudos, Ticket
from deskterm.domain.customers import Customer
from deskterm.domain.enums import KudosSource
from deskterm.domain.errors import Conflict, DeskError, InvalidInput
from deskterm.domain.feedback import DRIVERS, FeedbackResponse
from deskterm.domain.keys import ticket_key
from deskterm.domain.types import HIGHEST_SCORE, LOWEST_SCORE
from deskterm.i18n import _, formats, ngettext
from deskterm.i18n.formats import local, number
from deskterm.services.context import ServiceContext
from deskterm.services.lookup import find_ticket
from deskterm.store.outbox import record

_FIRST = ("ticket", "csat")
#: The columns a feedback CSV may have (a response's fields); `ticket` and `csat` are required.
COLUMNS = (*_FIRST, *(name for name in FeedbackResponse.model_fields if name not in _FIRST))
MAX_ROWS = 100_000
MAX_FILE_BYTES = 20 * 1024 * 1024

#: The kudos message of a response that gave the top score without a compliment's words.
TOP_SCORE_KUDOS = f"Rated the help {HIGHEST_SCORE} out of {HIGHEST_SCORE}"


@dataclass
class ImportReport:
    imported: int = 0
    kudos: int = 0
    #: Rows already recorded (imported before, or twice in the file): counted once.
    duplicates: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)


def parse_response(values: Mapping[str, Any]) -> FeedbackResponse:
    """A response from loose values (a CSV row, a form); InvalidInput saying what is wrong.

    The API gets the same model from FastAPI, which reports a refusal its own way (422).
    """
    try:
        return FeedbackResponse.model_validate(dict(values))
    except ValidationError as error:
        raise InvalidInput(_sentence(error.errors()[0])) from None


def _sentence(problem: Any) -> str:
    """One pydantic error as a sentence a person understands."""
    name = ".".join(str(part) for part in problem["loc"]) or "response"
    label = name.replace("_", " ")
    given = problem.get("input")
    kind = problem["type"]
    score = name in ("csat", *DRIVERS)
    scores = {"lowest": LOWEST_SCORE, "highest": HIGHEST_SCORE}
    # TRANSLATORS: {field} is a CSV column or form field, as named in the file: "csat",
    # "waiting time", "comment".
    if kind == "missing" and score:
        return _("{field} is required ({lowest} to {highest})").format(field=label, **scores)
    if kind == "missing":
        return _("{field} is required").format(field=label)
    if kind == "extra_forbidden":
        return _("unknown field {field}; known: {known}").format(field=name,
                                                                 known=", ".join(COLUMNS))
    if score and kind in ("greater_than_equal", "less_than_equal"):
        return _("{field} {given} is out of range; use {lowest} to {highest}").format(
            field=label, given=given, **scores)
    if score:
        return _("{field} must be a whole number from {lowest} to {highest}, not '{given}'"
                 ).format(field=label, given=given, **scores)
    if kind == "string_too_long":
        return _("{field} is too long ({count} characters; at most {limit})").format(
            field=label, count=number(len(str(given))),
            limit=number(problem["ctx"]["max_length"]))
    if name == "received_at":
        return _("received_at '{given}' is not an ISO 8601 time with its UTC offset").format(
            given=given)
    return f"{label}: {problem['msg']}"


def feedback_rows(session: Session, response: FeedbackResponse, *, author_id: str,
                  now: datetime, source: str) -> tuple[Feedback, Kudos | None]:
    """The rows a response makes: its feedback, and a kudos when it carries a compliment
    (about the ticket's owner, shared on the feed). Not yet written: the desk's services
    record them in its store, the server's intake logs them as the server.

    The one place a response becomes rows, for the CSV import, `record_feedback` and the
    API (server.routes.feedback).
    """
    ticket: Ticket = find_ticket(session, response.ticket)
    received = (response.received_at or now).astimezone(UTC)
    if received > now:
        raise InvalidInput(_("received_at is in the future"))
    comment = (response.comment or "").strip() or None
    feedback = Feedback(
        ticket_id=ticket.id, customer_id=ticket.customer_id, agent_id=ticket.owner_id,
        csat=response.csat, **response.model_dump(include=set(DRIVERS)),
        comment=comment, source=source, received_at=received, author_id=author_id)
    earlier = same_response(session, feedback, timed=response.received_at is not None)
    if earlier is not None:
        raise DuplicateResponse(
            _("this response is already recorded (ticket {key}, CSAT {csat}, received "
              "{moment})").format(key=ticket_key(ticket.number, ticket.id), csat=feedback.csat,
                                  moment=formats.date_time(local(earlier.received_at),
                                                           year=True)))
    compliment = (response.kudos or "").strip()
    if not compliment and response.csat == HIGHEST_SCORE:
        compliment = TOP_SCORE_KUDOS  # a top score is a compliment too: the desk sees it
    if not compliment:
        return feedback, None
    customer = session.get(Customer, ticket.customer_id)
    owner = session.get(Agent, ticket.owner_id) if ticket.owner_id else None
    kudos = Kudos(source=KudosSource.CUSTOMER,
                  from_name=customer.name if customer else "a customer", message=compliment,
                  about_agent_id=ticket.owner_id, team_id=owner.team_id if owner else None,
                  customer_id=ticket.customer_id, ticket_id=ticket.id, feedback_id=feedback.id,
                  author_id=author_id, created_at=received)
    return feedback, kudos


class DuplicateResponse(Conflict):
    """The response is already recorded: it counts once."""


def same_response(session: Session, feedback: Feedback, *, timed: bool) -> Feedback | None:
    """The recorded response `feedback` repeats, if any: same ticket, CSAT, driver scores
    and comment, and (when `timed`: the response said when it was given) the same time."""
    query = select(Feedback).where(Feedback.ticket_id == feedback.ticket_id,
                                   Feedback.csat == feedback.csat)
    if timed:
        query = query.where(Feedback.received_at == feedback.received_at)
    for field_name in (*DRIVERS, "comment"):
        column = getattr(Feedback, field_name)
        value = getattr(feedback, field_name)
        query = query.where(column.is_(None) if value is None else column == value)
    return session.exec(query.limit(1)).first()


def _write(session: Session, ctx: ServiceContext, feedback: Feedback, kudos: Kudos | None
           ) -> None:
    session.add(feedback)
    session.flush()
    record(session, "feedback", feedback, author_id=ctx.actor.id)
    if kudos is not None:
        session.add(kudos)
        session.flush()
        record(session, "kudos", kudos, author_id=ctx.actor.id)


def record_feedback(ctx: ServiceContext, response: FeedbackResponse, *,
                    source: str = "import") -> Feedback:
    """Record one response (leads and admins: feedback steers the desk)."""
    ctx.require_lead(_("only a team lead or admin may record customer feedback"))
    with ctx.store.transaction() as session:
        feedback, kudos = feedback_rows(session, response, author_id=ctx.actor.id,
                                        now=ctx.now(), source=source)
        _write(session, ctx, feedback, kudos)
    return feedback


def import_csv(ctx: ServiceContext, path: Path) -> ImportReport:
    """Import a CSV of responses: good rows kept (one transaction), bad rows reported."""
    ctx.require_lead(_("only a team lead or admin may import customer feedback"))
    rows = _read_rows(path)
    report = ImportReport()
    with ctx.store.transaction() as session:
        for line, row in rows:
            if isinstance(row, str):
                report.bad.append((line, row))
                continue
            try:
                with session.begin_nested():
                    feedback, kudos = feedback_rows(
                        session, _response(row), author_id=ctx.actor.id, now=ctx.now(),
                        source="import")
                    _write(session, ctx, feedback, kudos)
            except DuplicateResponse:
                report.duplicates += 1
                continue
            except DeskError as error:
                report.bad.append((line, error.message))
                continue
            report.imported += 1
            report.kudos += kudos is not None
    return report


def _read_rows(path: Path) -> list[tuple[int, dict[str, str] | str]]:
    """The file's rows with the line each starts on: the values by column, or why the row
    cannot be read (more fields than the header)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(_("{path} is larger than {size} MB").format(
                path=path, size=MAX_FILE_BYTES // (1024 * 1024)))
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InvalidInput(_("no file {path}").format(path=path)) from None
    except IsADirectoryError:
        raise InvalidInput(_("{path} is a directory, not a CSV file").format(path=path)) from None
    except OSError as error:
        raise InvalidInput(_("cannot read {path}: {error}").format(path=path,
                                                              error=error.strerror)) from None
    with handle:
        try:
            first = handle.readline()
            handle.seek(0)
            # Excel in a Dutch (or German, French...) locale separates with ';'.
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(handle, delimiter=delimiter)
            header = [name.strip().lower() for name in next(reader, [])]
            while header and not header[-1]:
                header.pop()  # empty trailing columns, as spreadsheets write them
            if "ticket" not in header or "csat" not in header:
                raise InvalidInput(_("{path} needs a header row with at least the columns "
                                     "ticket and csat").format(path=path))
            unknown = [name for name in header if name and name not in COLUMNS]
            if unknown:
                raise InvalidInput(ngettext(
                    "{path} has an unknown column {unknown}; known: {known}",
                    "{path} has unknown columns {unknown}; known: {known}", len(unknown)
                ).format(path=path, unknown=", ".join(unknown), known=", ".join(COLUMNS)))
            rows: list[tuple[int, dict[str, str] | str]] = []
            ended = reader.line_num
            for values in reader:
                start, ended = ended + 1, reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise InvalidInput(_("{path} has more than {count} rows; split it")
                                       .format(path=path, count=number(MAX_ROWS)))
                extra = [v for v in values[len(header):] if v.strip()]
                if extra:
                    rows.append((start, _("{count} fields, but the header has {header}: is "
                                          "a '{delimiter}' in a value not quoted?").format(
                        count=len(values), header=len(header), delimiter=delimiter)))
                    continue
                rows.append((start, dict(zip(header, values, strict=False))))
        except UnicodeDecodeError:
            raise InvalidInput(_("{path} is not UTF-8 text").format(path=path)) from None
        except csv.Error as error:
            raise InvalidInput(_("{path} is not a readable CSV file: {error}").format(
                path=path, error=error)) from None
    return rows


def _whole(score: str) -> str:
    """A score as a spreadsheet may write it: `4,0` or `4.0` is 4 (anything else is left
    for the model to refuse, so `4,5` is still "not a whole number")."""
    text = score.strip()
    whole, _mark, fraction = text.replace(",", ".").partition(".")
    return whole if fraction and whole.isdigit() and not fraction.strip("0") else text


def _response(row: dict[str, str]) -> FeedbackResponse:
    """A CSV row as a response. A CSV cell is text: an empty one is no value, and a time
    written without an offset is UTC (survey tools export them so)."""
    values: dict[str, Any] = {name: text for name, text in row.items()
                              if name and text is not None and text.strip()}
    for name in ("csat", *DRIVERS):
        if name in values:
            values[name] = _whole(values[name])
    when = values.get("received_at")
    if when is not None:
        try:
            moment = datetime.fromisoformat(when.strip().replace("Z", "+00:00"))
        except ValueError:
            pass  # the model says what is wrong with it
        else:
            values["received_at"] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return parse_response(values)
