"""The workspace's first frame imports none of the heavy parts; used later, they load and work.

A fresh interpreter starts the app headless on a demo store and, the moment the queue's
first rows are on screen, lists which modules are imported. SQLModel, SQLAlchemy,
Babel's dates, the server, the forms and Markdown must not be among them: they load when
a pane, a form, an article or sync first needs them. The forms' behaviour after that is
what tests/ui holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.demo import demo_store

#: Modules (and their submodules) the first frame must not have imported.
HEAVY = ("sqlmodel", "sqlalchemy", "babel.dates", "fastapi", "httpx", "deskterm.server",
         "deskterm.services", "deskterm.ui.forms", "deskterm.store.engine",
         "markdown_it", "textual.widgets._markdown", "deskterm.ui.widgets.markdown")

_PROBE = """
import asyncio, json, sys
from pathlib import Path
from deskterm.config import Config
from deskterm.ui.app import DesktermApp
from deskterm.ui.widgets.queue.table import QueueTable

HEAVY = {heavy!r}

def loaded():
    return sorted(name for name in list(sys.modules)
                  if any(name == h or name.startswith(h + ".") for h in HEAVY))

def first_rows(app):
    if type(app.screen).__name__ != "WorkspaceScreen":
        return False
    tables = app.screen.query(QueueTable)
    return bool(tables) and tables.first().current is not None

async def main():
    db = Path(sys.argv[1])
    app = DesktermApp(Config(db=db, agent="alex"), db, "alex", remember_theme=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while not first_rows(app):
            await asyncio.sleep(0.002)
        at_frame = loaded()
        await pilot.press("n")  # the new-ticket form: imported now, and it opens
        for _ in range(500):
            if type(app.screen).__name__ == "NewTicketForm":
                break
            await asyncio.sleep(0.01)
        print(json.dumps({{"at_frame": at_frame, "after_form": loaded(),
                          "form": type(app.screen).__name__}}))
        app.exit()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store(tmp_path_factory.mktemp("lazy") / "desk.db", tickets=300)


def test_first_frame_imports_none_of_the_heavy_modules(demo_db: Path) -> None:
    probe = _PROBE.format(heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", probe, str(demo_db)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["at_frame"] == []
    # Used, a form loads what it needs and opens as before.
    assert seen["form"] == "NewTicketForm"
    assert "deskterm.ui.forms.ticket" in seen["after_form"]
    assert "sqlmodel" in seen["after_form"]


def test_counts_are_grouped_as_babel_groups_them() -> None:
    from babel.numbers import format_decimal

    from deskterm.i18n import using
    from deskterm.i18n.formats import babel_locale, number

    for language in ("en", "nl"):
        with using(language):
            for value in (0, 7, -7, 999, 1000, -1234, 1_234_567, -987_654_321, 10**12):
                assert number(value) == format_decimal(value, locale=babel_locale(language))
