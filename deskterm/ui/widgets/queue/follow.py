"""The queue's selection is a ticket, not a row position: where the cursor goes on a reload.

When rows come and go under the cursor (a ticket arrives by sync above the selected one,
the agent makes one with `n`, a sort, view or filter changes), the cursor stays on the
ticket it was on, found by id, wherever that ticket is now, so the highlight, the other
panes and every action stay on the ticket the agent last saw. Only a ticket that left
the list lets the cursor go: then it keeps its position, as before, on the next ticket.

Finding the ticket costs nothing when it is among the rows read for the screen anyway
(a sync that adds a few rows); elsewhere it is one indexed query
(`QueueSource.position_of`). A new spec without a filter asks that query first and reads
only the rows around the ticket, not first the rows the screen showed before. On a reload
of the same list the old rows stay on screen until the ticket is found, so what is
highlighted is always what a key acts on. A new spec waits for it FOLLOW_PATIENCE at
most (a filter no index can answer, over a huge list, can take longer): then its rows
show with no row highlighted, and the cursor lands on the ticket once it is found,
unless the agent has moved it meanwhile.

Where the screen goes: a list at its top stays at its top while the ticket is on the
first screen (new tickets show above the selection); anywhere else the ticket keeps its
line on screen, so the rows do not jump under the agent's eyes.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSource

#: How long a new spec's rows wait for the selected ticket's place among them.
FOLLOW_PATIENCE = 0.05
#: The cursor while the ticket it follows is still being looked for: no row is selected.
SEARCHING = -1


@dataclass(frozen=True)
class Selection:
    """The ticket under the cursor as a reload starts, and where it was on screen."""

    ticket_id: str | None
    cursor: int
    top: int
    height: int

    @property
    def line(self) -> int:
        """The cursor's line on screen (0 is the first)."""
        return max(0, min(self.height - 1, self.cursor - self.top))


@dataclass(frozen=True)
class Placed:
    """The rows a reload read, and where the cursor and the screen's top go with them."""

    start: int
    rows: list[TicketRow]
    cursor: int  # SEARCHING: the ticket is still being looked for (see module doc)
    top: int

    @property
    def searching(self) -> bool:
        return self.cursor == SEARCHING


def top_for(selection: Selection, index: int, same_list: bool) -> int:
    """Where the screen's first line goes for the followed ticket, now at `index`."""
    if index < selection.height and (selection.top == 0 or not same_list):
        return 0
    return max(0, index - selection.line)


def place(source: QueueSource, selection: Selection, *, same_list: bool, start: int,
          stop: int, read_ahead: int) -> Placed:
    """Find the followed ticket in the reloaded list and read the rows around it.

    Runs in the read worker; `same_list`: the store changed under the same spec (else a
    new spec). The screen's rows as it was (`start` to `stop`) are read first when the
    ticket is likely among them (the same list) or when finding its place could cost
    more than reading them (a filter, whose first rows may come from a probe); else its
    place is found first, and only the rows around it are read.
    """
    wanted = selection.ticket_id
    if wanted is not None and not same_list and not source.filtered:
        located = source.position_within(wanted, FOLLOW_PATIENCE)
        if located is not None and located.index is not None:
            top = top_for(selection, located.index, same_list)
            first = max(0, top - read_ahead)
            rows = source.rows(first, top + selection.height + read_ahead)
            return Placed(first, rows, located.index, top)
        rows = source.rows(start, stop)
        if located is None:
            return Placed(start, rows, SEARCHING, 0)
        return Placed(start, rows, 0, 0)  # the ticket is not in the list
    rows = source.rows(start, stop)
    fallback = Placed(start, rows, max(0, selection.cursor) if same_list else 0,
                      selection.top if same_list else 0)
    if wanted is None:
        return fallback
    index = next((i for i, row in enumerate(rows, start) if row.id == wanted), None)
    if index is None:
        if same_list:
            index = source.position_of(wanted)
        else:
            located = source.position_within(wanted, FOLLOW_PATIENCE)
            if located is None:
                return Placed(start, rows, SEARCHING, 0)
            index = located.index
    if index is None:
        return fallback  # the ticket left the list
    top = top_for(selection, index, same_list)
    bottom = top + selection.height
    ended = start + len(rows) < stop  # a short read reached the end of the list
    if not (start <= top and (bottom <= start + len(rows) or ended)):
        start = max(0, top - read_ahead)
        rows = source.rows(start, bottom + read_ahead)
    return Placed(start, rows, index, top)
