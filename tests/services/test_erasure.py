"""Issue 10, finding 11 on one store: what erasing a customer scrubs, and what it keeps."""

from __future__ import annotations

import json

import pytest

from deskterm.domain import ENTITY_NAMES
from deskterm.domain.customers import ERASED_NAME
from deskterm.domain.errors import Conflict, Forbidden, InvalidInput
from deskterm.domain.money import Money
from deskterm.services import contacts, customers, goodwill, promises, tickets, wellbeing
from deskterm.services.redaction import terms_of
from tests.conftest import Desk, table_counts

NAME, EMAIL, PHONE = "Jo Jansen", "jo@example.com", "+31 6 1234 5678"


@pytest.mark.parametrize(("written", "left"), [
    ("Jo Jansen cannot log in", "(erased) cannot log in"),
    ("JO  JANSEN rang", "(erased) rang"),
    ("Mrs Jansen says thanks", "Mrs (erased) says thanks"),
    ("mail jo@example.com or JO@EXAMPLE.COM", "mail (erased) or (erased)"),
    ("call 06-1234 5678, +31612345678 or 0031 6 12 34 56 78",
     "call (erased), (erased) or (erased)"),
    ("Jansens and Jojo and job 06123456789", "Jansens and Jojo and job 06123456789"),
])
def test_11_the_name_email_and_phone_are_found_however_they_are_written(
        written: str, left: str) -> None:
    assert terms_of(NAME, EMAIL, PHONE).redact(written) == left


def test_11_words_of_a_name_that_are_ordinary_words_are_left() -> None:
    terms = terms_of("Anne van der Berg", None, None)
    assert terms.redact("Anne van der Berg moved to van Dijk") == "(erased) moved to van Dijk"
    assert terms.redact("Berg called; Anne too") == "(erased) called; (erased) too"
    assert not terms_of(ERASED_NAME, None, None)


def _jo_everywhere(desk: Desk) -> tuple[str, str]:
    jo = desk.customer
    customers.update_customer(desk.alex, jo.id, phone=PHONE, notes=f"{NAME} prefers calls")
    ticket = tickets.create_ticket(desk.alex, customer=jo.id, subject=f"{NAME} locked out",
                                   description=f"reach {EMAIL} or {PHONE}")
    contacts.log_contact(desk.alex, channel="phone", ticket=ticket.id, customer=jo.id,
                         summary="Talked it through")
    promise = promises.make_promise(desk.alex, ticket.id, what=f"call {NAME} back",
                                    by="tomorrow")
    promises.move_promise(desk.alex, promise.id, by="fri 12:00",
                          reason=f"{NAME} is away; reach her on {PHONE}")
    tickets.escalate_ticket(desk.alex, ticket.id, tier=2, group="IAM",
                            reason=f"reset for {NAME}")
    goodwill.allocate(desk.lead, "alex", Money(2000))
    goodwill.spend(desk.alex, Money(500), reason=f"Sorry flowers for {NAME}", ticket=ticket.id)
    wellbeing.add_kudos(desk.lead, message=f"Thanks! - {NAME}", from_name="Jo", about="alex",
                        customer=jo.id)
    other = tickets.create_ticket(desk.alex, customer=desk.other_customer.id,
                                  subject="Kim's printer, not Jo Jansen's")
    return ticket.id, other.id


def _rows(desk: Desk) -> dict[str, int]:
    """Rows per synced table."""
    return {name: count for name, count in table_counts(desk.store).items()
            if name in ENTITY_NAMES}


def test_11_an_erasure_scrubs_the_customers_data_and_keeps_the_shape(desk: Desk) -> None:
    ticket_id, other_id = _jo_everywhere(desk)
    preview = customers.erasure_preview(desk.store, desk.customer.id)
    assert preview.fields == ["name", "organisation", "email", "phone", "products", "notes"]
    assert preview.rows == {"ticket": 1, "contact": 1, "kudos": 1, "ticket_event": 2,
                            "goodwill_entry": 1, "promise_event": 2}
    counts = _rows(desk)

    erasure = customers.erase_customer(desk.lead, "jo@example.com", reason="by request")

    after = _rows(desk)
    assert after.pop("customer_erasure") == counts.pop("customer_erasure") + 1
    assert after == counts  # nothing removed: the history keeps its shape
    with desk.store.raw() as connection:
        assert connection.execute(
            "SELECT name, email, phone, organisation, notes, products, erased_at IS NOT NULL "
            "FROM customer WHERE id = ?", (desk.customer.id,)).fetchone() == (
            ERASED_NAME, None, None, None, "", "[]", 1)
        assert connection.execute(
            "SELECT subject, description, escalation_reason FROM ticket WHERE id = ?",
            (ticket_id,)).fetchone() == (
            "(erased) locked out", "reach (erased) or (erased)", "reset for (erased)")
        assert connection.execute("SELECT summary FROM contact").fetchall() == [("(erased)",)]
        assert connection.execute("SELECT from_name, message FROM kudos").fetchall() == [
            (ERASED_NAME, "Thanks! - (erased)")]
        # What was promised, and why it moved: redacted, the promise's shape kept.
        assert connection.execute(
            "SELECT kind, what, reason FROM promise_event ORDER BY occurred_at, id"
        ).fetchall() == [("made", "call (erased) back", None),
                         ("moved", None, "(erased) is away; reach her on (erased)")]
        reasons = {r for (r,) in connection.execute("SELECT reason FROM goodwill_entry")}
        assert "Sorry flowers for (erased)" in reasons
        # Another customer's ticket is theirs: it is not about Jo, whatever it says.
        assert connection.execute("SELECT subject FROM ticket WHERE id = ?",
                                  (other_id,)).fetchone() == ("Kim's printer, not Jo Jansen's",)
        logged = [json.loads(f) for (f,) in connection.execute(
            "SELECT fields FROM outbox WHERE row_id != ?", (other_id,))]
        assert not [f for f in logged if any(word in json.dumps(f) for word in (
            "Jansen", EMAIL, "1234 5678", "prefers calls", "Talked it through"))]
        # The queue's text index no longer finds them, and is whole.
        connection.execute("INSERT INTO ticket_text (ticket_text) VALUES ('integrity-check')")
        found = connection.execute("SELECT rowid FROM ticket_text WHERE ticket_text MATCH "
                                   "'\"jansen\"'").fetchall()
        assert len(found) == 1  # Kim's ticket only
    assert erasure.reason == "by request"
    with pytest.raises(Conflict, match="already erased"):
        customers.erase_customer(desk.lead, desk.customer.id, reason="again")
    with pytest.raises(Conflict, match="was erased"):
        customers.update_customer(desk.alex, desk.customer.id, notes="back again")


def test_11_only_leads_and_admins_erase_and_the_reason_names_nobody(desk: Desk) -> None:
    counts = table_counts(desk.store)
    with pytest.raises(Forbidden):
        customers.erase_customer(desk.alex, desk.customer.id, reason="by request")
    for reason in ("Jo asked", "per jo@example.com", "Mr JANSEN's wish", ""):
        with pytest.raises(InvalidInput):
            customers.erase_customer(desk.lead, desk.customer.id, reason=reason)
    assert table_counts(desk.store) == counts
    customers.erase_customer(desk.admin, desk.customer.id, reason="a request, by letter")
