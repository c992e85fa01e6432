"""The ticket generator: tickets with their contacts, events and KB links, chunk by chunk.

This is the hot loop of the demo (a million tickets make about three million rows), so
it is written for speed: times are integer milliseconds, choices are flat lookup tables,
rows are plain tuples, and nothing is kept beyond the current chunk except two small
samples the goodwill ledger and the kudos are later made from. It is one long loop on
purpose: local names are CPython's fastest, and a call per ticket part would cost more
than the part.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from deskterm.demo.groups import DemoGroup
from deskterm.demo.phrases import Phrases
from deskterm.demo.plans import (
    CHANNELS,
    OPEN_DAYS,
    OPEN_FRESH,
    OPEN_STALE,
    OPEN_WEEK,
    PRIORITIES,
    SELF_RATINGS,
    UNASSIGNED_CHANNELS,
    TopicPlan,
)
from deskterm.demo.timeline import DAY, HOUR, MINUTE, desk_hours, hourly_slots
from deskterm.domain.ids import uuid7

#: Tickets spread over about six months before the anchor.
WINDOW_DAYS = 182
#: Tickets younger than this get their full event trail; older ones only the notable events.
FULL_TRAIL_MS = 14 * DAY
#: A resolved ticket closes automatically after this long.
AUTO_CLOSE_MS = 5 * DAY
#: Sample sizes kept for the goodwill ledger and the kudos.
GOODWILL_SAMPLE_PER_AGENT = 40
KUDOS_SAMPLE = 600
KUDOS_WINDOW_MS = 120 * DAY
#: An open ticket older than this is stale: few of those are still with a resolver group.
STALE_MS = 14 * DAY
#: An escalation older than this may have been chased by its owner.
CHASE_AFTER_MS = 3 * DAY

Row = tuple[object, ...]


@dataclass
class Samples:
    """Tickets remembered for later: goodwill spends and customer kudos refer to them."""

    # per owner agent index: (created ms, ticket id, customer id)
    goodwill: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    # (resolved ms, ticket id, customer index, owner agent index, last contact id)
    kudos: list[tuple[int, str, int, int, str]] = field(default_factory=list)
    # open escalations, in ticket order: (ticket id, owner agent index, escalated ms,
    # group name, the solution the resolver will hand back)
    escalated: list[tuple[str, int, int, str, str]] = field(default_factory=list)


@dataclass
class TicketChunk:
    done: int
    tickets: list[Row]
    contacts: list[Row]
    events: list[Row]
    links: list[Row]


@dataclass
class TicketSetup:
    rng: random.Random
    count: int
    anchor_ms: int
    stamp: Callable[[int], str]
    topic_table: list[TopicPlan]
    customer_ids: list[str]
    #: The store's local sort keys of customers (see generate.py), or None to leave
    #: them to the store's triggers.
    customer_sort_keys: list[str] | None
    agent_ids: list[str]
    agent_handles: list[str]
    owner_table: list[int]  # agent indexes of desk agents, weighted
    groups: dict[str, DemoGroup]  # the resolver groups by name
    ledger_start_ms: int
    samples: Samples
    #: The sentences of the desk's language.
    phrases: Phrases


def _open_share(age: int) -> float:
    """How likely a ticket of this age is still open: a few thousand per 100,000 overall."""
    if age < DAY:
        return 0.7
    if age < 3 * DAY:
        return 0.45
    if age < 7 * DAY:
        return 0.25
    if age < 30 * DAY:
        return 0.07
    return 0.012


def ticket_chunks(setup: TicketSetup, chunk_size: int = 50_000) -> Iterator[TicketChunk]:
    """Tickets 1..count in creation order, with their contacts, events and article links."""
    rng = setup.rng
    r = rng.random
    stamp = setup.stamp
    anchor = setup.anchor_ms
    count = setup.count
    start_ms = anchor - WINDOW_DAYS * DAY
    cumulative, weights = hourly_slots(start_ms, anchor)
    scale = cumulative[-1] / count
    last_slot = len(cumulative) - 1
    window_share = _share_after(cumulative, (setup.ledger_start_ms - start_ms) // HOUR)
    topic_table, n_topics = setup.topic_table, len(setup.topic_table)
    customers, n_customers = setup.customer_ids, len(setup.customer_ids)
    agent_ids = setup.agent_ids
    owners, n_owners = setup.owner_table, len(setup.owner_table)
    groups_by_name = setup.groups
    samples = setup.samples
    desk_agents = sorted(set(owners))
    for agent in desk_agents:
        samples.goodwill.setdefault(agent, [])
    # Sampling rates chosen so the samples stay small whatever the ticket count.
    goodwill_rate = min(1.0, GOODWILL_SAMPLE_PER_AGENT * len(desk_agents)
                        / max(1.0, count * window_share * 0.5))
    kudos_rate = min(1.0, KUDOS_SAMPLE / max(1.0, count * 0.6 * KUDOS_WINDOW_MS
                                             / (WINDOW_DAYS * DAY)))
    ledger_start = setup.ledger_start_ms
    kudos_start = anchor - KUDOS_WINDOW_MS
    said = setup.phrases
    trail = said.trail
    FIRST_CONTACT, SOLVED_ON_CONTACT, LOGGED_ON_CONTACT = (
        said.first_contact, said.solved_on_contact, said.logged_on_contact)
    FOLLOW_UP_OUT, FOLLOW_UP_IN, CLOSING_CONTACT = (
        said.follow_up_out, said.follow_up_in, said.closing_contact)
    WAITING_NOTES, CHASE_MESSAGES, LOOSE_CONTACTS = (
        said.waiting_notes, said.chase_messages, said.loose_contacts)
    channel_names = said.channels
    # The opening words of a first contact, per channel, for a one-lookup choice.
    openings = {channel: FIRST_CONTACT[channel] * (6 // len(FIRST_CONTACT[channel]))
                for channel in FIRST_CONTACT}
    handles = setup.agent_handles
    sort_keys = setup.customer_sort_keys

    tickets: list[Row] = []
    contacts: list[Row] = []
    events: list[Row] = []
    links: list[Row] = []
    add_ticket, add_contact, add_event = tickets.append, contacts.append, events.append
    slot = 0
    for number in range(1, count + 1):
        # Creation time: walk the cumulative hourly weights; numbers follow time order.
        x = (number - 1 + r()) * scale
        while slot < last_slot and cumulative[slot] < x:
            slot += 1
        weight = weights[slot]
        within = (x - cumulative[slot] + weight) / weight
        created = start_ms + slot * HOUR + int(min(max(within, 0.0), 0.999999) * HOUR)
        created_text = stamp(created)
        age = anchor - created

        plan = topic_table[int(r() * n_topics)]
        pool = plan.pool
        subject, description, kind, sentence = pool[int(r() * len(pool))]
        priority = PRIORITIES[int(r() * 50)]
        # Most customers call now and then; a few (low indexes) call all the time.
        u = r()
        customer_index = int(u / 0.7 * n_customers) if u < 0.7 else int(r() * r() * n_customers)
        customer = customers[customer_index]
        owner_index = owners[int(r() * n_owners)]
        owner: str | None = agent_ids[owner_index]
        channel = CHANNELS[int(r() * 20)]
        ticket_id = uuid7(created, rng)
        full_trail = age < FULL_TRAIL_MS

        resolver_tier = resolver_group = reason = escalated_text = group_id = None
        returned_text: str | None = None
        resolution = resolved_text = None
        fcr: int | None = None
        # Times as text are made once and reused: formatting is a good part of the cost.
        last_contact_text = updated_text = created_text
        if r() < _open_share(age):
            mix = OPEN_FRESH if age < DAY else OPEN_DAYS if age < 3 * DAY \
                else OPEN_WEEK if age < STALE_MS else OPEN_STALE
            status = mix[int(r() * 20)]
            if status == "new" and r() < 0.6:
                owner = None
                channel = UNASSIGNED_CHANNELS[int(r() * 5)]
            add_contact((uuid7(created, rng), customer, owner, ticket_id, channel, "inbound",
                         f"{openings[channel][int(r() * 6)]}{sentence} "
                         f"{LOGGED_ON_CONTACT[int(r() * 6)]}", created_text,
                         SELF_RATINGS[int(r() * 10)] if owner and r() < 0.25 else None))
            latest = created
            if status == "escalated":
                latest = min(created + 10 * MINUTE + int(r() * min(age // 2, 2 * DAY)),
                             anchor - 1)
                groups = plan.groups
                resolver_tier, resolver_group = groups[int(r() * len(groups))]
                group_id = groups_by_name[resolver_group].id
                reason = plan.reasons[int(r() * len(plan.reasons))]
                escalated_text = updated_text = stamp(latest)
                add_event((uuid7(latest, rng), ticket_id, owner, "escalated",
                           trail.escalated.format(group=resolver_group, tier=resolver_tier,
                                                  reason=reason),
                           escalated_text))
                samples.escalated.append((ticket_id, owner_index, latest, resolver_group,
                                          plan.resolutions[int(r() * len(plan.resolutions))]))
                if anchor - latest > CHASE_AFTER_MS and r() < 0.5:
                    # The owner asked the group how it is going (the group sees it).
                    chased = desk_hours(latest + 2 * DAY + int(r() * (anchor - latest - 2 * DAY)),
                                        r())
                    if chased < anchor:
                        add_event((uuid7(chased, rng), ticket_id, owner, "chase",
                                   trail.chased.format(group=resolver_group, message=(
                                       CHASE_MESSAGES[int(r() * len(CHASE_MESSAGES))])),
                                   stamp(chased)))
            if owner is not None and (status in ("waiting", "escalated")
                                      or (status == "open" and r() < 0.3)):
                # The desk keeps in touch: an update call or mail after a while.
                when = desk_hours(latest + 20 * MINUTE + int(r() * min(anchor - latest, DAY)),
                                  r())
                if when < anchor:
                    latest = when
                    last_contact_text = updated_text = stamp(when)
                    add_contact((uuid7(when, rng), customer, owner, ticket_id,
                                 "phone" if r() < 0.6 else "email", "outbound",
                                 trail.follow_up.format(summary=FOLLOW_UP_OUT[int(r() * 6)],
                                                        subject=subject),
                                 last_contact_text, None))
            if status == "waiting":
                noted = min(latest + MINUTE, anchor - 1)
                updated_text = stamp(noted)
                add_event((uuid7(noted, rng), ticket_id, owner, "note",
                           WAITING_NOTES[int(r() * 5)], updated_text))
        else:
            was_escalated = r() < 0.12
            fcr = 0 if was_escalated or r() >= 0.74 else 1
            escalated_at = 0
            if fcr:
                resolved = created + 3 * MINUTE + int(r() * 22 * MINUTE)
            elif was_escalated:
                escalated_at = created + 10 * MINUTE + int(r() * r() * 2 * DAY)
                resolved = desk_hours(escalated_at + 4 * HOUR + int(r() * r() * 15 * DAY), r())
            else:
                resolved = desk_hours(created + HOUR + int(r() ** 3 * 6 * DAY), r())
            if resolved >= anchor:
                # Squeeze the history of a young ticket into the time it has had.
                escalated_at = created + age // 4 if was_escalated else 0
                resolved = created + age // 2 + int(r() * age * 0.45)
            closed = anchor - resolved > AUTO_CLOSE_MS
            status = "closed" if closed else "resolved"
            resolution = plan.resolutions[int(r() * len(plan.resolutions))]
            resolved_text = stamp(resolved)
            updated_text = stamp(resolved + AUTO_CLOSE_MS) if closed else resolved_text
            first = f"{openings[channel][int(r() * 6)]}{sentence} "
            rating = SELF_RATINGS[int(r() * 10)] if r() < 0.25 else None
            closing_contact = uuid7(created, rng)
            if fcr:
                add_contact((closing_contact, customer, owner, ticket_id, channel, "inbound",
                             first + SOLVED_ON_CONTACT[int(r() * 5)], created_text, rating))
            else:
                add_contact((closing_contact, customer, owner, ticket_id, channel, "inbound",
                             first + LOGGED_ON_CONTACT[int(r() * 6)], created_text, rating))
                span = resolved - created
                middle = 0 if r() < 0.55 else 1 if r() < 0.73 else 2
                for moment in sorted(created + int(r() * span) for _ in range(middle)):
                    if r() < 0.5:
                        summary, direction = FOLLOW_UP_OUT[int(r() * 6)], "outbound"
                        via = "phone" if r() < 0.6 else "email"
                    else:
                        summary, direction = FOLLOW_UP_IN[int(r() * 5)], "inbound"
                        via = CHANNELS[int(r() * 20)]
                    add_contact((uuid7(moment, rng), customer, owner, ticket_id, via, direction,
                                 trail.follow_up.format(summary=summary, subject=subject),
                                 stamp(moment), None))
                closing_contact = uuid7(resolved, rng)
                add_contact((closing_contact, customer, owner, ticket_id,
                             "phone" if r() < 0.6 else "email", "outbound",
                             CLOSING_CONTACT[int(r() * 4)], resolved_text,
                             SELF_RATINGS[int(r() * 10)] if r() < 0.25 else None))
                last_contact_text = resolved_text
                if r() < 0.03:
                    back = created + span // 2
                    add_event((uuid7(back, rng), ticket_id, owner, "reopened",
                               trail.reopened, stamp(back)))
            if was_escalated:
                # Escalated, solved by a member of the group and handed back; the owner
                # told the customer (the closing contact) and resolved it.
                groups = plan.groups
                resolver_tier, resolver_group = groups[int(r() * len(groups))]
                resolving = groups_by_name[resolver_group]
                group_id = resolving.id
                reason = plan.reasons[int(r() * len(plan.reasons))]
                escalated_text = stamp(escalated_at)
                add_event((uuid7(escalated_at, rng), ticket_id, owner, "escalated",
                           trail.escalated.format(group=resolver_group, tier=resolver_tier,
                                                  reason=reason),
                           escalated_text))
                solver = resolving.members[int(r() * len(resolving.members))]
                returned = escalated_at + int((resolved - escalated_at) * (0.6 + 0.35 * r()))
                returned_text = stamp(returned)
                add_event((uuid7(returned, rng), ticket_id, agent_ids[solver], "returned",
                           resolution,  # as services.handback writes it
                           returned_text))
                add_event((uuid7(resolved, rng), ticket_id, owner, "resolved", resolution,
                           resolved_text))
            elif full_trail:
                add_event((uuid7(resolved, rng), ticket_id, owner, "resolved", resolution,
                           resolved_text))
            if resolved >= kudos_start and r() < kudos_rate:
                samples.kudos.append((resolved, ticket_id, customer_index, owner_index,
                                      closing_contact))
        if full_trail:
            by_mail = channel in ("email", "social")
            add_event((uuid7(created, rng), ticket_id, None if by_mail else owner, "created",
                       trail.logged.format(channel=channel_names[channel]), created_text))
            if by_mail and owner is not None:
                # Mail lands in the shared queue first; an agent picks it up from there.
                picked = min(created + int(r() * r() * 2 * HOUR), anchor - 1)
                add_event((uuid7(picked, rng), ticket_id, owner, "assigned",
                           trail.picked_up.format(handle=handles[owner_index]),
                           stamp(picked)))
        if owner is not None and plan.articles and r() < (0.06 if fcr else 0.15):
            article = plan.articles[int(r() * len(plan.articles))]
            linked = min(created + 2 * MINUTE + int(r() * 20 * MINUTE), anchor - 1)
            if article.created_ms < linked:
                linked_text = stamp(linked)
                links.append((uuid7(linked, rng), ticket_id, article.id, owner, linked_text))
                add_event((uuid7(linked, rng), ticket_id, owner, "article_linked",
                           trail.article_used.format(title=article.title), linked_text))
        if owner is not None and created >= ledger_start and r() < goodwill_rate \
                and (kind == "complaint" or priority <= 2 or r() < 0.5):
            samples.goodwill[owner_index].append((created, ticket_id, customer))
        if r() < 0.04:
            # A contact that never needed a ticket.
            loose = min(created + int(r() * HOUR), anchor - 1)
            add_contact((uuid7(loose, rng), customers[int(r() * n_customers)],
                         agent_ids[owners[int(r() * n_owners)]], None, CHANNELS[int(r() * 20)],
                         "inbound", LOOSE_CONTACTS[int(r() * len(LOOSE_CONTACTS))],
                         stamp(loose), None))

        row: tuple[object, ...] = (
            ticket_id, number, subject, description, kind, status, priority,
            plan.department_id, customer, owner, resolver_tier, resolver_group, reason,
            escalated_text, resolution, fcr, created_text, updated_text, resolved_text,
            last_contact_text, 0, group_id, returned_text)
        if sort_keys is not None:
            row += (sort_keys[customer_index], "" if owner is None else handles[owner_index])
        add_ticket(row)
        if len(tickets) >= chunk_size:
            yield TicketChunk(number, tickets[:], contacts[:], events[:], links[:])
            tickets.clear()
            contacts.clear()
            events.clear()
            links.clear()
    if tickets:
        yield TicketChunk(count, tickets, contacts, events, links)


def _share_after(cumulative: list[float], slot: int) -> float:
    """The share of tickets created after the given hourly slot."""
    if slot <= 0:
        return 1.0
    if slot >= len(cumulative):
        return 0.0
    return 1.0 - cumulative[slot - 1] / cumulative[-1]
