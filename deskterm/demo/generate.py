"""Fill an empty store with a believable shared service desk: the `deskterm demo` data.

The rows stand for data that came from the server, so they are bulk-loaded straight
into the tables (no services, no outbox, no field clocks) in one transaction: a load
that fails leaves the store as empty as it was. The same seed and anchor give
byte-identical data (the same file, even).
"""

from __future__ import annotations

import random
import sqlite3
import string
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

from deskterm.demo.articles import article_rows
from deskterm.demo.feedback import feedback_rows
from deskterm.demo.groups import group_rows
from deskterm.demo.handback import hand_backs
from deskterm.demo.knowledge import knowledge_rows
from deskterm.demo.ledger import goodwill_rows, ledger_start
from deskterm.demo.people import (
    DEFAULT_AGENT,
    DEFAULT_LEAD,
    build_organisation,
    customer_count,
    customer_rows,
)
from deskterm.demo.persona import pick_up
from deskterm.demo.phrases import phrases
from deskterm.demo.plans import topic_plans
from deskterm.demo.promises import promise_rows
from deskterm.demo.tickets import Samples, TicketSetup, ticket_chunks
from deskterm.demo.timeline import default_anchor, make_stamp, to_ms
from deskterm.demo.topics import all_topics
from deskterm.demo.wellbeing import kudos_rows, mood_rows
from deskterm.domain.errors import Conflict, InvalidInput
from deskterm.domain.feedback import DRIVERS
from deskterm.i18n import LANGUAGES, N_, _
from deskterm.i18n import language as current_language
from deskterm.i18n.formats import number
from deskterm.store import Store, bulk
from deskterm.store.login import mark_demo

__all__ = ["DEFAULT_AGENT", "DEFAULT_LEAD", "DemoSummary", "Step", "generate_demo"]

MAX_TICKETS = 5_000_000
CHUNK = 50_000

COLUMNS = {
    "team": ("id", "name", "created_at"),
    "department": ("id", "code", "name"),
    "agent": ("id", "handle", "name", "email", "role", "tier", "team_id", "active",
              "created_at"),
    "customer": ("id", "name", "organisation", "email", "phone", "products", "notes",
                 "created_at", "updated_at", "erased_at", "deleted"),
    "kb_article": ("id", "title", "body", "tags", "department_id", "author_id", "version",
                   "created_at", "updated_at", "deleted"),
    "ticket": ("id", "number", "subject", "description", "kind", "status", "priority",
               "department_id", "customer_id", "owner_id", "resolver_tier", "resolver_group",
               "escalation_reason", "escalated_at", "resolution", "first_contact_resolution",
               "created_at", "updated_at", "resolved_at", "last_contact_at", "deleted",
               "resolver_group_id", "returned_at"),
    "contact": ("id", "customer_id", "agent_id", "ticket_id", "channel", "direction",
                "summary", "occurred_at", "self_rating"),
    "ticket_event": ("id", "ticket_id", "agent_id", "kind", "detail", "created_at"),
    "ticket_article": ("id", "ticket_id", "article_id", "agent_id", "created_at"),
    "goodwill_entry": ("id", "kind", "budget_agent_id", "period", "amount_cents", "currency",
                       "ticket_id", "customer_id", "reason", "reverses_id", "author_id",
                       "created_at"),
    "mood_entry": ("id", "agent_id", "local_date", "score", "note", "created_at"),
    "kudos": ("id", "source", "from_name", "message", "about_agent_id", "team_id",
              "customer_id", "ticket_id", "contact_id", "author_id", "created_at"),
    "feedback": ("id", "ticket_id", "customer_id", "agent_id", "csat", *DRIVERS, "comment",
                 "source", "received_at", "author_id"),
    "resolver_group": ("id", "name", "tier", "lead_id", "created_at", "deleted"),
    "group_member": ("id", "group_id", "agent_id", "added", "author_id", "created_at"),
    "promise_event": ("id", "promise_id", "ticket_id", "kind", "agent_id", "what", "due_at",
                      "reason", "contact_id", "occurred_at"),
    "feedback_follow_up": ("id", "feedback_id", "agent_id", "contact_id", "created_at"),
    "kb_edit": ("id", "article_id", "version", "editor_id", "changed", "edited_at"),
}
#: The store's local-only sort keys on tickets (schema 3); see _customer_sort_keys.
SORT_KEY_COLUMNS = ("customer_sort", "owner_sort")
#: SQLite's lower() folds ASCII letters only; the sort keys must match it exactly.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
REFUSAL = N_("this store already has data; demo fills only an empty store")
#: Pragmas of the bulk load, restored afterwards. Keys and CHECKed values are right by
#: construction (the tests prove it), and checking them row by row doubles the load time:
#: a CHECK like `status IN (...)` and a parent lookup per foreign key, for millions of
#: rows. Nothing is fsynced during the load; the checkpoint at the end syncs the file.
#: (A process that dies mid-load leaves the store empty; a machine that crashes
#: mid-load may leave a damaged file, which held nothing: delete it and run again.)
LOAD_PRAGMAS = {"foreign_keys": "OFF", "ignore_check_constraints": "ON",
                "synchronous": "OFF", "cache_size": "-131072", "temp_store": "MEMORY"}
#: The big tables' indexes and the queue's text index are rebuilt after the tickets are
#: in, not kept up row by row: see deskterm.store.bulk.


class Step(str):
    """A progress line: what a person reads, in the current language, carrying the stage
    it reports on (`customers`, `articles`, `tickets`, `indexing`, `analysing`, `done`) as
    an id that is the same in every language, so a caller can tell stages apart."""

    stage: str

    def __new__(cls, stage: str, text: str) -> Step:
        step = super().__new__(cls, text)
        step.stage = stage
        return step


@dataclass(frozen=True)
class DemoSummary:
    teams: int
    departments: int
    agents: int
    customers: int
    tickets: int
    contacts: int
    articles: int
    ledger_entries: int
    moods: int
    kudos: int
    seconds: float


def generate_demo(store: Store, *, tickets: int = 20_000, seed: int = 7,
                  anchor: datetime | None = None,
                  progress: Callable[[str], None] | None = None,
                  language: str | None = None) -> DemoSummary:
    """Fill an empty store with demo data; `anchor` is the demo's "now" (default: today 00:00 UTC).

    The desk is written in `language` (default: the current language, deskterm.i18n):
    its people, customers, subjects, contacts, KB and ledger are that language's content.
    Raises InvalidInput for a ticket count out of range or a naive anchor, and Conflict
    (writing nothing) when the store already holds tickets or agents.
    """
    if isinstance(tickets, bool) or not isinstance(tickets, int) \
            or not 0 < tickets <= MAX_TICKETS:
        raise InvalidInput(_("the demo needs between 1 and {most} tickets, not {count}").format(
            most=number(MAX_TICKETS), count=repr(tickets)))
    if anchor is None:
        anchor = default_anchor()
    elif anchor.tzinfo is None:
        raise InvalidInput(_("the demo's anchor time needs a time zone (use UTC)"))
    language = language or current_language()
    if language not in LANGUAGES:
        raise InvalidInput(_("the demo desk speaks {languages}, not {language}").format(
            languages=", ".join(LANGUAGES), language=language))
    report = progress or (lambda _message: None)
    started = time.perf_counter()
    # Close idle pooled connections: while any other connection has the file open,
    # the load cannot leave WAL mode (see _leave_wal). Checked-out ones are unaffected.
    store.engine.dispose()
    with store.raw() as con:
        if _has_data(con):
            raise Conflict(_(REFUSAL))
        counts = _load(con, tickets, seed, to_ms(anchor.astimezone(UTC)), report, language)
        # TRANSLATORS: a progress line of the demo generator: the store's statistics.
        report(Step("analysing", _("analysing")))
        _tidy(con)
    seconds = round(time.perf_counter() - started, 2)
    report(Step("done", _("done in {seconds} s").format(seconds=number(seconds, 1))))
    return DemoSummary(
        teams=counts["team"], departments=counts["department"], agents=counts["agent"],
        customers=counts["customer"], tickets=counts["ticket"], contacts=counts["contact"],
        articles=counts["kb_article"], ledger_entries=counts["goodwill_entry"],
        moods=counts["mood_entry"], kudos=counts["kudos"], seconds=seconds)


def _load(con: sqlite3.Connection, count: int, seed: int, anchor_ms: int,
          report: Callable[[str], None], language: str) -> dict[str, int]:
    """Write everything in one transaction, with the pragmas of a bulk load."""
    saved = {name: con.execute(f"PRAGMA {name}").fetchone()[0] for name in LOAD_PRAGMAS}
    for name, value in LOAD_PRAGMAS.items():
        con.execute(f"PRAGMA {name} = {value}")
    left_wal = _leave_wal(con)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            if _has_data(con):  # again, now under the write lock
                raise Conflict(_(REFUSAL))
            counts = _write_all(con, count, seed, anchor_ms, report, language)
            mark_demo(con)  # a demo desk never syncs (store.login)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        if left_wal:
            con.execute("PRAGMA journal_mode = WAL")
        for name, value in saved.items():
            con.execute(f"PRAGMA {name} = {value}")
    return counts


def _leave_wal(con: sqlite3.Connection) -> bool:
    """Use a rollback journal for the load when this is the only connection to the file.

    In WAL mode each page of the load is written twice: into the WAL, then by the
    checkpoint into the file. A rollback journal does not journal pages appended to the
    file at all, so filling an empty store writes each page once (a million tickets load
    about 12 s faster). SQLite refuses the switch while another connection has the file
    open; the load then simply runs in WAL mode. Returns whether it switched.
    """
    timeout = con.execute("PRAGMA busy_timeout").fetchone()[0]
    con.execute("PRAGMA busy_timeout = 0")  # refused at once rather than after 5 s
    try:
        mode = con.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        return False
    finally:
        con.execute(f"PRAGMA busy_timeout = {timeout}")
    return str(mode).lower() == "delete"


def _has_data(con: sqlite3.Connection) -> bool:
    row = con.execute("SELECT EXISTS (SELECT 1 FROM ticket) OR EXISTS (SELECT 1 FROM agent)")
    return bool(row.fetchone()[0])


def _write_all(con: sqlite3.Connection, count: int, seed: int, anchor_ms: int,
               report: Callable[[str], None], language: str) -> dict[str, int]:
    rng = random.Random(seed)
    stamp = make_stamp(anchor_ms)
    counts = dict.fromkeys(COLUMNS, 0)
    columns = dict(COLUMNS)

    def insert(table: str, rows: Iterable[tuple[object, ...]]) -> None:
        names = columns[table]
        sql = (f"INSERT INTO {table} ({', '.join(names)}) "
               f"VALUES ({', '.join('?' * len(names))})")
        for batch in _batches(rows, CHUNK):
            con.executemany(sql, batch)
            counts[table] += len(batch)

    org, teams, departments, agents = build_organisation(rng, anchor_ms, stamp, language)
    insert("team", teams)
    insert("department", departments)
    insert("agent", agents)
    groups, group_table, member_table = group_rows(org, rng, anchor_ms, stamp)
    insert("resolver_group", group_table)
    insert("group_member", member_table)

    customer_ids: list[str] = []
    customer_names: list[str] = []
    insert("customer", customer_rows(rng, customer_count(count), anchor_ms, stamp,
                                     customer_ids, customer_names, language))
    # TRANSLATORS: a progress line of the demo generator: customers made so far.
    report(Step("customers", _("customers {count}").format(count=number(counts["customer"]))))

    topics = all_topics(language)
    authors = [a for a in org.agents if a.tier >= 2]
    kb_rows, articles = article_rows(topics, rng, anchor_ms, stamp, org.department_ids, authors,
                                     language)
    insert("kb_article", kb_rows)
    # TRANSLATORS: a progress line of the demo generator: KB articles made so far.
    report(Step("articles", _("articles {count}").format(count=number(counts["kb_article"]))))

    plans, topic_table = topic_plans(topics, rng, org.department_ids, articles, language)
    # The desk answers the phone: tier-1 agents own tickets, their leads take fewer.
    owner_table = [a.index for a in org.agents if a.tier == 1
                   for _turn in range(3 if a.role == "agent" else 1)]
    samples = Samples()
    sort_keys = _customer_sort_keys(con, customer_names)
    if sort_keys is not None:
        columns["ticket"] = (*COLUMNS["ticket"], *SORT_KEY_COLUMNS)
    setup = TicketSetup(rng, count, anchor_ms, stamp, topic_table, customer_ids, sort_keys,
                        [a.id for a in org.agents], [a.handle for a in org.agents],
                        owner_table, groups, ledger_start(anchor_ms), samples,
                        phrases(language))
    suspended = bulk.suspend(con)
    for chunk in ticket_chunks(setup, CHUNK):
        insert("ticket", chunk.tickets)
        insert("contact", chunk.contacts)
        insert("ticket_event", chunk.events)
        insert("ticket_article", chunk.links)
        # TRANSLATORS: a progress line of the demo generator: tickets made of all to make.
        report(Step("tickets", _("tickets {done}/{total}").format(done=number(chunk.done),
                                                                  total=number(count))))
    # TRANSLATORS: a progress line of the demo generator: the search index is being built.
    report(Step("indexing", _("indexing")))
    bulk.restore(con, suspended)

    insert("goodwill_entry", goodwill_rows(org, samples, rng, anchor_ms, stamp))
    insert("mood_entry", mood_rows(org, rng, anchor_ms, stamp))
    insert("kudos", kudos_rows(org, samples, customer_ids, customer_names, rng, anchor_ms,
                               stamp))
    # The loops the desk closes: feedback followed up, escalations handed back, promises,
    # knowledge written from tickets. In this order: a follow-up is a contact with the
    # customer, and a returned ticket's customer has not heard from the desk since.
    responses = feedback_rows(con, org, rng, anchor_ms, stamp)
    insert("feedback", responses.feedback)
    insert("contact", responses.contacts)
    insert("feedback_follow_up", responses.follow_ups)
    insert("ticket_event", pick_up(con, org, rng, anchor_ms, stamp))
    insert("ticket_event", hand_backs(con, samples, org, groups, plans, rng, anchor_ms, stamp))
    insert("promise_event", promise_rows(con, org, rng, anchor_ms))
    knowledge = knowledge_rows(con, org, articles, rng, anchor_ms, stamp)
    insert("kb_article", knowledge.articles)
    insert("kb_edit", knowledge.edits)
    insert("ticket_article", knowledge.links)
    insert("ticket_event", knowledge.events)
    return counts


def _customer_sort_keys(con: sqlite3.Connection, names: list[str]) -> list[str] | None:
    """The customers' sort keys, if this schema keeps sort keys on tickets.

    The store's insert trigger would fill them too, by rewriting every ticket row once
    more (a tenth of the load time); the demo writes them with the row instead, exactly
    as the trigger does: SQLite's lower() of the customer's name, and the owner's handle.
    """
    columns = {row[1] for row in con.execute("PRAGMA table_info(ticket)")}
    if not set(SORT_KEY_COLUMNS) <= columns:
        return None
    return [name.translate(_ASCII_LOWER) for name in names]


def _tidy(con: sqlite3.Connection) -> None:
    """Fresh statistics for the query planner, and the WAL folded back into the file."""
    con.execute("PRAGMA analysis_limit = 1000")
    con.execute("ANALYZE")
    con.execute("PRAGMA analysis_limit = 0")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _batches(rows: Iterable[tuple[object, ...]], size: int) -> Iterator[list[tuple[object, ...]]]:
    if isinstance(rows, list) and len(rows) <= size:
        if rows:
            yield rows
        return
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
