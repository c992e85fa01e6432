"""`server.importing`: bad rows reported and skipped, nothing twice, dry runs write nothing,
either CSV convention, references by old id, email, key, code and handle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import using
from deskterm.server.accounts import add_user
from deskterm.server.changelog import write_as_server
from deskterm.server.database import Database, change_log
from deskterm.server.importing import import_desk
from deskterm.server.importing.imported import imported_row
from deskterm.sync.codec import DecodedChange
from tests.support.sync import snapshot_server


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    add_user(database, "alex", role="agent", team="north")
    write_as_server(database, [DecodedChange("department", "dep-it", "insert",
                                             {"code": "IT", "name": "IT"})])
    try:
        yield database
    finally:
        database.dispose()


def _count(db: Database, table: object) -> int:
    with db.reading() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _files(folder: Path, **files: str) -> Path:
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_good_rows_are_kept_and_bad_ones_reported_by_line(db: Database, tmp_path: Path) -> None:
    folder = _files(
        tmp_path,
        customers="id,name,email\nc1,Anna,anna@example.nl\nc2,,x@example.nl\nc1,Anna again,\n",
        tickets="id,subject,customer,customer_email,priority,department,owner,status\n"
                "t1,VPN drops,c1,,1,IT,alex,open\n"
                "t2,Printer,,anna@example.nl,P4,,,closed\n"
                "t3,Nobody's,,nobody@example.nl,,,,\n"
                "t4,Wrong team,c1,,,HR,,\n"
                "t5,Who?,c1,,,,robin,\n"
                "t6,Too urgent,c1,,0,,,\n"
                "t7,Odd status,c1,,,,,pending\n",
        contacts="id,ticket,channel,summary,occurred_at\n"
                 "k1,t1,phone,Called,2024-03-03T10:05:00+01:00\n"
                 "k2,SD-1002,email,Mailed,2024-03-04\n"
                 "k3,t3,phone,Lost,2024-03-04\n"
                 "k4,t1,phone,Later,2999-01-01\n"
                 "k5,t1,phone,No time,\n")
    report = import_desk(db, [folder])
    by_entity = {f.entity: f for f in report.files}
    assert [f.entity for f in report.files] == ["customer", "ticket", "contact"]
    assert by_entity["customer"].imported == 1
    assert by_entity["customer"].bad == [(3, "name is required"),
                                         (4, "id c1 is on line 2 already")]
    assert by_entity["ticket"].imported == 2
    assert by_entity["ticket"].bad == [
        (4, "no customer has the email nobody@example.nl"),
        (5, "no department has the code HR"),
        (6, "owner: no agent has the handle robin"),
        (7, "priority must be a whole number from 1 to 4, not '0'"),
        (8, "status 'pending' is not one of: new, open, waiting, escalated, resolved, closed")]
    assert by_entity["contact"].imported == 2
    assert [line for line, _why in by_entity["contact"].bad] == [4, 5, 6]
    assert "t3" in by_entity["contact"].bad[0][1]
    assert by_entity["contact"].bad[1][1] == "occurred_at is in the future"
    rows = snapshot_server(db.engine, ["ticket", "contact"])
    tickets = {t["subject"]: t for t in rows["ticket"].values()}
    assert (tickets["VPN drops"]["number"], tickets["Printer"]["number"]) == (1001, 1002)
    assert tickets["VPN drops"]["department_id"] == "dep-it"
    assert tickets["Printer"]["resolved_at"] is not None  # closed: resolved when last changed
    assert {c["ticket_id"] for c in rows["contact"].values()} == {tickets["VPN drops"]["id"],
                                                                 tickets["Printer"]["id"]}
    assert report.head == _count(db, change_log)


def test_running_the_same_import_again_adds_nothing(db: Database, tmp_path: Path) -> None:
    folder = _files(tmp_path, customers="id,name\nc1,Anna\nc2,Bert\n",
                    articles="id,title,tags\na1,Reset VPN,vpn|network\n")
    first = import_desk(db, [folder])
    rows, log = snapshot_server(db.engine, ["customer", "kb_article"]), _count(db, change_log)
    again = import_desk(db, [folder / "customers.csv", folder / "articles.csv"])
    assert [f.imported for f in first.files] == [2, 1]
    assert [(f.imported, f.already) for f in again.files] == [(0, 2), (0, 1)]
    assert snapshot_server(db.engine, ["customer", "kb_article"]) == rows
    assert _count(db, change_log) == log and _count(db, imported_row) == 3
    # A new row in the file is added; the rest is still counted, not added.
    (folder / "customers.csv").write_text("id,name\nc1,Anna\nc2,Bert\nc3,Cor\n")
    third = import_desk(db, [folder / "customers.csv"])
    assert (third.files[0].imported, third.files[0].already) == (1, 2)


def test_a_dry_run_judges_every_row_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    folder = _files(tmp_path, customers="id,name\nc1,Anna\n",
                    tickets="id,subject,customer\nt1,VPN,c1\nt2,Lost,c9\n")
    before = snapshot_server(db.engine, None)
    report = import_desk(db, [folder], dry_run=True)
    assert [(f.entity, f.imported, len(f.bad)) for f in report.files] == [
        ("customer", 1, 0), ("ticket", 1, 1)]  # t1 finds c1, planned in this run
    assert snapshot_server(db.engine, None) == before
    assert _count(db, imported_row) == 0


def test_a_long_article_body_and_a_ticket_s_last_contact_are_read(db: Database,
                                                                   tmp_path: Path) -> None:
    body = "Step. " * 30_000  # 180,000 characters: more than csv's default cell
    folder = _files(tmp_path, articles=f'id,title,body\na1,Long,"{body}"\n',
                    customers="id,name\nc1,Anna\n",
                    tickets="id,subject,customer,last_contact_at\nt1,Hi,c1,2024-05-01T08:00\n")
    report = import_desk(db, [folder])
    assert [f.bad for f in report.files] == [[], [], []]
    rows = snapshot_server(db.engine, ["kb_article", "ticket"])
    assert [a["body"] for a in rows["kb_article"].values()] == [body.strip()]
    [ticket] = rows["ticket"].values()
    assert ticket["last_contact_at"].isoformat() == "2024-05-01T08:00:00+00:00"


def test_the_dutch_convention_is_read(db: Database, tmp_path: Path) -> None:
    folder = _files(tmp_path, customers="\ufeffid;name;products\nc1;Anna;Laptop|VPN\n",
                    tickets="id;subject;customer;priority;created_at\n"
                            "t1;\"Printer; 2e etage\";c1;2,0;2024-03-01 09:30\n")
    report = import_desk(db, [folder])
    assert [f.bad for f in report.files] == [[], []]
    ticket = next(iter(snapshot_server(db.engine, ["ticket"])["ticket"].values()))
    assert (ticket["subject"], int(ticket["priority"])) == ("Printer; 2e etage", 2)
    assert ticket["created_at"].isoformat() == "2024-03-01T09:30:00+00:00"


def test_an_erased_customer_takes_nothing_new(db: Database, tmp_path: Path) -> None:
    import_desk(db, [_files(tmp_path, customers="id,name,email\nc1,Anna,anna@example.nl\n")])
    with db.reading() as connection:
        customer_id = connection.execute(select(imported_row.c.row_id)).scalar_one()
    write_as_server(db, [DecodedChange("customer", customer_id, "update",
                                       {"erased_at": utcnow(), "name": "(erased)"})])
    report = import_desk(db, [_files(tmp_path, tickets="id,subject,customer\nt1,Hi,c1\n")])
    assert report.files[-1].imported == 0
    assert "erased" in report.files[-1].bad[0][1]


def test_files_that_cannot_be_read_are_refused_whole(db: Database, tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text("id\n1\n")
    with pytest.raises(InvalidInput, match="only files named"):
        import_desk(db, [tmp_path / "orders.csv"])
    (tmp_path / "tickets.csv").write_text("id,subject,colour\n")
    with pytest.raises(InvalidInput, match="unknown column colour"):
        import_desk(db, [tmp_path / "tickets.csv"])
    (tmp_path / "tickets.csv").write_text("id,customer\n")
    with pytest.raises(InvalidInput, match="the column subject"):
        import_desk(db, [tmp_path / "tickets.csv"])
    # A bad header in a later file: nothing of the earlier ones is written either.
    (tmp_path / "customers.csv").write_text("id,name\nc1,Anna\n")
    with pytest.raises(InvalidInput, match="the column subject"):
        import_desk(db, [tmp_path / "customers.csv", tmp_path / "tickets.csv"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidInput, match="holds none of"):
        import_desk(db, [empty])
    with using("nl"), pytest.raises(InvalidInput, match="heeft een kopregel nodig met de "
                                                        "kolom subject"):
        import_desk(db, [tmp_path / "tickets.csv"])
    assert _count(db, imported_row) == 0


def test_bad_rows_are_told_in_dutch(db: Database, tmp_path: Path) -> None:
    folder = _files(tmp_path, tickets="id,subject,customer\nt1,,\nt2,Hi,c9\n")
    with using("nl"):
        report = import_desk(db, [folder])
    assert report.files[0].bad == [(2, "subject is verplicht"),
                                   (3, "klant 'c9' zit niet in deze of een eerdere import")]
