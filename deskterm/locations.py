"""Where deskterm keeps its files: config, data and cache, via platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "deskterm"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The TOML config: `DESKTERM_CONFIG` points at another file (tests use this)."""
    override = os.environ.get("DESKTERM_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_store_path() -> Path:
    """The agent's local store, unless `--db` or `DESKTERM_DB` say otherwise."""
    return data_dir() / "deskterm.db"


def demo_store_path(language: str = "en") -> Path:
    """The store `deskterm --demo` fills once and opens: one per language, so a Dutch and
    an English demo desk do not overwrite each other (`demo.db`, `demo-nl.db`)."""
    return data_dir() / ("demo.db" if language == "en" else f"demo-{language}.db")
