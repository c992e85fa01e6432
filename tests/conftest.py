"""Shared fixtures: a fresh store file per test and a small desk of people on it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskterm.domain import Customer, clock
from deskterm.i18n import set_language
from deskterm.services import customers, groups, org
from deskterm.services.context import ServiceContext, context_for
from deskterm.store import Store, open_store

#: The server and replica fixtures of tests/sync and tests/server (`server`, `replica_of`, ...).
pytest_plugins = ["tests.support.servers", "tests.support.smtp"]

#: The moment fixed clocks stand at: a Monday afternoon in UTC.
FIXED_NOW = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_calendar() -> Iterator[None]:
    """Every test, and every process it starts, sees the calendar stand at FIXED_NOW.

    The clock keeps running (durations, timeouts and clock stamps behave as in real use),
    but a test never depends on the day, week or month the suite happens to run in.
    """
    clock.shift_to(FIXED_NOW)
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's config, data dir or DESKTERM_* variables."""
    for name in ("DESKTERM_DB", "DESKTERM_AGENT", "DESKTERM_SERVER", "DESKTERM_TOKEN",
                 "DESKTERM_THEME", "DESKTERM_CURRENCY", "DESKTERM_LANG"):
        monkeypatch.delenv(name, raising=False)
    # English unless a test chooses Dutch: not the language of the machine running the suite.
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("DESKTERM_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # Tables print as wide as the terminal; with none (CI, pytest-xdist workers) that
    # would be whatever the environment says. One width, so no test depends on it.
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Every test starts in English, and a test that switches language leaves none behind."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated store in a real SQLite file."""
    opened = open_store(tmp_path / "store.db")
    yield opened
    opened.close()


#: The desk fixture's resolver groups: name and tier.
RESOLVER_GROUPS = (("Network", 2), ("Vendor", 3), ("Billing", 2), ("IAM", 2),
                   ("Identity", 2))


@dataclass
class Desk:
    """A small desk: an admin, a lead and two agents in "Desk North", one agent elsewhere."""

    store: Store
    admin: ServiceContext
    lead: ServiceContext
    alex: ServiceContext
    blake: ServiceContext
    casey: ServiceContext  # in "Desk South", another team
    customer: Customer
    other_customer: Customer

    def as_(self, handle: str, clock: object = None) -> ServiceContext:
        options = {"clock": clock} if clock else {}
        return context_for(self.store, handle, **options)


@pytest.fixture
def desk(store: Store) -> Desk:
    org.add_agent(None, store, handle="root", name="Rosa Admin", team="Desk North")
    admin = context_for(store, "root")
    org.add_agent(admin, store, handle="morgan", name="Morgan Lead", role="lead",
                  team="Desk North")
    org.add_agent(admin, store, handle="alex", name="Alex Agent", team="Desk North")
    org.add_agent(admin, store, handle="blake", name="Blake Agent", team="Desk North")
    org.add_agent(admin, store, handle="casey", name="Casey South", team="Desk South")
    org.add_agent(admin, store, handle="sam", name="Sam Second", tier=2, team="Second Line")
    org.add_department(admin, code="IT", name="IT")
    org.add_department(admin, code="HR", name="Human Resources")
    customer = customers.create_customer(
        admin, name="Jo Jansen", email="jo@example.com", organisation="Acme",
        products=["Laptop", "VPN"],
    )
    other = customers.create_customer(admin, name="Kim Klaassen", email="kim@example.com")
    # The resolver groups escalations go to (services.groups), led by sam.
    for name, tier in RESOLVER_GROUPS:
        groups.add_group(admin, name, tier=tier, lead="sam")
    return Desk(store, admin, context_for(store, "morgan"), context_for(store, "alex"),
                context_for(store, "blake"), context_for(store, "casey"), customer, other)


def table_counts(store: Store) -> dict[str, int]:
    """Rows per table: the "nothing was written" check after a refused operation."""
    with store.raw() as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'kb_fts%'"
        )]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in tables}


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems start with (022): files are made readable by all unless the
    code making them says otherwise, which is what the file-mode tests prove it does."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def database_file_modes(path: Path) -> dict[str, int]:
    """The permission bits of a SQLite file and of its -wal and -shm files."""
    return {name: stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode)
            for name, suffix in (("db", ""), ("wal", "-wal"), ("shm", "-shm"))}
