"""Issue 10, finding 4: the queue's selection is a ticket, not a row position.

A ticket that arrives above the selected one (by sync, or made with `n`), a sort, a
view or a filter moves the rows; the highlight, the other panes and every key stay on
the ticket the agent last saw.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from deskterm.services.context import ServiceContext
from deskterm.services.tickets import create_ticket
from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSort, QueueSource, QueueSpec, QueueView
from deskterm.ui.forms.ticket import NewTicketForm
from deskterm.ui.forms.ticket_state import ResolveForm
from deskterm.ui.screens.ticket import TicketScreen
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.queue.follow import Selection, place
from deskterm.ui.widgets.queue.pane import FILTER_DEBOUNCE, SELECT_DEBOUNCE
from deskterm.ui.widgets.queue.table import QueueTable
from tests.ui.helpers import (
    Elsewhere,
    make_app,
    open_form,
    past_returned,
    query,
    ready,
    save,
    settle,
    type_into,
)

SIZE = (120, 40)


def status(db: Path, ticket_id: str) -> str:
    return str(query(db, "SELECT status FROM ticket WHERE id = ?", ticket_id)[0][0])


def table_of(pilot) -> QueueTable:  # type: ignore[no-untyped-def]
    return pilot.app.screen.query_one(QueuePane).table


async def open_tickets(pilot) -> QueueTable:  # type: ignore[no-untyped-def]
    """The workspace, ready, its queue on the Open view (alex's own are only two)."""
    await ready(pilot)
    pilot.app.screen.query_one(QueuePane).show_view(QueueView.OPEN)
    await settle(pilot)
    return table_of(pilot)


async def on_the_oldest_of_all(pilot) -> tuple[QueuePane, QueueTable, TicketRow]:  # type: ignore[no-untyped-def]
    """The queue on the All view, its cursor on the last line: the oldest ticket."""
    await ready(pilot)
    queue = pilot.app.screen.query_one(QueuePane)
    queue.show_view(QueueView.ALL)
    await settle(pilot)
    await pilot.press("end")
    await settle(pilot)
    assert queue.table.current is not None
    return queue, queue.table, queue.table.current


def new_ticket_for(customer_id: str, subject: str):  # type: ignore[no-untyped-def]
    def make(ctx: ServiceContext) -> str:
        return create_ticket(ctx, customer=customer_id, subject=subject).id
    return make


async def test_issue10_finding4_a_ticket_arriving_above_by_sync_then_r_resolves_the_selected(
        demo_db: Path) -> None:
    elsewhere = Elsewhere(demo_db)  # alex's other machine, before this one opens the store
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # The newest of "My open" under the tickets back from 2nd line, which stay on top.
        selected = await past_returned(pilot)
        assert selected is not None and selected.status.is_open
        table = table_of(pilot)
        top = table.cursor
        assert top > 0 and all(table._rows[n].returned_at for n in range(top))

        arrived = elsewhere.act("alex", new_ticket_for(selected.customer_id,
                                                       "Printer on floor 3 offline"))
        entities = elsewhere.pull_into(demo_db)
        app.changed(*entities, pulled=True)  # what the background sync does after a pull
        await settle(pilot)
        assert table._rows[top].id == arrived  # the new ticket is above: the rows moved

        form = await open_form(pilot, "r", ResolveForm)
        await type_into(pilot, form.query_one("#resolve-resolution", TextArea),
                        "Cable reseated")
        await save(pilot)
    assert status(demo_db, selected.id) == "resolved"
    assert status(demo_db, arrived) != "resolved"


async def test_issue10_finding4_a_ticket_made_with_n_leaves_the_selection_and_enter_on_its_ticket(
        demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tickets(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        selected, cursor = table.current, table.cursor
        assert selected is not None

        form = await open_form(pilot, "n", NewTicketForm)
        await type_into(pilot, form.query_one("#new-subject", Input), "Badge reader broken")
        await save(pilot)
        made = query(demo_db, "SELECT id FROM ticket WHERE subject = 'Badge reader broken'")
        assert len(made) == 1 and table._rows[0].id == made[0][0]  # above, on top
        assert table.current is not None and table.current.id == selected.id
        assert table.cursor == cursor + 1

        await pilot.pause(SELECT_DEBOUNCE + 0.05)
        await settle(pilot)
        history = app.screen.query_one(HistoryPane)
        assert history.ticket is not None and history.ticket.id == selected.id  # panes too
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.ticket_id == selected.id


async def test_issue10_finding4_sort_view_and_filter_keep_the_ticket_selected(
        demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_tickets(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)
        selected = table.current
        assert selected is not None

        queue = app.screen.query_one(QueuePane)
        for change in ("s", "s", "S", QueueSort.SUBJECT, QueueSort.PRIORITY):
            if isinstance(change, str):
                await pilot.press(change)
            else:
                queue.sort_by(change)
            await settle(pilot)
            assert table.current is not None and table.current.id == selected.id, change
            assert table.shown_spec == table.spec

        for view in (QueueView.ALL, QueueView.OPEN):
            queue.show_view(view)
            await settle(pilot)
            assert table.current is not None and table.current.id == selected.id, view

        await pilot.press("slash", *selected.customer.split()[0])
        await pilot.pause(FILTER_DEBOUNCE + 0.05)
        await settle(pilot)
        assert table.spec.text
        assert table.current is not None and table.current.id == selected.id
        assert 0 <= table.cursor - int(table.scroll_offset.y) < table.size.height  # on screen

        # A list that does not show it: the cursor starts at the top, as it always did.
        await pilot.press("enter", "escape")
        queue.show_view(QueueView.MINE)
        await settle(pilot)
        assert selected.owner != "alex"
        assert table.cursor == 0 and table.current is not None


async def test_issue10_finding4_a_ticket_far_down_a_new_sort_is_found_and_shown(
        demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        queue, table, selected = await on_the_oldest_of_all(pilot)
        assert table.cursor == table.total - 1

        queue.sort_by(QueueSort.AGE)  # the same column again: reversed, now on top
        await settle(pilot)
        assert table.cursor == 0 and int(table.scroll_offset.y) == 0
        assert table.current is not None and table.current.id == selected.id

        await pilot.press("s")  # by last contact: somewhere in the middle, on screen
        await settle(pilot)
        assert table.current is not None and table.current.id == selected.id
        assert 0 <= table.cursor - int(table.scroll_offset.y) < table.size.height


async def test_issue10_finding4_a_slow_search_selects_nothing_until_the_ticket_is_found(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        queue, table, selected = await on_the_oldest_of_all(pilot)
        # A lookup that runs out of time (a huge list under a filter no index answers).
        monkeypatch.setattr(QueueSource, "position_within", lambda *_args: None)
        seen: list[str | None] = []
        real_located = table._located

        def located(generation: int, index: int | None) -> None:
            seen.append(table.current.id if table.current else None)  # before it lands
            real_located(generation, index)

        table._located = located  # type: ignore[method-assign]
        queue.sort_by(QueueSort.KEY)  # newest key first: the oldest ticket far down
        await settle(pilot)
        assert seen == [None]  # the rows showed with no ticket selected, so none acted on
        assert table.current is not None and table.current.id == selected.id
        assert table.cursor > table.size.height


def test_a_new_sort_reads_only_the_rows_around_the_followed_ticket(demo_db: Path) -> None:
    """Issue 16: a new spec without a filter finds the followed ticket's place first and
    reads the rows around it there, not first the rows the screen showed before; a
    ticket the new list does not show leaves the cursor on its first row."""
    by_key = QueueSpec(view=QueueView.ALL, sort=QueueSort.KEY, descending=False)
    source = QueueSource(str(demo_db), by_key)
    try:
        expected = [row.id for row in source.rows(0, source.count())]
        index = len(expected) // 2
        source.set_spec(QueueSpec(view=QueueView.ALL))
        source.set_spec(by_key)  # nothing of it read any more
        reads: list[tuple[int, int]] = []
        rows = source.rows

        def read(start: int, stop: int) -> list[TicketRow]:
            reads.append((start, stop))
            return rows(start, stop)

        source.rows = read  # type: ignore[method-assign]
        selection = Selection(expected[index], cursor=3, top=0, height=20)
        placed = place(source, selection, same_list=False, start=0, stop=84, read_ahead=64)
        assert (placed.cursor, placed.top) == (index, index - 3)
        assert [row.id for row in placed.rows] \
            == expected[placed.start:placed.start + len(placed.rows)]
        assert placed.start <= placed.top and placed.top + 20 <= placed.start + len(placed.rows)
        assert reads == [(placed.start, index - 3 + 20 + 64)]  # not the rows at 0 first
        source.set_spec(QueueSpec(view=QueueView.ESCALATED))
        escalated = {row.id for row in rows(0, source.count())}
        outside = next(ticket for ticket in expected if ticket not in escalated)
        reads.clear()
        placed = place(source, Selection(outside, cursor=3, top=0, height=20),
                       same_list=False, start=0, stop=84, read_ahead=64)
        assert (placed.start, placed.cursor, placed.top) == (0, 0, 0)
        assert reads == [(0, 84)] and placed.rows
    finally:
        source.close()
