"""Fixtures for the server's own tests: server databases that older releases made."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.support.sync import PG_VARIABLE, create_pg_database, drop_pg_database, pg_admin_url

DATA = Path(__file__).parent / "data"
#: Each schema a released server database can have (see data/make_old_server_database.sh):
#: the first release's (f840b3f; on PostgreSQL 1ac0039, the first that ran on it), and the
#: last one before migrations were Alembic's (0818bc9).
RELEASES = ["first-release", "last-pre-alembic"]


@dataclass(frozen=True)
class OldServer:
    """A server database an older release made, copied for one test, and its tokens."""

    url: str
    tokens: dict[str, str]


@pytest.fixture(params=[(release, backend) for release in RELEASES
                        for backend in ("sqlite", "postgres")],
                ids=lambda param: "-".join(param))
def old_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OldServer]:
    release, backend = request.param
    if backend == "sqlite":
        path = tmp_path / "server.db"
        shutil.copyfile(DATA / f"{release}.sqlite", path)
        tokens = json.loads((DATA / f"{release}.sqlite.tokens.json").read_text())
        yield OldServer(f"sqlite:///{path}", tokens)
        return
    admin = pg_admin_url()
    if admin is None:
        pytest.skip(f"{PG_VARIABLE} is not set: no PostgreSQL to test against")
    url = create_pg_database(admin)
    dump = (DATA / f"{release}.pg.sql").read_text()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as connection:
        connection.execute(dump)  # type: ignore[arg-type]
    try:
        yield OldServer(url, json.loads((DATA / f"{release}.pg.tokens.json").read_text()))
    finally:
        drop_pg_database(admin, url)
