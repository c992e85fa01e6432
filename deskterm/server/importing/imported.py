"""`imported_row`: which row each imported record became, so an import runs only once.

A server-only table (replicas never see it): per entity, the record's id in the desk it
came from (the `id` column of its CSV file) and the row it became here. A second import
of the same file finds every record in it and adds nothing; a contact's `ticket` and a
ticket's `customer` name their record by that old id.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, Connection, String, Table, select

from deskterm.domain.types import UtcDateTime
from deskterm.server.database import server_metadata

#: The longest id of a record in the desk it came from.
EXTERNAL_ID_LIMIT = 200

#: The key leads with the old id: a batch looks up many ids of one entity at once, and
#: the database probes the index for each (led by the entity it would scan them all).
imported_row = Table(
    "imported_row", server_metadata,
    Column("external_id", String(EXTERNAL_ID_LIMIT), primary_key=True),
    Column("entity", String(40), primary_key=True),
    Column("row_id", String(64), nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
)


def rows_of(connection: Connection, entity: str, external_ids: Iterable[str]
            ) -> dict[str, str]:
    """External id -> row id of the records of `entity` already imported, of those named."""
    wanted = sorted(set(external_ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 900):
        found.update(connection.execute(
            select(imported_row.c.external_id, imported_row.c.row_id)
            .where(imported_row.c.entity == entity,
                   imported_row.c.external_id.in_(wanted[start:start + 900]))).all())
    return found
