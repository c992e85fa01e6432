"""Resolver groups and the hand-back (issue 12): `resolver_group`, `group_member`,
`ticket.resolver_group_id` and `ticket.returned_at`.

Escalations made before groups were rows named their group in free text. Each text
becomes a group whose id is derived from it (`domain.groups.migrated_group_id`, which the
store's migration v009 computes the same way), and the tickets point at it. Both are
written as the server's own changes, logged, so a replica made later pulls them too; a
replica that migrated its own store already holds the same rows and merges them. Run
twice, it adds nothing: a group already there is kept, a ticket with a group is left.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Tier
from deskterm.domain.groups import migrated_group_id
from deskterm.server.changelog import LogWriter
from deskterm.server.database import lock_log
from deskterm.sync.codec import DecodedChange

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if not inspector.has_table("resolver_group"):
        op.create_table(
            "resolver_group",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("name", sa.String(100), nullable=False, unique=True),
            sa.Column("tier", sa.Integer, nullable=False),
            sa.Column("lead_id", sa.String(64), sa.ForeignKey("agent.id")),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("deleted", sa.Boolean, nullable=False),
        )
    if not inspector.has_table("group_member"):
        op.create_table(
            "group_member",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("group_id", sa.String(64), sa.ForeignKey("resolver_group.id"),
                      nullable=False),
            sa.Column("agent_id", sa.String(64), sa.ForeignKey("agent.id"), nullable=False),
            sa.Column("added", sa.Boolean, nullable=False),
            sa.Column("author_id", sa.String(64), sa.ForeignKey("agent.id"), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
    columns = {column["name"] for column in inspector.get_columns("ticket")}
    if "resolver_group_id" not in columns:
        # One statement both SQLite and PostgreSQL take (SQLite has no ADD CONSTRAINT).
        op.execute("ALTER TABLE ticket ADD COLUMN resolver_group_id VARCHAR(64) "
                   "REFERENCES resolver_group (id)")
    if "returned_at" not in columns:
        op.add_column("ticket", sa.Column("returned_at", sa.DateTime(timezone=True)))
    _groups_from_text(bind)


def _groups_from_text(bind: sa.Connection) -> None:
    ticket = sa.table("ticket", sa.column("id", sa.String), sa.column("resolver_group", sa.String),
                      sa.column("resolver_group_id", sa.String),
                      sa.column("resolver_tier", sa.Integer))
    group = sa.table("resolver_group", sa.column("id", sa.String),
                     sa.column("name", sa.String))
    waiting = bind.execute(sa.select(ticket.c.id, ticket.c.resolver_group,
                                     ticket.c.resolver_tier)
                           .where(ticket.c.resolver_group.is_not(None))
                           .where(ticket.c.resolver_group_id.is_(None))
                           .order_by(ticket.c.id)).all()
    if not waiting:
        return
    known = {name: group_id for group_id, name in bind.execute(sa.select(group.c.id,
                                                                         group.c.name))}
    now = utcnow()
    writer = LogWriter(bind, lock_log(bind), now)
    for ticket_id, text, tier in waiting:
        name = text.strip()
        if not name:
            continue
        if name not in known:
            group_id = migrated_group_id(name)
            known[name] = group_id
            writer.write_as_server(DecodedChange("resolver_group", group_id, "insert", {
                "name": name, "tier": Tier(tier) if tier in (2, 3) else Tier.SECOND,
                "lead_id": None, "created_at": now, "deleted": False}))
        writer.write_as_server(DecodedChange("ticket", ticket_id, "update",
                                             {"resolver_group_id": known[name]}))
    writer.finish()


def downgrade() -> None:
    op.drop_column("ticket", "returned_at")
    op.drop_column("ticket", "resolver_group_id")
    op.drop_table("group_member")
    op.drop_table("resolver_group")
