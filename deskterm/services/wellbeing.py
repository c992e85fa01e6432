"""The people side: today's mood (one per agent per day, private) and kudos (shared)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import col, select

from deskterm.domain import Contact, Customer, Kudos, MoodEntry
from deskterm.domain.enums import KudosSource
from deskterm.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from deskterm.domain.types import text_limit
from deskterm.domain.wellbeing import kudos_refusal
from deskterm.i18n import _, formats
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import (
    find_agent_by_handle,
    find_customer,
    find_ticket,
    parse_choice,
)
from deskterm.store import Store
from deskterm.store.outbox import record


def local_today(ctx: ServiceContext) -> date:
    """The agent's own calendar date: moods belong to local days, not UTC ones."""
    return ctx.now().astimezone().date()


def record_mood(ctx: ServiceContext, score: int, *, note: str | None = None,
                on: date | None = None) -> MoodEntry:
    """Log how today went (1-5). Refused if already logged for that day."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput(_("mood score {score} is out of range; use 1 (bad) to 5 (great)")
                           .format(score=score))
    note = clean_text(note, _("note"), required=False,
                      limit=text_limit(MoodEntry, "note")) or None
    day = on or local_today(ctx)
    if day > local_today(ctx):
        raise InvalidInput(_("a mood can only be logged for today or earlier"))
    with ctx.store.transaction() as session:
        existing = session.exec(
            select(MoodEntry).where(MoodEntry.agent_id == ctx.actor.id)
            .where(MoodEntry.local_date == day.isoformat())
        ).first()
        if existing:
            raise Conflict(_("you already logged your mood for {day}").format(
                day=formats.day_month(day, year=day.year != local_today(ctx).year)))
        entry = MoodEntry(agent_id=ctx.actor.id, local_date=day.isoformat(), score=score,
                          note=note, created_at=ctx.now())
        session.add(entry)
        session.flush()
        record(session, "mood_entry", entry, author_id=ctx.actor.id)
    return entry


def my_moods(ctx: ServiceContext, *, days: int = 30) -> list[MoodEntry]:
    """The acting agent's own moods of the last `days` days, oldest first. Nobody else's."""
    since = (local_today(ctx) - timedelta(days=days - 1)).isoformat()
    with ctx.store.reading() as session:
        return list(session.exec(
            select(MoodEntry).where(MoodEntry.agent_id == ctx.actor.id)
            .where(MoodEntry.local_date >= since).order_by(col(MoodEntry.local_date))
        ).all())


def mood_logged_today(ctx: ServiceContext) -> bool:
    with ctx.store.reading() as session:
        return session.exec(
            select(MoodEntry.id).where(MoodEntry.agent_id == ctx.actor.id)
            .where(MoodEntry.local_date == local_today(ctx).isoformat())
        ).first() is not None


# -- the acting agent's own choices about their mood, kept in their store ---------------
#
# In the store's `meta` table, under a key that names the agent, not in the machine's
# config file: two people may keep a store each on one machine (a store may even be
# opened as several agents), and one's choice is never the other's. The meta table is
# local: nothing here syncs.

_SKIPPED_ON = "mood_skipped_on"
_IN_HEADER = "mood_in_header"


def _own_setting(ctx: ServiceContext, name: str) -> str | None:
    with ctx.store.reading() as session:
        value = session.execute(text("SELECT value FROM meta WHERE key = :key"),
                                {"key": f"{name}:{ctx.actor.id}"}).scalar()
    return None if value is None else str(value)


def _remember_own(ctx: ServiceContext, name: str, value: str) -> None:
    with ctx.store.transaction() as session:
        session.execute(text(
            "INSERT INTO meta (key, value) VALUES (:key, :value) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
            {"key": f"{name}:{ctx.actor.id}", "value": value})


def mood_question_due(ctx: ServiceContext) -> bool:
    """Whether to ask the acting agent "How was your day?" now: once a local day, unless
    they logged their mood today or skipped the question today."""
    today = local_today(ctx).isoformat()
    return _own_setting(ctx, _SKIPPED_ON) != today and not mood_logged_today(ctx)


def remember_mood_skipped(ctx: ServiceContext) -> None:
    """The acting agent skipped today's mood question: ask them again tomorrow."""
    _remember_own(ctx, _SKIPPED_ON, local_today(ctx).isoformat())


def mood_in_header(ctx: ServiceContext) -> bool:
    """Whether the acting agent chose to see their own mood trend in the top bar.

    Off unless they turned it on: anyone behind them, or watching a screen share, would
    read it there. Their mood view always shows it.
    """
    return _own_setting(ctx, _IN_HEADER) == "on"


def show_mood_in_header(ctx: ServiceContext, shown: bool) -> None:
    """Remember the acting agent's choice to show their mood trend in the top bar."""
    _remember_own(ctx, _IN_HEADER, "on" if shown else "off")


def add_kudos(
    ctx: ServiceContext,
    *,
    message: str,
    source: str | KudosSource | None = None,
    about: str | None = None,
    from_name: str | None = None,
    customer: str | None = None,
    ticket: str | None = None,
    contact: str | None = None,
) -> Kudos:
    """Share a compliment about an agent (`about` handle) or, without one, the whole team.

    Peer kudos are the acting agent thanking a colleague in their own name; lead kudos
    come from the acting lead; customer kudos (entered by a lead) name who said it
    (`from_name`, or the customer's name). Without a `source`: a customer's when a
    customer's name, the customer or a contact is given, else peer kudos.
    Refused (domain.wellbeing.kudos_refusal, which the server asks too): kudos about
    oneself, and a customer's or lead's compliment entered by an agent.
    """
    if source is None:
        source = KudosSource.CUSTOMER if (from_name or customer or contact) \
            else KudosSource.PEER
    source = parse_choice(KudosSource, source, _("kudos source"))
    message = clean_text(message, _("message"), limit=text_limit(Kudos, "message"))
    with ctx.store.transaction() as session:
        about_agent = find_agent_by_handle(session, about) if about else None
        refused = kudos_refusal(source=source, author_id=ctx.actor.id, feedback_id=None,
                                about_agent_id=about_agent.id if about_agent else None,
                                author_is_lead=ctx.actor.is_lead)
        if refused:
            raise Forbidden(refused)
        found_ticket = find_ticket(session, ticket) if ticket else None
        customer_id = found_ticket.customer_id if found_ticket else None
        if customer:
            found_customer = find_customer(session, customer)
            if found_ticket and found_customer.id != found_ticket.customer_id:
                raise InvalidInput(_("{key} belongs to another customer").format(
                    key=found_ticket.key))
            customer_id = found_customer.id
        contact_id = None
        if contact:
            found_contact = session.get(Contact, contact.strip().lower())
            if found_contact is None:
                raise NotFound(_("no contact '{contact}'").format(contact=contact))
            contact_id, customer_id = found_contact.id, customer_id or found_contact.customer_id
        if source != KudosSource.CUSTOMER:
            sender = ctx.actor.name
        else:
            sender = clean_text(from_name, _("customer's name"), required=False,
                                limit=text_limit(Kudos, "from_name"))
            if not sender and customer_id:
                found_sender = session.get(Customer, customer_id)
                sender = found_sender.name if found_sender else ""
            if not sender:
                raise InvalidInput(_("say who the compliment is from (the customer's name)"))
        kudos = Kudos(
            source=source, from_name=sender, message=message,
            about_agent_id=about_agent.id if about_agent else None,
            team_id=(about_agent.team_id if about_agent else ctx.actor.team_id),
            customer_id=customer_id, ticket_id=found_ticket.id if found_ticket else None,
            contact_id=contact_id, author_id=ctx.actor.id, created_at=ctx.now(),
        )
        session.add(kudos)
        session.flush()
        record(session, "kudos", kudos, author_id=ctx.actor.id)
    return kudos


def list_kudos(store: Store, *, about: str | None = None, limit: int = 50) -> list[Kudos]:
    """The kudos feed, newest first; visible to the whole desk."""
    with store.reading() as session:
        query = select(Kudos)
        if about:
            query = query.where(Kudos.about_agent_id == find_agent_by_handle(session, about).id)
        return list(session.exec(
            query.order_by(col(Kudos.created_at).desc()).limit(max(1, min(limit, 500)))
        ).all())
