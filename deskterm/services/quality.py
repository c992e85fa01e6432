"""Quality, not stopwatches: the lead's weekly figures for a team.

Per ISO week, for the tickets and contacts of the team's agents:

- first-contact resolution: resolved tickets flagged solved at the first contact;
- repeat contacts: customers coming back: inbound contacts that came within 7 days of
  the same customer's previous inbound contact (our own call-backs do not count);
- reopen rate: reopenings per resolved ticket;
- customer satisfaction: mean CSAT of the feedback received;
- self-rating: the agents' own rating of their interactions, averaged over the team,
  shown only where at least `MIN_RATERS` agents other than the viewer rated (each rating
  is private to its agent: domain.privacy). A replica holds only its own agent's
  ratings, so with a server the figure comes from there (`team_self_rating`, the same
  rule on the server's rows); never per agent: there is no per-agent figure anywhere.
- promises kept on time: the share of the team's promises to customers kept by their
  time, per week they fell due (`services.promise_quality`, from the synced promise
  events every replica holds; no per-agent figure either).

Nothing here measures handling time. Each figure carries its count, so a rate from
three tickets is not read like one from three hundred. What drives satisfaction is
services.drivers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from deskterm.domain.clock import utcnow
from deskterm.domain.types import stored_time
from deskterm.services.contacts import REPEAT_WINDOW
from deskterm.store import Store
from deskterm.store.queries import parse_time

DEFAULT_WEEKS = 8
#: A row as sqlite3 returns it.
DbRow = tuple[Any, ...]
#: The fewest agents, the viewer not counted, whose ratings make a shown self-rating.
MIN_RATERS = 3


@dataclass(frozen=True)
class Rate:
    """A share (0-1) or a mean, with how many it was computed from. None: nothing to show."""

    value: float | None
    count: int


@dataclass(frozen=True)
class QualityWeek:
    label: str  # 2026-W47
    start: date
    first_contact_resolution: Rate
    repeat_contacts: Rate
    reopen: Rate
    satisfaction: Rate
    self_rating: Rate
    #: The week is not over yet (it holds now): its figures are so far, not the week's.
    partial: bool = False


@dataclass(frozen=True)
class RatingRow:
    """One self-rating as the team figure reads it: whose (to count people), when, what."""

    agent_id: str
    occurred_at: datetime
    rating: int


def team_self_rating(rows: Iterable[RatingRow], first_monday: date, weeks: int, *,
                     viewer_id: str | None) -> list[Rate]:
    """The team's mean self-rating per ISO week from `first_monday` on, oldest first:
    None (with no count) where fewer than MIN_RATERS agents other than the viewer rated."""
    by_week: dict[date, list[RatingRow]] = {}
    for row in rows:
        if row.agent_id != viewer_id:
            by_week.setdefault(_monday(row.occurred_at.date()), []).append(row)
    rates = []
    for n in range(weeks):
        rated = by_week.get(first_monday + timedelta(weeks=n), [])
        if len({row.agent_id for row in rated}) < MIN_RATERS:
            rates.append(Rate(None, 0))
        else:
            rates.append(Rate(sum(r.rating for r in rated) / len(rated), len(rated)))
    return rates


def first_monday_of(weeks: int, now: datetime) -> date:
    """The Monday `weeks` ISO weeks back, this week being the last."""
    return _monday(now.date()) - timedelta(weeks=weeks - 1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_quality(store: Store, *, team_id: str | None, viewer_id: str | None,
                   weeks: int = DEFAULT_WEEKS, now: datetime | None = None
                   ) -> list[QualityWeek]:
    """The last `weeks` ISO weeks, oldest first, for the team (None: the whole desk), as
    `viewer_id` may see them (the self-rating: see the module's doc)."""
    now = now or utcnow()
    first_monday = first_monday_of(weeks, now)
    since = datetime.combine(first_monday, datetime.min.time(), tzinfo=now.tzinfo)
    team = "" if team_id is None else "AND a.team_id = :team"
    params = {"since": stored_time(since), "before": stored_time(since - REPEAT_WINDOW),
              "team": team_id}
    # The Monday of a stored time's week, as text: SQLite has no ISO-week function.
    week_of = ("date(substr({0}, 1, 10), '-' || ((strftime('%w', substr({0}, 1, 10)) + 6) % 7)"
               " || ' days')")
    with store.raw() as connection:
        named = _named(connection)
        resolved = _by_week(named(f"""
            SELECT {week_of.format('t.resolved_at')} AS week, count(*),
                   sum(t.first_contact_resolution = 1)
            FROM ticket t JOIN agent a ON a.id = t.owner_id
            WHERE t.resolved_at >= :since AND NOT t.deleted {team} GROUP BY week""", params))
        reopened = _by_week(named(f"""
            SELECT {week_of.format('e.created_at')} AS week, count(*), 0
            FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
            JOIN agent a ON a.id = t.owner_id
            WHERE e.kind = 'reopened' AND e.created_at >= :since {team} GROUP BY week""", params))
        contacts = _by_week(named(f"""
            WITH recent AS (
                SELECT c.occurred_at, c.agent_id,
                       lag(c.occurred_at) OVER (PARTITION BY c.customer_id
                                                ORDER BY c.occurred_at) AS previous
                FROM contact c WHERE c.occurred_at >= :before AND c.direction = 'inbound')
            SELECT {week_of.format('r.occurred_at')} AS week, count(*),
                   sum(r.previous IS NOT NULL AND julianday(r.occurred_at)
                       - julianday(r.previous) <= 7)
            FROM recent r JOIN agent a ON a.id = r.agent_id
            WHERE r.occurred_at >= :since {team} GROUP BY week""", params))
        rated = named(f"""
            SELECT c.occurred_at, c.agent_id, c.self_rating FROM contact c
            JOIN agent a ON a.id = c.agent_id
            WHERE c.self_rating IS NOT NULL AND c.occurred_at >= :since {team}""", params)
        feedback = _by_week(named(f"""
            SELECT {week_of.format('f.received_at')} AS week, count(*), total(f.csat)
            FROM feedback f LEFT JOIN agent a ON a.id = f.agent_id
            WHERE f.received_at >= :since {team} GROUP BY week""", params))
    ratings = (RatingRow(agent_id, parse_time(at), rating) for at, agent_id, rating in rated)
    self_ratings = team_self_rating(ratings, first_monday, weeks, viewer_id=viewer_id)
    result = []
    for n in range(weeks):
        monday = first_monday + timedelta(weeks=n)
        key = monday.isoformat()
        year, week, _ = monday.isocalendar()
        done, fcr = resolved.get(key, (0, 0))[:2]
        reopens = reopened.get(key, (0, 0))[0]
        seen, repeats = contacts.get(key, (0, 0))
        answered, csat_sum = feedback.get(key, (0, 0.0))
        result.append(QualityWeek(
            f"{year}-W{week:02d}", monday,
            Rate(fcr / done if done else None, done),
            Rate(repeats / seen if seen else None, seen),
            Rate(reopens / done if done else None, reopens),
            Rate(csat_sum / answered if answered else None, answered),
            self_ratings[n],
            partial=monday + timedelta(weeks=1) > now.date(),
        ))
    return result


def _named(connection: sqlite3.Connection) -> Callable[[str, Mapping[str, object]], list[DbRow]]:
    def run(sql: str, params: Mapping[str, object]) -> list[DbRow]:
        return connection.execute(sql, params).fetchall()

    return run


def _by_week(rows: list[DbRow]) -> dict[str, DbRow]:
    return {row[0]: tuple(row[1:]) for row in rows}
