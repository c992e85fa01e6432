"""Tables that more than one command prints: tickets, contacts and goodwill ledger entries."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from deskterm.cli.runtime import Run
from deskterm.domain import Contact, GoodwillEntry
from deskterm.domain.enums import LedgerKind, Priority, TicketStatus
from deskterm.i18n import _
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
        shown = (_("returned←{group}").format(group=shown_group) if shown_group
                 else _("returned"))
        return Text(shown,
                    style="bold yellow")
    if status == TicketStatus.ESCALATED and tier is not None:
        return Text(_("escalated→T{tier} {group}").format(tier=int(tier),
                                                          group=shown_group or "").rstrip(),
                    style="magenta")
    return Text(status.label, style="" if status.is_open else "dim")


def tickets(run: Run, rows: Iterable[TicketRow], *, title: str | None = None,
            empty: str | None = None) -> None:
    """Tickets with the queue's columns; a GROUP column (the resolver group) only when a
    ticket has one, so a queue without escalations spends no width on it."""
    rows = list(rows)
    grouped = any(row.resolver_group for row in rows)
    columns = [_("KEY"), _("P"), _("STATUS"), *([_("GROUP")] if grouped else []), _("SUBJECT"),
               _("CUSTOMER"), _("OWNER"), _("DEPT"), _("AGE>"), _("CONTACT>")]
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


def contacts(run: Run, found: Iterable[Contact], *, title: str | None = None,
             empty: str | None = None) -> None:
    """Contacts, in the order given (newest first, as services return them)."""
    run.out.table(
        [_("WHEN"), _("AGO>"), _("CHANNEL"), _("DIRECTION"), _("AGENT"), _("SUMMARY")],
        ([local_time(c.occurred_at), age(c.occurred_at), c.channel.label, c.direction.label,
          run.handle_of(c.agent_id), c.summary] for c in found),
        title=title or _("Contacts"), empty=empty or _("none"),
    )


def ledger(run: Run, entries: Iterable[GoodwillEntry], *, title: str | None = None,
           empty: str | None = None) -> None:
    """Ledger entries with the short ids `goodwill reverse` accepts."""
    run.out.table(
        [_("ENTRY"), _("WHEN"), _("PERIOD"), _("KIND"), _("AMOUNT>"), _("BUDGET"), _("BY"),
         _("REASON")],
        ([short_id(e.id), local_time(e.created_at), e.period,
          Text(_("{kind} of {entry}").format(kind=e.kind.label, entry=short_id(e.reverses_id))
               if e.reverses_id else e.kind.label,
               style=_KIND_STYLE[e.kind]),
          str(e.amount), run.handle_of(e.budget_agent_id), run.handle_of(e.author_id),
          e.reason] for e in entries),
        title=title, empty=_("no entries") if empty is None else empty,
    )


def responses(run: Run, found: Iterable[Response], *, title: str | None = None,
              empty: str | None = None, with_ticket: bool = False) -> None:
    """Customer feedback responses: CSAT, the drivers answered, the comment, follow-up."""
    def followed(r: Response) -> str:
        if r.followed_up_at is None:
            return _("to follow up") if r.unhappy else ""
        return _("followed up by {agent} {when}").format(agent=r.followed_up_by or "?",
                                                          when=local_time(r.followed_up_at))

    run.out.table(
        [_("ID"), _("RECEIVED"), *([_("TICKET")] if with_ticket else []), _("CSAT>"), _("DRIVERS"),
         _("COMMENT"), _("FOLLOW-UP")],
        ([short_id(r.feedback.id), local_time(r.feedback.received_at),
          *([r.ticket_key] if with_ticket else []),
          Text(f"{r.feedback.csat}/5", style="bold red" if r.feedback.csat <= 2 else ""),
          drivers_text(r.feedback), r.feedback.comment, followed(r)] for r in found),
        title=title, empty=empty)
