"""Customer feedback (commit 422f26e): the `feedback` table and `kudos.feedback_id`.

Releases 422f26e to f820613 made the table but not the kudos column; 4222197 added the
column on start. Both are added here only where missing.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("feedback"):
        scores = [sa.Column(name, sa.Integer) for name in (
            "reliability", "empathy", "customer_focus", "customer_knowledge",
            "waiting_time", "accessibility", "phone_menu")]
        op.create_table(
            "feedback",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("ticket_id", sa.String(64), sa.ForeignKey("ticket.id"), nullable=False),
            sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"),
                      nullable=False),
            sa.Column("agent_id", sa.String(64), sa.ForeignKey("agent.id")),
            sa.Column("csat", sa.Integer, nullable=False),
            *scores,
            sa.Column("comment", sa.String(4000)),
            sa.Column("source", sa.String(20), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("author_id", sa.String(64), sa.ForeignKey("agent.id")),
        )
    if "feedback_id" not in {column["name"] for column in inspector.get_columns("kudos")}:
        # One statement both SQLite and PostgreSQL take (SQLite has no ADD CONSTRAINT).
        op.execute("ALTER TABLE kudos ADD COLUMN feedback_id VARCHAR(64) "
                   "REFERENCES feedback (id)")


def downgrade() -> None:
    op.drop_column("kudos", "feedback_id")
    op.drop_table("feedback")
