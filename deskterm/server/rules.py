"""Who may write what, and the rules only the server can judge (it sees everyone's data).

`check` runs for every pushed change before it is merged; a refusal is a `Rejected`
with a code and a sentence, answered for that change alone (the changes behind it go
through). The role table is ARCHITECTURE.md's "Who may see and do what":

- anyone signed in works tickets, customers, contacts and the KB;
- an agent spends only from their own budget, logs only their own mood, writes as no
  one but themselves;
- leads allocate budgets and reverse entries for their own team (admins for all),
  may send kudos as a lead and erase a customer's personal data (server.erasure judges
  what may still be written about an erased customer); admins manage the people and
  teams (through accounts).

A refusal's sentence is in the language of the request that pushed the change
(`server.language`); its code is the same in every language.

The goodwill rule needs everyone's spends: a spend is accepted only while the budget
covers it. Writers are serialized by the log lock, so two replicas spending the same
last euros are judged one after the other: one is applied, the other rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, false, or_, select, true

from deskterm.domain import ENTITIES
from deskterm.domain.enums import KudosSource, LedgerKind, Role, TicketEventKind
from deskterm.domain.errors import InsufficientBudget
from deskterm.domain.followup import follow_up_refusal
from deskterm.domain.goodwill import refuse_overspend
from deskterm.domain.hlc import MAX_DRIFT_MS, Hlc
from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.domain.people import manages
from deskterm.domain.promises import PromiseEventKind, event_refusal, keep_refusal
from deskterm.domain.wellbeing import kudos_refusal
from deskterm.i18n import N_, _
from deskterm.i18n.formats import number
from deskterm.server import erasure
from deskterm.services.erasure import ERASURE
from deskterm.services.goodwill import budget_balance
from deskterm.sync.codec import MUTABLE_ENTITIES, SERVER_FIELDS, DecodedChange
from deskterm.sync.names import entity_name


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


def check(reads: Reads, caller: Caller, change: DecodedChange, author_id: str | None,
          now: datetime, stored: dict[str, Any] | None) -> None:
    """Raise Rejected when `caller` may not make `change`; return quietly when they may.

    `stored` is the server's row the change names (`stored_row`), read once by the
    caller. The field rules themselves (ranges, lengths, patterns, what may be deleted)
    were checked when the push was decoded (sync.codec); these are the rules about who
    writes what and what a change may refer to.
    """
    stamp = Hlc.parse(change.hlc)
    ahead = stamp.wall_ms - int(now.timestamp() * 1000)
    if ahead > MAX_DRIFT_MS:
        raise Rejected("clock_ahead", _(
            "this change is stamped {seconds} s in the future; check the clock of the "
            "machine it was made on").format(seconds=number(ahead // 1000)))
    thing = entity_name(change.entity)
    if author_id not in (None, caller.agent_id):
        raise Rejected("forbidden", _("a change may only be written in your own name"))
    if change.entity not in MUTABLE_ENTITIES and change.op != "insert":
        # TRANSLATORS: {thing} is the kind of record ("goodwill entry", "contact").
        raise Rejected("forbidden", _("{thing} records are insert-only").format(thing=thing))
    _check_named_row(reads, caller, change, thing, stored)
    _check_writer(caller, change, thing, stored)
    assigned = sorted(name for name in SERVER_FIELDS.get(change.entity, ())
                      if change.fields.get(name) is not None)
    if assigned:
        # A number picked by a replica would take one the server hands out later, and
        # the innocent ticket that then gets it would be rejected.
        # TRANSLATORS: {fields} are field names as the wire spells them ("number").
        raise Rejected("forbidden", _("only the server assigns a {thing}'s {fields}").format(
            thing=thing, fields=", ".join(assigned)))
    if change.entity in SERVER_WRITTEN:
        raise Rejected("forbidden", _("only the server records a mail's attachments and "
                                      "deliveries"))
    if change.entity in ("team", "agent") and not caller.is_admin:
        raise Rejected("forbidden", _("only an admin manages people and teams "
                                      "(deskterm server user ...)"))
    if change.entity == "agent":
        _check_account_fields(change, stored)
    if change.entity == "feedback" and not caller.is_lead:
        raise Rejected("forbidden", _("only a lead or admin records customer feedback"))
    if change.entity == "department" and not caller.is_lead:
        raise Rejected("forbidden", _("only a lead or admin manages departments"))
    if change.entity == ERASURE and not caller.is_lead:
        raise Rejected("forbidden",
                       _("only a lead or admin erases a customer's personal data"))
    refused = reads.erasure_refusal(caller.agent_id, change)
    if refused:
        raise Rejected("erased", refused)
    if change.entity == "kudos":
        _check_kudos(caller, change.fields)
    if change.entity == "feedback_follow_up":
        _check_follow_up(reads, caller, change.fields)
    if change.entity == "ticket_event" and change.fields.get("kind") == TicketEventKind.NUDGE \
            and not caller.is_lead:
        raise Rejected("forbidden", _("only a lead nudges the owner of a ticket"))
    if change.entity in ("resolver_group", "group_member") and not caller.is_lead:
        raise Rejected("forbidden", _("only a lead or admin manages resolver groups"))
    if change.entity == "ticket_event":
        _check_handback_event(reads, caller, change.fields)
    if change.entity == "goodwill_entry":
        _check_goodwill(reads, caller, change.fields)
    if change.entity == "promise_event":
        _check_promise(reads, caller, change)
    if change.entity in _ONE_PER:
        _check_one_per(reads, change)
    _check_reference_audiences(reads, change)


#: Entities only the server writes (its mail intake and sending): never from a replica.
SERVER_WRITTEN = frozenset({"mail_attachment", "mail_delivery"})

#: Fields that name the person a row is written by, per entity: always the caller.
WRITER_FIELDS = {
    "contact": "agent_id",
    "ticket_event": "agent_id",
    "ticket_article": "agent_id",
    "kudos": "author_id",
    "goodwill_entry": "author_id",
    "mood_entry": "agent_id",
    "kb_article": "author_id",
    "kb_edit": "editor_id",
    "feedback": "author_id",
    "customer_erasure": "agent_id",
    "group_member": "author_id",
    "promise_event": "agent_id",
    "feedback_follow_up": "agent_id",
}


def _check_handback_event(reads: Reads, caller: Caller, event: dict[str, Any]
                          ) -> None:
    """services.handback's who-may: a lead takes a complaint over, its owner chases."""
    kind = event.get("kind")
    if kind == TicketEventKind.TAKEN_OVER and not caller.is_lead:
        raise Rejected("forbidden", _("only a lead takes a complaint over"))
    if kind == TicketEventKind.CHASE:
        ticket = reads.row("ticket", event["ticket_id"])
        if ticket is not None and ticket["owner_id"] != caller.agent_id:
            raise Rejected("forbidden",
                           _("only the owner of a ticket chases its resolver group"))


def _check_kudos(caller: Caller, kudos: dict[str, Any]) -> None:
    """The service's own rule (domain.wellbeing.kudos_refusal): nobody about themselves,
    a customer's or lead's compliment only from a lead."""
    refused = kudos_refusal(source=KudosSource(kudos["source"]), author_id=caller.agent_id,
                            about_agent_id=kudos.get("about_agent_id"),
                            feedback_id=kudos.get("feedback_id"),
                            author_is_lead=caller.is_lead)
    if refused:
        raise Rejected("forbidden", refused)


def _check_follow_up(reads: Reads, caller: Caller, follow_up: dict[str, Any]) -> None:
    """Only the response's agent (or a lead) follows it up (domain.followup)."""
    feedback = reads.row("feedback", follow_up["feedback_id"])
    if feedback is None:
        return  # the database refuses the reference itself: unknown_reference
    refused = follow_up_refusal(actor_id=caller.agent_id, actor_is_lead=caller.is_lead,
                                feedback_agent_id=feedback["agent_id"])
    if refused:
        raise Rejected("forbidden", refused)


def _check_named_row(reads: Reads, caller: Caller, change: DecodedChange, thing: str,
                     stored: dict[str, Any] | None) -> None:
    """A change may name only a row its caller may pull. Else the answer would tell: an
    insert that repeats a colleague's mood exactly is applied (it changes nothing), one
    that does not is a conflict, so trying each score in turn reveals the mood."""
    if change.entity not in _RESTRICTED:
        return
    if stored is not None and not may_pull_row(reads, caller, change.entity, stored):
        # TRANSLATORS: {thing} is the kind of record ("mood entry", "goodwill entry").
        raise Rejected("forbidden", _("this {thing} is someone else's").format(thing=thing))


def _check_writer(caller: Caller, change: DecodedChange, thing: str,
                  stored: dict[str, Any] | None) -> None:
    """A new row names its caller as its writer; an edit never changes who wrote a row."""
    writer = WRITER_FIELDS.get(change.entity)
    if writer is None:
        return
    if change.op == "insert" and stored is None:
        if change.fields.get(writer) != caller.agent_id:
            # TRANSLATORS: {writer} is a field's name as the wire spells it ("agent_id").
            raise Rejected("forbidden", _("a new {thing} must be written in your own name "
                                          "({writer} is you)").format(thing=thing,
                                                                      writer=writer))
        return
    if writer in change.fields and stored is not None \
            and change.fields[writer] != stored[writer]:
        # TRANSLATORS: {writer} is the writer's role in English ("author", "agent",
        # "editor"), from the field's name; {thing} the kind of record.
        raise Rejected("forbidden", _("the {writer} of a {thing} cannot be changed").format(
            writer=writer.replace("_id", ""), thing=thing))


#: An agent's fields that are their account's: the server judges every caller by the
#: account, so the agent row every replica holds (and its app goes by) must say the same.
ACCOUNT_FIELDS = ("handle", "role", "team_id")


def _check_account_fields(change: DecodedChange, stored: dict[str, Any] | None) -> None:
    """Only a new agent's row names its handle, role and team; after that they change with
    the account or not at all. An agent row moved to another team would also send the
    budget's later entries to a lead who never got the earlier ones."""
    if stored is None:
        return
    changed = [name for name in ACCOUNT_FIELDS
               if name in change.fields and change.fields[name] != stored[name]]
    if changed:
        # TRANSLATORS: {fields} are field names as the wire spells them ("role, team_id").
        raise Rejected("forbidden", _("an agent's {fields} belong to their account (deskterm "
                                      "server user ...) and cannot be changed by a sync"
                                      ).format(fields=", ".join(changed)))


class Reads:
    """What the rules read of the server's data, straight from the database.

    A batched push (server.batch) reads through a subclass that fetches a whole push's
    rows at once and sees the effects of the changes judged before, as this one sees
    them once they are written.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def row(self, entity: str, row_id: str) -> dict[str, Any] | None:
        """The server's row of `entity` with `row_id` (see `stored_row`)."""
        return stored_row(self.connection, entity, row_id)

    def team_of(self, agent_id: str) -> str | None:
        """The team of an agent, None when they have none (or are unknown)."""
        agent = self.row("agent", agent_id)
        return agent["team_id"] if agent is not None else None

    def balance(self, agent_id: str, period: str, currency: str) -> Money:
        """A budget's balance (services.goodwill's query, on everyone's entries)."""
        return budget_balance(self.connection, agent_id, period, currency)

    def erasure_refusal(self, agent_id: str, change: DecodedChange) -> str | None:
        """Why a change may not touch an erased customer's data (server.erasure)."""
        return erasure.refusal(self.connection, agent_id, change.entity, change.row_id,
                               change.fields, change.hlc)


def _reads(source: Connection | Reads) -> Reads:
    return source if isinstance(source, Reads) else Reads(source)


def stored_row(connection: Connection, entity: str, row_id: str) -> dict[str, Any] | None:
    """The server's row of `entity` with `row_id`, as Python values, or None."""
    table = ENTITIES[entity].__table__
    found = connection.execute(select(table).where(table.c.id == row_id)).first()
    return dict(found._mapping) if found is not None else None


def repeats_stored_row(change: DecodedChange, stored: dict[str, Any] | None) -> bool | None:
    """For an insert of an insert-only row: None when the id is new, True when the row is
    already held with exactly these values, False when the insert would rewrite it.

    Insert-only rows are never rewritten: a second insert with other values is refused,
    and one with the same values changes nothing (and is not logged again).
    """
    if change.op != "insert" or change.entity in MUTABLE_ENTITIES or stored is None:
        return None
    return all(stored.get(name) == value for name, value in change.fields.items())


#: Rows a replica's store takes once per key (UNIQUE there, with the mood's CHECK on its
#: score), which the server's tables do not declare: the server refuses a second one, or
#: it would accept it and then break the pull of every replica already holding the first.
_ONE_PER = {
    "mood_entry": (("agent_id", "local_date"), N_("a mood for that day is already logged")),
    "ticket_article": (("ticket_id", "article_id"),
                       N_("that article is already linked to that ticket")),
    "feedback_follow_up": (("feedback_id",), N_("that response is already followed up")),
}


def _check_one_per(reads: Reads, change: DecodedChange) -> None:
    key, already = _ONE_PER[change.entity]
    table = ENTITIES[change.entity].__table__
    taken = reads.connection.execute(select(table.c.id).where(
        *(table.c[name] == change.fields[name] for name in key))).first()
    if taken is not None and taken.id != change.row_id:
        raise Rejected("conflict", _(already))


def _check_goodwill(reads: Reads, caller: Caller, entry: dict[str, Any]) -> None:
    kind = entry["kind"]
    budget_agent = entry["budget_agent_id"]
    team_id = reads.team_of(budget_agent)
    may_manage = manages(caller.role, caller.team_id, team_id)
    if kind != LedgerKind.REVERSAL and entry.get("reverses_id") is not None:
        raise Rejected("invalid", _("only a reversal points at another entry, not a spend")
                       if kind == LedgerKind.SPEND else
                       _("only a reversal points at another entry, not an allocation"))
    if kind == LedgerKind.SPEND:
        if budget_agent != caller.agent_id:
            raise Rejected("forbidden", _("you may spend only from your own goodwill budget"))
        if entry["amount_cents"] >= 0:
            raise Rejected("invalid",
                           _("a spend takes money out of the budget (negative amount)"))
    elif kind == LedgerKind.ALLOCATION:
        if not may_manage:
            raise Rejected("forbidden",
                           _("only the agent's lead or an admin allocates budgets"))
        if entry["amount_cents"] <= 0:
            raise Rejected("invalid", _("an allocation adds to the budget (positive amount)"))
    else:
        if not may_manage:
            raise Rejected("forbidden", _("only the agent's lead or an admin reverses entries"))
        _check_reversal(reads, entry)
    currency = entry.get("currency", DEFAULT_CURRENCY)
    # The services' own rule and query, on the server's ledger of everyone's entries.
    balance = reads.balance(budget_agent, entry["period"], currency)
    try:
        refuse_overspend(balance, Money(entry["amount_cents"], currency), entry["period"])
    except InsufficientBudget as refused:
        raise Rejected("insufficient_budget", refused.message) from None


def _check_promise(reads: Reads, caller: Caller, change: DecodedChange) -> None:
    """A promise's event fits its kind (a move has a reason, no time already past), and
    only the ticket's owner or the promise's maker keeps or moves it (domain.promises)."""
    fields = change.fields
    refused = event_refusal(fields.get("kind", ""), fields.get("promise_id", ""), change.row_id,
                            fields.get("what"), fields.get("due_at"), fields.get("reason"),
                            fields.get("occurred_at"))
    if refused:
        raise Rejected("invalid", refused)
    if fields.get("kind") == PromiseEventKind.MADE:
        return
    events = ENTITIES["promise_event"].__table__
    made = reads.connection.execute(select(events).where(
        events.c.id == fields["promise_id"], events.c.kind == PromiseEventKind.MADE)).first()
    if made is None:
        raise Rejected("unknown_reference",
                       _("the promise this event is about is not known"))
    if made.ticket_id != fields.get("ticket_id"):
        raise Rejected("invalid", _("a promise's events are on the promise's own ticket"))
    tickets = ENTITIES["ticket"].__table__
    owner = reads.connection.execute(
        select(tickets.c.owner_id).where(tickets.c.id == made.ticket_id)).scalar()
    refused = keep_refusal(caller.agent_id, made.agent_id, owner)
    if refused:
        raise Rejected("forbidden", refused)


def _check_reversal(reads: Reads, entry: dict[str, Any]) -> None:
    """A reversal cancels one spend or allocation exactly, and is about what it was about:
    the same budget, period, currency, ticket and customer (so it reaches the same people)."""
    original = reads.row("goodwill_entry", entry["reverses_id"]) \
        if entry.get("reverses_id") is not None else None
    if original is None:
        raise Rejected("unknown_reference", _("the entry to reverse is not on the ledger"))
    if original["kind"] == LedgerKind.REVERSAL:
        raise Rejected("invalid",
                       _("a reversal cannot be reversed; book a new entry instead"))
    same = ("budget_agent_id", "period", "currency", "ticket_id", "customer_id")
    if any(original[name] != entry.get(name) for name in same) or \
            original["amount_cents"] != -entry["amount_cents"]:
        raise Rejected("invalid", _("a reversal must cancel its entry exactly: the same "
                                    "budget, period, currency, ticket and customer, the "
                                    "amount negated"))


def audience(source: Connection | Reads, change: DecodedChange
             ) -> tuple[str, str | None, str | None]:
    """Who may pull a change: ('all'|'agent'|'budget', agent id, team id).

    Moods go back to their agent only (leads get aggregates from their own endpoint).
    An erasure goes to everyone: every replica must scrub the customer.
    Ledger entries about a customer are part of that customer's history and go to the
    whole desk, so nobody compensates a customer twice unknowingly; allocations and
    their reversals go to the budget's agent, the leads of their team and admins.
    Feedback responses (comment included) and their follow-ups go to everyone: a response
    is part of its ticket's and customer's history, which the whole desk reads (the next
    agent the customer reaches should know they were unhappy), and a follow-up is a
    contact every agent sees in that history anyway. Which responses one agent has not
    yet followed up is shown only to that agent (services.feedback_loop); a lead's
    screens show the team's count.
    """
    if change.entity == "mood_entry":
        return "agent", change.fields["agent_id"], None
    if change.entity == "goodwill_entry" and change.fields.get("customer_id") is None:
        agent_id = change.fields["budget_agent_id"]
        return "budget", agent_id, _reads(source).team_of(agent_id)
    return "all", None, None


#: Entities whose rows not everyone may pull (see `audience`).
_RESTRICTED = frozenset({"mood_entry", "goodwill_entry"})


def may_pull(caller: Caller, who: str, agent_id: str | None, team_id: str | None) -> bool:
    """Whether `caller` may have a row of this audience. `pull_clause` is the same in SQL."""
    if who == "all" or (agent_id is not None and agent_id == caller.agent_id):
        return True
    return who == "budget" and manages(caller.role, caller.team_id, team_id)


def pull_clause(caller: Caller, log: Any) -> Any:
    """`may_pull` as a condition on the change log's audience columns."""
    budget_ok = true() if caller.is_admin else (
        log.c.audience_team_id == caller.team_id if caller.is_lead and caller.team_id
        else false())
    return or_(log.c.audience == "all", log.c.audience_agent_id == caller.agent_id,
               and_(log.c.audience == "budget", budget_ok))


def may_pull_row(source: Connection | Reads, caller: Caller, entity: str,
                 row: dict[str, Any]) -> bool:
    """Whether `caller` may have the server's row of `entity` (answers show no other)."""
    return may_pull(caller, *audience(source, DecodedChange(entity, row["id"], "insert", row)))


def within(inner: tuple[str, str | None, str | None],
           outer: tuple[str, str | None, str | None]) -> bool:
    """Whether everyone who may pull a change of audience `inner` may pull `outer` too."""
    if outer[0] == "all":
        return True
    if outer[0] == "agent":
        return inner[0] == "agent" and inner[1] == outer[1]
    return inner[0] in ("agent", "budget") and inner[1] == outer[1] and \
        (inner[0] == "agent" or inner[2] == outer[2])


def _check_reference_audiences(reads: Reads, change: DecodedChange) -> None:
    """Nothing is logged that refers to a row some of its readers may not have: they could
    not apply it (their store has no such row for the reference to point at)."""
    table = ENTITIES[change.entity].__table__
    mine = None
    for key in table.foreign_keys:
        target = key.column.table.name
        value = change.fields.get(key.parent.name)
        if target not in _RESTRICTED or value is None:
            continue
        row = reads.row(target, value)
        if row is None:
            continue  # the database refuses the reference itself: unknown_reference
        mine = mine or audience(reads, change)
        if not within(mine, audience(reads, DecodedChange(target, value, "insert", row, ""))):
            raise Rejected("forbidden", _(
                "this {thing} refers to a record that not everyone who would receive it may "
                "see").format(thing=entity_name(change.entity)))
