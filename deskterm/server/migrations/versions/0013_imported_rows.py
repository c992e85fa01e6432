"""Moving a desk in: `imported_row`, which row each imported record became
(server.importing).

Revision ID: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("imported_row"):
        return
    op.create_table(
        "imported_row",
        sa.Column("external_id", sa.String(200), primary_key=True),
        sa.Column("entity", sa.String(40), primary_key=True),
        sa.Column("row_id", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("imported_row")
