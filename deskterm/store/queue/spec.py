"""What a queue list shows: its view, its sort and its filter text (a `QueueSpec`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any


class QueueView(StrEnum):
    MINE = "mine"
    #: Escalations to the resolver groups the agent is in.
    MY_GROUPS = "my_groups"
    #: Tickets with a promise due soon or broken (store.promises), soonest first.
    PROMISES_DUE = "promises_due"
    UNASSIGNED = "unassigned"
    ESCALATED = "escalated"
    WAITING = "waiting"
    OPEN = "open"
    DEPARTMENT = "department"
    ALL = "all"


class QueueSort(StrEnum):
    KEY = "key"
    SUBJECT = "subject"
    CUSTOMER = "customer"
    STATUS = "status"
    PRIORITY = "priority"
    OWNER = "owner"
    AGE = "age"
    LAST_CONTACT = "last_contact"


@dataclass(frozen=True)
class QueueSpec:
    """What the queue shows: a view, a sort and the filter text."""

    view: QueueView = QueueView.OPEN
    sort: QueueSort = QueueSort.AGE
    descending: bool = True
    text: str = ""
    agent_id: str | None = None  # for MINE and MY_GROUPS
    department_id: str | None = None  # for DEPARTMENT

    def with_(self, **changes: Any) -> QueueSpec:
        return replace(self, **changes)

    @property
    def scope_open(self) -> bool:
        # A promise outlives its ticket's resolve: kept or broken, it still counts.
        return self.view not in (QueueView.ALL, QueueView.PROMISES_DUE)
