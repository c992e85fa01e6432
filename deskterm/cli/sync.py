"""`deskterm login` and `deskterm sync`: join the desk's shared server and sync with it."""

from __future__ import annotations

import getpass
import os
import re
import sys
from pathlib import Path
from typing import Any

from deskterm.cli.output import iso, role_label
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.config import save_settings
from deskterm.domain.errors import Conflict, DeskError, InvalidInput
from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.present import local_time
from deskterm.store import Store
from deskterm.store.login import Login, is_demo, read_login, save_login

#: Read at most this much from a token file or standard input (a token is ~47 characters).
MAX_TOKEN_FILE = 4096
#: Printable ASCII without blanks: what an HTTP header can carry and a token is made of.
_TOKEN = re.compile(r"[\x21-\x7e]{1,1024}")


def register(subparsers: Subparsers) -> None:
    parser = add_command(subparsers, "login", login, _("connect this machine to the desk's server"),
                         description=_("Check the token with the server, remember server, token "
                         "and your handle in the config file (mode 0600), then sync once. The "
                         "token comes from --token-file, else DESKTERM_TOKEN, else standard "
                         "input when that is not a terminal, else a prompt that does not echo "
                         "it: never type it on the command line, where `ps` shows it to "
                         "everyone on the machine."))
    parser.add_argument("--server", required=True, metavar="URL",
                        help=_("the server, e.g. http://desk.example.org:8765"))
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--token-file", metavar="PATH",
                        help=_("read the token `deskterm server user add` printed from this file "
                        "('-': standard input)"))
    # Kept for scripts written before --token-file: `-` reads standard input; a value
    # still works, with a warning, but is no longer documented.
    source.add_argument("--token", metavar="-", help=_("'-': read the token from standard input"))
    parser = add_command(subparsers, "sync", sync, _("sync with the server once"),
                         description=_("Push local changes, pull everyone else's, say what moved."))
    parser.add_argument("--status", action="store_true",
                        help=_("only show pending and rejected changes and the last sync"))
    group = add_group(subparsers, "rejected", _("changes the server rejected: copy or discard"))
    parser = add_command(group, "list", rejected_list, _("every rejected change, in full"))
    parser = add_command(group, "copy", rejected_copy,
                         _("write a rejected change again, now, as a new change"),
                         description=_("The same content as a new change that syncs like any "
                         "other (a new record for a new record, the same fields for an edit). "
                         "The rejected change leaves the list."))
    parser.add_argument("id", metavar="ID", help=_("its id, or the last 6+ characters of it"))
    parser = add_command(group, "discard", rejected_discard, _("let a rejected change go"))
    parser.add_argument("id", metavar="ID", help=_("its id, or the last 6+ characters of it"))


def login(run: Run) -> None:
    from deskterm.sync.client import SyncClient

    server = run.args.server.rstrip("/")
    if not server.startswith(("http://", "https://")):
        raise InvalidInput(_("'{server}' is not a server URL: start it with http:// or "
                             "https://").format(server=server))
    token = _token(run, server)
    store = run.store(create=True)
    if is_demo(run.db_path):
        raise Conflict(_("{path} is a demo store: it never syncs; log in with a store of your "
                         "own: deskterm --db NEW.db login").format(path=run.db_path))
    with SyncClient(store, server, token) as client:
        me = client.me()
        _refuse_other_login(run, me.agent_id)
        _refuse_foreign_store(run, me.server_id)
        _refuse_others_unsynced_work(run, me.agent_id)
        save_login(run.db_path, Login(server, token, me.agent_id, me.handle))
        if run.args.db:
            save_settings({"db": str(run.db_path.resolve())})
        report = client.sync()
    if run.out.as_json:
        run.out.json({"handle": me.handle, "role": me.role, "team": me.team, "server": server,
                      "store": str(run.db_path), "pulled": report.pulled})
        return
    signed = (_("signed in to {server} as {handle} ({role}, team {team}); {summary}") if me.team
              else _("signed in to {server} as {handle} ({role}); {summary}"))
    run.out.line(signed.format(server=server, handle=me.handle, role=role_label(me.role),
                               team=me.team, summary=report.summary()))
    run.out.hint(_("this store ({path}) now belongs to {handle}: server and token are kept in "
                   "it, and whoever uses it acts as {handle}").format(path=run.db_path,
                                                                     handle=me.handle))


def _token(run: Run, server: str) -> str:
    """The token to log in with, from wherever it was given (see the command's help)."""
    args = run.args
    if args.token_file == "-" or args.token == "-":
        return _checked(_read_stdin(), _("standard input"))
    if args.token_file is not None:
        path = Path(args.token_file).expanduser()
        try:
            with path.open(encoding="utf-8") as handle:
                text = handle.read(MAX_TOKEN_FILE)
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or _("not text")
            raise InvalidInput(_("cannot read the token file {path}: {reason}").format(
                path=path, reason=reason)) from None
        return _checked(text, _("the token file {path}").format(path=path))
    if args.token is not None:
        run.out.hint(_("deskterm: warning: a token on the command line is visible to other "
                     "users of this machine (ps, shell history); use --token-file PATH, "
                     "--token - or the prompt"))
        return _checked(args.token, "--token")
    if os.environ.get("DESKTERM_TOKEN"):
        return _checked(os.environ["DESKTERM_TOKEN"], "DESKTERM_TOKEN")
    if not _stdin_is_terminal():
        return _checked(_read_stdin(), _("standard input"))
    try:
        typed = getpass.getpass(_("Token for {server} (not shown): ").format(server=server))
    except EOFError:
        typed = ""
    return _checked(typed, _("the prompt"))


def _read_stdin() -> str:
    try:
        return sys.stdin.read(MAX_TOKEN_FILE)
    except (OSError, UnicodeDecodeError, AttributeError):
        raise InvalidInput(_("cannot read the token from standard input")) from None


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def _checked(text: str, where: str) -> str:
    """The token in `text` (surrounding blanks and the final newline dropped), or one line
    saying why `where` holds none."""
    token = text.strip()
    if not token:
        # TRANSLATORS: {where} is where the token was read: standard input, the token file
        # PATH, the prompt, --token or DESKTERM_TOKEN.
        raise InvalidInput(_("no token in {where}; give the one `deskterm server user add` "
                             "printed").format(where=where))
    if not _TOKEN.fullmatch(token):
        raise InvalidInput(_("{where} does not hold a token (a token is one word of letters, "
                             "digits and punctuation)").format(where=where))
    return token


def _refuse_other_login(run: Run, agent_id: str) -> None:
    """A store belongs to the account it was first logged in with."""
    login = read_login(run.db_path)
    if login is not None and login.agent_id != agent_id:
        raise Conflict(_("the store {path} is logged in as {handle}; each person keeps a store "
                         "of their own: deskterm --db NEW.db login").format(
                             path=run.db_path, handle=login.handle))


def _refuse_foreign_store(run: Run, server_id: str) -> None:
    """A store with people in it that never synced with this server is another desk's."""
    from deskterm.services import org
    from deskterm.sync import replica

    store = run.store()
    known = replica.status(store).server_id
    if known == server_id:
        return
    if known or org.holds_agents(store):
        raise Conflict(_("the store {path} holds another desk's data (demo data, or another "
                         "server's); log in with a new store: deskterm --db NEW.db login").format(
                             path=run.db_path))


def _refuse_others_unsynced_work(run: Run, agent_id: str) -> None:
    """Unsynced changes written by someone else would be pushed with this token, refused by
    the server as not in its owner's name, and undone here: their work would be lost."""
    from deskterm.sync import replica

    count, author = replica.pending_by_others(run.store(), agent_id)
    if count:
        said = ngettext("the store {path} holds {count} unsynced change by {author}; sync it "
                        "with their token first, or log in with a new store: deskterm --db "
                        "NEW.db login",
                        "the store {path} holds {count} unsynced changes by {author}; sync "
                        "them with their token first, or log in with a new store: deskterm "
                        "--db NEW.db login", count)
        raise Conflict(said.format(path=run.db_path, count=number(count),
                                   author=author or _("another agent")))


def sync(run: Run) -> None:
    from deskterm.sync import replica
    from deskterm.sync.client import open_client

    store = run.store()
    if run.args.status:
        _status(run, store)
        return
    login = run.login or _adopt_config_login(run)
    with open_client(store, login) as client:
        report = client.sync()
    if run.out.as_json:
        run.out.json({"pushed": report.pushed, "applied": report.applied,
                      "rejected": [_rejection(r) for r in report.rejected],
                      "pulled": report.pulled, "head": report.head, "reset": report.reset})
    else:
        run.out.line(_("synced with {server} as {handle}: {summary}").format(
            server=client.server, handle=client.check_account().handle,
            summary=report.summary()))
        for result in report.rejected:
            run.out.line(_("  rejected: {reason} ({code})").format(reason=result.reason,
                                                                   code=result.code))
    if report.reset:
        run.out.hint(_("the server was behind this store (restored from a backup?): pulled "
                     "everything again and resent local work"))
    in_all = replica.status(store).rejected
    if report.rejected:
        # The round did not do all it was asked: a script must notice (exit 1). The count
        # is the one `sync --status` lists for this round (cascades included).
        count = len(report.rejected)
        if in_all > count:
            said = ngettext("{count} change rejected this round ({all} in all): deskterm sync "
                            "--status shows them; deskterm rejected copy or discard settles "
                            "them",
                            "{count} changes rejected this round ({all} in all): deskterm "
                            "sync --status shows them; deskterm rejected copy or discard "
                            "settles them", count)
        else:
            said = ngettext("{count} change rejected this round: deskterm sync --status shows "
                            "it; deskterm rejected copy or discard settles it",
                            "{count} changes rejected this round: deskterm sync --status "
                            "shows them; deskterm rejected copy or discard settles them", count)
        raise RejectedThisRound(said.format(count=number(count), all=number(in_all)))
    if in_all:
        run.out.hint(ngettext("{count} rejected change from earlier rounds: deskterm sync "
                              "--status", "{count} rejected changes from earlier rounds: "
                              "deskterm sync --status", in_all).format(count=number(in_all)))


class RejectedThisRound(DeskError):
    """`deskterm sync` pushed changes the server refused (kept, see `sync --status`)."""

    code = "rejected"


def _adopt_config_login(run: Run) -> Login | None:
    """A store logged in by an older deskterm, which kept the login in the config file:
    it becomes the store's own login when the config names this store and its token's
    account may sync it (the same checks as `login`)."""
    from deskterm.sync.client import SyncClient

    config = run.config
    if not (config.server and config.token) or is_demo(run.db_path) \
            or config.db.expanduser().resolve() != run.db_path.resolve():
        return None
    with SyncClient(run.store(), config.server, config.token) as client:
        me = client.check_account()
        _refuse_foreign_store(run, me.server_id)
    login = Login(config.server, config.token, me.agent_id, me.handle)
    save_login(run.db_path, login)
    return login


def _rejection(result: object) -> dict[str, object]:
    return {"mutation_id": getattr(result, "mutation_id", None),
            "code": getattr(result, "code", None), "reason": getattr(result, "reason", None)}


def _status(run: Run, store: Store) -> None:
    from deskterm.sync import replica

    status = replica.status(store)
    rejected = replica.rejected_changes(store)
    aside = replica.pulled_aside(store)
    if run.out.as_json:
        run.out.json({"server": run.login.server if run.login else None,
                      "account": run.login.handle if run.login else None,
                      "pending": status.pending,
                      "rejected": status.rejected, "set_aside": status.set_aside,
                      "cursor": status.cursor, "last_sync_at": status.last_sync_at,
                      "rejected_changes": [_rejected_json(r) for r in rejected],
                      "set_aside_changes": [
                          {"seq": a.seq, "entity": a.entity, "row_id": a.row_id, "op": a.op,
                           "reason": a.reason, "fields": a.fields} for a in aside]})
        return
    from datetime import datetime

    last = status.last_sync_at
    run.out.card([
        (_("server"), _("{server} as {handle}").format(server=run.login.server,
                                                        handle=run.login.handle) if run.login
         else _("not logged in (deskterm --db THIS.db login)")),
        (_("pending"), str(status.pending)),
        (_("rejected"), str(status.rejected)),
        (_("set aside"), str(status.set_aside)),
        (_("last sync"), local_time(datetime.fromisoformat(last)) if last else _("never")),
        (_("cursor"), str(status.cursor)),
    ], title=_("Sync"))
    if rejected:
        _rejected_table(run, rejected)
        run.out.hint(_("deskterm rejected copy ID writes one again; deskterm rejected discard "
                     "ID lets it go"))
    if aside:
        run.out.table([_("seq"), _("what"), _("reason"), _("content")], [
            (str(a.seq), f"{a.op} {a.entity.replace('_', ' ')}", a.reason, _content(a.fields))
            for a in aside], title=_("Pulled changes this store could not apply (set aside)"))


def _rejected_table(run: Run, rejected: list[Any]) -> None:
    from deskterm.sync.rejected import short_id

    run.out.table([_("id"), _("when"), _("what"), _("code"), _("reason"), _("content")], [
        (short_id(r), local_time(r.answered_at), r.entity.replace("_", " "), r.code, r.reason,
         _content(r.fields)) for r in rejected], title=_("Rejected changes"))


def rejected_list(run: Run) -> None:
    from deskterm.sync import replica

    rejected = replica.rejected_changes(run.store(), limit=500)
    if run.out.as_json:
        run.out.json([_rejected_json(r) for r in rejected])
        return
    if not rejected:
        run.out.line(_("no rejected changes"))
        return
    _rejected_table(run, rejected)


def rejected_copy(run: Run) -> None:
    from deskterm.sync import rejected

    found = rejected.find_rejected(run.store(), run.args.id)
    row_id = rejected.copy(run.ctx, run.args.id)
    if run.out.as_json:
        run.out.json({"copied": found.mutation_id, "row_id": row_id})
        return
    run.out.line(_("copied {what} {id} into a new change; it goes up with the next "
                   "sync").format(what=found.entity.replace("_", " "),
                                  id=rejected.short_id(found)))


def rejected_discard(run: Run) -> None:
    from deskterm.sync import rejected

    found = rejected.discard(run.store(), run.args.id)
    if run.out.as_json:
        run.out.json({"discarded": found.mutation_id})
        return
    run.out.line(_("discarded {what} {id}: {content}").format(
        what=found.entity.replace("_", " "), id=rejected.short_id(found),
        content=_content(found.fields)))


def _rejected_json(r: Any) -> dict[str, object]:
    return {"mutation_id": r.mutation_id, "entity": r.entity, "row_id": r.row_id,
            "code": r.code, "reason": r.reason, "answered_at": iso(r.answered_at),
            "fields": r.fields}


def _content(fields: dict[str, object]) -> str:
    """A change's fields as a person reads them: the written values, ids and times left out,
    an amount as money (`amount_cents` and `currency` read `amount: -€8.00`)."""
    shown = [f"{name}: {value}" for name, value in fields.items()
             if value not in (None, "", []) and not name.endswith(("_id", "_at", "_cents"))
             and name not in ("id", "currency")]
    cents = fields.get("amount_cents")
    if isinstance(cents, int):
        currency = fields.get("currency")
        shown.append(f"amount: {Money(cents, str(currency or DEFAULT_CURRENCY))}")
    return "; ".join(shown)
