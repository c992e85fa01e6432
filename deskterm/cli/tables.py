"""Tables that more than one command prints: tickets, contacts and goodwill ledger entries."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from deskterm.cli.runtime import Run
from deskterm.domain import Contact, GoodwillEntry
from deskterm.domain.enums import LedgerKind, Priority, TicketStatus
from deskterm.present import age, local_time
from deskterm.services.feedback_loop import Response, drivers_text
from deskterm.services.lookup import short_id
from deskterm.store.queries import TicketRow

_PRIORITY_STYLE = {Priority.P1: "bold red", Priority.P2: "yellow"}
_KIND_STYLE = {LedgerKind.ALLOCATION: "green", LedgerKind.SPEND: "", LedgerKind.REVERSAL: "cyan"}


def status_text(status: TicketStatus, tier: int | None, group: str | None, *,
                returned: bool = False, with_group: bool = True) -> Text:
    """A ticket's status; while escalated, with the line (and group) working on it;
    once handed back, `returned` (the customer is still to be told). A table leaves the
    group out (`with_group=False`) and gives it a column of its own, so STATUS stays as
    narrow as a status."""
    shown_group = group if with_group else None
    if returned:
        return Text(f"returned←{shown_group}" if shown_group else "returned",
                    style="bold yellow")
    if status == TicketStatus.ESCALATED and tier is not None:
        return Text(f"escalated→T{int(tier)} {shown_group or ''}".rstrip(), style="magenta")
    return Text(status.value, style="" if status.is_open else "dim")


def tickets(run: Run, rows: Iterable[TicketRow], *, title: str | None = None,
            empty: str = "none") -> None:
    """Tickets with the queue's columns; a GROUP column (the resolver group) only when a
    ticket has one, so a queue without escalations spends no width on it."""
    rows = list(rows)
    grouped = any(row.resolver_group for row in rows)
    columns = ["KEY", "P", "STATUS", *(["GROUP"] if grouped else []), "SUBJECT", "CUSTOMER",
               "OWNER", "DEPT", "AGE>", "CONTACT>"]
    run.out.table(
        columns,
        ([Text(row.key, style="bold"),
          Text(str(row.priority), style=_PRIORITY_STYLE.get(row.priority, "")),
          status_text(row.status, row.resolver_tier, row.resolver_group, with_group=False),
          *([row.resolver_group or ""] if grouped else []), row.subject,
          row.customer, row.owner or Text("—", style="dim"), row.department,
          age(row.created_at), age(row.last_contact_at)] for row in rows),
        title=title, empty=empty,
    )


def contacts(run: Run, found: Iterable[Contact], *, title: str = "Contacts",
             empty: str = "none") -> None:
    """Contacts, in the order given (newest first, as services return them)."""
    run.out.table(
        ["WHEN", "AGO>", "CHANNEL", "DIRECTION", "AGENT", "SUMMARY"],
        ([local_time(c.occurred_at), age(c.occurred_at), c.channel.value, c.direction.value,
          run.handle_of(c.agent_id), c.summary] for c in found),
        title=title, empty=empty,
    )


def ledger(run: Run, entries: Iterable[GoodwillEntry], *, title: str | None = None,
           empty: str = "no entries") -> None:
    """Ledger entries with the short ids `goodwill reverse` accepts."""
    run.out.table(
        ["ENTRY", "WHEN", "PERIOD", "KIND", "AMOUNT>", "BUDGET", "BY", "REASON"],
        ([short_id(e.id), local_time(e.created_at), e.period,
          Text(e.kind.value + (f" of {short_id(e.reverses_id)}" if e.reverses_id else ""),
               style=_KIND_STYLE[e.kind]),
          str(e.amount), run.handle_of(e.budget_agent_id), run.handle_of(e.author_id),
          e.reason] for e in entries),
        title=title, empty=empty,
    )


def responses(run: Run, found: Iterable[Response], *, title: str | None = None,
              empty: str = "none", with_ticket: bool = False) -> None:
    """Customer feedback responses: CSAT, the drivers answered, the comment, follow-up."""
    def followed(r: Response) -> str:
        if r.followed_up_at is None:
            return "to follow up" if r.unhappy else ""
        return f"followed up by {r.followed_up_by or '?'} {local_time(r.followed_up_at)}"

    run.out.table(
        ["ID", "RECEIVED", *(["TICKET"] if with_ticket else []), "CSAT>", "DRIVERS",
         "COMMENT", "FOLLOW-UP"],
        ([short_id(r.feedback.id), local_time(r.feedback.received_at),
          *([r.ticket_key] if with_ticket else []),
          Text(f"{r.feedback.csat}/5", style="bold red" if r.feedback.csat <= 2 else ""),
          drivers_text(r.feedback), r.feedback.comment, followed(r)] for r in found),
        title=title, empty=empty)
