"""How a customer's feedback reads on screen: one response, a ticket's responses, and an
agent's own trend of self-ratings beside their customers' CSAT."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from deskterm.i18n import _, pgettext
from deskterm.i18n.formats import number
from deskterm.present import ago
from deskterm.services.feedback_loop import Response, TrendWeek, drivers_text


def response_card(response: Response, now: datetime, *, with_ticket: bool = True) -> Content:
    """Two or three lines: CSAT and where from; the drivers; the comment."""
    feedback = response.feedback
    style = "bold $text-error" if feedback.csat <= 2 else "bold"
    if response.followed_up_at is not None:
        # TRANSLATORS: e.g. "followed up by @alex 2 days ago".
        state = (_("followed up by @{handle} {ago}").format(
            handle=response.followed_up_by or "?", ago=ago(response.followed_up_at, now)),
            "$text-success")
    elif response.unhappy:
        state = (_("to follow up"), "bold $text-warning")
    else:
        state = ("", "")
    head = [(f"CSAT {feedback.csat}/5", style)]
    if with_ticket:
        head.append((f"  {response.ticket_key} · {response.subject} · {response.customer}",
                     ""))
    head += [(f"  · {ago(feedback.received_at, now)}  ", "$text-muted"), state]
    lines = [Content.assemble(*head)]
    drivers = drivers_text(feedback)
    if drivers:
        lines.append(Content.styled(drivers, "$text-muted"))
    if feedback.comment:
        lines.append(Content.styled(f"“{feedback.comment}”", "italic"))
    return Content("\n").join(lines)


def ticket_section(responses: list[Response], now: datetime) -> Content | None:
    """The customer's responses on one ticket, newest first; None when there are none."""
    if not responses:
        return None
    return Content("\n\n").join(response_card(r, now, with_ticket=False) for r in responses)


def _mean(value: float | None) -> str:
    # Rounded as Python rounds the float (as before), then written the language's way.
    return "  —" if value is None else f"{number(round(value, 1), 1):>3}"


def trend_lines(trend: list[TrendWeek]) -> Content:
    """Per week: your self-rating, your customers' CSAT, the gap; a big negative gap marked."""
    week_, you, gap_ = (pgettext("trend table", "week"), pgettext("trend table", "you"),
                        pgettext("trend table", "gap"))
    lines = [Content.styled(f"{week_:<8}  {you:>3}  CSAT  {gap_:>4}", "$text-muted")]
    for week in trend:
        gap = "   —" if week.gap is None else \
            f"{'+' if week.gap >= 0 else '-'}{number(abs(round(week.gap, 1)), 1)}".rjust(4)
        row = Content(f"{week.label[5:]:<8}  {_mean(week.self_rating)}  {_mean(week.csat)}  {gap}")
        if week.stands_out:
            row = Content.assemble(row.stylize("bold $text-error"),
                                   ("  ← " + _("you rated it well above them"),
                                    "$text-error"))
        lines.append(row)
    if any(week.stands_out for week in trend):
        lines.insert(0, Content.styled(
            _("Your own ratings run well above your customers' in some weeks: worth a look."),
            "bold $text-error"))
    return Content("\n").join(lines)
