"""Fields private to one agent inside rows the whole desk shares.

A contact is part of the customer's history, which every agent sees; the rating its
agent gave it is that agent's alone (the contact form promises so). Such a field
reaches only its owner's replicas: the server logs the row without it for everyone, and
the field as a separate change that only the owner pulls. Figures built from it come
from the server, of enough other people (services.quality). A replica that holds other
agents' values (from before this rule, or a log written by an older server) forgets them
when it is logged in (store.login).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrivateFields:
    #: The field naming the agent the private fields belong to.
    owner: str
    fields: frozenset[str]


#: Entity -> its private fields and who owns them.
PRIVATE_FIELDS: dict[str, PrivateFields] = {
    "contact": PrivateFields("agent_id", frozenset({"self_rating"})),
}


def split_private(entity: str, fields: dict[str, object]
                  ) -> tuple[dict[str, object], dict[str, object]]:
    """`fields` as (what everyone may see, the private fields that carry a value)."""
    private = PRIVATE_FIELDS.get(entity)
    if private is None:
        return fields, {}
    shared = {name: value for name, value in fields.items() if name not in private.fields}
    own = {name: value for name, value in fields.items()
           if name in private.fields and value is not None}
    return shared, own
