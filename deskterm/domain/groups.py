"""Resolver groups: the 2nd and 3rd-line teams an escalation goes to, and who is in them.

A group is mutable (its tier, lead and name merge field by field); membership is a trail
of insert-only events (added or removed), and who is in a group now is derived from the
newest event per person. Groups that existed only as the free text of an escalation are
given an id derived from that text (`migrated_group_id`), so every replica and the server
turn the same text into the same group.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Tier
from deskterm.domain.types import ID_LENGTH, EnumInt, UtcDateTime, identifier, reference

GROUP_NAME_LENGTH = 100
MIGRATED_PREFIX = "grp-"


class ResolverGroup(SQLModel, table=True):
    __tablename__ = "resolver_group"

    id: str = identifier()
    name: str = Field(max_length=GROUP_NAME_LENGTH, unique=True)
    tier: Tier = Field(sa_type=EnumInt(Tier))
    lead_id: str | None = reference("agent.id", default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    deleted: bool = False


class GroupMember(SQLModel, table=True):
    """One change of a group's membership: `agent_id` added to it or removed. Insert-only."""

    __tablename__ = "group_member"

    id: str = identifier()
    group_id: str = reference("resolver_group.id")
    agent_id: str = reference("agent.id")
    added: bool = True
    author_id: str = reference("agent.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


def migrated_group_id(name: str) -> str:
    """The id of the group an escalation's free-text group `name` became (store migration
    v009 computes the same in SQL: `'grp-' || lower(substr(hex(name), 1, 60))`)."""
    return MIGRATED_PREFIX + name.encode("utf-8").hex()[:ID_LENGTH - len(MIGRATED_PREFIX)]
