"""Pane 2: the selected ticket's customer and their whole contact history."""

from deskterm.ui.widgets.history.pane import HistoryPane

__all__ = ["HistoryPane"]
