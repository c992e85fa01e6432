"""Goodwill oversight: whole-team allocation, team balances, spend summaries, the CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from deskterm.domain.errors import Forbidden, InvalidInput
from deskterm.domain.money import Money
from deskterm.services import goodwill, org, tickets
from deskterm.services.goodwill_team import (
    EXPORT_COLUMNS,
    allocate_team,
    export_csv,
    spend_summary,
    team_budgets,
)
from tests.conftest import Desk, table_counts

EUR = "EUR"


def test_allocating_to_the_team_gives_every_agent_the_same(desk: Desk) -> None:
    entries = allocate_team(desk.lead, Money(5000, EUR), period="2026-11")
    handles = {b.agent.handle: b.balance for b in team_budgets(desk.lead, period="2026-11")}
    assert len(entries) == 2
    assert handles == {"alex": Money(5000, EUR), "blake": Money(5000, EUR),
                       "morgan": Money(0, EUR)}


def test_a_refused_team_allocation_writes_nothing(desk: Desk) -> None:
    before = table_counts(desk.store)
    with pytest.raises(InvalidInput):
        allocate_team(desk.lead, Money(-5, EUR))
    with pytest.raises(Forbidden):
        allocate_team(desk.alex, Money(500, EUR))
    assert table_counts(desk.store) == before


def test_a_lead_in_no_team_oversees_nobodys_goodwill(desk: Desk) -> None:
    """A lead without a team manages nobody (domain.people.manages): not every team's
    goodwill, as a missing team once read as "no filter"."""
    org.add_agent(desk.admin, desk.store, handle="nora", name="Nora Lead", role="lead")
    nora = desk.as_("nora")
    before = table_counts(desk.store)
    for oversee in (lambda: team_budgets(nora), lambda: spend_summary(nora),
                    lambda: export_csv(nora, "2026-11"),
                    lambda: allocate_team(nora, Money(500, EUR))):
        with pytest.raises(Forbidden, match="in no team"):
            oversee()
    assert table_counts(desk.store) == before
    # An admin oversees any team; a lead with a team, only their own.
    south = desk.casey.actor.team_id
    assert [b.agent.handle for b in team_budgets(desk.admin, team_id=south)] == ["casey"]
    with pytest.raises(Forbidden, match="own team"):
        team_budgets(desk.lead, team_id=south)


def test_spend_by_reason_and_month_nets_out_reversals(desk: Desk) -> None:
    allocate_team(desk.lead, Money(10000, EUR))
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Late delivery")
    goodwill.spend(desk.alex, Money(2000, EUR), reason="late delivery", ticket=ticket.id)
    goodwill.spend(desk.blake, Money(1500, EUR), reason="Late  delivery", ticket=ticket.id)
    wrong = goodwill.spend(desk.alex, Money(700, EUR), reason="flowers", ticket=ticket.id)
    goodwill.reverse(desk.lead, wrong.id, reason="booked twice")
    summary = spend_summary(desk.lead)
    assert summary.by_reason[0] == ("Late delivery", Money(3500, EUR), 2)
    assert ("Flowers", Money(0, EUR), 1) in summary.by_reason
    assert [(p, m) for p, m, _ in summary.by_month][-1][1] == Money(3500, EUR)


def test_the_export_has_every_entry_of_the_period_and_is_formula_safe(desk: Desk) -> None:
    allocate_team(desk.lead, Money(10000, EUR), period="2026-11")
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Late")
    goodwill.spend(desk.alex, Money(2000, EUR), reason="=HYPERLINK(evil)", ticket=ticket.id)
    rows = list(csv.reader(io.StringIO(export_csv(desk.lead, "2026-11"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    spends = [r for r in rows[1:] if r[3] == "spend"]
    assert len(rows) == 1 + 3 and len(spends) == 1
    assert spends[0][4:8] == ["alex", "-20.00", "EUR", "'=HYPERLINK(evil)"]
    with pytest.raises(Forbidden):
        export_csv(desk.alex, "2026-11")
    with pytest.raises(InvalidInput):
        export_csv(desk.lead, "November")
