"""The help topics the demo desk knows: what customers ask about, and what the KB says about it.

One topic feeds both sides of the demo, so a ticket about the VPN links to VPN articles:
the ticket subjects and resolutions, and the material the KB articles are written from.
"""

from __future__ import annotations

from dataclasses import dataclass


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


def all_topics() -> tuple[Topic, ...]:
    """Every topic, in a fixed order (the order matters for deterministic demo data)."""
    from deskterm.demo.topics_care import CARE_TOPICS
    from deskterm.demo.topics_facilities import FACILITIES_TOPICS
    from deskterm.demo.topics_finance import FINANCE_TOPICS
    from deskterm.demo.topics_hr import HR_TOPICS
    from deskterm.demo.topics_it import IT_TOPICS
    from deskterm.demo.topics_it_apps import IT_APP_TOPICS
    from deskterm.demo.topics_it_infra import IT_INFRA_TOPICS

    return (IT_TOPICS + IT_APP_TOPICS + IT_INFRA_TOPICS + HR_TOPICS + FINANCE_TOPICS
            + FACILITIES_TOPICS + CARE_TOPICS)
