"""The demo desk's content: the TOML files beside this module, read as package data.

Topics (`topics_*.toml`), the sentences the desk writes (`phrases.toml`), the word
lists subjects and people are made of (`words.toml`), the desk's departments, teams and
people (`people.toml`) and the knowledge base's words per department (`articles.toml`)
are text for people to edit, not code; the modules that use them (topics.py, phrases.py,
corpus.py, people.py, articles.py) read them from here.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from typing import Any


def read_content(name: str) -> dict[str, Any]:
    """One content file, parsed: `read_content("phrases")` reads content/phrases.toml."""
    text = files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def frozen(value: Any) -> Any:
    """TOML's lists as tuples, at every depth, so the content cannot be changed by a caller."""
    if isinstance(value, list):
        return tuple(frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: frozen(item) for key, item in value.items()}
    return value
