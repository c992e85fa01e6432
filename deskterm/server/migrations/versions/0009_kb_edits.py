"""Who saved each version of a KB article: the `kb_edit` table.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("kb_edit"):
        return
    op.create_table(
        "kb_edit",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("kb_article.id"),
                  nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("editor_id", sa.String(64), sa.ForeignKey("agent.id"), nullable=False),
        sa.Column("changed", sa.Text, nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_kb_edit_article_id", "kb_edit", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_kb_edit_article_id", "kb_edit")
    op.drop_table("kb_edit")
