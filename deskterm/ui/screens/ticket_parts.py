"""How the ticket screen reads: a ticket's facts, escalation, trail and contacts as rich text."""

from __future__ import annotations

from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from deskterm.domain import Agent
from deskterm.domain.enums import TicketStatus
from deskterm.present import ago, local_time
from deskterm.services.ticket_views import TicketDetail
from deskterm.store.queries import TicketRow
from deskterm.ui.widgets.markdown import markdown_text

PRIORITY_WORDS = {1: "urgent", 2: "high", 3: "normal", 4: "low"}


def row_of(detail: TicketDetail) -> TicketRow:
    """The ticket as the queue lists it: what the ticket actions take."""
    ticket = detail.ticket
    return TicketRow(
        id=ticket.id, number=ticket.number, subject=ticket.subject,
        customer_id=ticket.customer_id, customer=detail.customer.name, status=ticket.status,
        priority=ticket.priority, owner=detail.owner.handle if detail.owner else None,
        department=detail.department.code if detail.department else None,
        resolver_tier=int(ticket.resolver_tier) if ticket.resolver_tier else None,
        resolver_group=ticket.resolver_group, created_at=ticket.created_at,
        updated_at=ticket.updated_at, last_contact_at=ticket.last_contact_at,
    )


def person(agent: Agent | None) -> str:
    return f"{agent.name} (@{agent.handle})" if agent else "nobody"


def when(moment: datetime | None, now: datetime) -> str:
    return f"{local_time(moment)}  ({ago(moment, now)})" if moment else "—"


def title(detail: TicketDetail) -> Text:
    ticket = detail.ticket
    return Text.assemble((ticket.key, "bold"), "  ", (ticket.subject, "bold"))


def facts(detail: TicketDetail, now: datetime) -> RenderableType:
    """Status, priority, kind, department, customer, owner and the times, two to a line."""
    ticket, customer = detail.ticket, detail.customer
    status = ticket.status.value
    if ticket.status == TicketStatus.ESCALATED and ticket.resolver_tier:
        status += f" → tier {int(ticket.resolver_tier)}"
    pairs = [
        ("Status", status),
        ("Priority", f"{ticket.priority} {PRIORITY_WORDS[int(ticket.priority)]}"),
        ("Kind", ticket.kind.value),
        ("Department", detail.department.name if detail.department else "—"),
        ("Customer", customer.name + (f" <{customer.email}>" if customer.email else "")),
        ("Owner", person(detail.owner)),
        ("Created", when(ticket.created_at, now)),
        ("Updated", when(ticket.updated_at, now)),
    ]
    if ticket.resolved_at:
        pairs.append(("Resolved", when(ticket.resolved_at, now)))
    if ticket.escalated_at and ticket.status != TicketStatus.ESCALATED:
        pairs.append(("Was escalated", f"to {ticket.resolver_group} (tier "
                      f"{int(ticket.resolver_tier or 2)}) {ago(ticket.escalated_at, now)}"))
    grid = Table.grid(padding=(0, 2), expand=True)
    for _ in range(2):
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
    for index in range(0, len(pairs), 2):
        left, right = pairs[index], pairs[index + 1] if index + 1 < len(pairs) else ("", "")
        grid.add_row(left[0], Text(left[1]), right[0], Text(right[1]))
    return grid


def escalation(detail: TicketDetail, now: datetime) -> Text | None:
    """While escalated: where to, how long ago, why, and who stays the customer's contact."""
    ticket = detail.ticket
    if ticket.status != TicketStatus.ESCALATED:
        return None
    text = Text.assemble(
        ("Escalated to ", "bold"), (ticket.resolver_group or "?", "bold"),
        (f" (tier {int(ticket.resolver_tier or 2)})", "bold"),
        f" · {ago(ticket.escalated_at, now)}" if ticket.escalated_at else "",
    )
    if ticket.escalation_reason:
        text.append("\nReason: ", style="dim")
        text.append(ticket.escalation_reason)
    text.append("\n")
    text.append(person(detail.owner), style="bold")
    text.append(" stays the customer's contact while the resolver group works on it.")
    return text


def description(detail: TicketDetail) -> RenderableType:
    """The description as Markdown, as KB articles are (`*text*` in italics), its lines
    as typed."""
    return markdown_text(detail.ticket.description) if detail.ticket.description.strip() \
        else Text("no description", style="dim italic")


def resolution(detail: TicketDetail) -> Text | None:
    ticket = detail.ticket
    if not ticket.resolution:
        return None
    text = Text(ticket.resolution)
    if ticket.first_contact_resolution:
        text.append("\n✓ resolved at first contact", style="bold")
    else:
        text.append("\nnot resolved at first contact", style="dim")
    return text


def log(lines: list[tuple[datetime, str, str, str]], empty: str) -> RenderableType:
    """Lines of (when, what, who, detail) as aligned columns; the detail wraps under itself."""
    if not lines:
        return Text(empty, style="dim italic")
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    for moment, what, who, detail in lines:
        grid.add_row(local_time(moment), what, who, Text(detail))
    return grid


def who(agent_id: str | None, handles: dict[str, str]) -> str:
    return f"@{handles[agent_id]}" if agent_id in handles else "—"


def trail(detail: TicketDetail, handles: dict[str, str]) -> RenderableType:
    """The ticket's events, newest first."""
    return log([(event.created_at, event.kind.value.replace("_", " "),
                 who(event.agent_id, handles), event.detail)
                for event in reversed(detail.events)], "nothing happened yet")


def articles(detail: TicketDetail) -> Text:
    text = Text()
    for article in detail.articles:
        if text:
            text.append("\n")
        text.append("• ")
        text.append(article.title)
        text.append(f"  v{article.version}", style="dim")
    return text or Text("no articles linked (link one from the knowledge base with l)",
                        style="dim italic")


def contacts(detail: TicketDetail, handles: dict[str, str]) -> RenderableType:
    """The ticket's contacts with the customer, newest first."""
    return log([(contact.occurred_at, f"{contact.channel.value} {contact.direction.value}",
                 who(contact.agent_id, handles), contact.summary)
                for contact in detail.contacts], "no contacts logged on this ticket")
