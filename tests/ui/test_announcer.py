"""The announcer: new kudos and nudges on one's own tickets pop up on any screen, once,
and what was there before the app opened stays quiet."""

from __future__ import annotations

from pathlib import Path

from deskterm.services.board import nudge
from deskterm.services.context import context_for
from deskterm.services.wellbeing import add_kudos
from deskterm.store import open_store
from deskterm.ui.app import DesktermApp
from deskterm.ui.screens.workspace import WorkspaceScreen
from tests.ui.helpers import make_app, query, settle, until, wait_ready


def notices(app: DesktermApp, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


async def test_new_kudos_from_others_are_announced_once_old_and_own_ones_never(
        demo_db: Path) -> None:
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.changed("kudos")  # the demo's 200 kudos are older than the session
        await settle(pilot)
        assert notices(app, "Kudos") == []
        store = open_store(demo_db)
        try:
            add_kudos(context_for(store, "morgan"), source="lead",
                      message="The whole desk kept its calm during the outage")
            add_kudos(context_for(store, "alex"), about="priya",  # written by alex
                      message="Priya fixed my laptop in five minutes")
        finally:
            store.close()
        app.changed("kudos")
        await until(pilot, lambda: bool(notices(app, "Kudos")))
        app.changed("kudos")  # the same kudos again: no second notification
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    assert notices(app, "Kudos") == [
        "Kudos for the team from Morgan Okafor: The whole desk kept its calm during the outage"]


async def test_a_nudge_shows_on_the_owners_screen_only_for_their_own_tickets(
        demo_db: Path) -> None:
    def open_ticket_of(owner: str) -> tuple[str, str]:
        """An open ticket of `owner`'s ('!alex': of anybody else's)."""
        match = "a.handle != 'alex'" if owner == "!alex" else "a.handle = 'alex'"
        return query(demo_db, "SELECT t.id, 'SD-' || t.number FROM ticket t JOIN agent a "
                     f"ON a.id = t.owner_id WHERE {match} AND t.status IN ('open', "
                     "'escalated', 'waiting') LIMIT 1")[0]

    own_id, own_key = open_ticket_of("alex")
    other_id, _ = open_ticket_of("!alex")
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = open_store(demo_db)
        try:
            lead = context_for(store, "morgan")
            nudge(lead, other_id, "Priya, please call the customer")
            nudge(lead, own_id, "The customer called twice today")
        finally:
            store.close()
        app.changed("ticket_event")
        await until(pilot, lambda: bool(notices(app, "Nudge")))
        app.changed("ticket_event", "ticket")
        await settle(pilot)
    shown = notices(app, "Nudge")
    assert len(shown) == 1
    assert shown[0].startswith(f"Morgan Okafor on {own_key} (")
    assert shown[0].endswith("): The customer called twice today")
