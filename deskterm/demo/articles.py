"""Knowledge-base articles for the demo: every topic written up in seven kinds of article.

A topic (see topics.py) holds the facts; the templates here turn them into Markdown the
way a second-line team writes for the desk: a how-to, a troubleshooting guide, an FAQ, a
policy, a known error, a desk card to keep open during a call and a reply template. The
templates and the words they share per department are in content/articles.toml (and
content/nl/articles.toml for the Dutch desk).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from deskterm.demo.content import frozen, read_content
from deskterm.demo.corpus import Words, fill_slots, words
from deskterm.demo.people import DemoAgent, staff
from deskterm.demo.timeline import DAY, HOUR
from deskterm.demo.topics import Topic
from deskterm.domain.ids import uuid7


@dataclass(frozen=True)
class ArticleWords:
    """One language's content/articles.toml: the KB's words per department and the
    templates of its seven kinds of article."""

    language: str
    #: Per department code: a how-to's "Before you start", a desk card's "Ask first", and
    #: what to include when escalating.
    prerequisites: dict[str, tuple[str, ...]]
    ask_first: dict[str, tuple[str, ...]]
    include_when_escalating: dict[str, str]
    known_error_states: tuple[str, ...]
    greetings: tuple[str, ...]
    templates: dict[str, str]
    department_names: dict[str, str]
    words: Words


@cache
def article_words(language: str) -> ArticleWords:
    """The KB's words and templates in `language`."""
    content = frozen(read_content("articles", language))
    return ArticleWords(language=language, department_names=dict(staff(language).departments),
                        words=words(language), **content)


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


def _inside_sentence(text: str) -> str:
    """`text` as it reads inside a sentence: `Gateway refuses` -> `gateway refuses`, but
    `VPN drops` and `DigiD fails` keep their capitals."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return text
    return text[:1].lower() + text[1:]


def _fields(topic: Topic, a: ArticleWords) -> dict[str, object]:
    """What every template may say about a topic."""
    t = a.templates
    tier, group = _group(topic)
    fields: dict[str, object] = {
        "name": topic.name, "label": topic.label, "department": a.department_names[topic.dept],
        "task": topic.howto.task, "intro": topic.howto.intro, "note": topic.howto.note,
        "problem": topic.trouble.problem, "first_group": topic.groups[0][1], "group": group,
        "tier": tier, "escalation": _inside_sentence(topic.escalation),
        "policy_title": topic.policy_title,
    }
    fields["howto_title"] = t["howto_title"].format(**fields)
    fields["trouble_title"] = t["trouble_title"].format(**fields)
    fields["faq_title"] = t["faq_title"].format(**fields)
    return fields


def _write(a: ArticleWords, kind: str, title: str, fields: dict[str, object],
           **own: object) -> tuple[str, str]:
    return title, a.templates[kind].format(**fields, **own, title=title)


def how_to(topic: Topic, rng: random.Random, a: ArticleWords) -> tuple[str, str]:
    fields = _fields(topic, a)
    prereqs = rng.sample(a.prerequisites[topic.dept], 2)
    return _write(a, "howto", str(fields["howto_title"]), fields,
                  prerequisites=_bullets(prereqs), steps=_numbered(topic.howto.steps))


def troubleshooting(topic: Topic, rng: random.Random, a: ArticleWords) -> tuple[str, str]:
    t = topic.trouble
    fields = _fields(topic, a)
    checks = [a.templates["check"].format(cause=cause, fix=fix) for cause, fix in t.checks]
    return _write(a, "trouble", str(fields["trouble_title"]), fields,
                  symptoms=_bullets(t.symptoms), checks=_numbered(checks), warning=t.warning,
                  include=a.include_when_escalating[topic.dept])


def faq(topic: Topic, rng: random.Random, a: ArticleWords) -> tuple[str, str]:
    fields = _fields(topic, a)
    first_step = _inside_sentence(topic.howto.steps[0].rstrip("."))
    pairs = [*topic.faq, (a.templates["faq_question"].format(**fields),
                          a.templates["faq_answer"].format(**fields, first_step=first_step))]
    rng.shuffle(pairs)
    answers = "\n\n".join(f"### {question}\n\n{answer}" for question, answer in pairs)
    return _write(a, "faq", str(fields["faq_title"]), fields, answers=answers)


def policy(topic: Topic, rng: random.Random, a: ArticleWords) -> tuple[str, str]:
    fields = _fields(topic, a)
    return _write(a, "policy", topic.policy_title, fields, rules=_numbered(topic.policy))


def known_error(topic: Topic, rng: random.Random, a: ArticleWords,
                number: int) -> tuple[str, str]:
    k = topic.known
    fields = _fields(topic, a)
    title = a.templates["known_title"].format(number=number, known=k.title)
    states = a.known_error_states
    state = states[int(rng.random() * len(states))]
    return _write(a, "known", title, fields, state=state, symptom=k.symptom, cause=k.cause,
                  workaround=_numbered(k.workaround))


def desk_card(topic: Topic, rng: random.Random, a: ArticleWords) -> tuple[str, str]:
    fields = _fields(topic, a)
    examples = [f"*{fill_slots(subject, rng, a.words)}*" for _kind, subject in topic.tickets[:3]]
    tries = [f"{cause} {fix}" for cause, fix in topic.trouble.checks[:2]]
    tags = " ".join(f"`{tag}`" for tag in topic.tags)
    return _write(a, "card", a.templates["card_title"].format(**fields), fields,
                  examples=_bullets(examples),
                  ask_first=_bullets(rng.sample(a.ask_first[topic.dept], 2)),
                  tries=_numbered(tries), tags=tags)


def reply_template(topic: Topic, rng: random.Random, a: ArticleWords) -> tuple[str, str]:
    fields = _fields(topic, a)
    greeting = rng.choice(a.greetings)
    return _write(a, "reply", a.templates["reply_title"].format(**fields), fields,
                  greeting=greeting, steps=_numbered(topic.howto.steps))


Template = Callable[[Topic, random.Random, ArticleWords], tuple[str, str]]
TEMPLATES: tuple[tuple[str, Template], ...] = (
    ("how-to", how_to), ("troubleshooting", troubleshooting), ("faq", faq),
    ("policy", policy), ("desk-card", desk_card), ("reply-template", reply_template),
)


def article_rows(topics: tuple[Topic, ...], rng: random.Random, anchor_ms: int,
                 stamp: Callable[[int], str], department_ids: dict[str, str],
                 authors: list[DemoAgent], language: str
                 ) -> tuple[list[tuple[object, ...]], list[DemoArticle]]:
    """Every topic written up in every template, in `language`: kb_article rows, and who is
    about what."""
    a = article_words(language)
    rows: list[tuple[object, ...]] = []
    made: list[DemoArticle] = []
    r = rng.random
    for index, topic in enumerate(topics):
        written = [(kind, *template(topic, rng, a)) for kind, template in TEMPLATES]
        written.append(("known-error", *known_error(topic, rng, a, 1040 + index * 3)))
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
