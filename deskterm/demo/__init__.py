"""Demo data: a believable shared service desk in an empty store, for trying the app out."""

from deskterm.demo.generate import DEFAULT_AGENT, DEFAULT_LEAD, DemoSummary, generate_demo

__all__ = ["DEFAULT_AGENT", "DEFAULT_LEAD", "DemoSummary", "generate_demo"]
