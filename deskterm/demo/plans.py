"""Precomputed choices for the ticket generator, so each ticket costs a few table lookups.

Everything a ticket needs from its topic (subjects, descriptions, resolutions, where it
escalates, which articles fit) is expanded once here, and weighted choices become flat
tables indexed with `table[int(random() * len(table))]`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from deskterm.demo.articles import DemoArticle
from deskterm.demo.corpus import fill_slots, words
from deskterm.demo.phrases import phrases
from deskterm.demo.topics import Topic

#: Subjects made per topic: with the slot values and the variations below, the desk sees
#: some twenty thousand different subjects.
SUBJECTS_PER_TOPIC = 600
TOPIC_TABLE_SIZE = 4096

#: Mostly P3, few P1 (2%), P2 12%, P4 24%.
PRIORITIES = (1,) + (2,) * 6 + (3,) * 31 + (4,) * 12
#: Phone and email carry most of the desk's traffic.
CHANNELS = ("phone",) * 8 + ("email",) * 6 + ("chat",) * 4 + ("walk-in", "social")
UNASSIGNED_CHANNELS = ("email",) * 4 + ("social",)
SELF_RATINGS = (5, 5, 4, 4, 4, 4, 3, 3, 2, 1)
#: Mix of open states by age: fresh tickets are often still new; older ones wait on
#: someone, a customer or a resolver group.
OPEN_FRESH = ("new",) * 7 + ("open",) * 7 + ("waiting",) * 2 + ("escalated",) * 4
OPEN_DAYS = ("new",) * 2 + ("open",) * 7 + ("waiting",) * 5 + ("escalated",) * 6
OPEN_WEEK = ("open",) * 6 + ("waiting",) * 6 + ("escalated",) * 8
#: Open for over two weeks: mostly waiting on the customer; a few escalations gone stale.
OPEN_STALE = ("open",) * 9 + ("waiting",) * 10 + ("escalated",)


@dataclass
class TopicPlan:
    key: str
    department_id: str
    pool: list[tuple[str, str, str, str]]  # (subject, description, kind, as a sentence)
    resolutions: list[str]
    groups: list[tuple[int, str]]
    reasons: list[str]
    articles: list[DemoArticle] = field(default_factory=list)


def topic_plans(topics: tuple[Topic, ...], rng: random.Random,
                department_ids: dict[str, str], articles: list[DemoArticle], language: str
                ) -> tuple[list[TopicPlan], list[TopicPlan]]:
    """One plan per topic, in `language`, and a weighted pick table of them for the ticket
    loop."""
    said, w = phrases(language), words(language)
    by_topic: dict[str, list[DemoArticle]] = {}
    for article in articles:
        by_topic.setdefault(article.topic, []).append(article)
    plans = []
    for topic in topics:
        pool = []
        for _unused in range(SUBJECTS_PER_TOPIC):
            kind, template = topic.tickets[int(rng.random() * len(topic.tickets))]
            subject = fill_slots(template, rng, w)
            # Context only where the template has none of its own ("slow since Monday
            # - since Friday" reads wrong).
            if "{" not in template and rng.random() < 0.45:
                subject += fill_slots(rng.choice(said.subject_suffixes), rng, w)
            if rng.random() < 0.08:
                subject = rng.choice(said.subject_prefixes) + subject
            opening = rng.choice(said.description_opening)
            symptom = rng.choice(topic.trouble.symptoms)
            context = rng.choice(said.description_context)
            sentence = subject if subject[-1] in ".?!" else subject + "."
            pool.append((subject, f"{opening}{sentence} {symptom} {context}", kind, sentence))
        resolutions = [fix + remark for fix in topic.fixes for remark in said.closing_remarks]
        reasons = [topic.escalation] * 3 + list(said.generic_escalations)
        plans.append(TopicPlan(topic.key, department_ids[topic.dept], pool, resolutions,
                               list(topic.groups), reasons,
                               sorted(by_topic.get(topic.key, []), key=lambda a: a.created_ms)))
    total = sum(t.weight for t in topics)
    table: list[TopicPlan] = []
    for plan, topic in zip(plans, topics, strict=True):
        table.extend([plan] * max(1, round(topic.weight / total * TOPIC_TABLE_SIZE)))
    return plans, table
