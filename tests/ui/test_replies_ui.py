"""The reply editor: `m` on the ticket screen, a canned answer, Send; the mail in the ticket
and the customer pane, queued and then failed, and the agent told of the failure."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, Select, Static, TextArea

from deskterm.domain import Contact
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.hlc import Hlc
from deskterm.domain.ids import uuid7
from deskterm.domain.mail import DeliveryStatus, MailDelivery
from deskterm.domain.wire_values import row_fields
from deskterm.i18n import set_language
from deskterm.services import customers, kb
from deskterm.services.context import context_for
from deskterm.services.tickets import create_ticket
from deskterm.store import open_store
from deskterm.sync import replica
from deskterm.sync.wire import LoggedChange
from deskterm.ui.forms.discard import DiscardQuestion
from deskterm.ui.forms.reply import ReplyForm
from deskterm.ui.screens.ticket import TicketScreen
from deskterm.ui.widgets.history import HistoryPane
from tests.ui.helpers import (
    make_app,
    open_form,
    query,
    ready,
    save,
    settle,
    text_of,
    until,
)


def mailed_ticket(db: Path) -> tuple[str, str, str]:
    """A ticket of alex's whose customer mailed about it, numbered as the server numbers
    it; a canned answer; and the ticket's key."""
    store = open_store(db)
    try:
        alex = context_for(store, "alex")
        customer = customers.create_customer(alex, name="Jo Reply", email="jo.reply@example.com")
        made = create_ticket(alex, customer=customer.id, subject="Printer")
        with store.transaction() as session:
            session.add(Contact(
                customer_id=customer.id, ticket_id=made.id, channel=Channel.EMAIL,
                direction=Direction.INBOUND, summary="It jams.", subject="Printer jams",
                body="It jams.\nEvery page.", address="jo.reply@example.com",
                occurred_at=utcnow() - timedelta(hours=1), message_id="<m1@example.com>"))
        article = kb.create_article(alex, title="Thanks for waiting",
                                    body="Thanks for your patience.", tags=["reply-template"])
        with store.raw() as connection:
            connection.execute("UPDATE ticket SET number = (SELECT max(number) + 1 FROM ticket) "
                               "WHERE id = ?", (made.id,))
            [(number,)] = connection.execute("SELECT number FROM ticket WHERE id = ?",
                                             (made.id,)).fetchall()
    finally:
        store.close()
    return made.id, article.id, f"SD-{number}"


def rendered(widget: Static) -> str:
    """What a section shows as text: its Rich table printed wide, so no cell wraps."""
    console = Console(width=300, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def write_delivery(db: Path, contact_id: str, status: DeliveryStatus, detail: str | None
                   ) -> None:
    """What the server's sender writes, brought into the store the way a pull brings it."""
    delivery = MailDelivery(id=uuid7(), contact_id=contact_id, status=status, detail=detail)
    stamp = Hlc(int(time.time() * 1000), 0, "server")
    store = open_store(db)
    try:
        cursor = int(query(db, "SELECT ifnull(max(value), 0) FROM meta "
                               "WHERE key = 'sync_cursor'")[0][0]) + 1
        change = LoggedChange(seq=cursor, mutation_id=uuid7(), entity="mail_delivery",
                              row_id=delivery.id, op="insert", fields=row_fields(delivery),
                              hlc=str(stamp), author_id=None)
        replica.apply_pulled(store, [change], cursor)
    finally:
        store.close()


async def open_ticket(pilot, ticket_id: str) -> TicketScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    screen = TicketScreen(app.session, ticket_id)
    await app.push_screen(screen)
    await until(pilot, lambda: screen.detail is not None, "the ticket read")
    return screen


async def test_m_writes_a_reply_with_a_canned_answer_and_it_shows_queued_then_failed(
        demo_db: Path) -> None:
    ticket_id, article_id, key = mailed_ticket(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 45)) as pilot:
        await ready(pilot, ticket_id)
        screen = await open_ticket(pilot, ticket_id)
        form = await open_form(pilot, "M", ReplyForm)
        subject = form.query_one("#reply-subject", Input)
        await until(pilot, lambda: subject.value != "", "the draft read")
        assert subject.value == f"Re: Printer jams [{key}]"
        assert text_of(form.query_one("#reply-to", Static)) == \
            "Jo Reply <jo.reply@example.com>"
        body = form.query_one("#reply-body", TextArea)
        lines = body.text.splitlines()
        assert lines[:2] == ["", ""]
        assert lines[2].startswith("On ") and lines[2].endswith("Jo Reply wrote:")
        assert lines[3:] == ["> It jams.", "> Every page."]
        form.query_one("#reply-canned", Select).value = article_id
        await settle(pilot)
        assert body.text.startswith("Thanks for your patience.\n\nOn ")
        await save(pilot)
        assert app.screen is screen
        [(contact_id, direction, address, subject_sent, text)] = query(
            demo_db, "SELECT id, direction, address, subject, body FROM contact "
                     "WHERE ticket_id = ? AND direction = 'outbound'", ticket_id)
        assert (direction, address, subject_sent) == (
            "outbound", "jo.reply@example.com", f"Re: Printer jams [{key}]")
        assert text.startswith("Thanks for your patience.\n\nOn ")
        assert query(demo_db, "SELECT count(*) FROM outbox WHERE row_id = ?", contact_id) \
            == [(1,)]
        contacts = screen.query_one("#ticket-contacts", Static)
        await until(pilot, lambda: "queued" in rendered(contacts), "the mail shows queued")
        assert f"Re: Printer jams [{key}]" in rendered(contacts)

        write_delivery(demo_db, contact_id, DeliveryStatus.FAILED, "550 no such user")
        await until(pilot, lambda: "✗ failed: 550 no such user" in rendered(contacts),
                    "the ticket shows the failure")
        await until(pilot, lambda: any(
            n.title == "Mail not delivered" and "550 no such user" in n.message
            and key in n.message for n in app._notifications), "the agent is told")

        await pilot.press("escape")
        await settle(pilot)
        pane = app.screen.query_one(HistoryPane)
        shown = pane.query_one("#history-contacts", Static)
        await until(pilot, lambda: "✗ failed: 550 no such user" in text_of(shown),
                    "the customer pane shows the failed mail")
        assert f"Re: Printer jams [{key}]" in text_of(shown)
        assert "Thanks for your patience." in text_of(shown)
        assert "Printer jams" in text_of(shown) and "It jams." in text_of(shown)


async def test_the_reply_editor_in_dutch_asks_before_discarding(demo_db: Path) -> None:
    ticket_id, _article, _key = mailed_ticket(demo_db)
    set_language("nl")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 45)) as pilot:
        await ready(pilot, ticket_id)
        screen = await open_ticket(pilot, ticket_id)
        form = await open_form(pilot, "M", ReplyForm)
        body = form.query_one("#reply-body", TextArea)
        await until(pilot, lambda: body.text != "", "the draft read")
        assert text_of(form.query_one("#form-title", Static)) == "Beantwoorden per mail"
        assert body.text.splitlines()[2].startswith("Op ")
        assert body.text.splitlines()[2].endswith("schreef Jo Reply:")
        await pilot.press("ctrl+o")  # only the quote: nothing written yet
        await settle(pilot)
        assert "schrijf je antwoord boven de geciteerde mail" in text_of(
            form.query_one("#form-error", Static))
        await pilot.press(*"Dag Jo")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")  # keep editing: the text is as it was
        await settle(pilot)
        assert app.screen is form and body.text.startswith("Dag Jo\n")
        await save(pilot)
        assert app.screen is screen
        assert query(demo_db, "SELECT count(*) FROM contact WHERE ticket_id = ? "
                              "AND direction = 'outbound'", ticket_id) == [(1,)]
