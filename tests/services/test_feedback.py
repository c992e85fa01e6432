"""Feedback intake (one response, a CSV file) and the quality figures built on it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from deskterm.domain import Feedback
from deskterm.domain.errors import Conflict, Forbidden, InvalidInput
from deskterm.domain.feedback import FeedbackResponse
from deskterm.services import contacts, tickets
from deskterm.services.feedback import import_csv, parse_response, record_feedback
from deskterm.services.quality import weekly_quality
from deskterm.services.wellbeing import list_kudos
from tests.conftest import FIXED_NOW, Desk, table_counts
from tests.services.conftest import fixed


def _ticket(desk: Desk, subject: str = "Printer jams") -> str:
    return tickets.create_ticket(desk.alex, customer=desk.customer.id, subject=subject).id


def test_one_response_with_drivers_and_a_compliment(desk: Desk) -> None:
    ticket_id = _ticket(desk)
    made = record_feedback(desk.lead, parse_response({
        "ticket": ticket_id, "csat": 5, "empathy": "4", "phone_menu": None,
        "comment": "Lovely", "kudos": "Alex was great"}))
    assert (made.csat, made.empathy, made.phone_menu, made.agent_id) == \
        (5, 4, None, desk.alex.actor.id)
    [kudos] = list_kudos(desk.store)
    assert (kudos.message, kudos.about_agent_id, kudos.feedback_id) == \
        ("Alex was great", desk.alex.actor.id, made.id)


def test_only_leads_record_feedback(desk: Desk) -> None:
    ticket_id = _ticket(desk)
    before = table_counts(desk.store)
    with pytest.raises(Forbidden):
        record_feedback(desk.alex, FeedbackResponse(ticket=ticket_id, csat=5))
    with pytest.raises(InvalidInput, match="csat 6 is out of range; use 1 to 5"):
        record_feedback(desk.lead, parse_response({"ticket": ticket_id, "csat": 6}))
    assert table_counts(desk.store) == before


def test_csv_import_keeps_good_rows_and_names_bad_lines(desk: Desk, tmp_path: Path) -> None:
    first, second = _ticket(desk), _ticket(desk, "VPN")
    path = tmp_path / "survey.csv"
    path.write_text(
        "Ticket,CSAT,empathy,waiting_time,comment,received_at,kudos\n"
        f"{first},4,5,3,fine,2026-11-20T10:00:00Z,\n"
        f"{second},9,5,3,,,\n"
        "SD-99999,3,,,,,\n"
        f"{second},2,x,,,,\n"
        "\n"
        f"{second},5,,,\"great, really\",2026-11-21 09:00,Thanks Alex!\n", encoding="utf-8")
    report = import_csv(desk.lead, path)
    assert report.imported == 2 and report.kudos == 1
    assert [line for line, _ in report.bad] == [3, 4, 5]
    assert "out of range" in report.bad[0][1] and "no ticket" in report.bad[1][1]
    assert "whole number" in report.bad[2][1]
    assert table_counts(desk.store)["feedback"] == 2


@pytest.mark.parametrize(("content", "words"), [
    ("ticket,stars\nx,1\n", "csat"),
    ("ticket,csat,mood\nx,1,2\n", "unknown column"),
    (b"\xff\xfe\x00bad", "UTF-8"),
])
def test_unreadable_files_import_nothing(desk: Desk, tmp_path: Path, content: object,
                                         words: str) -> None:
    path = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(str(content), encoding="utf-8")
    before = table_counts(desk.store)
    with pytest.raises(InvalidInput, match=words):
        import_csv(desk.lead, path)
    with pytest.raises(InvalidInput, match="no file"):
        import_csv(desk.lead, tmp_path / "missing.csv")
    assert table_counts(desk.store) == before


def test_weekly_quality_counts_what_happened(desk: Desk) -> None:
    week_start = FIXED_NOW - timedelta(days=FIXED_NOW.weekday())
    one, two, three = (_ticket(desk, s) for s in ("A", "B", "C"))
    tickets.resolve_ticket(fixed(desk, "alex", 10), one, resolution="done", first_contact=True)
    tickets.resolve_ticket(fixed(desk, "alex", 20), two, resolution="done")
    tickets.reopen_ticket(fixed(desk, "alex", 30), two, reason="came back")
    tickets.resolve_ticket(fixed(desk, "alex", 35), two, resolution="done now")
    tickets.create_ticket(desk.casey, customer=desk.other_customer.id, subject="other team")
    for handle, minutes, rating in (("alex", 1, 4), ("alex", 2, None), ("root", 3, 2),
                                    ("blake", 4, 3), ("morgan", 5, 1)):
        contacts.log_contact(fixed(desk, handle, minutes), customer=desk.customer.id,
                             channel="phone", summary="call", ticket=three, self_rating=rating)
    lead = fixed(desk, "morgan", 40)
    record_feedback(lead, FeedbackResponse(ticket=one, csat=5, received_at=FIXED_NOW))
    record_feedback(lead, FeedbackResponse(ticket=two, csat=2, received_at=FIXED_NOW))
    weeks = weekly_quality(desk.store, team_id=desk.lead.actor.team_id, weeks=2,
                           viewer_id=desk.lead.actor.id, now=FIXED_NOW + timedelta(hours=1))
    this = weeks[-1]
    assert this.start == week_start.date()
    assert (this.first_contact_resolution.value, this.first_contact_resolution.count) == (0.5, 2)
    assert (this.reopen.value, this.reopen.count) == (0.5, 1)
    assert (this.satisfaction.value, this.satisfaction.count) == (3.5, 2)
    # Three raters besides the lead (whose own 1 is left out of what the lead sees).
    assert (this.self_rating.value, this.self_rating.count) == (3.0, 3)
    assert (this.repeat_contacts.value, this.repeat_contacts.count) == (4 / 5, 5)
    assert weeks[0].satisfaction.value is None and weeks[0].satisfaction.count == 0


def test_a_csv_row_and_the_api_body_are_one_model() -> None:
    from typing import get_type_hints

    from deskterm.domain.feedback import DRIVERS, DriverScores, Feedback
    from deskterm.server.routes.feedback import post_feedback
    from deskterm.services.feedback import COLUMNS

    assert get_type_hints(post_feedback)["body"] is FeedbackResponse
    assert set(COLUMNS) == set(FeedbackResponse.model_fields)
    assert tuple(DriverScores.model_fields) == DRIVERS
    assert set(DRIVERS) <= set(Feedback.model_fields)  # the table has the drivers' columns


@pytest.mark.parametrize(("values", "words"), [
    ({"ticket": "SD-1"}, "csat is required (1 to 5)"),
    ({"ticket": "SD-1", "csat": "0"}, "csat 0 is out of range; use 1 to 5"),
    ({"ticket": "SD-1", "csat": 3, "empathy": "4.5"}, "empathy must be a whole number"),
    ({"ticket": "SD-1", "csat": 3, "waiting_time": 6}, "waiting time 6 is out of range"),
    ({"ticket": "SD-1", "csat": 3, "mood": 1}, "unknown field mood"),
    ({"ticket": "SD-1", "csat": 3, "comment": "x" * 4001}, "comment is too long (4,001"),
    ({"ticket": "SD-1", "csat": 3, "received_at": "2026-11-20T10:00"}, "UTC offset"),
])
def test_a_refused_response_says_what_is_wrong(values: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_response(values)
    assert words in refused.value.message


def test_the_same_response_imported_twice_counts_once(desk: Desk, tmp_path: Path) -> None:
    first, second = _ticket(desk), _ticket(desk, "VPN")
    path = tmp_path / "survey.csv"
    path.write_text(
        "ticket,csat,empathy,comment,received_at\n"
        f"{first},4,5,fine,2026-11-20T10:00:00Z\n"
        f"{first},4,5,fine,2026-11-20T10:00:00Z\n"  # twice in one file
        f"{first},4,5,fine,2026-11-21T10:00:00Z\n"  # another time: another response
        f"{second},2,,,\n", encoding="utf-8")
    report = import_csv(desk.lead, path)
    assert (report.imported, report.duplicates, report.bad) == (3, 1, [])
    before = table_counts(desk.store)
    again = import_csv(desk.lead, path)
    assert (again.imported, again.duplicates, again.bad) == (0, 4, [])
    assert table_counts(desk.store) == before
    # One response at a time goes through the same rule.
    with pytest.raises(Conflict, match="already recorded"):
        record_feedback(desk.lead, parse_response({
            "ticket": first, "csat": 4, "empathy": 5, "comment": "fine",
            "received_at": "2026-11-20T10:00:00+00:00"}))
    # A different answer on the same ticket at the same time is another response.
    record_feedback(desk.lead, parse_response({
        "ticket": first, "csat": 4, "empathy": 4, "comment": "fine",
        "received_at": "2026-11-20T10:00:00+00:00"}))
    assert table_counts(desk.store)["feedback"] == before["feedback"] + 1


def test_a_dutch_excel_file_is_read(desk: Desk, tmp_path: Path) -> None:
    ticket = _ticket(desk)
    path = tmp_path / "enquete.csv"
    # Semicolons, a decimal comma, a byte-order mark, Windows line ends, a comma in a comment.
    path.write_bytes(("\ufeffTicket;CSAT;Empathy;Reliability;Comment;;\r\n"
                      f"{ticket};4,0;5;3;Snel, vriendelijk;;\r\n"
                      f"{ticket};3;4,5;;;;\r\n").encode())
    report = import_csv(desk.lead, path)
    assert report.imported == 1
    assert report.bad == [(3, "empathy must be a whole number from 1 to 5, not '4,5'")]
    with desk.store.reading() as session:
        [made] = session.exec(select(Feedback)).all()
    assert (made.csat, made.empathy, made.reliability, made.comment) == \
        (4, 5, 3, "Snel, vriendelijk")


def test_a_row_with_more_fields_than_the_header_is_a_bad_row(desk: Desk,
                                                             tmp_path: Path) -> None:
    ticket = _ticket(desk)
    path = tmp_path / "survey.csv"
    path.write_text("ticket,csat,comment\n"
                    f"{ticket},4,good, but slow\n"  # an unquoted comma: one field too many
                    f"{ticket},5,\"multi\nline\",,\n"  # empty trailing fields are fine
                    f"{ticket},2,bad,x,y\n", encoding="utf-8")
    report = import_csv(desk.lead, path)
    assert report.imported == 1
    assert report.bad == [
        (2, "4 fields, but the header has 3: is a ',' in a value not quoted?"),
        (5, "5 fields, but the header has 3: is a ',' in a value not quoted?")]
    with desk.store.reading() as session:
        assert [f.comment for f in session.exec(select(Feedback)).all()] == ["multi\nline"]
