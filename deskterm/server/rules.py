"""Who may write what, and the rules only the server can judge (it sees everyone's data).

`check` runs for every pushed change before it is merged; a refusal is a `Rejected`
with a code and a sentence, answered for that change alone (the changes behind it go
through). The role table is ARCHITECTURE.md's "Who may see and do what":

- anyone signed in works tickets, customers, contacts and the KB;
- an agent spends only from their own budget, logs only their own mood, writes as no
  one but themselves;
- leads allocate budgets and reverse entries for their own team (admins for all) and
  may send kudos as a lead; admins manage the people and teams (through accounts).

The goodwill rule needs everyone's spends: a spend is accepted only while the budget
covers it. Writers are serialized by the log lock, so two replicas spending the same
last euros are judged one after the other: one is applied, the other rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from deskterm.domain import ENTITIES
from deskterm.domain.enums import KudosSource, LedgerKind, Role
from deskterm.domain.hlc import MAX_DRIFT_MS, Hlc
from deskterm.sync.codec import MUTABLE_ENTITIES, SERVER_FIELDS
from deskterm.sync.merge import Incoming


class Rejected(Exception):
    """A change the server will not apply: `code` for machines, the message for people."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Caller:
    """The account a request came with."""

    account_id: str
    handle: str
    agent_id: str
    role: Role
    team_id: str | None

    @property
    def is_lead(self) -> bool:
        return self.role in (Role.LEAD, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


#: Fields that name the person a row is written by or for, per entity.
_WRITER_FIELDS = {
    "contact": "agent_id",
    "ticket_event": "agent_id",
    "ticket_article": "agent_id",
    "kudos": "author_id",
    "goodwill_entry": "author_id",
    "mood_entry": "agent_id",
    "kb_article": "author_id",
    "feedback": "author_id",
}


def check(connection: Connection, caller: Caller, change: Incoming, author_id: str | None,
          now: datetime) -> None:
    """Raise Rejected when `caller` may not make `change`; return quietly when they may."""
    stamp = Hlc.parse(change.hlc)
    ahead = stamp.wall_ms - int(now.timestamp() * 1000)
    if ahead > MAX_DRIFT_MS:
        raise Rejected("clock_ahead", f"this change is stamped {ahead // 1000} s in the future; "
                       "check the clock of the machine it was made on")
    if author_id not in (None, caller.agent_id):
        raise Rejected("forbidden", "a change may only be written in your own name")
    if change.entity not in MUTABLE_ENTITIES and change.op != "insert":
        raise Rejected("forbidden", f"{change.entity.replace('_', ' ')} records are insert-only")
    writer = _WRITER_FIELDS.get(change.entity)
    if writer and change.fields.get(writer) not in (None, caller.agent_id):
        raise Rejected("forbidden", f"{change.entity.replace('_', ' ')} must be written "
                       "in your own name")
    assigned = sorted(name for name in SERVER_FIELDS.get(change.entity, ())
                      if change.fields.get(name) is not None)
    if assigned:
        # A number picked by a replica would take one the server hands out later, and
        # the innocent ticket that then gets it would be rejected.
        raise Rejected("forbidden", f"only the server assigns a {change.entity}'s "
                       f"{', '.join(assigned)}")
    if change.entity in ("team", "agent") and not caller.is_admin:
        raise Rejected("forbidden", "only an admin manages people and teams "
                       "(deskterm server user ...)")
    if change.entity == "feedback" and not caller.is_lead:
        raise Rejected("forbidden", "only a lead or admin records customer feedback")
    if change.entity == "department" and not caller.is_lead:
        raise Rejected("forbidden", "only a lead or admin manages departments")
    if change.entity == "kudos" and change.fields.get("source") == KudosSource.LEAD \
            and not caller.is_lead:
        raise Rejected("forbidden", "only a lead sends kudos as a lead")
    if change.entity == "mood_entry" and not _is_date(change.fields.get("local_date")):
        # Moods are read back by date (the team's aggregates): a free-form text here
        # would break those reads for everyone.
        raise Rejected("invalid", "a mood's local_date must be a date, YYYY-MM-DD")
    if change.entity == "goodwill_entry":
        _check_goodwill(connection, caller, change.fields)
    if change.entity in _ONE_PER:
        _check_one_per(connection, change)


#: Rows a replica's store takes once per key (UNIQUE there, with the mood's CHECK on its
#: score), which the server's tables do not declare: the server refuses a second one, or
#: it would accept it and then break the pull of every replica already holding the first.
_ONE_PER = {
    "mood_entry": (("agent_id", "local_date"), "a mood for that day is already logged"),
    "ticket_article": (("ticket_id", "article_id"),
                       "that article is already linked to that ticket"),
}


def _check_one_per(connection: Connection, change: Incoming) -> None:
    if change.entity == "mood_entry" and not 1 <= change.fields["score"] <= 5:
        raise Rejected("invalid", "a mood score is 1 (bad) to 5 (great)")
    key, already = _ONE_PER[change.entity]
    table = ENTITIES[change.entity].__table__
    taken = connection.execute(select(table.c.id).where(
        *(table.c[name] == change.fields[name] for name in key))).first()
    if taken is not None and taken.id != change.row_id:
        raise Rejected("conflict", already)


def _is_date(value: object) -> bool:
    """An ISO calendar date exactly as replicas write it (YYYY-MM-DD)."""
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _check_goodwill(connection: Connection, caller: Caller, entry: dict[str, Any]) -> None:
    ledger = ENTITIES["goodwill_entry"].__table__
    agents = ENTITIES["agent"].__table__
    kind = entry["kind"]
    budget_agent = entry["budget_agent_id"]
    team_id = connection.execute(
        select(agents.c.team_id).where(agents.c.id == budget_agent)).scalar()
    may_manage = caller.is_admin or (caller.is_lead and team_id == caller.team_id
                                     and team_id is not None)
    if kind == LedgerKind.SPEND:
        if budget_agent != caller.agent_id:
            raise Rejected("forbidden", "you may spend only from your own goodwill budget")
        if entry["amount_cents"] >= 0:
            raise Rejected("invalid", "a spend takes money out of the budget (negative amount)")
    elif kind == LedgerKind.ALLOCATION:
        if not may_manage:
            raise Rejected("forbidden", "only the agent's lead or an admin allocates budgets")
        if entry["amount_cents"] <= 0:
            raise Rejected("invalid", "an allocation adds to the budget (positive amount)")
    else:
        if not may_manage:
            raise Rejected("forbidden", "only the agent's lead or an admin reverses entries")
        reversed_entry = connection.execute(
            select(ledger.c.amount_cents, ledger.c.budget_agent_id, ledger.c.period)
            .where(ledger.c.id == entry.get("reverses_id"))).first()
        if reversed_entry is None:
            raise Rejected("unknown_reference", "the entry to reverse is not on the ledger")
        if (reversed_entry.budget_agent_id, reversed_entry.period) != \
                (budget_agent, entry["period"]) or \
                reversed_entry.amount_cents != -entry["amount_cents"]:
            raise Rejected("invalid", "a reversal must cancel its entry exactly")
    balance = connection.execute(
        select(func.coalesce(func.sum(ledger.c.amount_cents), 0))
        .where(ledger.c.budget_agent_id == budget_agent, ledger.c.period == entry["period"],
               ledger.c.currency == entry.get("currency", "EUR"))).scalar_one()
    after = int(balance) + entry["amount_cents"]
    if entry["amount_cents"] < 0 and after < 0:
        raise Rejected("insufficient_budget",
                       f"not enough goodwill budget for {entry['period']}: "
                       f"{-entry['amount_cents'] / 100:.2f} asked, {int(balance) / 100:.2f} left")


def audience(connection: Connection, change: Incoming) -> tuple[str, str | None, str | None]:
    """Who may pull a change: ('all'|'agent'|'budget', agent id, team id).

    Moods go back to their agent only (leads get aggregates from their own endpoint).
    Ledger entries about a customer are part of that customer's history and go to the
    whole desk, so nobody compensates a customer twice unknowingly; allocations and
    their reversals go to the budget's agent, the leads of their team and admins.
    """
    if change.entity == "mood_entry":
        return "agent", change.fields["agent_id"], None
    if change.entity == "goodwill_entry" and change.fields.get("customer_id") is None:
        agents = ENTITIES["agent"].__table__
        agent_id = change.fields["budget_agent_id"]
        team_id = connection.execute(
            select(agents.c.team_id).where(agents.c.id == agent_id)).scalar()
        return "budget", agent_id, team_id
    return "all", None, None
