"""`deskterm promise ...`: promise a customer something by a time, keep it, move it."""

from __future__ import annotations

from typing import Any

from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.domain.clock import utcnow
from deskterm.domain.promises import WHEN_HELP, Promise
from deskterm.i18n import N_, _
from deskterm.present import local_time
from deskterm.services.lookup import short_id
from deskterm.services.promises import (
    PromiseLine,
    keep_promise,
    make_promise,
    move_promise,
    open_promises,
)

_WHEN = N_("when, as you would say it: {examples}; in your local time")


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "promise", _("promises to customers: what, and by when"))
    parser = add_command(group, "add", add, _("promise something on a ticket by a time"))
    parser.add_argument("ticket", metavar="KEY", help=_("the ticket (SD-1042)"))
    parser.add_argument("--what", required=True, metavar="W", help=_('e.g. "call back"'))
    parser.add_argument("--by", required=True, metavar="WHEN",
                        help=_(_WHEN).format(examples=WHEN_HELP))

    parser = add_command(group, "list", list_, _("promises not yet kept, soonest first"))
    parser.add_argument("--due", action="store_true",
                        help=_("only those due within two hours or already broken"))
    parser.add_argument("--mine", action="store_true",
                        help=_("only those you answer for (you made it or own the ticket)"))

    parser = add_command(group, "keep", keep, _("mark a promise kept"))
    parser.add_argument("promise", metavar="ID", help=_("the id `promise list` shows"))

    parser = add_command(group, "move", move, _("move a promise to a new time, with a reason"))
    parser.add_argument("promise", metavar="ID", help=_("the id `promise list` shows"))
    parser.add_argument("--by", required=True, metavar="WHEN",
                        help=_(_WHEN).format(examples=WHEN_HELP))
    parser.add_argument("--reason", required=True, metavar="R", help=_("why it moves"))


def add(run: Run) -> None:
    promise = make_promise(run.ctx, run.args.ticket, what=run.args.what, by=run.args.by)
    _said(run, promise, _("Promised {id}: {what} by {when}"))


def keep(run: Run) -> None:
    _said(run, keep_promise(run.ctx, run.args.promise), _("Kept {id}: {what} by {when}"))


def move(run: Run) -> None:
    promise = move_promise(run.ctx, run.args.promise, by=run.args.by, reason=run.args.reason)
    _said(run, promise, _("Moved {id}: {what} by {when}"))


def list_(run: Run) -> None:
    now = utcnow()
    agent_id = run.ctx.actor.id if run.args.mine else None
    found = open_promises(run.store(), now=now, agent_id=agent_id, due_only=run.args.due)
    if run.out.as_json:
        run.out.json([_shape(run, line.promise, line, now) for line in found])
        return
    run.out.table(
        [_("ID"), _("TICKET"), _("WHAT"), _("BY"), _("STATE"), _("OWNER"), _("MADE BY")],
        ([line.short_id, line.ticket_key, line.promise.what, local_time(line.promise.due_at),
          line.promise.status_at(now).label, run.handle_of(line.owner_id) or "",
          run.handle_of(line.promise.maker_id) or ""] for line in found),
        empty=_("no promises due") if run.args.due else _("no open promises"),
    )


def _said(run: Run, promise: Promise, done: str) -> None:
    if run.out.as_json:
        run.out.json(_shape(run, promise, None, utcnow()))
        return
    run.out.line(done.format(id=short_id(promise.id), what=promise.what,
                             when=local_time(promise.due_at)))


def _shape(run: Run, promise: Promise, line: PromiseLine | None, now: Any) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "id": promise.id, "short_id": short_id(promise.id), "ticket_id": promise.ticket_id,
        "what": promise.what, "due_at": promise.due_at.isoformat(),
        "made_at": promise.made_at.isoformat(), "maker": run.handle_of(promise.maker_id),
        "state": promise.status_at(now).value, "moves": len(promise.moves),
        "kept_at": promise.kept_at.isoformat() if promise.kept_at else None,
    }
    if line is not None:
        shaped["ticket"] = line.ticket_key
        shaped["owner"] = run.handle_of(line.owner_id)
    return shaped
