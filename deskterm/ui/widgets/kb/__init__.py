"""Pane 3: the knowledge base."""

from deskterm.ui.widgets.kb.pane import KB_ACTIONS, KbPane

__all__ = ["KB_ACTIONS", "KbPane"]
