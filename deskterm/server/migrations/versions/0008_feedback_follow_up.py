"""Feedback back to the agent (issue 12): the `feedback_follow_up` table.

Kudos from a colleague (source `peer`) need nothing here: the server keeps a kudos'
source as text.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("feedback_follow_up"):
        return
    op.create_table(
        "feedback_follow_up",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("feedback_id", sa.String(64), sa.ForeignKey("feedback.id"), nullable=False),
        sa.Column("agent_id", sa.String(64), sa.ForeignKey("agent.id"), nullable=False),
        sa.Column("contact_id", sa.String(64), sa.ForeignKey("contact.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_feedback_follow_up_feedback_id", "feedback_follow_up", ["feedback_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_follow_up_feedback_id", "feedback_follow_up")
    op.drop_table("feedback_follow_up")
