"""Promises to customers (issue 12): the insert-only `promise_event` table.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("promise_event"):
        return
    op.create_table(
        "promise_event",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("promise_id", sa.String(64), nullable=False),
        sa.Column("ticket_id", sa.String(64), sa.ForeignKey("ticket.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("agent_id", sa.String(64), sa.ForeignKey("agent.id"), nullable=False),
        sa.Column("what", sa.String(200)),
        sa.Column("due_at", sa.DateTime(timezone=True)),
        sa.Column("reason", sa.String(500)),
        sa.Column("contact_id", sa.String(64), sa.ForeignKey("contact.id")),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_promise_event_promise_id", "promise_event", ["promise_id"])
    op.create_index("ix_promise_event_ticket_id", "promise_event", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_promise_event_ticket_id", "promise_event")
    op.drop_index("ix_promise_event_promise_id", "promise_event")
    op.drop_table("promise_event")
