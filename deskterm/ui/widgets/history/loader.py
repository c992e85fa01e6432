"""What the customer pane shows, read from the store in one go, off the UI thread.

The lines the pane draws from it are made in lines.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from deskterm.domain import Customer
from deskterm.services.contacts import CustomerHistory, Names, customer_history, names_for
from deskterm.services.promises import PromiseLine, customer_open_promises
from deskterm.services.replies import MailState, mail_states
from deskterm.ui.session import DeskSession

#: How many contacts the pane lists (the count says how many there are in all).
CONTACT_LIMIT = 100


@dataclass(frozen=True)
class LoadedHistory:
    """A customer's history with the handles and ticket keys it refers to."""

    history: CustomerHistory
    names: Names
    now: datetime
    #: The customer's promises not kept yet (open, due soon or broken), soonest first.
    promises: tuple[PromiseLine, ...] = ()
    #: The mails among the contacts: their delivery state and attachments, by contact id.
    mails: dict[str, MailState] = field(default_factory=dict)

    @property
    def customer(self) -> Customer:
        return self.history.customer

    def handle(self, agent_id: str | None) -> str:
        return self.names.agents.get(agent_id or "", "—")


def load_history(session: DeskSession, customer_id: str, *, limit: int = CONTACT_LIMIT
                 ) -> LoadedHistory:
    """The customer's history as the pane shows it. Reads the store: call in a worker."""
    now = session.ctx.now()
    history = customer_history(session.store, customer_id, limit=limit, now=now,
                               currency=session.ctx.currency)
    names = names_for(
        session.store,
        agents=[*(c.agent_id for c in history.contacts),
                *(e.author_id for e in history.goodwill_entries)],
        tickets=[c.ticket_id for c in history.contacts],
    )
    promises = customer_open_promises(session.store, customer_id)
    mails = mail_states(session.store, history.contacts)
    return LoadedHistory(history, names, now, tuple(promises), mails)
