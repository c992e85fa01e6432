"""The board's weekly highlight: the team's best-rated interactions, and the drivers that improved.

"This week" is the last 7 days, compared with the 7 before, so the panel says something
on a Monday morning too. A best-rated interaction is a ticket whose customer gave a CSAT
of 5. It names the ticket and the customer, never the agent: it is the desk's success.
Agents' own ratings of their contacts never appear here: they are private to each agent
(domain.privacy), and a highlight names a ticket its owner is one click away from.

A driver improved when its mean score over the last 7 days is above the 7 days before,
with at least `MIN_RESPONSES` answers in each, so two surveys do not make a trend.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from deskterm.domain.clock import utcnow
from deskterm.domain.feedback import DRIVERS
from deskterm.domain.keys import ticket_key
from deskterm.domain.types import stored_time
from deskterm.store import Store
from deskterm.store.queries import parse_time

WEEK = timedelta(days=7)
#: The fewest answers per week for a driver's change to count.
MIN_RESPONSES = 5


@dataclass(frozen=True)
class Highlight:
    """One interaction that went very well."""

    at: datetime
    ticket_id: str | None
    ticket_key: str | None
    customer: str
    #: What happened: the contact's summary, or the customer's comment.
    what: str
    #: Who rated it 5: always "customer" (CSAT); kept for the board's wording.
    rated_by: str


@dataclass(frozen=True)
class DriverChange:
    driver: str
    before: float
    after: float
    responses: int  # answers in the last 7 days

    @property
    def gain(self) -> float:
        return round(self.after - self.before, 2)


@dataclass(frozen=True)
class WeeklyHighlights:
    best: list[Highlight]
    improved: list[DriverChange]  # largest gain first


def weekly_highlights(store: Store, *, team_id: str | None, now: datetime | None = None,
                      limit: int = 6) -> WeeklyHighlights:
    """The team's (None: the whole desk's) highlights of the last 7 days."""
    now = now or utcnow()
    since = now - WEEK
    with store.raw() as connection:
        best = _best_feedback(connection, team_id, since, limit)
        improved = _improved_drivers(connection, team_id, now)
    best.sort(key=lambda h: h.at, reverse=True)
    return WeeklyHighlights(best[:limit], improved)


def _best_feedback(connection: sqlite3.Connection, team_id: str | None, since: datetime,
                   limit: int) -> list[Highlight]:
    team = "" if team_id is None else "AND a.team_id = :team"
    rows = connection.execute(f"""
        SELECT f.received_at, f.ticket_id, t.number, c.name, coalesce(f.comment, t.subject)
        FROM feedback f JOIN ticket t ON t.id = f.ticket_id
        JOIN customer c ON c.id = f.customer_id LEFT JOIN agent a ON a.id = f.agent_id
        WHERE f.csat = 5 AND f.received_at >= :since {team}
        ORDER BY f.received_at DESC LIMIT :limit""",
        {"since": stored_time(since), "team": team_id, "limit": limit}).fetchall()
    return [Highlight(parse_time(at), ticket_id, ticket_key(number, ticket_id), customer,
                      what or "", "customer") for at, ticket_id, number, customer, what in rows]


def _improved_drivers(connection: sqlite3.Connection, team_id: str | None,
                      now: datetime) -> list[DriverChange]:
    team = "" if team_id is None else "AND a.team_id = :team"
    columns = ", ".join(f"count(f.{d}), avg(f.{d})" for d in DRIVERS)
    params = {"before": stored_time(now - 2 * WEEK), "since": stored_time(now - WEEK),
              "team": team_id}
    weeks = {}
    for name, lower, upper in (("before", ":before", ":since"), ("after", ":since", None)):
        bound = "" if upper is None else f"AND f.received_at < {upper}"
        weeks[name] = connection.execute(f"""
            SELECT {columns} FROM feedback f LEFT JOIN agent a ON a.id = f.agent_id
            WHERE f.received_at >= {lower} {bound} {team}""", params).fetchone()
    changes = []
    for index, driver in enumerate(DRIVERS):
        n_before, mean_before = weeks["before"][2 * index:2 * index + 2]
        n_after, mean_after = weeks["after"][2 * index:2 * index + 2]
        if min(n_before, n_after) >= MIN_RESPONSES and mean_after > mean_before:
            changes.append(DriverChange(driver, round(mean_before, 2), round(mean_after, 2),
                                        n_after))
    changes.sort(key=lambda c: -c.gain)
    return changes
