"""`deskterm server import`: what it says, in English and Dutch, as text and JSON."""

from __future__ import annotations

from pathlib import Path

from deskterm.server.accounts import add_user
from deskterm.server.database import Database
from tests.cli.conftest import Cli
from tests.support.sync import snapshot_server


def _desk(tmp_path: Path) -> tuple[str, Path]:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    add_user(db, "alex", role="agent", team="north")
    db.dispose()
    folder = tmp_path / "old-desk"
    folder.mkdir()
    (folder / "customers.csv").write_text("id;name\nc1;Anna\nc2;Bert\n", encoding="utf-8")
    (folder / "tickets.csv").write_text(
        "id,subject,customer,owner\nt1,VPN drops,c1,alex\nt2,,c2,\nt3,Printer,c2,robin\n",
        encoding="utf-8")
    return url, folder


def test_import_reports_each_file_and_its_bad_rows(run_cli: Cli, tmp_path: Path) -> None:
    url, folder = _desk(tmp_path)
    dry = run_cli("server", "import", str(folder), "--dry-run", "--database-url", url)
    assert dry.code == 0, dry.err
    assert dry.out.splitlines() == [
        "customers.csv: 2 customers would be imported",
        "tickets.csv: 1 ticket would be imported; 2 bad rows skipped",
        "  line 3: subject is required",
        "  line 4: owner: no agent has the handle robin"]
    assert "nothing was written" in dry.err
    assert snapshot_server(url, ["customer"])["customer"] == {}

    done = run_cli("server", "import", str(folder), "--author", "alex", "--database-url", url)
    assert done.code == 0, done.err
    assert done.out.splitlines()[:2] == ["customers.csv: 2 customers imported",
                                         "tickets.csv: 1 ticket imported; 2 bad rows skipped"]
    [ticket] = snapshot_server(url, ["ticket"])["ticket"].values()
    assert (ticket["subject"], ticket["number"]) == ("VPN drops", 1001)

    again = run_cli("--lang", "nl", "server", "import", str(folder / "tickets.csv"),
                    "--database-url", url)
    assert again.out.splitlines() == [
        "tickets.csv: 0 meldingen geïmporteerd; 1 eerder geïmporteerd, niet nog eens "
        "toegevoegd; 2 foute regels overgeslagen",
        "  regel 3: subject is verplicht",
        "  regel 4: owner: geen medewerker heeft de gebruikersnaam robin"]

    data = run_cli("--json", "server", "import", str(folder), "--database-url", url).data
    assert [(f["entity"], f["imported"], f["already_imported"]) for f in data["files"]] == [
        ("customer", 0, 2), ("ticket", 0, 1)]
    assert data["files"][1]["bad"][0] == {"line": 3, "error": "subject is required"}


def test_import_fails_when_no_row_could_be_imported(run_cli: Cli, tmp_path: Path) -> None:
    url, folder = _desk(tmp_path)
    (folder / "customers.csv").unlink()
    refused = run_cli("server", "import", str(folder / "tickets.csv"), "--database-url", url)
    assert refused.code != 0 and "no row could be imported" in refused.err
    unknown = run_cli("server", "import", str(folder), "--author", "robin",
                      "--database-url", url)
    unknown.refused(unknown.code, "no agent has the handle robin")
    missing = run_cli("server", "import", str(tmp_path / "nowhere"), "--database-url", url)
    missing.refused(missing.code, "no file")
