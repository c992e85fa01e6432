"""Group membership in SQL: the groups an agent is in now (the newest event per group wins).

The one definition of "in a group", shared by the queue's "My groups" view and
services.groups (membership events are ordered by time, then id).
"""

from __future__ import annotations

#: The ids of the groups the agent `?` is in now; for `t.resolver_group_id IN (...)`.
CURRENT_GROUPS_SQL = (
    "SELECT m.group_id FROM group_member AS m WHERE m.agent_id = ? AND m.added "
    "AND NOT EXISTS (SELECT 1 FROM group_member AS n WHERE n.agent_id = m.agent_id "
    "AND n.group_id = m.group_id AND (n.created_at > m.created_at "
    "OR (n.created_at = m.created_at AND n.id > m.id)))"
)
