"""Who is acting: the snapshot of an agent that services check rights against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deskterm.domain.enums import Role, Tier
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _

if TYPE_CHECKING:
    from deskterm.domain.people import Agent


class NoActor(InvalidInput):
    """Nobody said which agent is acting. Each front end says how to name one, its own way
    (the CLI's flags, the workspace's start screen)."""

    code = "no_actor"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("who are you? no agent was named to act as"))


@dataclass(frozen=True)
class Actor:
    """Who is acting: a detached snapshot of an agent that services check rights against."""

    id: str
    handle: str
    name: str
    role: Role
    tier: Tier
    team_id: str | None

    @classmethod
    def of(cls, agent: Agent) -> Actor:
        return cls(agent.id, agent.handle, agent.name, agent.role, agent.tier, agent.team_id)

    @property
    def is_lead(self) -> bool:
        """Leads and admins: may allocate budgets and reverse ledger entries."""
        return self.role in (Role.LEAD, Role.ADMIN)
