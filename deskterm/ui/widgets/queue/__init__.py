"""Pane 1: the ticket queue."""

from deskterm.ui.widgets.queue.pane import QueuePane

__all__ = ["QueuePane"]
