"""Who is acting: the snapshot of an agent that services check rights against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deskterm.domain.enums import Role, Tier

if TYPE_CHECKING:
    from deskterm.domain.people import Agent

#: What to tell someone who has not said which agent they are.
WHO_ARE_YOU = ("who are you? give --as HANDLE, set DESKTERM_AGENT, or put agent = \"HANDLE\" "
               "in the config file")


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
