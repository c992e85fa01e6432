"""Mail intake: the server-only tables `mailbox`, `mail_taken`, `mail_failure`,
`mail_aside`, `mail_attachment_blob` and `lease` (server/mail/mailboxes.py, lease.py).

Revision ID: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    stamp = sa.DateTime(timezone=True)
    if not inspector.has_table("mailbox"):
        op.create_table(
            "mailbox",
            sa.Column("name", sa.String(40), primary_key=True),
            sa.Column("address", sa.String(320), nullable=False),
            sa.Column("imap_url", sa.Text, nullable=False),
            sa.Column("smtp_url", sa.Text, nullable=False),
            sa.Column("department_id", sa.String(64)),
            sa.Column("password_env", sa.String(200)),
            sa.Column("password_file", sa.Text),
            sa.Column("processed_folder", sa.String(200)),
            sa.Column("poll_seconds", sa.Integer, nullable=False),
            sa.Column("created_at", stamp, nullable=False),
        )
    if not inspector.has_table("mail_taken"):
        op.create_table(
            "mail_taken",
            sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                      primary_key=True, autoincrement=True),
            sa.Column("mailbox", sa.String(40), nullable=False),
            sa.Column("uidvalidity", sa.BigInteger, nullable=False),
            sa.Column("uid", sa.BigInteger, nullable=False),
            sa.Column("message_id", sa.String(998)),
            sa.Column("outcome", sa.String(20), nullable=False),
            sa.Column("contact_id", sa.String(64)),
            sa.Column("flagged", sa.Boolean, nullable=False),
            sa.Column("taken_at", stamp, nullable=False),
            sa.UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_mail_taken_uid"),
        )
        op.create_index("ix_mail_taken_message_id", "mail_taken", ["mailbox", "message_id"])
    if not inspector.has_table("mail_failure"):
        op.create_table(
            "mail_failure",
            sa.Column("mailbox", sa.String(40), primary_key=True),
            sa.Column("uidvalidity", sa.BigInteger, primary_key=True),
            sa.Column("uid", sa.BigInteger, primary_key=True),
            sa.Column("attempts", sa.Integer, nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("at", stamp, nullable=False),
        )
    if not inspector.has_table("mail_aside"):
        op.create_table(
            "mail_aside",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("mailbox", sa.String(40), nullable=False),
            sa.Column("uidvalidity", sa.BigInteger, nullable=False),
            sa.Column("uid", sa.BigInteger, nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("raw", sa.LargeBinary, nullable=False),
            sa.Column("at", stamp, nullable=False),
        )
    if not inspector.has_table("mail_attachment_blob"):
        op.create_table(
            "mail_attachment_blob",
            sa.Column("attachment_id", sa.String(64), primary_key=True),
            sa.Column("data", sa.LargeBinary, nullable=False),
        )
    if not inspector.has_table("lease"):
        op.create_table(
            "lease",
            sa.Column("name", sa.String(100), primary_key=True),
            sa.Column("holder", sa.String(64), nullable=False),
            sa.Column("expires_at", stamp, nullable=False),
        )


def downgrade() -> None:
    for name in ("lease", "mail_attachment_blob", "mail_aside", "mail_failure"):
        op.drop_table(name)
    op.drop_index("ix_mail_taken_message_id", "mail_taken")
    op.drop_table("mail_taken")
    op.drop_table("mailbox")
