"""Private fields travel apart (commit 2f48128), and `alembic_version` replaces `schema_version`.

A log an older server wrote holds every contact's private self-rating for every reader;
`private_fields.log_private_fields_apart` rewrites it. Servers from 2f48128 on did that
on start and left the marker `private_fields_logged_apart` in server_meta: where it is,
the log is already right. The marker and the never-read `schema_version` are removed;
this table of revisions is the schema's version now.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

from deskterm.server.migrations.private_fields import log_private_fields_apart

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MARKER = "private_fields_logged_apart"


def upgrade() -> None:
    connection = op.get_bind()
    meta = sa.table("server_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    done = connection.execute(sa.select(meta.c.value).where(meta.c.key == MARKER)).first()
    if done is None:
        log_private_fields_apart(connection)
    connection.execute(sa.delete(meta).where(meta.c.key.in_([MARKER, "schema_version"])))


def downgrade() -> None:
    pass  # the rewritten log is what every older server reads as well
