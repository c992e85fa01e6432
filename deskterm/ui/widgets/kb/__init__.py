"""Pane 3: the knowledge base."""

from deskterm.ui.widgets.kb.pane import KbPane

__all__ = ["KbPane"]
