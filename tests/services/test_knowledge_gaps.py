"""The quality screen's escalation topics: by group and kind, with how many have an article."""

from __future__ import annotations

from deskterm.domain.enums import TicketKind
from deskterm.services import groups, kb, tickets
from deskterm.services.context import ServiceContext
from deskterm.services.knowledge_gaps import EscalationTopic, escalation_topics
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import fixed, mark_deleted

DAY = 24 * 60


def _escalate(ctx: ServiceContext, group: str, kind: str = "incident") -> str:
    made = tickets.create_ticket(ctx, customer="jo@example.com", subject=f"{group} {kind}",
                                 kind=kind)
    tickets.escalate_ticket(ctx, made.id, tier=2, group=group, reason="beyond the desk")
    return made.id


def _with_article(desk: Desk, ticket_id: str) -> str:
    return kb.create_article(desk.as_("sam"), title="How to", body="Do this.",
                             from_ticket=ticket_id).id


def test_escalations_by_group_and_kind_with_their_articles(desk: Desk) -> None:
    for name in ("Apps", "Printers"):  # beside the desk's own groups
        groups.add_group(desk.lead, name, tier=2, lead="sam")
    alex, blake = fixed(desk, "alex", -2 * DAY), fixed(desk, "blake", -30 * DAY)
    network = [_escalate(alex, "Network") for _ in range(3)]
    _with_article(desk, network[0])
    _escalate(blake, "Network", "request")
    apps = [_escalate(blake, "Apps") for _ in range(2)]
    kb.link_article(desk.alex, apps[0], _with_article(desk, apps[1]))
    deleted = _escalate(alex, "Printers")
    mark_deleted(desk.store, "kb_article", _with_article(desk, deleted))
    # Outside the 8 weeks (before Monday 5 October), and another team's.
    _escalate(fixed(desk, "alex", -(7 * 7 + 1) * DAY), "Network")
    _escalate(fixed(desk, "casey", -DAY), "Network")
    # Not escalated at all.
    tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Printer jam")

    gaps = escalation_topics(desk.store, team_id=desk.alex.actor.team_id, now=FIXED_NOW)
    assert gaps.since.date().isoformat() == "2026-10-05"
    assert gaps.topics == [
        EscalationTopic("Network", TicketKind.INCIDENT, 3, 1),
        EscalationTopic("Network", TicketKind.REQUEST, 1, 0),
        EscalationTopic("Printers", TicketKind.INCIDENT, 1, 0),  # its article was deleted
        EscalationTopic("Apps", TicketKind.INCIDENT, 2, 2),
    ]
    assert [t.without_article for t in gaps.topics] == [2, 1, 1, 0]
    assert gaps.covered == 2

    desk_wide = escalation_topics(desk.store, team_id=None, now=FIXED_NOW)
    assert desk_wide.topics[0] == EscalationTopic("Network", TicketKind.INCIDENT, 4, 1)
    assert escalation_topics(desk.store, team_id=desk.casey.actor.team_id,
                             now=FIXED_NOW).topics == [
        EscalationTopic("Network", TicketKind.INCIDENT, 1, 0)]
