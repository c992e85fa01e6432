"""The server's database: the domain tables plus its own bookkeeping, on SQLite or PostgreSQL.

The domain tables are the same SQLModel tables the agents' stores hold, so the merge
rule (`sync.merge`) runs unchanged on both ends. Beside them the server keeps:

- `change_log`: every applied change with its sequence number and who may pull it;
- `log_head`: one row holding the newest sequence number. Every write transaction
  locks it first, so writers are serialized and numbers follow commit order (a reader
  that pulled up to N never later finds a change below N appear);
- `processed_mutation`: the answer given for every mutation id, so a retried push is
  recognised and answered the same way;
- `account`: people allowed in, with a hash of their token (never the token);
- `server_meta`: the server's clock and identity; `counter`: ticket numbers;
- `change_log_quarantine`: log entries `deskterm server check --repair` took out;
- `mail_sending`: the mail sender's bookkeeping (defined in `server.mail.send`);
- `imported_row`: which row each imported record became (`server.importing.imported`);
- `alembic_version`: the schema's revision (see `server.migrations`, which makes and
  upgrades every table here; a new column or table is a new revision there).

Nothing lives outside the database, so several server processes can share one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from deskterm.domain.errors import DeskError, InvalidInput
from deskterm.domain.ids import uuid7
from deskterm.domain.types import UtcDateTime
from deskterm.i18n import _
from deskterm.server.settings import Settings, load
from deskterm.store.files import make_private
from deskterm.sync.merge import field_clock

server_metadata = MetaData()

account = Table(
    "account", server_metadata,
    Column("id", String(64), primary_key=True),
    Column("handle", String(64), nullable=False, unique=True),
    Column("agent_id", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("team_id", String(64)),
    Column("token_hash", String(128), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

change_log = Table(
    "change_log", server_metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("mutation_id", String(40), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("row_id", String(64), nullable=False),
    Column("op", String(10), nullable=False),
    Column("fields", Text, nullable=False),
    Column("hlc", String(80), nullable=False),
    Column("author_id", String(64)),
    #: Who may pull it: 'all', 'agent' (only audience_agent_id), 'budget' (that agent,
    #: the leads of audience_team_id, admins).
    Column("audience", String(10), nullable=False),
    Column("audience_agent_id", String(64)),
    Column("audience_team_id", String(64)),
    Column("created_at", UtcDateTime, nullable=False),
)

#: Change-log entries `deskterm server check --repair` took out of the log: entries no
#: replica could apply, or that reach readers who may not have what they refer to.
quarantine = Table(
    "change_log_quarantine", server_metadata,
    *(Column(column.name, column.type, primary_key=column.primary_key,
             nullable=column.nullable) for column in change_log.columns),
    Column("reason", Text, nullable=False),
    Column("quarantined_at", UtcDateTime, nullable=False),
)

log_head = Table(
    "log_head", server_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
)

processed_mutation = Table(
    "processed_mutation", server_metadata,
    Column("mutation_id", String(40), primary_key=True),
    Column("client_id", String(64), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("code", String(40)),
    Column("reason", Text),
    Column("assigned", Text),
    Column("seq", BigInteger),
    Column("answered_at", UtcDateTime, nullable=False),
)

server_meta = Table(
    "server_meta", server_metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

counter = Table(
    "counter", server_metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

Index("ix_change_log_audience", change_log.c.audience_agent_id, change_log.c.seq)
#: The logged changes of each article, found by the stamp that wrote its body (the KB
#: conflict check: server.changelog `_body_written_by`); partial, so only article changes
#: pay for it on a push.
Index("ix_change_log_kb_article", change_log.c.row_id, change_log.c.hlc,
      sqlite_where=change_log.c.entity == "kb_article",
      postgresql_where=change_log.c.entity == "kb_article")

#: The first ticket number the server hands out.
FIRST_TICKET_NUMBER = 1001


def make_server_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> Engine:
    """An engine for the server's database: PostgreSQL via psycopg, or a SQLite file."""
    if url.startswith("postgresql"):
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return create_engine(url, pool_size=pool_size, max_overflow=max_overflow,
                             pool_pre_ping=True)
    if not url.startswith("sqlite:///"):
        raise InvalidInput(_("unsupported database URL '{url}': use sqlite:///FILE or "
                             "postgresql+psycopg://USER@HOST/DB").format(url=url))
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # It holds every customer and private moods: 0600 before SQLite makes it (SQLite
        # gives its -wal and -shm files the same mode), tightened if it was wider.
        make_private(path)
    except OSError as error:
        raise InvalidInput(_("cannot create the server database {path}: {error}").format(
            path=path, error=error.strerror)) from None
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           pool_size=pool_size, max_overflow=max_overflow)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Writers ask for IMMEDIATE (see Database.writing) so they queue on the write lock
    # instead of failing when a read snapshot would have to upgrade.
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def create_schema(connection: Connection) -> None:
    """Make every table of today's schema in an empty database (`migrations.migrate` does
    this for an empty database only: an existing one is upgraded by revisions)."""
    import deskterm.domain as domain

    # The mail intake's and sender's server-only tables join server_metadata when imported.
    import deskterm.server.mail.lease
    import deskterm.server.mail.mailboxes
    import deskterm.server.mail.send
    from deskterm.server.importing.imported import imported_row

    _mail = (deskterm.server.mail.lease.lease, deskterm.server.mail.mailboxes.mailbox,
             deskterm.server.mail.send.mail_sending, imported_row)

    _entities = domain.ENTITIES  # load every table model into SQLModel.metadata
    SQLModel.metadata.create_all(connection)
    server_metadata.create_all(connection)
    field_clock.metadata.create_all(connection)


def seed_rows(connection: Connection) -> None:
    """The single rows the server relies on, where missing."""
    connection.execute(text(
        "INSERT INTO log_head (id, seq) SELECT 1, 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM log_head WHERE id = 1)"))
    connection.execute(text(
        "INSERT INTO counter (name, value) SELECT 'ticket_number', :first "
        "WHERE NOT EXISTS (SELECT 1 FROM counter WHERE name = 'ticket_number')"),
        {"first": FIRST_TICKET_NUMBER - 1})
    for key, value in (("server_id", uuid7()), ("hlc", "0000000000000-00000-server")):
        connection.execute(text(
            "INSERT INTO server_meta (key, value) SELECT CAST(:k AS VARCHAR(40)), "
            "CAST(:v AS TEXT) WHERE NOT EXISTS (SELECT 1 FROM server_meta WHERE key = "
            "CAST(:k AS VARCHAR(40)))"), {"k": key, "v": value})


class Database:
    """The server's engine, its schema migrated to this code's, and the two kinds of
    transaction.

    Opening it migrates the database (`migrations.migrate`: created when empty, upgraded
    when older, once under a lock) and refuses one a newer deskterm made (SchemaTooNew).
    """

    def __init__(self, url: str | None = None, *, settings: Settings | None = None) -> None:
        from deskterm.server.migrations import migrate  # its revisions import this module

        settings = settings or load(database_url=url)
        self.url = settings.resolved_database_url
        self.engine = make_server_engine(self.url, pool_size=settings.pool_size,
                                         max_overflow=settings.max_overflow)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        try:
            self.migration = migrate(self.engine)
        except BaseException:
            self.engine.dispose()
            raise
        self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        # PostgreSQL reads whose statements each stand alone run without a transaction:
        # no BEGIN before them, no ROLLBACK as the connection goes back to the pool.
        self._statement_engine = (self.engine.execution_options(isolation_level="AUTOCOMMIT")
                                  if self.is_postgres else self.engine)
        with self.engine.connect() as connection:
            self.server_id = str(connection.execute(
                text("SELECT value FROM server_meta WHERE key = 'server_id'")).scalar_one())

    def reading(self) -> Any:
        return self.engine.connect()

    def reading_statements(self) -> Any:
        """A connection for reads that need no snapshot shared between their statements
        (a pull: the log's head, then the page up to that head). On PostgreSQL each
        statement runs on its own, as it would in a READ COMMITTED transaction, and the
        two round trips a transaction costs are saved: a pull took 0.85-0.91 ms instead
        of 1.18-1.24 ms in the same run, its client CPU 0.70-0.74 ms instead of 0.81-0.87.
        """
        return self._statement_engine.connect()

    def writing(self) -> Any:
        """A write transaction holding the log lock (see lock_log) from its first statement."""
        return self._write_engine.begin()

    def dispose(self) -> None:
        self.engine.dispose()


#: The server_meta key counting rewrites of logged changes (see `note_log_rewritten`).
LOG_REWRITES = "log_rewrites"


class LogState(NamedTuple):
    """The log's head and how many times logged changes have been rewritten."""

    head: int
    rewrites: int


def log_state(connection: Connection) -> LogState:
    """The log's head and rewrite count, in one statement."""
    rewrites = select(server_meta.c.value).where(server_meta.c.key == LOG_REWRITES) \
        .scalar_subquery()
    head, count = connection.execute(select(log_head.c.seq, rewrites)
                                     .where(log_head.c.id == 1)).one()
    return LogState(int(head), int(count) if count is not None else 0)


def note_log_rewritten(connection: Connection) -> None:
    """Count a rewrite of changes already in the log (an erasure's scrub, a repair's
    quarantine), in the transaction that makes it, under the log lock: an instance
    keeping the log's tail in memory (`server.tail`) reads the count and drops its copy
    when it moved."""
    count = str(log_state(connection).rewrites + 1)
    if not connection.execute(update(server_meta).where(server_meta.c.key == LOG_REWRITES)
                              .values(value=count)).rowcount:
        connection.execute(insert(server_meta).values(key=LOG_REWRITES, value=count))


def newest_seq(db: Database) -> int:
    """The newest sequence number in the change log (0 for an empty log)."""
    with db.reading() as connection:
        return int(connection.execute(select(log_head.c.seq)).scalar_one())


#: Sizes of the change log at which PostgreSQL's planner statistics are brought up to
#: date (`refresh_statistics`).
STATISTICS_AT = tuple(2 ** power for power in range(10, 21))


def refresh_statistics(db: Database, before: int, after: int) -> None:
    """ANALYZE, on PostgreSQL, when the log has just grown past a size in STATISTICS_AT.

    A database that fills fast (a new desk, a desk moving in, a day's pushes after an
    outage) outgrows its statistics long before autovacuum's next round: with none, the
    planner reads an `IN` list of 500 row ids as most of a table and scans every field
    clock of an entity (26 ms at 150,000 clocks, against 2 ms by the primary key once
    analyzed; pushes of 100,000 changes went at half the speed of pushes of 20,000).
    At doubling sizes it costs a few ANALYZE runs in a database's life, each on the one
    push that crosses the size, after that push has committed.
    """
    if db.engine.dialect.name != "postgresql" \
            or not any(before < size <= after for size in STATISTICS_AT):
        return
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def lock_log(connection: Any) -> int:
    """Take the writers' lock (the log_head row) and return the newest sequence number."""
    return int(connection.execute(text(
        "UPDATE log_head SET seq = seq WHERE id = 1 RETURNING seq")).scalar_one())


def lock_log_and_clock(connection: Any) -> tuple[int, str | None]:
    """`lock_log`, and the server's clock as stored (None before its first stamp), read
    in the same statement: a push needs both, and each round trip holds the lock."""
    seq, clock = connection.execute(text(
        "UPDATE log_head SET seq = seq WHERE id = 1 "
        "RETURNING seq, (SELECT value FROM server_meta WHERE key = 'hlc')")).one()
    return int(seq), clock


def safe_url(url: str) -> str:
    """The URL with any password masked, for logs and messages."""
    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        scheme, rest = url.split("//", 1)
        credentials, host = rest.split("@", 1)
        return f"{scheme}//{credentials.split(':', 1)[0]}:***@{host}"
    return url


class DatabaseUnavailable(DeskError):
    """The server database cannot be opened, or its schema not made or upgraded."""

    code = "database_unavailable"


def open_database(settings: Settings) -> Database:
    """The server database the settings name; DatabaseUnavailable, with the driver's first
    line and no password, when it cannot be used."""
    try:
        return Database(settings=settings)
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        url = settings.resolved_database_url
        raise DatabaseUnavailable(_("cannot use the server database {url}: {error}").format(
            url=safe_url(url), error=str(cause).strip().splitlines()[0])) from None
