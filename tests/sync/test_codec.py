"""A change's two shapes: what the outbox holds is the wire shape, and the codec's two
conversions give back exactly what they were given."""

from __future__ import annotations

import pytest

from deskterm.domain.enums import TicketStatus
from deskterm.domain.errors import InvalidInput
from deskterm.domain.money import Money
from deskterm.services import goodwill, tickets
from deskterm.sync import replica
from deskterm.sync.codec import DecodedChange, decode_change, decode_changes, encode_change
from tests.conftest import Desk


def test_every_change_the_services_record_decodes_and_encodes_back_byte_for_byte(
        desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN down")
    tickets.update_ticket(desk.alex, ticket.id, status="waiting", priority=1)
    goodwill.allocate(desk.lead, "alex", Money(5000), reason="November")
    sent = replica.pending_changes(desk.store, 1000)
    assert {p.change.entity for p in sent} >= {"agent", "team", "department", "customer",
                                                "ticket", "goodwill_entry"}
    for pending in sent:
        decoded = decode_change(pending.change)
        assert decoded.mutation_id == pending.change.mutation_id
        assert decoded.author_id == pending.change.author_id
        again = encode_change(decoded)
        assert again.model_dump_json() == pending.change.model_dump_json(), pending.change


def test_a_decoded_change_holds_python_values_of_the_entitys_types(desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN down")
    insert = next(p.change for p in replica.pending_changes(desk.store, 1000)
                  if p.change.row_id == ticket.id)
    decoded = decode_change(insert)
    assert isinstance(insert.fields["status"], str)
    assert decoded.fields["status"] is TicketStatus.OPEN
    assert decoded.fields["created_at"] == ticket.created_at


def test_with_fields_keeps_the_change_and_writes_over_its_fields() -> None:
    change = DecodedChange("ticket", "t1", "insert", {"subject": "a", "number": None}, "s",
                           mutation_id="m1", author_id="alex")
    numbered = change.with_fields({"number": 7})
    assert numbered == DecodedChange("ticket", "t1", "insert", {"subject": "a", "number": 7},
                                     "s", mutation_id="m1", author_id="alex")
    assert change.fields["number"] is None
    assert change.with_fields({}) is change


def test_decoding_in_bulk_gives_what_decoding_one_by_one_gives_and_refuses_alike(
        desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN down")
    tickets.update_ticket(desk.alex, ticket.id, status="waiting", priority=1)
    goodwill.allocate(desk.lead, "alex", Money(5000), reason="November")
    sent = [p.change for p in replica.pending_changes(desk.store, 1000)]
    assert decode_changes(sent) == [decode_change(change) for change in sent]
    insert = next(c for c in sent if c.row_id == ticket.id and c.op == "insert")
    wrong = [{"created_at": "2026-11-23T10:00:00"},  # no zone
             {"created_at": "1899-12-31T23:30:00+00:00"},  # before the earliest year
             {"subject": None},  # NOT NULL
             {"colour": "red"},  # no such field
             {"status": "lost"}]  # no such status
    for fields in wrong:
        bad = insert.model_copy(update={"fields": {**insert.fields, **fields}})
        with pytest.raises(InvalidInput) as one:
            decode_change(bad)
        with pytest.raises(InvalidInput) as bulk:
            decode_changes([*sent, bad])
        assert str(bulk.value) == str(one.value)
    missing = insert.model_copy(update={"fields": {
        name: value for name, value in insert.fields.items() if name != "subject"}})
    with pytest.raises(InvalidInput, match="subject"):
        decode_changes([missing])
