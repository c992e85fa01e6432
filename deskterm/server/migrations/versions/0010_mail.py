"""Mail: a contact's subject, text, address and Message-ID; `mail_attachment` and
`mail_delivery` (domain/mail.py).

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    columns = {column["name"] for column in inspector.get_columns("contact")}
    for name in ("subject", "body", "address", "message_id"):
        if name not in columns:
            op.add_column("contact", sa.Column(name, sa.Text, nullable=True))
    if "message_id" not in columns:
        op.create_index("ix_contact_message_id", "contact", ["message_id"])
    if not inspector.has_table("mail_attachment"):
        op.create_table(
            "mail_attachment",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("contact_id", sa.String(64), sa.ForeignKey("contact.id"),
                      nullable=False),
            sa.Column("filename", sa.String(255), nullable=False),
            sa.Column("content_type", sa.String(127), nullable=False),
            sa.Column("size", sa.Integer, nullable=False),
            sa.Column("sha256", sa.String(64), nullable=False),
        )
        op.create_index("ix_mail_attachment_contact_id", "mail_attachment", ["contact_id"])
    if not inspector.has_table("mail_delivery"):
        op.create_table(
            "mail_delivery",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("contact_id", sa.String(64), sa.ForeignKey("contact.id"),
                      nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("detail", sa.String(500), nullable=True),
            sa.Column("attempt", sa.Integer, nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_mail_delivery_contact_id", "mail_delivery", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_mail_delivery_contact_id", "mail_delivery")
    op.drop_table("mail_delivery")
    op.drop_index("ix_mail_attachment_contact_id", "mail_attachment")
    op.drop_table("mail_attachment")
    op.drop_index("ix_contact_message_id", "contact")
    for name in ("message_id", "address", "body", "subject"):
        op.drop_column("contact", name)
