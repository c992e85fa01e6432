"""Issue 13, finding 6: the kudos form's "From" is no radio group of one option. An agent
only ever sends in their own name and reads so; a lead chooses."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, RadioButton, RadioSet

from deskterm.ui.forms.kudos import KudosForm
from tests.ui.helpers import make_app, settle, text_of, wait_ready


async def open_kudos(pilot) -> KudosForm:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_ready(pilot)
    app.push_screen(KudosForm(app.session, None))
    await settle(pilot)
    form = app.screen
    assert isinstance(form, KudosForm)
    return form


async def test_an_agent_reads_who_the_kudos_are_from(demo_db: Path) -> None:
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_kudos(pilot)
        assert not form.query(RadioSet) and not form.query("#kudos-from-name")
        assert text_of(form.query_one("#kudos-from-you", Label)) == "From: you (Alex Jansen)"


async def test_a_lead_chooses_who_the_kudos_are_from(demo_db: Path) -> None:
    app = make_app(demo_db, "morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_kudos(pilot)
        choices = [str(button.label) for button in form.query_one(RadioSet).query(RadioButton)]
        assert choices == ["me", "the customer (you enter it)", "me, as lead"]
        assert not form.query("#kudos-from-you")
