"""Team figures made from everyone's private entries: from the server when the store syncs.

Moods and self-ratings reach only their own agent's replicas, so a lead's store cannot
make the team's figures; the server makes them, with the same rules (services.team_mood,
services.quality), and this is the one place the CLI and the workspace ask for them. A
store that syncs nowhere (the demo desk) computes them itself, by the same rules.
"""

from __future__ import annotations

from dataclasses import replace

from deskterm.i18n import _
from deskterm.services.context import ServiceContext
from deskterm.services.org import find_team_id
from deskterm.services.quality import DEFAULT_WEEKS, QualityWeek, Rate, weekly_quality
from deskterm.services.team_mood import TeamMood, from_wire, local_team_mood
from deskterm.services.wellbeing import local_today
from deskterm.store.login import Login
from deskterm.sync.client import open_client


def team_mood(ctx: ServiceContext, login: Login | None, team: str | None = None
              ) -> TeamMood:
    """The team's mood as `ctx`'s lead may see it: the team called `team`, or the lead's
    own when None. The CLI's `mood team` and the workspace's mood view both ask here."""
    ctx.require_lead(_("only a team lead or admin may see the team's mood"))
    if login is None:
        return local_team_mood(ctx, find_team_id(ctx.store, team) if team else None)
    with open_client(ctx.store, login) as client:
        return from_wire(client.team_mood(local_today(ctx).isoformat(), team))


def quality_weeks(ctx: ServiceContext, login: Login | None, *, team_id: str | None,
                  weeks: int = DEFAULT_WEEKS) -> list[QualityWeek]:
    """The team's weekly quality figures; with a server, its self-rating comes from there
    (this store holds only its own agent's ratings)."""
    found = weekly_quality(ctx.store, team_id=team_id, viewer_id=ctx.actor.id, weeks=weeks,
                           now=ctx.now())
    if login is None or team_id is None:  # the whole desk: no server figure for that
        return found
    with open_client(ctx.store, login) as client:
        answer = client.team_self_rating(weeks)
    rates = {week["start"]: Rate(week["mean"], int(week["count"])) for week in answer["weeks"]}
    return [replace(week, self_rating=rates.get(week.start.isoformat(), Rate(None, 0)))
            for week in found]
