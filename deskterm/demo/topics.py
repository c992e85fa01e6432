"""The help topics the demo desk knows: what customers ask about, and what the KB says about it.

One topic feeds both sides of the demo, so a ticket about the VPN links to VPN articles:
the ticket subjects and resolutions, and the material the KB articles are written from.
The topics themselves are text in content/topics_*.toml (and content/nl/topics_*.toml for
the Dutch desk); this module gives them a type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from deskterm.demo.content import SOURCE_LANGUAGE, has_content, read_content
from deskterm.demo.people import Staff, staff


@dataclass(frozen=True)
class HowTo:
    task: str  # completes "How to ...": "connect to the VPN from home"
    intro: str
    steps: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Trouble:
    problem: str  # completes "Troubleshooting: ...": "the VPN does not connect"
    symptoms: tuple[str, ...]
    checks: tuple[tuple[str, str], ...]  # (likely cause, what to do about it)
    warning: str


@dataclass(frozen=True)
class KnownError:
    title: str
    symptom: str
    cause: str
    workaround: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    key: str
    dept: str  # department code: IT, HR, FAC, FIN, PROC, CC
    name: str  # how the desk calls it in a sentence: "the VPN"
    label: str  # title case, for headings: "VPN"
    tags: tuple[str, ...]
    weight: float  # relative share of the desk's tickets
    groups: tuple[tuple[int, str], ...]  # (resolver tier, group) it escalates to
    tickets: tuple[tuple[str, str], ...]  # (kind, subject template with {slots})
    fixes: tuple[str, ...]  # resolution texts
    escalation: str  # the topic's typical reason to escalate
    howto: HowTo
    trouble: Trouble
    faq: tuple[tuple[str, str], ...]
    policy_title: str
    policy: tuple[str, ...]
    known: KnownError


#: The topic files in content/, in the order the demo draws from them: the order matters
#: for deterministic demo data (the same seed gives the same desk).
TOPIC_FILES = ("topics_it", "topics_it_apps", "topics_it_infra", "topics_hr", "topics_finance",
               "topics_facilities", "topics_care")


def topic_files(language: str = SOURCE_LANGUAGE) -> tuple[str, ...]:
    """The topic files `language` has, in TOPIC_FILES' order (a language may have fewer)."""
    return tuple(name for name in TOPIC_FILES if has_content(name, language))


@cache
def all_topics(language: str = SOURCE_LANGUAGE) -> tuple[Topic, ...]:
    """Every topic of `language`, in a fixed order, read from the content files; each
    topic's groups named as that language's people.toml names them."""
    people = staff(language)
    return tuple(_topic(entry, people) for name in topic_files(language)
                 for entry in read_content(name, language)["topic"])


def _topic(entry: dict[str, Any], people: Staff) -> Topic:
    howto, trouble, known = entry["howto"], entry["trouble"], entry["known"]
    return Topic(
        key=entry["key"], dept=entry["dept"], name=entry["name"], label=entry["label"],
        tags=tuple(entry["tags"]), weight=entry["weight"],
        groups=tuple((group["tier"], people.group_named(group["group"]))
                     for group in entry["groups"]),
        tickets=tuple((ticket["kind"], ticket["subject"]) for ticket in entry["tickets"]),
        fixes=tuple(entry["fixes"]), escalation=entry["escalation"],
        howto=HowTo(howto["task"], howto["intro"], tuple(howto["steps"]), howto["note"]),
        trouble=Trouble(trouble["problem"], tuple(trouble["symptoms"]),
                        tuple((check["cause"], check["fix"]) for check in trouble["checks"]),
                        trouble["warning"]),
        faq=tuple((pair["question"], pair["answer"]) for pair in entry["faq"]),
        policy_title=entry["policy_title"], policy=tuple(entry["policy"]),
        known=KnownError(known["title"], known["symptom"], known["cause"],
                         tuple(known["workaround"])),
    )
