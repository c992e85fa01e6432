"""The demo desk's content: the TOML files beside this module, read as package data.

Topics (`topics_*.toml`), the sentences the desk writes (`phrases.toml`), the word
lists subjects and people are made of (`words.toml`), the desk's departments, teams and
people (`people.toml`) and the knowledge base's words and templates (`articles.toml`)
are text for people to edit, not code; the modules that use them (topics.py, phrases.py,
corpus.py, people.py, articles.py) read them from here.

English is in this folder; every other language has a folder of its own (`nl/`) with
files of the same names and the same shape: a Dutch desk is written in Dutch, not
translated at generation time.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

#: The language of the files in this folder itself; other languages have a subfolder.
SOURCE_LANGUAGE = "en"


def _path(name: str, language: str) -> Traversable:
    folder = files(__name__)
    if language != SOURCE_LANGUAGE:
        folder = folder.joinpath(language)
    return folder.joinpath(f"{name}.toml")


def has_content(name: str, language: str = SOURCE_LANGUAGE) -> bool:
    """Whether the content file `name` exists in `language`."""
    return _path(name, language).is_file()


def read_content(name: str, language: str = SOURCE_LANGUAGE) -> dict[str, Any]:
    """One content file, parsed: `read_content("phrases", "nl")` reads content/nl/phrases.toml."""
    return tomllib.loads(_path(name, language).read_text(encoding="utf-8"))


def frozen(value: Any) -> Any:
    """TOML's lists as tuples, at every depth, so the content cannot be changed by a caller."""
    if isinstance(value, list):
        return tuple(frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: frozen(item) for key, item in value.items()}
    return value
