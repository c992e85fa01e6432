"""The demo goodwill ledger: monthly allocations, spends tied to tickets, a few reversals.

Entries are made per agent and month in time order while keeping the running balance,
so no budget ever dips below zero at any moment, which is the rule the real services
and the server enforce.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime

from deskterm.demo.people import DemoAgent, Organisation
from deskterm.demo.phrases import phrases
from deskterm.demo.tickets import Samples
from deskterm.demo.timeline import DAY, HOUR, MINUTE, desk_hours, to_ms
from deskterm.domain.ids import uuid7
from deskterm.domain.money import DEFAULT_CURRENCY

#: How many months of budget the demo shows, the current one included.
MONTHS = 4

Row = tuple[object, ...]


def budget_periods(anchor_ms: int) -> list[tuple[str, int, int]]:
    """(period, first ms, end ms) of the last months; the last one ends at the anchor."""
    last = datetime.fromtimestamp((anchor_ms - 1) / 1000, UTC)
    year, month = last.year, last.month
    periods = []
    for _ in range(MONTHS):
        start = to_ms(datetime(year, month, 1, tzinfo=UTC))
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = min(to_ms(datetime(next_year, next_month, 1, tzinfo=UTC)), anchor_ms)
        periods.append((f"{year:04d}-{month:02d}", start, end))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    periods.reverse()
    return periods


def ledger_start(anchor_ms: int) -> int:
    return budget_periods(anchor_ms)[0][1]


def _monthly_budget(agent: DemoAgent, rng: random.Random) -> int:
    """Cents allocated each month: the desk meets upset customers most, so it gets most."""
    if agent.role in ("lead", "admin"):
        return 30000
    if agent.tier == 1:
        return rng.choice((20000, 25000, 25000, 30000))
    return rng.choice((15000, 20000))


def _spends_per_month(agent: DemoAgent, rng: random.Random) -> int:
    if agent.tier == 1:
        return rng.randint(2, 8) if agent.role == "agent" else rng.randint(0, 3)
    return rng.randint(0, 2)


def goodwill_rows(org: Organisation, samples: Samples, rng: random.Random, anchor_ms: int,
                  stamp: Callable[[int], str]) -> list[Row]:
    r = rng.random
    said = phrases(org.language)
    goodwill_reasons, reversal_reasons = said.goodwill_reasons, said.reversal_reasons
    rows: list[Row] = []
    everyone = sorted((c for picks in samples.goodwill.values() for c in picks),
                      key=lambda c: c[0])
    for agent in org.agents:
        author = org.budget_author(agent)
        budget = _monthly_budget(agent, rng)
        own = samples.goodwill.get(agent.index) or everyone
        for period, start, end in budget_periods(anchor_ms):
            allocation = said.trail.monthly_budget.format(period=period)
            allocated = start + min(6 * HOUR + int(r() * 2 * HOUR), (end - start) // 4)
            rows.append((uuid7(allocated, rng), "allocation", agent.id, period, budget,
                         DEFAULT_CURRENCY, None, None, allocation,
                         None, author.id, stamp(allocated)))
            candidates = [c for c in own if allocated < c[0] < end]
            wanted = min(len(candidates), _spends_per_month(agent, rng))
            spends = []
            for created, ticket_id, customer_id in rng.sample(candidates, wanted):
                when = desk_hours(created + 30 * MINUTE + int(r() * 2 * DAY), r())
                if allocated < when < end:
                    spends.append((when, ticket_id, customer_id))
            spends.sort()
            balance = budget
            for when, ticket_id, customer_id in spends:
                reason, low, high = goodwill_reasons[int(r() * len(goodwill_reasons))]
                cents = int((low + r() * (high - low)) * 2) * 50
                if cents > balance:
                    continue  # the real service would refuse it too
                balance -= cents
                spend_id = uuid7(when, rng)
                rows.append((spend_id, "spend", agent.id, period, -cents, DEFAULT_CURRENCY,
                             ticket_id, customer_id, reason, None, agent.id, stamp(when)))
                if r() < 0.07:
                    undone = when + HOUR + int(r() * 2 * DAY)
                    # Not credited back to `balance`: later spends may come before it.
                    if undone < end:
                        rows.append((uuid7(undone, rng), "reversal", agent.id, period, cents,
                                     DEFAULT_CURRENCY, ticket_id, customer_id,
                                     reversal_reasons[int(r() * len(reversal_reasons))],
                                     spend_id, author.id, stamp(undone)))
    return rows
