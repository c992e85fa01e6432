"""The context every service call runs in: the store, who is acting, and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict, Unpack

from deskterm.domain.actor import Actor, NoActor
from deskterm.domain.clock import utcnow
from deskterm.domain.errors import Forbidden, InvalidInput
from deskterm.domain.money import DEFAULT_CURRENCY
from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.services.lookup import find_agent_by_handle
from deskterm.store import Store


@dataclass(frozen=True)
class ServiceContext:
    store: Store
    actor: Actor
    #: The one clock services read; tests pass a fixed one.
    clock: Callable[[], datetime] = field(default=utcnow)
    currency: str = DEFAULT_CURRENCY

    def now(self) -> datetime:
        return self.clock()

    def require_lead(self, refusal: str) -> None:
        """Forbidden, saying `refusal` (a whole translated sentence: "only a team lead or
        admin may ..."), unless the actor is a lead or an admin."""
        if not self.actor.is_lead:
            raise Forbidden(refusal)


class ContextOptions(TypedDict, total=False):
    """What `context_for` may set besides the store and the actor."""

    clock: Callable[[], datetime]
    currency: str


def context_for(store: Store, handle: str | None, **options: Unpack[ContextOptions]
                ) -> ServiceContext:
    """A context acting as the agent with `handle`; a clear error when none is set."""
    if not handle:
        raise NoActor()
    with store.reading() as session:
        agent = find_agent_by_handle(session, handle)
    if not agent.active:
        raise Forbidden(_("agent '{handle}' is deactivated").format(handle=agent.handle))
    return ServiceContext(store, Actor.of(agent), **options)


def clean_text(value: str | None, what: str, *, required: bool = True, limit: int = 10_000
               ) -> str:
    """Trimmed text, refused when required and empty or when longer than `limit`. `what`
    names the field in the current language (`_("subject")`)."""
    text = (value or "").strip()
    if required and not text:
        # TRANSLATORS: {what} is the name of a field, e.g. "subject", "customer name".
        raise InvalidInput(_("{what} is required").format(what=what))
    if len(text) > limit:
        # TRANSLATORS: {what} is the name of a field, e.g. "subject", "customer name".
        raise InvalidInput(_("{what} is too long ({count} characters; at most {limit})").format(
            what=what, count=number(len(text)), limit=number(limit)))
    return text
