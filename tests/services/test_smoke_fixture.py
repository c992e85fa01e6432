"""The shared desk fixture itself: who exists and what role they have."""

from deskterm.domain.enums import Role
from deskterm.services import org


def test_desk_fixture_has_people(desk):
    agents = {a.handle: a for a, _team in org.list_agents(desk.store)}
    assert agents["root"].role == Role.ADMIN
    assert agents["morgan"].role == Role.LEAD
    assert {"alex", "blake", "casey", "sam"} <= set(agents)
