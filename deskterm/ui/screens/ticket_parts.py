"""How the ticket screen reads: a ticket's facts, escalation, trail and contacts as rich text."""

from __future__ import annotations

from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from deskterm.domain import Agent, Contact
from deskterm.domain.enums import Channel, Direction, TicketStatus
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.present import ago, local_time
from deskterm.services.replies import MailState
from deskterm.services.ticket_views import TicketDetail
from deskterm.store.queries import TicketRow
from deskterm.ui.widgets.history.lines import delivery_state
from deskterm.ui.widgets.markdown import markdown_text


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
    return f"{agent.name} (@{agent.handle})" if agent else _("nobody")


def when(moment: datetime | None, now: datetime) -> str:
    return f"{local_time(moment)}  ({ago(moment, now)})" if moment else "—"


def title(detail: TicketDetail) -> Text:
    ticket = detail.ticket
    return Text.assemble((ticket.key, "bold"), "  ", (ticket.subject, "bold"))


def facts(detail: TicketDetail, now: datetime) -> RenderableType:
    """Status, priority, kind, department, customer, owner and the times, two to a line."""
    ticket, customer = detail.ticket, detail.customer
    status = ticket.status.label
    if ticket.status == TicketStatus.ESCALATED and ticket.resolver_tier:
        status = _("{status} → tier {tier}").format(status=status,
                                                    tier=int(ticket.resolver_tier))
    pairs = [
        (_("Status"), status),
        (_("Priority"), f"{ticket.priority} {ticket.priority.label}"),
        (_("Kind"), ticket.kind.label.lower()),
        (_("Department"), detail.department.name if detail.department else "—"),
        (_("Customer"), customer.name + (f" <{customer.email}>" if customer.email else "")),
        (_("Owner"), person(detail.owner)),
        (_("Created"), when(ticket.created_at, now)),
        (_("Updated"), when(ticket.updated_at, now)),
    ]
    if ticket.resolved_at:
        pairs.append((_("Resolved"), when(ticket.resolved_at, now)))
    if ticket.escalated_at and ticket.status != TicketStatus.ESCALATED:
        # TRANSLATORS: e.g. "to Network (tier 2) 3 days ago".
        pairs.append((_("Was escalated"), _("to {group} (tier {tier}) {ago}").format(
            group=ticket.resolver_group, tier=int(ticket.resolver_tier or 2),
            ago=ago(ticket.escalated_at, now))))
    grid = Table.grid(padding=(0, 2), expand=True)
    for _column in range(2):
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
        (_("Escalated to {group} (tier {tier})").format(
            group=ticket.resolver_group or "?", tier=int(ticket.resolver_tier or 2)), "bold"),
        f" · {ago(ticket.escalated_at, now)}" if ticket.escalated_at else "",
    )
    if ticket.escalation_reason:
        text.append("\n")
        text.append(_("Reason:"), style="dim")
        text.append(" ")
        text.append(ticket.escalation_reason)
    text.append("\n")
    text.append(_("{person} stays the customer's contact while the resolver group works on "
                  "it.").format(person=person(detail.owner)))
    return text


def description(detail: TicketDetail) -> RenderableType:
    """The description as Markdown, as KB articles are (`*text*` in italics), its lines
    as typed."""
    return markdown_text(detail.ticket.description) if detail.ticket.description.strip() \
        else Text(_("no description"), style="dim italic")


def resolution(detail: TicketDetail) -> Text | None:
    ticket = detail.ticket
    if not ticket.resolution:
        return None
    text = Text(ticket.resolution)
    if ticket.first_contact_resolution:
        text.append("\n✓ " + _("resolved at first contact"), style="bold")
    else:
        text.append("\n" + _("not resolved at first contact"), style="dim")
    return text


def log(lines: list[tuple[datetime, str, str, str | Text]], empty: str) -> RenderableType:
    """Lines of (when, what, who, detail) as aligned columns; the detail wraps under itself."""
    if not lines:
        return Text(empty, style="dim italic")
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    for moment, what, who, detail in lines:
        grid.add_row(local_time(moment), what, who,
                     Text(detail) if isinstance(detail, str) else detail)
    return grid


def who(agent_id: str | None, handles: dict[str, str]) -> str:
    return f"@{handles[agent_id]}" if agent_id in handles else "—"


def trail(detail: TicketDetail, handles: dict[str, str]) -> RenderableType:
    """The ticket's events, newest first."""
    return log([(event.created_at, event.kind.label,
                 who(event.agent_id, handles), event.detail)
                for event in reversed(detail.events)], _("nothing happened yet"))


def articles(detail: TicketDetail) -> Text:
    text = Text()
    for article in detail.articles:
        if text:
            text.append("\n")
        text.append("• ")
        text.append(article.title)
        text.append(f"  v{article.version}", style="dim")
    # TRANSLATORS: l is the key that links an article; it stays as it is.
    return text or Text(_("no articles linked (link one from the knowledge base with l)"),
                        style="dim italic")


def contacts(detail: TicketDetail, handles: dict[str, str],
             mails: dict[str, MailState] | None = None) -> RenderableType:
    """The ticket's contacts with the customer, newest first; a mail with its subject, an
    outbound one with its delivery state, an inbound one with its attachments."""
    mails = mails or {}
    return log([(contact.occurred_at,
                 f"{contact.channel.label} {contact.direction.label}",
                 who(contact.agent_id, handles), _contact_text(contact, mails.get(contact.id)))
                for contact in detail.contacts], _("no contacts logged on this ticket"))


def _contact_text(contact: Contact, state: MailState | None) -> str | Text:
    if contact.channel != Channel.EMAIL:
        return contact.summary
    text = Text()
    if contact.direction == Direction.OUTBOUND:
        words, style = delivery_state(state)
        text.append(words, style=RICH_STYLES[style])
        text.append("\n")
    if contact.subject:
        text.append(contact.subject, style="bold")
        text.append("\n")
    text.append(contact.summary)
    for attachment in state.attachments if state else ():
        text.append("\n")
        # TRANSLATORS: an attachment of a mail: its file name and size ("report.pdf, 1.2 MB").
        text.append(_("📎 {name}, {size}").format(name=attachment.filename,
                                                   size=file_size(attachment.size)),
                    style="dim")
    return text


#: The history pane's Textual styles for a delivery state, as Rich styles here.
RICH_STYLES = {"$text-muted": "dim", "$success": "green", "$warning": "yellow",
               "bold $error": "bold red"}


def file_size(size: int) -> str:
    """A file's size as people read it: `512 bytes`, `12.5 kB`, `3.4 MB` (decimal units)."""
    if size < 1000:
        return ngettext("{count} byte", "{count} bytes", size).format(count=number(size))
    if size < 1_000_000:
        return _("{size} kB").format(size=number(size / 1000, 1))
    return _("{size} MB").format(size=number(size / 1_000_000, 1))
