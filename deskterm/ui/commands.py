"""The command palette's desk commands: every action of the screen, with the key that runs it.

A screen offers commands by having a `palette_commands()` method; most are made from
its bindings (`binding_commands`), so the key shown is the one the agent's keymap set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.markup import escape

from deskterm.ui.language import shown

#: (binding id, title in the palette, what it does): both texts marked `N_()`, translated
#: when the palette shows them.
ActionEntry = tuple[str, str, str]


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    run: Callable[[], object]


def bound_key(node: DOMNode, binding_id: str) -> tuple[str, str] | None:
    """The key (as shown) and the action of `node`'s binding `binding_id`, after the keymap."""
    bindings = node._bindings.copy()
    keymap = node.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)
    for binding in (b for found in bindings.key_to_bindings.values() for b in found):
        if binding.id == binding_id:
            return node.app.get_key_display(binding), binding.action
    return None


def binding_commands(node: DOMNode, entries: Iterable[ActionEntry]) -> Iterator[PaletteCommand]:
    """Commands that run `node`'s bindings, as if their keys were pressed there."""
    for binding_id, title, help_text in entries:
        found = bound_key(node, binding_id)
        if found is not None:
            key, action = found
            yield PaletteCommand(shown(title), f"{key} · {shown(help_text)}",
                                 partial(node.app.run_action, action, node))


class DeskCommands(Provider):
    """The calling screen's own commands: discoverable, and fuzzy-searched by title."""

    def _commands(self) -> list[PaletteCommand]:
        source = getattr(self.screen, "palette_commands", None)
        return list(source()) if callable(source) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(escape(command.title), command.run, text=command.title,
                               help=escape(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run,
                          text=command.title, help=escape(command.help))
