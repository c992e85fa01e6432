"""`deskterm server check --repair` (commit 95b343f): the `change_log_quarantine` table.

The release before it (3060827) gave the domain tables' text columns bounded lengths.
Those bounds are enforced by the field rules every push goes through (domain), and on
SQLite a length is no constraint at all; older PostgreSQL columns are left unbounded here,
so no row an older server accepted is refused or cut short by the upgrade.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("change_log_quarantine"):
        return
    op.create_table(
        "change_log_quarantine",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("mutation_id", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("row_id", sa.String(64), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("hlc", sa.String(80), nullable=False),
        sa.Column("author_id", sa.String(64)),
        sa.Column("audience", sa.String(10), nullable=False),
        sa.Column("audience_agent_id", sa.String(64)),
        sa.Column("audience_team_id", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("change_log_quarantine")
