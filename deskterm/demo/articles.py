"""Knowledge-base articles for the demo: every topic written up in seven kinds of article.

A topic (see topics.py) holds the facts; the templates here turn them into Markdown the
way a second-line team writes for the desk: a how-to, a troubleshooting guide, an FAQ, a
policy, a known error, a desk card to keep open during a call and a reply template. The
words they share per department are in content/articles.toml.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass

from deskterm.demo.content import frozen, read_content
from deskterm.demo.corpus import fill_slots
from deskterm.demo.people import DEPARTMENTS, DemoAgent
from deskterm.demo.timeline import DAY, HOUR
from deskterm.demo.topics import Topic
from deskterm.domain.ids import uuid7

DEPARTMENT_NAMES = dict(DEPARTMENTS)

_WORDS = frozen(read_content("articles"))

#: Per department code: a how-to's "Before you start", a desk card's "Ask first", and what
#: to include when escalating.
PREREQUISITES: dict[str, tuple[str, ...]] = _WORDS["prerequisites"]
ASK_FIRST: dict[str, tuple[str, ...]] = _WORDS["ask_first"]
INCLUDE_WHEN_ESCALATING: dict[str, str] = _WORDS["include_when_escalating"]
KNOWN_ERROR_STATES: tuple[str, ...] = _WORDS["known_error_states"]


@dataclass(frozen=True)
class DemoArticle:
    id: str
    topic: str
    title: str
    created_ms: int
    version: int
    updated_ms: int


def _numbered(lines: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))


def _bullets(lines: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _group(topic: Topic) -> tuple[int, str]:
    return topic.groups[-1] if len(topic.groups) > 1 else topic.groups[0]


def how_to(topic: Topic, rng: random.Random) -> tuple[str, str]:
    h = topic.howto
    dept = topic.dept
    title = f"How to {h.task}"
    prereqs = rng.sample(PREREQUISITES[dept], 2)
    body = (f"# {title}\n\n*{topic.label} · {DEPARTMENT_NAMES[dept]}*\n\n{h.intro}\n\n"
            f"## Before you start\n\n{_bullets(prereqs)}\n\n## Steps\n\n{_numbered(h.steps)}\n\n"
            f"> **Note:** {h.note}\n\n## If it does not work\n\n"
            f"See *Troubleshooting: {topic.trouble.problem}*. Still stuck? Contact the "
            f"service desk; they pass it on to {topic.groups[0][1]} when needed.\n")
    return title, body


def troubleshooting(topic: Topic, rng: random.Random) -> tuple[str, str]:
    t = topic.trouble
    tier, group = _group(topic)
    title = f"Troubleshooting: {t.problem}"
    checks = [f"**{cause}** {fix}" for cause, fix in t.checks]
    body = (f"# {title}\n\nApplies to {topic.name}. Work through the checks in order; most "
            f"cases are solved by the first two.\n\n## Symptoms\n\n{_bullets(t.symptoms)}\n\n"
            f"## Checks, in order\n\n{_numbered(checks)}\n\n> **Warning:** {t.warning}\n\n"
            f"## When to escalate\n\nEscalate to **{group}** (tier {tier}) when the checks do "
            f"not help. Include {INCLUDE_WHEN_ESCALATING[topic.dept]}.\n\n"
            f"Related: *How to {topic.howto.task}*.\n")
    return title, body


def faq(topic: Topic, rng: random.Random) -> tuple[str, str]:
    title = f"{topic.label}: frequently asked questions"
    first_step = topic.howto.steps[0].rstrip(".")
    pairs = [*topic.faq, (f"How do I {topic.howto.task}?",
                          f"See *How to {topic.howto.task}*. In short: "
                          f"{first_step[0].lower()}{first_step[1:]}, then follow the steps.")]
    rng.shuffle(pairs)
    answers = "\n\n".join(f"### {q}\n\n{a}" for q, a in pairs)
    body = (f"# {title}\n\nShort answers to what customers ask most about {topic.name}.\n\n"
            f"{answers}\n\n## Not answered here?\n\nAsk the service desk by phone, chat or at "
            f"the walk-in desk.\n")
    return title, body


def policy(topic: Topic, rng: random.Random) -> tuple[str, str]:
    title = topic.policy_title
    owner = DEPARTMENT_NAMES[topic.dept]
    body = (f"# {title}\n\n**Owner:** {owner} · **Applies to:** all staff and contractors · "
            f"**Review:** every year\n\n## Purpose\n\nThis policy sets the rules for "
            f"{topic.name}. The service desk applies it on every ticket; exceptions need the "
            f"owner's written approval.\n\n## Rules\n\n{_numbered(topic.policy)}\n\n"
            f"## Exceptions\n\nAsk for an exception through the service desk. {owner} "
            f"management decides, and the desk records the decision in the ticket.\n\n"
            f"## Related\n\n- *How to {topic.howto.task}*\n- *{topic.label}: frequently asked "
            f"questions*\n")
    return title, body


def known_error(topic: Topic, rng: random.Random, number: int) -> tuple[str, str]:
    k = topic.known
    tier, group = _group(topic)
    title = f"Known error KE-{number}: {k.title}"
    state = KNOWN_ERROR_STATES[int(rng.random() * len(KNOWN_ERROR_STATES))]
    body = (f"# {title}\n\n| | |\n|---|---|\n| Status | {state} |\n| Affects | "
            f"{topic.name} |\n| Resolver group | {group} (tier {tier}) |\n\n"
            f"## Symptom\n\n{k.symptom}\n\n## Cause\n\n{k.cause}\n\n"
            f"## Workaround\n\n{_numbered(k.workaround)}\n\n## Desk script\n\n"
            f"> \"This is a known problem that {group} is working on. The workaround gets "
            f"you going today, and we will let you know when the permanent fix is in.\"\n\n"
            f"Link every ticket with this symptom to this article, so the problem team sees "
            f"how often it happens.\n")
    return title, body


def desk_card(topic: Topic, rng: random.Random) -> tuple[str, str]:
    tier, group = _group(topic)
    title = f"Desk card: {topic.label}"
    examples = [f"*{fill_slots(subject, rng)}*" for _, subject in topic.tickets[:3]]
    tries = [f"{cause} {fix}" for cause, fix in topic.trouble.checks[:2]]
    tags = " ".join(f"`{tag}`" for tag in topic.tags)
    body = (f"# {title}\n\nKeep this open while the customer is on the line.\n\n"
            f"## Typical calls\n\n{_bullets(examples)}\n\n"
            f"## Ask first\n\n{_bullets(rng.sample(ASK_FIRST[topic.dept], 2))}\n\n"
            f"## Try first\n\n{_numbered(tries)}\n\n## Escalate\n\nTo **{group}** (tier {tier}) "
            f"when: {topic.escalation.lower()}.\n\nTags: {tags}\n")
    return title, body


def reply_template(topic: Topic, rng: random.Random) -> tuple[str, str]:
    h = topic.howto
    title = f"Reply template: {h.task}"
    greeting = rng.choice(("Dear [name],", "Hello [name],", "Hi [name],"))
    body = (f"# {title}\n\nA ready answer for tickets about {topic.name}, for email or "
            f"chat.\n\n## Message\n\n---\n\n{greeting}\n\nThank you for contacting the "
            f"service desk about {topic.name}. Here is how to {h.task}:\n\n"
            f"{_numbered(h.steps)}\n\n{h.note}\n\nIf this does not solve it, reply to this "
            f"message with your ticket number and we will pick it up straight away.\n\n"
            f"Kind regards,\nThe Service Desk\n\n---\n\n## Before you send\n\n"
            f"- Replace [name] with the customer's name.\n- Link the ticket to this article "
            f"so the KB team sees it is used.\n")
    return title, body


Template = Callable[[Topic, random.Random], tuple[str, str]]
TEMPLATES: tuple[tuple[str, Template], ...] = (
    ("how-to", how_to), ("troubleshooting", troubleshooting), ("faq", faq),
    ("policy", policy), ("desk-card", desk_card), ("reply-template", reply_template),
)


def article_rows(topics: tuple[Topic, ...], rng: random.Random, anchor_ms: int,
                 stamp: Callable[[int], str], department_ids: dict[str, str],
                 authors: list[DemoAgent]) -> tuple[list[tuple[object, ...]], list[DemoArticle]]:
    """Every topic written up in every template: kb_article rows, and who is about what."""
    rows: list[tuple[object, ...]] = []
    made: list[DemoArticle] = []
    r = rng.random
    for index, topic in enumerate(topics):
        written = [(kind, *template(topic, rng)) for kind, template in TEMPLATES]
        written.append(("known-error", *known_error(topic, rng, 1040 + index * 3)))
        for kind, title, body in written:
            # Known errors are recent; the rest of the KB has grown over two years.
            age = (5 + r() * 80) if kind == "known-error" else (60 + r() * 700)
            created = anchor_ms - int(age * DAY) + int(r() * 10 * HOUR)
            version = 1 + int(r() ** 2 * 5)
            updated = created if version == 1 else created + int(r() * (anchor_ms - created))
            author = authors[int(r() * len(authors))]
            tags = json.dumps([*topic.tags, kind, topic.dept.lower()])
            article_id = uuid7(created, rng)
            rows.append((article_id, title, body, tags, department_ids[topic.dept], author.id,
                         version, stamp(created), stamp(updated), 0))
            made.append(DemoArticle(article_id, topic.key, title, created, version, updated))
    return rows, made
