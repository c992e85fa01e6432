"""Issue 13, finding 9: a sync round reports as rejected every change `sync --status` then
lists for it, including the unsynced changes a rejected one took down with it."""

from __future__ import annotations

from deskterm.services import customers, tickets
from deskterm.sync import replica as local
from deskterm.sync.wire import PushResult
from tests.conftest import Desk


def test_the_changes_a_rejection_takes_down_are_counted_with_it(desk: Desk) -> None:
    ctx = desk.as_("alex")
    before = local.status(desk.store).rejected
    customer = customers.create_customer(ctx, name="Ida Rejected", email="ida.rejected@example.com")
    tickets.create_ticket(ctx, customer=customer.id, subject="Printer jams", description="")
    sent = local.pending_changes(desk.store, 500)
    [customer_change] = [p.change for p in sent if p.change.row_id == customer.id]
    answers = [PushResult(mutation_id=customer_change.mutation_id, status="rejected",
                          code="forbidden", reason="not yours")]

    rejected = local.record_answers(desk.store, sent, answers)

    # The customer, its ticket and the ticket's trail: one round, one count.
    assert local.status(desk.store).rejected - before == len(rejected) == 3
    assert sorted(r.code or "" for r in rejected) == [
        "depends_on_rejected", "depends_on_rejected", "forbidden"]
    listed = {r.mutation_id for r in local.rejected_changes(desk.store)}
    assert {r.mutation_id for r in rejected} <= listed
