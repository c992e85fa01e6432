"""Reading a block of queue rows: by keyset from a neighbour's sort key, or from an offset.

A block next to a cached one is read by keyset (seek past the neighbour's last sort key:
an index range scan, cheap anywhere in the list); any other block starts from the key
at its offset, found by walking a covering index without touching table rows: from the
nearest sampled anchor before it (`key_after`, see source.py), else from whichever end
of the list is nearer.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from deskterm.store.promises import EARLIEST_DUE_SQL
from deskterm.store.queries import TicketRow, ticket_row
from deskterm.store.queue.plan import QueryPlan

BLOCK = 64

#: What a row shows, in the order `ticket_row` reads it.
_COLUMNS = ("t.id", "t.number", "t.subject", "t.customer_id", "c.name", "t.status",
            "t.priority", "a.handle", "d.code", "t.resolver_tier", "t.resolver_group",
            "t.created_at", "t.updated_at", "t.last_contact_at",
            "CASE WHEN t.status IN ('resolved', 'closed') THEN NULL ELSE t.returned_at END",
            EARLIEST_DUE_SQL)
_JOINS = (
    "CROSS JOIN customer AS c ON c.id = t.customer_id "
    "LEFT JOIN agent AS a ON a.id = t.owner_id "
    "LEFT JOIN department AS d ON d.id = t.department_id"
)

Key = tuple[object, ...]


@dataclass
class Block:
    rows: list[TicketRow]
    keys: list[Key]  # each row's full sort key (index columns, then rowid)


def block_at_offset(connection: sqlite3.Connection, plan: QueryPlan, offset: int,
                    total: int | None, *, descending: bool) -> Block:
    """The block that starts `offset` rows into the list (`total`: its length, if known)."""
    if offset == 0:
        return read_page(connection, plan, descending=descending)
    known = total or 0  # used only when reverse, which needs the length known
    reverse = total is not None and offset > known // 2
    skip = (known - offset - 1) if reverse else offset
    if skip < 0:
        return Block([], [])
    if not plan.index_only:
        # Skipping rows would read each of them: let the page query do it once.
        if reverse:
            size = min(BLOCK, known - offset)
            block = read_page(connection, plan, descending=not descending,
                              offset=max(0, skip - size + 1), limit=size)
            return Block(block.rows[::-1], block.keys[::-1])
        return read_page(connection, plan, descending=descending, offset=offset)
    key = key_at(connection, plan, skip, descending=descending != reverse)
    if key is None:
        return Block([], [])
    # `key` is the block's first row: read forward from it, inclusive.
    return read_page(connection, plan, descending=descending, seek=key, inclusive=True)


def key_at(connection: sqlite3.Connection, plan: QueryPlan, skip: int, *,
           descending: bool) -> Key | None:
    """The sort key of the row `skip` rows from the top, index-only."""
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{expr} {direction}" for expr in plan.order)
    row = connection.execute(
        f"SELECT {', '.join(plan.order)} FROM {plan.source} WHERE {plan.where} "
        f"ORDER BY {order} LIMIT 1 OFFSET ?", [*plan.params, skip]
    ).fetchone()
    return tuple(row) if row else None


def key_after(connection: sqlite3.Connection, plan: QueryPlan, seek: Key, skip: int, *,
              descending: bool) -> Key | None:
    """The sort key `skip` rows past the row whose key is `seek` (an index range scan from
    it: cheap for a few thousand rows anywhere in the list), index-only."""
    direction = "DESC" if descending else "ASC"
    op = "<=" if descending else ">="
    where, params = _seek_from(plan, seek, op)
    order = ", ".join(f"{expr} {direction}" for expr in plan.order)
    row = connection.execute(
        f"SELECT {', '.join(plan.order)} FROM {plan.source} WHERE {where} "
        f"ORDER BY {order} LIMIT 1 OFFSET ?", [*params, skip]).fetchone()
    return tuple(row) if row else None


def _seek_from(plan: QueryPlan, seek: Key, op: str) -> tuple[str, list[object]]:
    """The plan's WHERE, bounded by `seek` with `op` (see read_page)."""
    where = f"{plan.where} AND ({', '.join(plan.order)}) {op} ({', '.join('?' for _ in seek)})"
    params = [*plan.params, *seek]
    first = plan.order[0]
    if not first.startswith("t.") or " " in first:
        where += f" AND {first} {op[0]}= ?"
        params.append(seek[0])
    return where, params


def read_page(connection: sqlite3.Connection, plan: QueryPlan, *, descending: bool,
              seek: Key | None = None, inclusive: bool = False, offset: int = 0,
              limit: int = BLOCK) -> Block:
    """Up to `limit` rows in `descending` order, after `seek` (or from it, `inclusive`)."""
    direction = "DESC" if descending else "ASC"
    where, params = plan.where, list(plan.params)
    if seek is not None:
        # SQLite seeks with a row value only over plain columns; an expression
        # needs its own range term to seek at all (_seek_from adds it).
        where, params = _seek_from(plan, seek, ("<" if descending else ">")
                                   + ("=" if inclusive else ""))
    order = ", ".join(f"{expr} {direction}" for expr in plan.order)
    keys = ", ".join(f"{expr} AS k{index}" for index, expr in enumerate(plan.order))
    # The page's tickets first, then their customer, owner and department: a plan
    # that sorts (a small view, a small match set) joins 64 rows, not all it sorts.
    page = (f"SELECT t.rowid AS r, {keys} FROM {plan.source} WHERE {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?")
    packed = ", ".join([*_COLUMNS, *(f"p.k{index}" for index in range(len(plan.order)))])
    # One JSON value for the page, not a row per ticket: the driver lets go of the
    # GIL at every row it steps to, and while the UI thread is busy (as at start)
    # each time costs up to a switch interval (5 ms) to get it back: 64 rows took up
    # to 300 ms. The aggregate keeps the page's order (its rows come in that order).
    value = connection.execute(
        f"SELECT json_group_array(json_array({packed})) FROM ({page}) AS p "
        f"CROSS JOIN ticket AS t ON t.rowid = p.r {_JOINS}",
        [*params, limit, offset]).fetchone()[0]
    fetched = json.loads(value)
    width = len(plan.order)
    return Block([ticket_row(r) for r in fetched], [tuple(r[-width:]) for r in fetched])
