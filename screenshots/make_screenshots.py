"""Make the README's screenshots: the app headless at 120x40 on a fixed demo desk.

Run from the repository root: `python screenshots/make_screenshots.py`. It builds a demo
store (seed 7, 20,000 tickets, anchored on a fixed day so every run draws the same
desk) in a temporary directory, sets the clock to that day (domain.clock), and saves
SVGs beside this script. Name shots to make
only those (`python screenshots/make_screenshots.py escalation-board quality`); the
lead's screens are taken acting as the demo lead. `--lang nl` makes the Dutch demo desk
and takes the same shots in Dutch, into `screenshots/nl/`.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from deskterm.config import Config
from deskterm.demo import DEFAULT_AGENT, DEFAULT_LEAD, generate_demo
from deskterm.domain import clock
from deskterm.i18n import language, set_language
from deskterm.store import open_store
from deskterm.ui.app import DesktermApp

HERE = Path(__file__).parent
SIZE = (120, 40)
ANCHOR = datetime(2026, 11, 23, tzinfo=UTC)
#: The moment the screens are taken at: the demo's day, in the afternoon.
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)

Steps = Callable[[Pilot], Awaitable[None]]


async def settle(pilot: Pilot) -> None:
    app = pilot.app
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)


async def ready(pilot: Pilot) -> None:
    for _ in range(400):
        await pilot.pause(0.02)
        if type(pilot.app.screen).__name__ == "WorkspaceScreen":
            break
    await settle(pilot)
    await pilot.press("down", "down")
    await settle(pilot)
    await pilot.pause(0.3)  # the other panes follow the cursor after a short rest
    await settle(pilot)


async def workspace(pilot: Pilot) -> None:
    await ready(pilot)


async def at_workspace(pilot: Pilot) -> None:
    """The workspace is up, its first rows read, the cursor on the first row."""
    for _ in range(400):
        await pilot.pause(0.02)
        if type(pilot.app.screen).__name__ == "WorkspaceScreen":
            break
    await settle(pilot)
    await pilot.pause(0.3)
    await settle(pilot)


async def returned_ticket(pilot: Pilot) -> None:
    """The first row of My open is a ticket back from its resolver group: open it."""
    await at_workspace(pilot)
    for _ in range(5):  # a key pressed while the workspace takes focus can go astray
        await pilot.press("enter")
        await settle(pilot)
        if type(pilot.app.screen).__name__ != "WorkspaceScreen":
            break
    await pilot.pause(0.2)
    await settle(pilot)


async def promises_due(pilot: Pilot) -> None:
    """The queue's Promises due view: My open, Unassigned, Escalated, My groups, Promises due."""
    await at_workspace(pilot)
    await pilot.press("v", "v", "v", "v")
    await settle(pilot)
    await pilot.pause(0.3)
    await settle(pilot)


async def kb_article(pilot: Pilot) -> None:
    await ready(pilot)
    await pilot.press("3", "slash")
    await settle(pilot)
    for key in "vpn disconnects":
        await pilot.press("space" if key == " " else key)
    await settle(pilot)
    await pilot.pause(0.2)
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("z")
    await settle(pilot)


async def overspend(pilot: Pilot) -> None:
    await ready(pilot)
    await pilot.press("dollar_sign")
    await settle(pilot)
    for key in "950":
        await pilot.press(key)
    await pilot.press("tab")
    reason = "Refund of a month's fees" if language() == "en" else "Een maand abonnement terug"
    for key in reason:
        await pilot.press("space" if key == " " else key)
    await pilot.press("ctrl+o")
    await settle(pilot)


async def mood(pilot: Pilot) -> None:
    await ready(pilot)
    await pilot.press("q")
    await settle(pilot)
    await pilot.press("4")
    for key in "good calls today":
        await pilot.press("space" if key == " " else key)
    await settle(pilot)


async def people_screen(pilot: Pilot, key: str) -> None:
    """A lead's screen, opened by its key from the workspace, once its workers are done."""
    for _ in range(400):
        await pilot.pause(0.02)
        if type(pilot.app.screen).__name__ == "WorkspaceScreen":
            break
    await settle(pilot)
    # A key pressed while the workspace is still taking focus can go astray: press again.
    for _ in range(5):
        await pilot.press(key)
        await settle(pilot)
        if type(pilot.app.screen).__name__ != "WorkspaceScreen":
            break
    await pilot.pause(0.2)
    await settle(pilot)


async def escalation_board(pilot: Pilot) -> None:
    await people_screen(pilot, "b")
    await pilot.press("down", "down", "down")
    await settle(pilot)


async def quality(pilot: Pilot) -> None:
    await people_screen(pilot, "u")


async def team_mood(pilot: Pilot) -> None:
    await people_screen(pilot, "m")


async def kudos_feed(pilot: Pilot) -> None:
    await people_screen(pilot, "f")


async def feedback_view(pilot: Pilot) -> None:
    await people_screen(pilot, "F")


#: The customer's mail and the canned answer the reply editor's shot shows, per language
#: (the demo desk holds no mail yet: the shot writes one, as the server's intake would).
REPLY_SHOT = {
    "en": ("Printer still jams", "Hello,\n\nthe printer on the 2nd floor still jams on every "
           "page since Monday.\nCould someone take a look?\n\nKind regards",
           "Thanks for your patience", "Thank you for your patience. A colleague will come "
           "by today to look at it."),
    "nl": ("Printer loopt nog steeds vast", "Hallo,\n\nde printer op de 2e verdieping loopt "
           "sinds maandag bij elke pagina vast.\nKan iemand ernaar kijken?\n\nMet vriendelijke "
           "groet", "Bedankt voor je geduld", "Bedankt voor je geduld. Een collega komt er "
           "vandaag naar kijken."),
}


def _mail_and_template(db: Path, handle: str, ticket_id: str) -> None:
    """An inbound mail on the ticket and a KB reply template, for the reply editor's shot."""
    from datetime import timedelta

    from deskterm.domain import Contact, Ticket
    from deskterm.domain.enums import Channel, Direction
    from deskterm.i18n import language
    from deskterm.services import kb
    from deskterm.services.context import context_for
    from deskterm.services.replies import summary_of

    subject, body, title, answer = REPLY_SHOT.get(language(), REPLY_SHOT["en"])
    store = open_store(db)
    try:
        with store.transaction() as session:
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None
            session.add(Contact(customer_id=ticket.customer_id, ticket_id=ticket.id,
                                channel=Channel.EMAIL, direction=Direction.INBOUND,
                                summary=summary_of(body), subject=subject, body=body,
                                address="customer@example.com",
                                occurred_at=NOW - timedelta(hours=2),
                                message_id="<shot@example.com>"))
        kb.create_article(context_for(store, handle), title=title, body=answer,
                          tags=["reply-template"])
    finally:
        store.close()


async def reply_editor(pilot: Pilot) -> None:
    """A ticket's reply editor (`m`): the customer's mail quoted, a canned answer on top."""
    await returned_ticket(pilot)
    app = pilot.app
    ticket = app.screen.current_ticket()  # type: ignore[attr-defined]
    await asyncio.to_thread(_mail_and_template, app.session.store.path,  # type: ignore[union-attr]
                            app.session.actor.handle, ticket.id)  # type: ignore[union-attr]
    await pilot.press("M")
    await settle(pilot)
    from textual.widgets import Select

    from deskterm.i18n import language

    form = app.screen
    title = REPLY_SHOT.get(language(), REPLY_SHOT["en"])[2]
    chosen = [key for key, answer in form.answers.items()  # type: ignore[attr-defined]
              if answer.title == title]
    if chosen:
        form.query_one("#reply-canned", Select).value = chosen[0]
    await settle(pilot)


SHOTS: dict[str, Steps] = {
    "workspace": workspace,
    "returned-ticket": returned_ticket,
    "promises-due": promises_due,
    "feedback-view": feedback_view,
    "kb-article-maximized": kb_article,
    "goodwill-overspend-refused": overspend,
    "mood-at-logout": mood,
    "escalation-board": escalation_board,
    "quality": quality,
    "team-mood": team_mood,
    "kudos-feed": kudos_feed,
    "reply-editor": reply_editor,
}
#: Who the app acts as, where not the demo agent: the lead's screens, as the demo lead.
ACTING_AS = {name: DEFAULT_LEAD for name in ("escalation-board", "quality", "team-mood",
                                             "kudos-feed")}


async def shoot(db: Path, name: str, steps: Steps, folder: Path) -> Path:
    handle = ACTING_AS.get(name, DEFAULT_AGENT)
    app = DesktermApp(Config(db=db, agent=handle), db, handle, remember_theme=False)
    async with app.run_test(size=SIZE) as pilot:
        await steps(pilot)
        target = app.save_screenshot(filename=f"{name}.svg", path=str(folder))
    return Path(target)


def main(arguments: list[str]) -> None:
    language = "en"
    if "--lang" in arguments:
        at = arguments.index("--lang")
        language, arguments = arguments[at + 1], arguments[:at] + arguments[at + 2:]
    set_language(language)
    folder = HERE if language == "en" else HERE / language
    folder.mkdir(exist_ok=True)
    clock.shift_to(NOW)  # the screens show the demo desk's day, whenever this runs
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "demo.db"
        store = open_store(db)
        generate_demo(store, tickets=20_000, seed=7, anchor=ANCHOR)
        store.close()
        for name, steps in SHOTS.items():
            if arguments and name not in arguments:
                continue
            print(asyncio.run(shoot(db, name, steps, folder)))


if __name__ == "__main__":
    main(sys.argv[1:])
