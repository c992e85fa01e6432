"""Mail sending: `mail_sending`, the sender's bookkeeping between rounds (server.mail.send).

Revision ID: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
# "0011" (the intake's mailboxes) once both are merged; "0010" on this branch alone.
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("mail_sending"):
        return
    op.create_table(
        "mail_sending",
        sa.Column("contact_id", sa.String(64), primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("final", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mail_sending")
