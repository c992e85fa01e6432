"""What each app is put through per round of the key benchmark, and what counts as done."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from deskterm.bench.baselines import DataTableApp, MinimalApp
from deskterm.bench.keys import Condition, KeyRun, until

#: Filter words: one found in many subjects, one found nowhere.
COMMON_WORD = "printer"
RARE_WORD = "zzqx"
#: Presses at most when cycling through the sorts or views back to the first.
_MAX_CYCLE = 64


async def minimal_round(run: KeyRun) -> None:
    """Five presses of `down` on a focused widget whose binding repaints it."""
    app = run.app
    assert isinstance(app, MinimalApp)
    for _ in range(5):
        await run.quiet()
        expected = app.presses() + 1

        def pressed(expected: int = expected) -> bool:
            return app.presses() == expected

        await run.press("down", "down", pressed)


async def datatable_round(run: KeyRun) -> None:
    """Cursor moves over every row, then sorts by two columns (`DataTable.sort`)."""
    app = run.app
    assert isinstance(app, DataTableApp)
    table = app.table

    def row() -> int:
        return table.cursor_coordinate.row

    async def press(name: str, key: str, done: Callable[[int, int], bool]) -> None:
        await run.quiet()
        row_before, sorts_before = row(), app.sorts
        await run.press(name, key, lambda: done(row_before, sorts_before))

    last = table.row_count - 1
    await run.quiet()
    await drag_to_middle(run, table)
    await press("down", "down", lambda before, _s: row() == min(before + 1, last))
    await press("page down", "pagedown", lambda before, _s: row() > before)
    await press("end", "ctrl+end", lambda _r, _s: row() == last)
    await press("home", "ctrl+home", lambda _r, _s: row() == 0)
    for _ in range(2):
        await press("change sort", "s", lambda _r, sorts: app.sorts > sorts)


def drag_target(scrollable: Widget) -> tuple[int, float]:
    """The cells to drag a scrollbar's thumb from the top for the middle of the list, and
    the scroll offset that drag asks for (as Textual's scrollbar works it out)."""
    bar = scrollable.vertical_scrollbar
    lines = max(1, bar.window_size // 2)
    wanted = lines * bar.window_virtual_size / bar.window_size
    return lines, min(wanted, scrollable.max_scroll_y)


async def drag_to_middle(run: KeyRun, scrollable: Widget,
                         shown: Condition = lambda: True) -> None:
    """From the top of the list, the scrollbar's thumb dragged to the middle: timed until
    the list is scrolled there and `shown` holds (its lines are drawn)."""
    lines, wanted = drag_target(scrollable)
    await run.drag("scrollbar drag", scrollable, lines,
                   lambda: abs(scrollable.scroll_offset.y - wanted) < 1 and shown())


async def deskterm_setup(run: KeyRun) -> None:
    """Wait for the workspace, then switch the queue to All (`V` from My open wraps there)."""
    from deskterm.bench import watch
    from deskterm.store.queue import QueueView

    await until(lambda: watch.first_rows_shown(run.app), what="the workspace")
    table = watch.table_of(run.app)
    await run.quiet()
    await run.send("V", lambda: table.spec.view == QueueView.ALL
                   and not watch.queue_busy(table) and watch.rows_on_screen(table))


async def deskterm_round(run: KeyRun) -> None:
    """The workspace's queue on its biggest list: moves, every sort, filters, every view."""
    from deskterm.bench import watch
    from deskterm.store.queue import QueueView

    table = watch.table_of(run.app)

    def settled() -> bool:
        return not watch.queue_busy(table) and watch.rows_on_screen(table)

    def changed() -> Condition:
        """The table shows another spec's rows than now (their count may be on the way)."""
        before, top = table.spec, watch.top_row(table)
        return lambda: (table.spec != before and watch.rows_on_screen(table)
                        and watch.top_row(table) is not top)

    async def move(name: str, key: str, target: Callable[[], int]) -> None:
        await run.quiet()
        expected = max(0, min(table.total - 1, target()))
        await run.press(name, key, lambda: table.cursor == expected and settled())

    async def respec(name: str, key: str) -> None:
        await run.quiet()
        before = table.spec
        await run.press(name, key, lambda: table.spec != before and settled(),
                        first=changed())

    async def type_filter(name: str, text: str) -> None:
        box = watch.filter_box(run.app)
        await run.quiet()
        first = changed()
        await run.send("slash", lambda: run.app.focused is box)
        for length in range(1, len(text)):
            def typed(prefix: str = text[:length]) -> bool:
                return box.value == prefix

            await run.send(text[length - 1], typed)
        # Timed from the last key, which follows at once: the debounce fires only after it.
        await run.press(name, text[-1], lambda: table.spec.text == text and settled(),
                        first=first)
        await run.quiet()
        await run.press("clear filter", "escape", lambda: table.spec.text == "" and settled(),
                        first=changed())

    await move("down", "down", lambda: table.cursor + 1)
    await move("page down", "pagedown", lambda: table.cursor + max(1, table.size.height - 1))
    await move("end", "end", lambda: table.total - 1)
    await move("home", "home", lambda: 0)
    start = table.spec.sort
    for number in range(_MAX_CYCLE):
        await respec("change sort", "s")
        if number == 0:
            # Sorted by another column than the default: the list's middle from the top.
            await run.quiet()
            await run.send("home", lambda: table.scroll_offset.y == 0 and settled())
            await run.quiet()
            await drag_to_middle(run, table, lambda: watch.rows_on_screen(table))
            await run.quiet()
            await run.send("home", lambda: table.scroll_offset.y == 0 and settled())
        if table.spec.sort == start:
            break
    await respec("reverse sort", "S")
    await respec("reverse sort", "S")
    await type_filter("filter (common word)", COMMON_WORD)
    await type_filter("filter (rare word)", RARE_WORD)
    for _ in range(_MAX_CYCLE):
        await respec("change view", "v")
        if table.spec.view == QueueView.ALL:
            break
