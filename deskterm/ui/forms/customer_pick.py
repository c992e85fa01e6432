"""A customer field that finds as you type: name, organisation, phone, email or id.

Typing waits a moment (`DEBOUNCE`), then reads the matching customers in a thread
(services.customers.customers_matching, with a LIMIT) and lists them under the input.
Keyboard first: `↓` (or Enter) moves from the input into the list, `↑`/`↓` move in it and
Enter picks the highlighted customer: the input then shows their name and the field
stands for their id. Typing again drops the pick. What is left typed (an exact email or
id, or a name) is resolved when the form saves (services.customers.customer_for), where
a name several customers hold is refused with the matches listed.
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from deskterm.i18n import N_
from deskterm.services.customers import customers_matching
from deskterm.store import Store
from deskterm.store.queries import CustomerRow

#: Seconds of no typing before the customers are read.
DEBOUNCE = 0.2
#: The most suggestions listed.
SUGGESTIONS = 8


def suggestion(row: CustomerRow) -> Content:
    """`Mei Wang · Acme · mei@acme.example`, as the list shows a customer."""
    return Content(" · ".join(part for part in (row.name, row.organisation,
                                                 row.email or row.phone) if part))


class CustomerPick(Vertical):
    """An Input (id `input_id`) with the customers it matches listed under it."""

    DEFAULT_CSS = """
    CustomerPick { height: auto; }
    CustomerPick > OptionList { height: auto; max-height: 8; display: none; }
    CustomerPick > OptionList.-shown { display: block; }
    """

    BINDINGS = [
        Binding("down", "suggestions", N_("Suggestions"), show=False,
                id="customer_pick.suggestions"),
    ]

    def __init__(self, store: Store, value: str = "", *, input_id: str,
                 placeholder: str = "") -> None:
        super().__init__()
        self._store = store
        self._input = Input(value, id=input_id, placeholder=placeholder)
        self._matches = OptionList(id=f"{input_id}-matches")
        #: The picked customer: the name the input shows for them, and their id.
        self._picked: tuple[str, str] | None = None
        #: The names of the customers listed, by id.
        self._names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield self._input
        yield self._matches

    @property
    def ref(self) -> str:
        """The picked customer's id, or what is typed (an email, an id or a name)."""
        value = self._input.value.strip()
        if self._picked and self._picked[0] == value:
            return self._picked[1]
        return value

    # -- finding -------------------------------------------------------------------------

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._picked and self._picked[0] == event.value:
            return  # the pick itself wrote the name
        self._picked = None
        if not event.value.strip():
            self._show(event.value, [])
        self._search(event.value)

    @work(thread=True, exclusive=True, group="customer-pick", exit_on_error=False)
    def _search(self, text: str) -> None:
        time.sleep(DEBOUNCE)  # exclusive: newer typing cancels this one while it waits
        if get_current_worker().is_cancelled or not text.strip():
            return
        rows = customers_matching(self._store, text, limit=SUGGESTIONS)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, text, rows)

    def _show(self, text: str, rows: list[CustomerRow]) -> None:
        if text != self._input.value:
            return  # typed on since
        matches = self._matches
        matches.clear_options()
        self._names = {row.id: row.name for row in rows}
        matches.add_options(Option(suggestion(row), id=row.id) for row in rows)
        # One that is already exactly what is typed needs no list.
        exact = len(rows) == 1 and text.strip().lower() in (rows[0].email or "", rows[0].id)
        matches.set_class(bool(rows) and not exact, "-shown")
        if rows:
            matches.highlighted = 0

    # -- picking -------------------------------------------------------------------------

    def action_suggestions(self) -> None:
        if self._input.has_focus and self._matches.has_class("-shown"):
            self._matches.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        customer_id = event.option.id
        if customer_id is None:
            return
        label = self._names.get(customer_id, "")
        self._picked = (label, customer_id)
        self._input.value = label
        self._matches.remove_class("-shown")
        self._input.focus()
        self.call_after_refresh(self.screen.focus_next)  # on to the next field
