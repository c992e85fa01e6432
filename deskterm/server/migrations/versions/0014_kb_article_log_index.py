"""The KB conflict check finds an article's logged changes by index, not by a scan of the
whole log: `ix_change_log_kb_article`, partial to article changes (server.database).

Revision ID: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEX = "ix_change_log_kb_article"


def upgrade() -> None:
    held = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("change_log")}
    if INDEX in held:
        return
    only_articles = sa.text("entity = 'kb_article'")
    op.create_index(INDEX, "change_log", ["row_id", "hlc"],
                    sqlite_where=only_articles, postgresql_where=only_articles)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="change_log")
