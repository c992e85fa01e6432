"""`deskterm login` and `deskterm sync`: join the desk's shared server and sync with it."""

from __future__ import annotations

from deskterm.cli.output import iso
from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.config import save_settings
from deskterm.domain.errors import Conflict, InvalidInput
from deskterm.present import local_time


def register(subparsers: Subparsers) -> None:
    parser = add_command(subparsers, "login", login, "connect this machine to the desk's server",
                         description="Check the token with the server, remember server, token "
                         "and your handle in the config file (mode 0600), then sync once.")
    parser.add_argument("--server", required=True, metavar="URL",
                        help="the server, e.g. http://desk.example.org:8765")
    parser.add_argument("--token", required=True, metavar="TOKEN",
                        help="the token `deskterm server user add` printed")
    parser = add_command(subparsers, "sync", sync, "sync with the server once",
                         description="Push local changes, pull everyone else's, say what moved.")
    parser.add_argument("--status", action="store_true",
                        help="only show pending and rejected changes and the last sync")


def login(run: Run) -> None:
    from deskterm.sync.client import SyncClient

    server = run.args.server.rstrip("/")
    if not server.startswith(("http://", "https://")):
        raise InvalidInput(f"'{server}' is not a server URL: start it with http:// or https://")
    store = run.store(create=True)
    with SyncClient(store, server, run.args.token) as client:
        me = client.me()
        _refuse_foreign_store(run, me.server_id)
        _refuse_others_unsynced_work(run, me.agent_id)
        updates = {"server": server, "token": run.args.token, "agent": me.handle}
        if run.args.db:
            updates["db"] = str(run.db_path.resolve())
        path = save_settings(updates)
        report = client.sync()
    if run.out.as_json:
        run.out.json({"handle": me.handle, "role": me.role, "team": me.team, "server": server,
                      "config": str(path), "pulled": report.pulled})
        return
    run.out.line(f"signed in to {server} as {me.handle} ({me.role}"
                 f"{', team ' + me.team if me.team else ''}); {report.summary()}")
    run.out.hint(f"server and token saved in {path}")


def _refuse_foreign_store(run: Run, server_id: str) -> None:
    """A store with people in it that never synced with this server is another desk's."""
    from deskterm.sync import replica

    store = run.store()
    known = replica.status(store).server_id
    if known == server_id:
        return
    with store.raw() as connection:
        people = connection.execute("SELECT count(*) FROM agent").fetchone()[0]
    if known or people:
        raise Conflict(f"the store {run.db_path} holds another desk's data (demo data, or "
                       "another server's); log in with a new store: deskterm --db NEW.db login")


def _refuse_others_unsynced_work(run: Run, agent_id: str) -> None:
    """Unsynced changes written by someone else would be pushed with this token, refused by
    the server as not in its owner's name, and undone here: their work would be lost."""
    with run.store().raw() as connection:
        found = connection.execute(
            "SELECT count(*), max(agent.handle) FROM outbox LEFT JOIN agent "
            "ON agent.id = outbox.author_id WHERE outbox.state = 'pending' "
            "AND outbox.author_id IS NOT NULL AND outbox.author_id != ?", (agent_id,)
        ).fetchone()
    if found[0]:
        raise Conflict(f"the store {run.db_path} holds {found[0]} unsynced change(s) by "
                       f"{found[1] or 'another agent'}; sync them with their token first, or "
                       "log in with a new store: deskterm --db NEW.db login")


def sync(run: Run) -> None:
    from deskterm.sync import replica
    from deskterm.sync.client import open_client

    store = run.store()
    if run.args.status:
        _status(run, store)
        return
    with open_client(store, run.config.server, run.config.token) as client:
        report = client.sync()
    if run.out.as_json:
        run.out.json({"pushed": report.pushed, "applied": report.applied,
                      "rejected": [_rejection(r) for r in report.rejected],
                      "pulled": report.pulled, "head": report.head, "reset": report.reset})
        return
    run.out.line(f"synced with {run.config.server}: {report.summary()}")
    for result in report.rejected:
        run.out.line(f"  rejected: {result.reason} ({result.code})")
    if report.reset:
        run.out.hint("the server was behind this store (restored from a backup?): pulled "
                     "everything again and resent local work")
    status = replica.status(store)
    if status.rejected:
        run.out.hint(f"{status.rejected} rejected change(s) in all: deskterm sync --status")


def _rejection(result: object) -> dict[str, object]:
    return {"mutation_id": getattr(result, "mutation_id", None),
            "code": getattr(result, "code", None), "reason": getattr(result, "reason", None)}


def _status(run: Run, store: object) -> None:
    from deskterm.sync import replica

    status = replica.status(store)  # type: ignore[arg-type]
    rejected = replica.rejected_changes(store)  # type: ignore[arg-type]
    if run.out.as_json:
        run.out.json({"server": run.config.server, "pending": status.pending,
                      "rejected": status.rejected, "cursor": status.cursor,
                      "last_sync_at": status.last_sync_at,
                      "rejected_changes": [
                          {"mutation_id": r.mutation_id, "entity": r.entity, "row_id": r.row_id,
                           "code": r.code, "reason": r.reason, "answered_at": iso(r.answered_at)}
                          for r in rejected]})
        return
    from datetime import datetime

    last = status.last_sync_at
    run.out.card([
        ("server", run.config.server or "not logged in (deskterm login)"),
        ("pending", str(status.pending)),
        ("rejected", str(status.rejected)),
        ("last sync", local_time(datetime.fromisoformat(last)) if last else "never"),
        ("cursor", str(status.cursor)),
    ], title="Sync")
    if rejected:
        run.out.table(["when", "what", "code", "reason"], [
            (local_time(r.answered_at), r.entity.replace("_", " "), r.code, r.reason)
            for r in rejected], title="Rejected changes")
