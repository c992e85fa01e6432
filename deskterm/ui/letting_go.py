"""Letting go of widgets that are gone: what Textual 8 keeps of them unless told.

Two ways a removed widget stays in memory for the rest of a shift (found with
`deskterm bench memory`, issue 16):

- A `Signal` keeps its subscribers in a WeakKeyDictionary whose values are the
  callbacks: a bound method of the subscriber holds it, so the key never goes, and
  with it the subscriber's screen and every widget on it. Whatever subscribes
  unsubscribes when it unmounts (`unsubscribe_on_unmount`).
- `data_bind` adds a watcher to the composing widget's reactive for each child, and
  Textual prunes those of closed children only when that reactive changes. Textual's
  footer binds each key it composes to its `compact`, which never changes, and composes
  its keys again at every focus change: some eleven widgets kept per change.
  `forget_closed_watchers` prunes them after such a recompose.
"""

from __future__ import annotations

from typing import Any

from textual.dom import DOMNode


def forget_closed_watchers(node: DOMNode) -> None:
    """Drop the watchers of `node`'s reactives that belong to widgets now closed."""
    watchers: dict[str, list[tuple[Any, Any]]] = getattr(node, "__watchers", {})
    for watcher_list in watchers.values():
        watcher_list[:] = [(owner, callback) for owner, callback in watcher_list
                           if not (getattr(owner, "_closing", False)
                                   or getattr(owner, "_closed", False))]
