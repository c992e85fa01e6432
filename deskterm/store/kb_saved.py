"""Who saved the version of a KB article a replica holds: for the article's header.

The first version is its author's. A later one is known when this replica saved it: the
outbox keeps each local save's author with the version it wrote. A version pulled from
the server carries no saver here (a pulled change's author is not kept), so the answer
is None and the header says only who wrote the article. When the `kb_edit` entity
(every version's editor, synced) is merged, this reads it instead.
"""

from __future__ import annotations

from sqlalchemy import text

from deskterm.domain import KbArticle
from deskterm.store.engine import Store


def saved_by(store: Store, article: KbArticle) -> str | None:
    """The agent id of whoever saved `article`'s current version, None when not known."""
    if article.version <= 1:
        return article.author_id
    with store.reading() as session:
        return session.connection().execute(text(
            "SELECT author_id FROM outbox WHERE entity = 'kb_article' AND row_id = :r "
            "AND json_extract(fields, '$.version') = :v ORDER BY seq DESC LIMIT 1"),
            {"r": article.id, "v": article.version}).scalar()
