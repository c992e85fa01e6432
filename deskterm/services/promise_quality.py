"""Promises kept on time, per ISO week, for a team: the quality screen's reliability figure.

A promise counts in the week its time (the one in force: after any move) falls in, once
that time has passed or the promise is kept; it is kept on time when kept at or before
that time. A promise moved (with a reason) and then kept by its new time is on time: the
customer agreed to the new time. The team's promises are those its agents made. There
is no per-agent figure: the function takes a team and gives the team's share.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import col, select

from deskterm.domain import Agent
from deskterm.domain.promises import PromiseEvent, promises_from
from deskterm.services.quality import DEFAULT_WEEKS, Rate, first_monday_of
from deskterm.store import Store


def promises_kept_on_time(store: Store, *, team_id: str | None, now: datetime,
                          weeks: int = DEFAULT_WEEKS) -> list[Rate]:
    """The share of the team's promises kept on time per week, oldest first (team None:
    the whole desk), each with how many promises fell due that week."""
    first_monday = first_monday_of(weeks, now)
    since = datetime.combine(first_monday, datetime.min.time(), tzinfo=now.tzinfo)
    with store.reading() as session:
        statement = select(PromiseEvent)
        if team_id is not None:
            members = select(Agent.id).where(Agent.team_id == team_id)
            made = select(PromiseEvent.id).where(col(PromiseEvent.agent_id).in_(members))
            statement = statement.where(col(PromiseEvent.promise_id).in_(made))
        # Moves and keeps of a promise come after it was made; a promise made long before
        # the window may still fall due in it, so only promises due before it are cut.
        events = session.exec(statement).all()
    counted: dict[date, list[bool]] = {}
    for promise in promises_from(events):
        if promise.due_at < since or (promise.due_at > now and not promise.kept):
            continue
        local = promise.due_at.astimezone(now.tzinfo).date()
        monday = local - timedelta(days=local.weekday())
        counted.setdefault(monday, []).append(promise.kept_on_time)
    rates = []
    for n in range(weeks):
        week = counted.get(first_monday + timedelta(weeks=n), [])
        rates.append(Rate(sum(week) / len(week) if week else None, len(week)))
    return rates
