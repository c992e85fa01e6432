"""Customer erasure, AVG/GDPR (commit a1185f7): the `customer_erasure` table.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("customer_erasure"):
        return
    op.create_table(
        "customer_erasure",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"),
                  nullable=False),
        sa.Column("agent_id", sa.String(64), sa.ForeignKey("agent.id"), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_customer_erasure_customer_id", "customer_erasure", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_customer_erasure_customer_id", "customer_erasure")
    op.drop_table("customer_erasure")
