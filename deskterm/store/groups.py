"""Group membership in SQL: the groups an agent is in now (the newest event per group wins).

The one definition of "in a group", shared by the queue's "My groups" view and
services.groups (membership events are ordered by time, then id).
"""

from __future__ import annotations

import sqlite3

#: The ids of the groups the agent `?` is in now; for `t.resolver_group_id IN (...)`.
CURRENT_GROUPS_SQL = (
    "SELECT m.group_id FROM group_member AS m WHERE m.agent_id = ? AND m.added "
    "AND NOT EXISTS (SELECT 1 FROM group_member AS n WHERE n.agent_id = m.agent_id "
    "AND n.group_id = m.group_id AND (n.created_at > m.created_at "
    "OR (n.created_at = m.created_at AND n.id > m.id)))"
)

#: Escalations' free-text groups become groups, their id derived from the text
#: (domain.groups.migrated_group_id); tickets then point at them. Store migration v009
#: runs the same statements (frozen there). (The demo writes its groups, with leads and
#: members, and each ticket's group id itself: deskterm.demo.groups.)
GROUPS_FROM_TEXT = (
    "INSERT OR IGNORE INTO resolver_group (id, name, tier, created_at, deleted) "
    "SELECT 'grp-' || lower(substr(hex(trim(resolver_group)), 1, 60)), trim(resolver_group), "
    "MAX(CASE WHEN resolver_tier IN (2, 3) THEN resolver_tier ELSE 2 END), "
    "MIN(COALESCE(escalated_at, created_at)), 0 FROM ticket "
    "WHERE resolver_group IS NOT NULL AND trim(resolver_group) <> '' "
    "GROUP BY trim(resolver_group)",
    "UPDATE ticket SET resolver_group_id = (SELECT g.id FROM resolver_group g "
    "WHERE g.name = trim(ticket.resolver_group)) "
    "WHERE resolver_group IS NOT NULL AND resolver_group_id IS NULL",
)


def adopt_text_groups(connection: sqlite3.Connection) -> None:
    """Make groups of the escalations' group texts that have none (idempotent)."""
    for statement in GROUPS_FROM_TEXT:
        connection.execute(statement)
