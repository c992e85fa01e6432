"""Configuration: a TOML file validated into a typed object, overridden by DESKTERM_* variables."""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from deskterm import locations
from deskterm.domain.errors import InvalidInput
from deskterm.domain.money import DEFAULT_CURRENCY, parse_currency
from deskterm.i18n import LANGUAGES, _, parse_language


@dataclass(frozen=True)
class Config:
    """What the config file may say. Every key is optional."""

    #: The local SQLite store.
    db: Path = field(default_factory=locations.default_store_path)
    #: Handle of the agent using this machine.
    agent: str | None = None
    #: Currency of goodwill budgets.
    currency: str = DEFAULT_CURRENCY
    #: Textual theme name, remembered when the agent picks one.
    theme: str | None = None
    #: Shared server and the token to reach it (set by `deskterm login`).
    server: str | None = None
    token: str | None = None
    #: The local date the agent last skipped the mood question (it asks once a day).
    mood_skipped_on: str | None = None
    #: User keymap: binding id -> keys, e.g. {"queue.filter" = "f"}.
    keymap: dict[str, str] = field(default_factory=dict)
    #: Hours without customer contact after which the lead's board marks an escalation
    #: stale (unset: the board's default, 24).
    stale_hours: float | None = None
    #: The language deskterm speaks, `en` or `nl` (unset: the system locale's, else English;
    #: DESKTERM_LANG and `--lang` choose over it). The language switch remembers it here.
    language: str | None = None

    @property
    def path(self) -> Path:
        return locations.config_file()


_ENV = {"db": "DESKTERM_DB", "agent": "DESKTERM_AGENT", "currency": "DESKTERM_CURRENCY",
        "server": "DESKTERM_SERVER", "token": "DESKTERM_TOKEN", "theme": "DESKTERM_THEME",
        "language": "DESKTERM_LANG"}


def load_config(path: Path | None = None) -> Config:
    """Read the config file (missing is fine), then apply environment overrides.

    Raises InvalidInput naming the file when it is not valid TOML or a value has the
    wrong type, so a typo in the config is a message, not a traceback.
    """
    path = path or locations.config_file()
    raw: dict[str, object] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InvalidInput(_("config file {path} is not valid TOML: {error}").format(
                path=path, error=error)) from None
    known = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}  # each checked against its field's type by _typed
    for key, value in raw.items():
        if key not in known:
            continue  # unknown keys are kept in the file but ignored, for forward compatibility
        values[key] = _typed(path, key, value)
    for key, variable in _ENV.items():
        if os.environ.get(variable):
            values[key] = _typed(path, key, os.environ[variable])
    return replace(Config(), **values)


def _typed(path: Path, key: str, value: object) -> object:
    if key == "db":
        if not isinstance(value, str):
            raise InvalidInput(_("config file {path}: 'db' must be a path string")
                               .format(path=path))
        return Path(value).expanduser()
    if key == "keymap":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise InvalidInput(_("config file {path}: 'keymap' must map binding ids to keys")
                               .format(path=path))
        return dict(value)
    if key == "stale_hours":
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise InvalidInput(_("config file {path}: 'stale_hours' must be a number of hours "
                                 "above 0").format(path=path))
        return float(value)
    if not isinstance(value, str):
        raise InvalidInput(_("config file {path}: '{key}' must be a string").format(path=path,
                                                                               key=key))
    if key == "language":
        if parse_language(value) is None:
            raise InvalidInput(_("config file {path}: 'language' must be one of {languages}, "
                                 "not '{value}'").format(path=path, value=value,
                                                         languages=", ".join(LANGUAGES)))
        return parse_language(value)
    if key == "currency":
        try:
            return parse_currency(value)
        except InvalidInput as error:
            raise InvalidInput(_("config file {path}: {error}").format(path=path,
                                                                      error=error)) from None
    return value


def save_settings(updates: dict[str, str], path: Path | None = None) -> Path:
    """Write top-level string settings into the config file, keeping what else it holds.

    The file is written with mode 0600: it may hold a server token.
    """
    path = path or locations.config_file()
    current: dict[str, object] = {}
    if path.exists():
        try:
            current = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise InvalidInput(_("config file {path} is not valid TOML: {error}").format(
                path=path, error=error)) from None
    current.update(updates)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp makes a new file with mode 0600 whatever the umask, so the token is never
    # in a file others may read, not even for the moment before the rename (a leftover
    # `config.tmp` from an older deskterm would have kept its wider mode).
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(_dump_toml(current))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.chmod(path, 0o600)
    return path


def _dump_toml(data: dict[str, object]) -> str:
    """Enough TOML writing for our flat settings and one level of tables."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, object]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for name, table in tables:
        lines.append(f"\n[{name}]")
        lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else _toml_value(key)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'
