"""What a batched push reads: a whole push's rows at once, and the effects of its changes.

`BatchReads` answers the rules (server.rules.Reads) the way the database would if each
change judged before had been written already: the rows the push names and the rows its
references point at are read in one query per table before any change is judged; each
applied change is then folded into them (`applied`), and goodwill balances are kept up to
date in memory. server.changelog's BatchWriter uses it, and writes the rows at the end.

A batch holds only changes whose rules read nothing but rows by id and balances
(`BATCHED`), on a desk where no customer was ever erased; any other push is judged
change by change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from deskterm.domain import ENTITIES
from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.server.rules import Reads, Rejected
from deskterm.services.erasure import erasures_exist
from deskterm.sync.codec import DecodedChange, table_of

#: Entities a batch takes: their rules read rows by id and budgets' balances only.
BATCHED = frozenset({"ticket", "customer", "contact", "goodwill_entry", "kb_article",
                     "kb_edit", "ticket_event", "kudos"})


def fits(connection: Connection, changes: Sequence[DecodedChange]) -> bool:
    """Whether a push can be judged as one batch (see the module's note)."""
    return bool(changes) and all(c.entity in BATCHED for c in changes) \
        and not erasures_exist(connection)


@cache
def _entity_of_table() -> dict[str, str]:
    return {model.__table__.name: entity for entity, model in ENTITIES.items()}


@cache
def references(entity: str) -> tuple[tuple[str, str], ...]:
    """(field, entity it names by id) for each reference of an entity's rows."""
    found = []
    for key in table_of(entity).foreign_keys:
        target = _entity_of_table().get(key.column.table.name)
        if target is not None and key.column.name == "id":
            found.append((key.parent.name, target))
    return tuple(sorted(found))


class BatchReads(Reads):
    """The rules' reads for a batch: rows read at once, with the batch's effects."""

    def __init__(self, connection: Connection, changes: Sequence[DecodedChange]) -> None:
        super().__init__(connection)
        self._rows: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._balances: dict[tuple[str, str, str], Money] = {}
        wanted: dict[str, set[str]] = defaultdict(set)
        for change in changes:
            wanted[change.entity].add(change.row_id)
            for name, target in references(change.entity):
                value = change.fields.get(name)
                if isinstance(value, str):
                    wanted[target].add(value)
        for entity, ids in wanted.items():
            self._fetch(entity, sorted(ids))

    def _fetch(self, entity: str, ids: list[str]) -> None:
        table = table_of(entity)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row_id in chunk:
                self._rows[(entity, row_id)] = None
            for found in self.connection.execute(select(table).where(table.c.id.in_(chunk))):
                self._rows[(entity, found.id)] = dict(found._mapping)

    def held(self, changes: Sequence[DecodedChange]
             ) -> dict[tuple[str, str], dict[str, Any] | None]:
        """The rows `changes` name as read at the start (None: not there), for the merge."""
        return {(c.entity, c.row_id): self._rows[(c.entity, c.row_id)] for c in changes}

    def row(self, entity: str, row_id: str) -> dict[str, Any] | None:
        key = (entity, row_id)
        if key not in self._rows:
            self._rows[key] = super().row(entity, row_id)
        return self._rows[key]

    def balance(self, agent_id: str, period: str, currency: str) -> Money:
        key = (agent_id, period, currency)
        if key not in self._balances:
            self._balances[key] = super().balance(agent_id, period, currency)
        return self._balances[key]

    def erasure_refusal(self, agent_id: str, change: DecodedChange) -> str | None:
        return None  # a batch is only taken where no customer was ever erased (`fits`)

    def applied(self, change: DecodedChange, won: dict[str, Any]) -> None:
        """Fold the fields `won` of an applied change into what later changes read."""
        if not won:
            return
        key = (change.entity, change.row_id)
        held = self.row(*key)
        if held is not None:
            self._rows[key] = {**held, **won}
            return
        self._rows[key] = dict(won)
        if change.entity == "goodwill_entry":
            currency = won.get("currency") or DEFAULT_CURRENCY
            balance = self.balance(won["budget_agent_id"], won["period"], currency)
            self._balances[(won["budget_agent_id"], won["period"], currency)] = \
                balance + Money(won["amount_cents"], currency)

    def check_references(self, change: DecodedChange, values: dict[str, Any],
                         refusal: Callable[[DecodedChange], tuple[str, str]]) -> None:
        """Refuse, as the database would, a write naming a row nobody has (in the words
        `refusal` gives for the change)."""
        for name, target in references(change.entity):
            value = values.get(name)
            if value is not None and self.row(target, value) is None:
                raise Rejected(*refusal(change))
