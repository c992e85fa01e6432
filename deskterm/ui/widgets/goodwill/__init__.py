"""Pane 4: the agent's goodwill budget."""

from deskterm.ui.widgets.goodwill.pane import GoodwillPane

__all__ = ["GoodwillPane"]
