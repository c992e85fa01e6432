"""The `?` panel: the keys of where you are first, grouped, Textual's generic keys last.

Textual's own panel lists the focused widget's bindings first, and in a list or a scroll
view those are the generic scroll keys (`↑ ↓ pgup pgdn home end …`), so the app's keys
fell below the fold. Here every binding of ours carries an id (`queue.next_view`,
`ticket.assign`, `app.quit`) whose first part names its group; the groups come in the
order the keys are reached from the focus outwards (the pane or dialog, then the screen,
then the app), and the bindings without an id, Textual's, come last as "Scrolling and
editing".
"""

from __future__ import annotations

from collections import defaultdict

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable

from deskterm.i18n import N_, _

#: The title of each group of keys, by the first part of the binding ids.
GROUP_TITLES = {
    "queue": N_("Queue"),
    "kb": N_("Knowledge base"),
    "history": N_("Customer"),
    "goodwill": N_("Goodwill"),
    "ticket": N_("The selected ticket"),
    "workspace": N_("Panes"),
    "pane": N_("Panes"),
    "form": N_("This form"),
    "discard": N_("This question"),
    "people": N_("This screen"),
    "board": N_("Escalation board"),
    "oversight": N_("Goodwill oversight"),
    "mood": N_("Mood"),
    "kudos": N_("Kudos"),
    "rejected": N_("Rejected changes"),
    "app": N_("Anywhere"),
}
#: Textual's own keys (bindings without an id): the last group.
GENERIC = N_("Scrolling and editing")


def group_of(binding: Binding) -> str:
    if not binding.id:
        return GENERIC
    prefix = binding.id.split(".", 1)[0]
    return GROUP_TITLES.get(prefix, prefix.replace("_", " ").capitalize())


class DeskBindingsTable(BindingsTable):
    """The screen's active keys, grouped by what they belong to, ours first."""

    def render_bindings_table(self) -> Table:
        table = Table(padding=(0, 0), show_header=False, box=box.SIMPLE, expand=False)
        table.add_column("", justify="right")
        table.add_column("")
        key_style = self.get_component_rich_style("bindings-table--key")
        header_style = self.get_component_rich_style("bindings-table--header")
        description_style = self.get_component_rich_style("bindings-table--description")
        # group -> action -> (bindings, enabled); and how near the focus each group is.
        groups: dict[str, dict[str, tuple[list[Binding], bool]]] = defaultdict(dict)
        nearness: dict[str, int] = {}
        for namespace, binding, enabled, _tooltip in self.screen.active_bindings.values():
            group = group_of(binding)
            actions = groups[group]
            found, was_enabled = actions.get(binding.action, ([], enabled))
            actions[binding.action] = ([*found, binding], was_enabled and enabled)
            depth = len(namespace.ancestors_with_self)  # the app 1, a screen 2, …
            nearness[group] = max(nearness.get(group, 0), depth)
        order = sorted(groups, key=lambda name: (name == GENERIC, -nearness[name]))
        for index, name in enumerate(order):
            if index:
                table.add_row("", "")
            # A group named after an unknown id prefix is shown as it is.
            title = _(name) if name == GENERIC or name in GROUP_TITLES.values() else name
            table.add_row("", Text(title, style=header_style))
            # The keys the footer shows first, then the rest (moving the cursor, …).
            rows = sorted(groups[name].values(), key=lambda row: not row[0][0].show)
            for bindings, enabled in rows:
                keys = " ".join(dict.fromkeys(self.app.get_key_display(binding)
                                              for binding in bindings))
                first = bindings[0]
                description = Text(first.description or first.action, style=description_style)
                if first.tooltip:
                    description.append(" " + first.tooltip, style="dim")
                row_style = "" if enabled else "dim"
                table.add_row(Text(keys, style=key_style), description, style=row_style)
        return table


class DeskKeyPanel(KeyPanel):
    def compose(self) -> ComposeResult:
        yield DeskBindingsTable(shrink=True, expand=False)


class KeysHelp(HelpPanel):
    """Textual's help panel (a `HelpPanel`, so the palette's "Keys" toggles it too),
    with the keys grouped as this module says."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield DeskKeyPanel(id="keys-help")
