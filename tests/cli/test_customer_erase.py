"""Issue 10, finding 11 on the command line: `deskterm customer erase` and the erasure log."""

from __future__ import annotations

from deskterm.domain import Customer
from deskterm.domain.customers import ERASED_NAME
from deskterm.services import contacts, tickets
from deskterm.services.lookup import short_id
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk

REASON = "asked for it by letter"


def test_11_a_lead_erases_a_customer_and_is_told_what_was_scrubbed(cli: Cli, desk: Desk
                                                                   ) -> None:
    jo = desk.customer
    ticket = tickets.create_ticket(desk.alex, customer=jo.id, subject="Jo Jansen locked out")
    contacts.log_contact(desk.alex, channel="phone", ticket=ticket.id, customer=jo.id,
                         summary="Jo called about the lock-out")
    result = cli("customer", "erase", "jo@example.com", "--reason", REASON, agent="morgan")
    assert result.code == 0, result.err
    assert result.out == (f"Erased the personal data of customer {short_id(jo.id)}: name, "
                          "organisation, email and products; text in 1 ticket, 1 contact "
                          "and 1 ticket event.\n")
    with desk.store.reading() as session:
        erased = session.get(Customer, jo.id)
    assert erased is not None and erased.name == ERASED_NAME and erased.email is None
    listed = cli("customer", "erasures", "--json", agent="alex")
    assert listed.code == 0, listed.err
    [entry] = listed.data
    assert (entry["customer_id"], entry["by"], entry["reason"]) == (jo.id, "morgan", REASON)


def test_11_customer_erase_as_json(cli: Cli, desk: Desk) -> None:
    result = cli("customer", "erase", desk.other_customer.id, "--reason", REASON, "--json",
                 agent="root")
    assert result.code == 0, result.err
    data = result.data
    assert (data["customer_id"], data["by"], data["reason"]) == (
        desk.other_customer.id, "root", REASON)
    assert data["scrubbed"] == {"fields": ["name", "email"], "rows": {}}


def test_11_an_agent_is_refused_in_one_line_and_nothing_is_written(cli: Cli, desk: Desk
                                                                     ) -> None:
    with nothing_written(desk.store):
        cli("customer", "erase", "jo@example.com", "--reason", REASON).refused(
            1, "only a team lead or admin may erase a customer's personal data")
    with desk.store.reading() as session:
        assert session.get(Customer, desk.customer.id).name == "Jo Jansen"  # type: ignore[union-attr]


def test_11_customer_erase_errors_are_one_line(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        cli("customer", "erase", "jo@example.com", "--reason", "Jo Jansen wrote in",
            agent="morgan").refused(2, "leave out the customer's name, email and phone")
        cli("customer", "erase", "jo@example.com", "--reason", "   ",
            agent="morgan").refused(2, "reason")
        cli("customer", "erase", "nobody@example.com", "--reason", REASON,
            agent="morgan").refused(1, "no customer 'nobody@example.com'")
        cli("customer", "erase", "jo@example.com", agent="morgan").refused(2, "--reason")
    assert cli("customer", "erase", "jo@example.com", "--reason", REASON,
               agent="morgan").code == 0
    cli("customer", "erase", desk.customer.id, "--reason", REASON, agent="morgan").refused(
        1, "already erased")


def test_11_the_erasure_log_is_empty_until_someone_erases(cli: Cli) -> None:
    result = cli("customer", "erasures")
    assert result.code == 0, result.err
    assert "no customer was erased" in result.out + result.err
