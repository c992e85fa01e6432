"""Knowledge back to 1st line in the demo: articles written from solved escalations, and
who saved each version of an article.

Some escalations the resolver groups solved in the last weeks became an article: its
resolver drafted it from the ticket (services.kb_origin.draft_body, as `kb new
--from-ticket` does), linked to the ticket; on some a desk agent saved a second version
with a tip. Every later version of the KB's other articles has its editor too (kb_edit).
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from deskterm.demo.articles import DemoArticle
from deskterm.demo.people import Organisation
from deskterm.demo.phrases import phrases
from deskterm.demo.timeline import DAY, HOUR, MINUTE, desk_hours, from_stamp
from deskterm.domain.ids import uuid7
from deskterm.services.kb_origin import draft_body

WEEKS = 8
#: About this many articles from tickets, whatever the desk's size.
FROM_TICKETS = 24
SECOND_EDITOR_SHARE = 0.4

Row = tuple[object, ...]


@dataclass
class KnowledgeRows:
    articles: list[Row] = field(default_factory=list)
    edits: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)


def knowledge_rows(con: sqlite3.Connection, org: Organisation, articles: list[DemoArticle],
                   rng: random.Random, anchor_ms: int, stamp: Callable[[int], str]
                   ) -> KnowledgeRows:
    made = KnowledgeRows()
    r = rng.random
    desk_tip = phrases(org.language).desk_tip
    writers = [a for a in org.agents if a.tier >= 2]
    # Every later version of the KB's articles, each with its editor.
    for article in articles:
        for number in range(2, article.version + 1):
            at = article.updated_ms if number == article.version else article.created_ms \
                + (article.updated_ms - article.created_ms) * (number - 1) // article.version
            editor = writers[int(r() * len(writers))]
            made.edits.append((uuid7(at, rng), article.id, number, editor.id, '["body"]',
                               stamp(at)))
    titles = {article.title for article in articles}
    solved = con.execute(
        "SELECT t.id, t.subject, t.description, t.resolution, t.department_id, t.resolved_at, "
        "t.owner_id, e.agent_id FROM ticket AS t JOIN ticket_event AS e ON e.ticket_id = t.id "
        "AND e.kind = 'returned' WHERE t.status IN ('resolved', 'closed') "
        "AND t.resolved_at >= ? ORDER BY t.rowid",
        (stamp(anchor_ms - WEEKS * 7 * DAY),)).fetchall()
    share = min(1.0, 1.2 * FROM_TICKETS / max(1, len(solved)))
    by_id = {a.id: a for a in org.agents}
    for ticket_id, subject, description, resolution, department, resolved_text, owner, \
            solver in solved:
        if r() >= share or subject in titles or len(made.articles) >= FROM_TICKETS:
            continue
        titles.add(subject)
        written = desk_hours(from_stamp(resolved_text) + HOUR + int(r() * 2 * DAY), r())
        if written >= anchor_ms:
            continue
        body = draft_body(description or subject, [resolution] if resolution else [])
        version, updated = 1, written
        article_id = uuid7(written, rng)
        if r() < SECOND_EDITOR_SHARE and owner in by_id:
            edited = desk_hours(written + 4 * HOUR + int(r() * 3 * DAY), r())
            if edited < anchor_ms:
                version, updated, body = 2, edited, body + desk_tip
                made.edits.append((uuid7(edited, rng), article_id, 2, owner,
                                   '["body"]', stamp(edited)))
        written_text = stamp(written)
        made.articles.append((article_id, subject, body,
                              json.dumps(["from-ticket", by_id[solver].team.split()[-1]
                                          .lower()]),
                              department, solver, version, written_text, stamp(updated), 0))
        linked = written + MINUTE
        made.links.append((uuid7(linked, rng), ticket_id, article_id, solver, stamp(linked)))
        made.events.append((uuid7(linked, rng), ticket_id, solver, "article_linked", subject,
                            stamp(linked)))
    return made
