"""What 1st line could take on next: recent escalations by resolver group and ticket kind.

For the lead's quality screen (and `deskterm quality`): the tickets of the team's agents
escalated in the last weeks (the same ISO weeks as the quality grid), counted per topic,
a topic being the resolver group they went to and the ticket's kind, with how many of
them are linked to a KB article by now (written from them, or used on them). A topic
with many escalations and few articles is knowledge 1st line still lacks; those come
first.

A ticket counts once, under the group it was escalated to last (`resolver_group`), in
the week of its last escalation (`escalated_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import TicketKind
from deskterm.domain.types import stored_time
from deskterm.services.quality import DEFAULT_WEEKS, first_monday_of
from deskterm.store import Store

#: At most this many topics are listed (the most without an article first).
TOPIC_LIMIT = 50


@dataclass(frozen=True)
class EscalationTopic:
    group: str
    kind: TicketKind
    escalations: int
    #: Of those escalations, how many are linked to an article by now.
    with_article: int

    @property
    def without_article(self) -> int:
        return self.escalations - self.with_article


@dataclass(frozen=True)
class KnowledgeGaps:
    weeks: int
    since: datetime
    topics: list[EscalationTopic]  # most escalations without an article first

    @property
    def covered(self) -> int:
        """How many topics have at least one article."""
        return sum(1 for topic in self.topics if topic.with_article)


def escalation_topics(store: Store, *, team_id: str | None, weeks: int = DEFAULT_WEEKS,
                      now: datetime | None = None) -> KnowledgeGaps:
    """The escalations of the last `weeks` ISO weeks for the team (None: the whole desk)."""
    now = now or utcnow()
    since = datetime.combine(first_monday_of(weeks, now), datetime.min.time(),
                             tzinfo=now.tzinfo)
    team = "" if team_id is None else "AND a.team_id = :team"
    with store.raw() as connection:
        rows = connection.execute(f"""
            SELECT t.resolver_group, t.kind, count(*),
                   sum(EXISTS (SELECT 1 FROM ticket_article l
                               JOIN kb_article k ON k.id = l.article_id
                               WHERE l.ticket_id = t.id AND NOT k.deleted))
            FROM ticket t LEFT JOIN agent a ON a.id = t.owner_id
            WHERE t.escalated_at >= :since AND t.resolver_group IS NOT NULL
                  AND NOT t.deleted {team}
            GROUP BY t.resolver_group, t.kind""",
            {"since": stored_time(since), "team": team_id}).fetchall()
    topics = [EscalationTopic(group, TicketKind(kind), int(count), int(linked or 0))
              for group, kind, count, linked in rows]
    topics.sort(key=lambda t: (-t.without_article, -t.escalations, t.group.casefold(),
                               t.kind.value))
    return KnowledgeGaps(weeks, since, topics[:TOPIC_LIMIT])
