"""The schema of the first release (commit f840b3f): the baseline every database starts from.

No database is built from this revision. An empty database is created whole from today's
tables and stamped at the newest revision; a server database an older deskterm made (it
has a change log but no `alembic_version`) is stamped here and brought up by the revisions
after this one, each of which adds only what that database lacks, so a database made by
any release in between upgrades the same way.

Revision ID: 0001
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
