"""The customer pane's lines as text: the card, the repeat banner, promises, goodwill,
contacts.

Self-ratings are private quality data: a contact's rating is shown only to the agent who
gave it, on their own contacts (`contact_lines(..., me=...)`), never to anyone else.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from deskterm.domain import Contact, Customer, GoodwillEntry
from deskterm.domain.enums import Channel, Direction, LedgerKind, TicketStatus
from deskterm.domain.mail import DeliveryStatus
from deskterm.domain.promises import PromiseStatus
from deskterm.i18n import _, ngettext, pgettext
from deskterm.i18n.formats import date_time, day_month, number
from deskterm.present import age, ago, local_time, ordinal, promised
from deskterm.services.contacts import REPEAT_WINDOW
from deskterm.services.replies import MailState
from deskterm.ui.widgets.history.loader import LoadedHistory

#: Where a long reason is cut in the one-line "goodwill given" notice.
REASON_WIDTH = 40

#: Inbound: the customer reached us; outbound: we reached them.
ARROWS = {Direction.INBOUND: "←", Direction.OUTBOUND: "→"}
STATUS_STYLES = {TicketStatus.ESCALATED: "$accent", TicketStatus.WAITING: "$text-muted",
                 TicketStatus.NEW: "bold"}


def short_time(moment: datetime, now: datetime) -> str:
    """A stored UTC time in local time, compactly, as the language writes it: `21 Nov 14:05`
    / `21 nov 14:05`; `3 Mar 2024` / `3 mrt 2024` in other years."""
    local = moment.astimezone()
    if local.year == now.astimezone().year:
        return date_time(local, weekday=False)
    return day_month(local, year=True, weekday=False)


def card(customer: Customer) -> Content:
    """Name, organisation, how to reach them, products as chips, notes dimmed."""
    if customer.erased_at is not None:
        return Content.assemble(
            (_("Erased customer"), "bold"), "\n",
            (_("personal data erased {time}; the history keeps its shape").format(
                time=local_time(customer.erased_at)), "$text-muted italic"),
        )
    parts: list[str | tuple[str, str]] = [(customer.name, "bold")]
    if customer.organisation:
        parts += ["  ", (customer.organisation, "$text-muted")]
    for reach in (customer.email, customer.phone):  # a line each: an email never shares
        if reach:                                    # a line it would break in
            parts += ["\n", reach]
    if customer.products:
        parts.append("\n")
        for index, product in enumerate(customer.products):
            parts += [" " if index else "", (f" {product} ", "$text on $boost")]
    if customer.notes.strip():
        parts += ["\n", (customer.notes.strip(), "$text-muted italic")]
    return Content.assemble(*parts)


def repeat_banner(view: LoadedHistory) -> str | None:
    """"3rd contact in 7 days · last 2 days ago by phone (alex)", for a repeat contact."""
    found = view.history
    # The count is of the customer's own contacts: "last" is the last of those too.
    last = next((c for c in found.contacts if c.direction == Direction.INBOUND),
                found.last_contact)
    if not found.is_repeat or last is None:
        return None
    # TRANSLATORS: the repeat-contact banner: "⚠ 3rd contact in 7 days · last 2 days ago by
    # phone (alex)"; {when} is a relative time ("2 days ago").
    return _("⚠ {ordinal} contact in {days} days · last {when} by {channel} ({agent})").format(
        ordinal=ordinal(found.contacts_last_7_days), days=REPEAT_WINDOW.days,
        when=ago(last.occurred_at, view.now), channel=Channel(last.channel).label,
        agent=view.handle(last.agent_id))


#: How a promise line looks by the promise's state (open ones plain).
PROMISE_STYLES = {PromiseStatus.BROKEN: "bold $error", PromiseStatus.DUE_SOON: "$warning"}


def promise_lines(view: LoadedHistory, now: datetime | None = None) -> Content | None:
    """`SD-1042 promised: call back by Thu 12:00`, one line per promise not kept yet,
    soonest first; a broken one marked, and red. Their state at `now` (None: when the
    history was read). None when there are none."""
    if not view.promises:
        return None
    at = now or view.now
    lines = []
    for line in view.promises:
        style = PROMISE_STYLES.get(line.promise.status_at(at), "")
        lines.append(Content.assemble((f"{line.ticket_key} ", "$text-muted"),
                                      (promised(line.promise, at), style)))
    return Content("\n").join(lines)


def standing_spends(entries: list[GoodwillEntry]) -> list[GoodwillEntry]:
    """The spends that no reversal cancelled, in the order given (newest first)."""
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    return [e for e in entries if e.kind == LedgerKind.SPEND and e.id not in reversed_ids]


def goodwill_given(view: LoadedHistory) -> str | None:
    """"Goodwill given: €35.00 (2 spends, latest 3 days ago by morgan: Flowers…)", or None."""
    found = view.history
    if not found.goodwill_entries:
        return None
    spends = standing_spends(found.goodwill_entries)
    if not spends:
        return _("Goodwill given: none (every spend on this customer was reversed)")
    latest = spends[0]
    reason = latest.reason if len(latest.reason) <= REASON_WIDTH \
        else latest.reason[: REASON_WIDTH - 1] + "…"
    return ngettext("Goodwill given: {amount} ({count} spend, latest {when} by {agent}: "
                    "{reason})",
                    "Goodwill given: {amount} ({count} spends, latest {when} by {agent}: "
                    "{reason})", len(spends)).format(
        amount=found.goodwill_given, count=number(len(spends)),
        when=ago(latest.created_at, view.now), agent=view.handle(latest.author_id),
        reason=reason)


def other_open_tickets(view: LoadedHistory, selected_id: str | None) -> Content:
    """The customer's open tickets other than the selected one: key, status, subject."""
    others = [t for t in view.history.open_tickets if t.id != selected_id]
    if not others:
        return Content.styled(_("No other open tickets"), "$text-muted")
    lines = [Content.styled(_("Other open tickets ({count})").format(count=number(len(others))),
                            "bold $text-muted")]
    for ticket in others:
        lines.append(Content.assemble(
            (f"{ticket.key:<9}", "bold"), " ",
            (f"{TicketStatus(ticket.status).label:<9}", STATUS_STYLES.get(ticket.status, "")), " ",
            ticket.subject,
        ))
    return Content("\n").join(lines)


def contact_lines(view: LoadedHistory, *, me: str, selected_id: str | None) -> Content:
    """Every contact, newest first: direction and channel, when, who, ticket, summary."""
    found = view.history
    shown = len(found.contacts)
    if shown < found.total_contacts:
        heading = _("Contacts ({count} · newest {shown})").format(
            count=number(found.total_contacts), shown=number(shown))
    else:
        heading = _("Contacts ({count})").format(count=number(found.total_contacts))
    if not found.contacts:
        return Content.styled(_("No contacts logged yet"), "$text-muted")
    lines = [Content.styled(heading, "bold $text-muted")]
    for contact in found.contacts:
        lines.append(_contact(view, contact, me=me, selected_id=selected_id))
    return Content("\n\n").join(lines)


def _contact(view: LoadedHistory, contact: Contact, *, me: str, selected_id: str | None
             ) -> Content:
    """`← phone  21 Nov 14:05 (2d)`, then `alex · SD-1042`, then the summary; a mail
    with its subject above it, and an outbound one with its delivery state."""
    parts: list[str | tuple[str, str]] = [
        (f"{ARROWS[contact.direction]} {Channel(contact.channel).label}", "bold"), "  ",
        (f"{short_time(contact.occurred_at, view.now)} ({age(contact.occurred_at, view.now)})",
         "$text-muted"),
        "\n", (view.handle(contact.agent_id), "$text-muted"),
    ]
    key = view.names.tickets.get(contact.ticket_id or "")
    if key:
        parts += [(" · ", "$text-muted"),
                  (key, "bold $accent" if contact.ticket_id == selected_id else "$text-muted")]
    if contact.agent_id == me and contact.self_rating is not None:
        parts.append((_(" · you rated it {rating}/5").format(rating=contact.self_rating),
                      "$text-muted italic"))
    state = view.mails.get(contact.id)
    if contact.direction == Direction.OUTBOUND and contact.channel == Channel.EMAIL:
        words, style = delivery_state(state)
        parts += [(" · ", "$text-muted"), (words, style)]
    if contact.subject:
        parts += ["\n", (contact.subject, "bold")]
    parts += ["\n", contact.summary]
    return Content.assemble(*parts)


#: How a mail's delivery state looks (queued: none yet, dim).
DELIVERY_STYLES = {None: "$text-muted", DeliveryStatus.SENT: "$success",
                   DeliveryStatus.RETRYING: "$warning", DeliveryStatus.FAILED: "bold $error"}


def delivery_state(state: MailState | None) -> tuple[str, str]:
    """An outbound mail's state in words, and its style: `queued`, `sent`, `retrying:
    why`, `✗ failed: why` (a failed one stands out)."""
    delivery = state.delivery if state else None
    if delivery is None:
        return pgettext("mail delivery", "queued"), DELIVERY_STYLES[None]
    words = delivery.status.label
    if delivery.detail and delivery.status != DeliveryStatus.SENT:
        # TRANSLATORS: a mail's delivery state and what the mail server said: "failed:
        # 550 no such user".
        words = _("{state}: {detail}").format(state=words, detail=delivery.detail)
    if delivery.status == DeliveryStatus.FAILED:
        words = f"✗ {words}"
    return words, DELIVERY_STYLES[delivery.status]
