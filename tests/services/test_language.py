"""The services in the desk's language: CSV written in the language's convention and read
in either, refusals said in Dutch."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlmodel import select

from deskterm.domain import Feedback
from deskterm.domain.errors import Conflict, Forbidden, InsufficientBudget, InvalidInput
from deskterm.domain.money import Money
from deskterm.i18n import using
from deskterm.services import goodwill, tickets, wellbeing
from deskterm.services.feedback import import_csv
from deskterm.services.goodwill_team import EXPORT_COLUMNS, allocate_team, export_csv
from tests.conftest import Desk, table_counts


def test_the_ledger_export_follows_the_language_s_convention(desk: Desk) -> None:
    allocate_team(desk.lead, Money(10000), period="2026-11")
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Late")
    goodwill.spend(desk.alex, Money(1250), reason="-1; a formula?", ticket=ticket.id)
    english = list(csv.reader(io.StringIO(export_csv(desk.lead, "2026-11"))))
    with using("nl"):
        written = export_csv(desk.lead, "2026-11")
    dutch = list(csv.reader(io.StringIO(written), delimiter=";"))
    assert written.splitlines()[0] == ";".join(EXPORT_COLUMNS)
    for rows, amount in ((english, "-12.50"), (dutch, "-12,50")):
        assert tuple(rows[0]) == EXPORT_COLUMNS
        spend = next(r for r in rows[1:] if r[3] == "spend")
        # The amount in the language's convention; text a spreadsheet would run, defused.
        assert spend[4:8] == ["alex", amount, "EUR", "'-1; a formula?"]
        assert sorted(r[5] for r in rows[1:] if r[3] == "allocation") == \
            [amount.replace("-12", "100").replace("50", "00")] * 2


def test_a_feedback_file_reads_the_same_written_in_english_or_in_dutch(
        desk: Desk, tmp_path: Path) -> None:
    first = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="A").key
    second = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="B").key
    english, dutch = tmp_path / "english.csv", tmp_path / "dutch.csv"
    english.write_text(
        "ticket,csat,empathy,waiting_time,comment,received_at\n"
        f"{first},4.0,5,2,\"quick, kind\",2026-11-20 10:00\n"
        f"{second},2,,1,\"slow; very\",2026-11-21 09:00\n", encoding="utf-8")
    # As Excel writes it in a Dutch locale: `;`, a decimal comma, a byte-order mark.
    dutch.write_text(
        "\ufeffticket;csat;empathy;waiting_time;comment;received_at\n"
        f"{first};4,0;5;2;quick, kind;2026-11-20 10:00\n"
        f"{second};2;;1;\"slow; very\";2026-11-21 09:00\n", encoding="utf-8")
    with using("nl"):
        report = import_csv(desk.lead, dutch)
    assert (report.imported, report.bad) == (2, [])
    with desk.store.reading() as session:
        stored = sorted((f.csat, f.empathy, f.waiting_time, f.comment, f.received_at)
                        for f in session.exec(select(Feedback)).all())
    # The same responses written the English way are the same rows: already recorded.
    again = import_csv(desk.lead, english)
    assert (again.imported, again.duplicates, again.bad) == (0, 2, [])
    assert stored[0][:4] == (2, None, 1, "slow; very")
    assert stored[1][:4] == (4, 5, 2, "quick, kind")
    assert table_counts(desk.store)["feedback"] == 2


def test_a_bad_row_is_reported_with_its_line_in_the_language(desk: Desk,
                                                            tmp_path: Path) -> None:
    key = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="A").key
    path = tmp_path / "scores.csv"
    path.write_text(f"ticket;csat\n{key};4,5\n{key};9\n", encoding="utf-8")
    with using("nl"):
        report = import_csv(desk.lead, path)
    assert report.imported == 0
    assert report.bad == [(2, "csat moet een heel getal van 1 tot 5 zijn, niet '4,5'"),
                          (3, "csat 9 valt buiten het bereik; gebruik 1 tot 5")]


def test_refusals_are_said_in_dutch(desk: Desk) -> None:
    goodwill.allocate(desk.lead, "alex", Money(3750), period="2026-11", reason="Budget")
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Late")
    before = table_counts(desk.store)
    with using("nl"):
        with pytest.raises(InsufficientBudget) as overspent:
            goodwill.spend(desk.alex, Money(4000), reason="sorry", ticket=ticket.id)
        with pytest.raises(Forbidden) as not_lead:
            allocate_team(desk.alex, Money(500))
        with pytest.raises(InvalidInput) as empty:
            tickets.create_ticket(desk.alex, customer=desk.customer.id, subject=" ")
        tickets.resolve_ticket(desk.alex, ticket.id, resolution="done")
        with pytest.raises(Conflict) as resolved:
            tickets.assign_ticket(desk.alex, ticket.id, "alex")
        wellbeing.record_mood(desk.alex, 4)
        with pytest.raises(Conflict) as twice:
            wellbeing.record_mood(desk.alex, 3)
    assert str(overspent.value) == ("niet genoeg coulancebudget voor 2026-11: "
                                    "€\xa040,00 gevraagd, €\xa037,50 over")
    assert str(not_lead.value) == ("alleen een teamleider of beheerder mag de coulance van "
                                   "het team inzien")
    assert str(empty.value) == "onderwerp is verplicht"
    assert str(resolved.value) == (f"{ticket.key} heeft status opgelost; heropen de melding "
                                   "voor je hem toewijst")
    assert str(twice.value) == "je hebt je stemming voor ma 23 nov al vastgelegd"
    after = table_counts(desk.store)
    assert after["goodwill_entry"] == before["goodwill_entry"]
