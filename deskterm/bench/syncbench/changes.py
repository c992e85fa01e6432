"""Made-up changes in wire form: the desk a run starts with, a long history, load pushes.

They are what a replica's services would record (every column of a new row, the written
fields of an update, one HLC stamp each, the author's agent id), built directly so that
seeding 100,000 of them takes seconds rather than the minutes the service layer needs.
The server judges and merges them like any other push.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from sqlmodel import SQLModel

from deskterm.demo.corpus import APPS, DEVICES, FIRST_NAMES, LAST_NAMES, SUBJECT_TOPICS, TOOLS
from deskterm.domain import Contact, Customer, Ticket, TicketEvent
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, TicketEventKind, TicketStatus
from deskterm.domain.hlc import Hlc
from deskterm.domain.ids import uuid7
from deskterm.domain.wire_values import row_fields
from deskterm.sync.wire import Change, Op

#: In the history: one new customer per this many tickets, one update per this many.
TICKETS_PER_CUSTOMER = 8
UPDATE_EVERY = 5
_CHANNELS = list(Channel)
_THINGS = (*DEVICES, *APPS, *TOOLS, *SUBJECT_TOPICS)
_TROUBLES = ("fails", "is slow", "locked", "missing", "needs setup", "keeps crashing",
             "shows an error", "cannot connect", "question about", "broken after update")


class Clock:
    """One replica's HLC stamps, as its outbox would make them."""

    def __init__(self, node: str) -> None:
        self.stamp = Hlc(0, 0, node)

    def next(self) -> str:
        self.stamp = self.stamp.tick(int(utcnow().timestamp() * 1000))
        return str(self.stamp)


def _change(clock: Clock, entity: str, row_id: str, op: Op, fields: dict[str, object],
            author_id: str) -> Change:
    return Change.model_construct(mutation_id=uuid7(), entity=entity, row_id=row_id, op=op,
                                  fields=fields, hlc=clock.next(), author_id=author_id)


def _insert(clock: Clock, entity: str, row: SQLModel, author_id: str) -> Change:
    fields = row_fields(row)
    return _change(clock, entity, str(fields["id"]), "insert", fields, author_id)


def _subject(rng: random.Random) -> str:
    thing = rng.choice(_THINGS)
    return f"{thing[0].upper()}{thing[1:]} {rng.choice(_TROUBLES)}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def desk(agent_id: str, clock: Clock, tickets: int) -> tuple[list[Change], list[str]]:
    """A customer and `tickets` open tickets owned by `agent_id`; returns the ticket ids."""
    rng = random.Random(1)
    now = utcnow()
    customer = Customer(id=uuid7(), name="Benchmark Customer", created_at=now, updated_at=now)
    changes = [_insert(clock, "customer", customer, agent_id)]
    ids = []
    for _ in range(tickets):
        ticket = Ticket(id=uuid7(), subject=_subject(rng), customer_id=customer.id,
                        owner_id=agent_id, status=TicketStatus.OPEN, created_at=now,
                        updated_at=now)
        changes.append(_insert(clock, "ticket", ticket, agent_id))
        ids.append(ticket.id)
    return changes, ids


def history(agent_id: str, owners: list[str], clock: Clock, count: int, seed: int = 7
            ) -> Iterator[Change]:
    """`count` changes of a working desk, in the order its replicas would push them.

    Written by `agent_id`, the tickets spread over `owners` (a desk's agents), customers
    with made-up names, so that the store's text and sort indexes meet varied values.

    Per ticket: its insert, a `created` event and a logged contact; every
    TICKETS_PER_CUSTOMER tickets a new customer first; every UPDATE_EVERY tickets an
    update (status to waiting) with its `updated` event. Cut off at exactly `count`, so
    the last ticket may lack its tail, which is harmless: nothing refers forward.
    """
    rng = random.Random(seed)
    made = 0
    customer_id = ""
    number = 0
    while True:
        now = utcnow()
        batch: list[Change] = []
        if number % TICKETS_PER_CUSTOMER == 0:
            customer = Customer(id=uuid7(), name=_name(rng),
                                email=f"c{number // TICKETS_PER_CUSTOMER}@example.com",
                                created_at=now, updated_at=now)
            customer_id = customer.id
            batch.append(_insert(clock, "customer", customer, agent_id))
        ticket = Ticket(id=uuid7(), subject=_subject(rng), description="Reported by phone.",
                        customer_id=customer_id, owner_id=rng.choice(owners),
                        status=TicketStatus.OPEN, created_at=now, updated_at=now)
        batch.append(_insert(clock, "ticket", ticket, agent_id))
        batch.append(_insert(clock, "ticket_event", TicketEvent(
            id=uuid7(), ticket_id=ticket.id, agent_id=agent_id,
            kind=TicketEventKind.CREATED, detail=f"for {customer_id[:8]}", created_at=now),
            agent_id))
        batch.append(_insert(clock, "contact", Contact(
            id=uuid7(), customer_id=customer_id, agent_id=agent_id, ticket_id=ticket.id,
            channel=rng.choice(_CHANNELS), summary=f"Called about: {ticket.subject}",
            occurred_at=now), agent_id))
        if number % UPDATE_EVERY == 0:
            batch.append(_change(clock, "ticket", ticket.id, "update",
                                 {"status": "waiting", "updated_at": now.isoformat()},
                                 agent_id))
            batch.append(_insert(clock, "ticket_event", TicketEvent(
                id=uuid7(), ticket_id=ticket.id, agent_id=agent_id,
                kind=TicketEventKind.UPDATED, detail="status", created_at=now), agent_id))
        number += 1
        for change in batch:
            if made == count:
                return
            made += 1
            yield change


def subject_update(clock: Clock, ticket_id: str, subject: str, author_id: str) -> Change:
    """A ticket's subject edited, as a load agent pushes it."""
    return _change(clock, "ticket", ticket_id, "update",
                   {"subject": subject, "updated_at": utcnow().isoformat()},
                   author_id)
