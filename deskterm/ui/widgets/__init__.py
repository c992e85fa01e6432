"""Widgets of the workspace: one package per pane, plus what they share."""
