"""The server and sync commands: accounts, login, sync and its status, serve.

Login and sync talk to a real server on a loopback port (SQLite behind it; the server's
own tests cover PostgreSQL); `serve` is started as a real process.
"""

from __future__ import annotations

import io
import os
import select
import signal
import socket
import stat
import subprocess
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from deskterm.domain.money import Money
from deskterm.server.accounts import add_user, caller_for_token, revoke_user
from deskterm.server.database import Database
from deskterm.server.runner import ServerThread, free_port
from deskterm.server.security import token_hash
from deskterm.services import customers, goodwill, org
from deskterm.services.context import context_for
from deskterm.store import open_store
from deskterm.store.login import Login, read_login
from deskterm.sync import replica as local
from tests.cli.conftest import Cli
from tests.conftest import Desk
from tests.support.sync import (
    Replica,
    SyncDesk,
    agent_ids,
    deskterm_command,
    server_head,
    snapshot_server,
    wait_for,
)


@dataclass
class DeskServer:
    url: str
    database_url: str
    db: Database
    thread: ServerThread
    tokens: dict[str, str]


@pytest.fixture
def desk_server(tmp_path: Path) -> Iterator[DeskServer]:
    """A running server on an SQLite file, with the sync tests' accounts."""
    database_url = f"sqlite:///{tmp_path / 'server' / 'server.db'}"
    db = Database(database_url)
    tokens = {handle: add_user(db, handle, role=role, team=team)
              for handle, role, team in SyncDesk.ACCOUNTS}
    thread = ServerThread(database_url).start()
    try:
        yield DeskServer(thread.url, database_url, db, thread, tokens)
    finally:
        thread.stop()
        db.dispose()


def _config() -> dict[str, object]:
    path = Path(os.environ["DESKTERM_CONFIG"])
    return tomllib.loads(path.read_text()) if path.exists() else {}


def _login_of(store: Path) -> Login | None:
    """The login the store keeps (store.login): where `deskterm login` writes it."""
    return read_login(store) if store.exists() else None


def _token_file(token: str, where: Path) -> str:
    """A file holding `token`, as the admin handed it over: `login --token-file` reads it."""
    path = where / f"token-{token_hash(token)[:8]}"
    path.write_text(token + "\n")
    path.chmod(0o600)
    return str(path)


def _login(run_cli: Cli, store: Path, server: DeskServer, handle: str = "alex") -> None:
    result = run_cli("--db", str(store), "login", "--server", server.url,
                     "--token-file", _token_file(server.tokens[handle], store.parent))
    assert result.code == 0, result.err


# --- deskterm server user ...


def test_user_add_prints_the_token_once_and_list_shows_role_and_team(
        run_cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    made = run_cli("server", "user", "add", "kim", "--role", "lead", "--team", "north",
                   "--name", "Kim de Vries", "--database-url", url)
    assert made.code == 0, made.err
    token = made.out.strip()
    assert made.out == token + "\n" and token.startswith("dkt_")  # the token, alone
    assert token not in made.err and "only this once" in made.err
    run_cli("server", "user", "add", "lou", "--database-url", url)
    db = Database(url)
    try:
        caller = caller_for_token(db, token)
        assert caller is not None and (caller.handle, caller.role.value) == ("kim", "lead")
    finally:
        db.dispose()

    listed = run_cli("server", "user", "list", "--database-url", url)
    assert listed.code == 0
    kim_line = next(line for line in listed.out.splitlines() if "kim" in line)
    assert "lead" in kim_line and "north" in kim_line
    assert "Kim de Vries" in kim_line  # issue 13, finding 9: names are shown
    assert listed.out.splitlines()[0].split() == ["HANDLE", "NAME", "ROLE", "TEAM", "SINCE",
                                                  "REVOKED"]
    assert "dkt_" not in listed.out
    rows = run_cli("--json", "server", "user", "list", "--database-url", url).data
    assert [(r["handle"], r["name"], r["role"], r["team"], r["revoked_at"]) for r in rows] == [
        ("kim", "Kim de Vries", "lead", "north", None), ("lou", "Lou", "agent", None, None)]


def test_user_add_refuses_a_taken_handle_and_a_bad_role(run_cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    assert run_cli("server", "user", "add", "kim", "--database-url", url).code == 0
    run_cli("server", "user", "add", "kim", "--database-url", url).refused(1, "already", "kim")
    run_cli("server", "user", "add", "Kim", "--database-url", url).refused(1, "already")
    run_cli("server", "user", "add", "max", "--role", "boss", "--database-url", url
            ).refused(2, "boss")
    run_cli("server", "user", "add", "9lives", "--database-url", url).refused(2, "handle")
    run_cli("server", "user", "list", "--database-url", "mysql://nope/db").refused(2, "mysql")
    run_cli("server", "user", "list", "--database-url",
            "postgresql+psycopg://nobody@127.0.0.1:1/none").refused(1, "cannot use")
    rows = run_cli("--json", "server", "user", "list", "--database-url", url).data
    assert [r["handle"] for r in rows] == ["kim"]


def test_user_revoke_works_once(run_cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    token = run_cli("server", "user", "add", "kim", "--database-url", url).out.strip()
    revoked = run_cli("server", "user", "revoke", "kim", "--database-url", url)
    assert revoked.code == 0 and "revoked" in revoked.out
    run_cli("server", "user", "revoke", "kim", "--database-url", url).refused(
        1, "already revoked")
    run_cli("server", "user", "revoke", "nobody", "--database-url", url).refused(1, "nobody")
    db = Database(url)
    try:
        assert caller_for_token(db, token) is None
    finally:
        db.dispose()
    rows = run_cli("--json", "server", "user", "list", "--database-url", url).data
    assert rows[0]["revoked_at"] is not None


# --- deskterm login


def test_login_saves_server_token_and_agent_privately_and_syncs(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    store_path = tmp_path / "alex.db"
    result = run_cli("--db", str(store_path), "login", "--server", desk_server.url + "/",
                     "--token-file", _token_file(desk_server.tokens["alex"], tmp_path))
    assert result.code == 0, result.err
    assert "signed in" in result.out and "alex" in result.out and "team north" in result.out
    config_path = Path(os.environ["DESKTERM_CONFIG"])
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert _config() == {"db": str(store_path.resolve())}  # no token, no agent in it
    login = _login_of(store_path)
    assert login is not None
    assert (login.server, login.token, login.handle) == \
        (desk_server.url, desk_server.tokens["alex"], "alex")
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    store = open_store(store_path)
    try:
        status = local.status(store)
        assert status.last_sync_at is not None and status.server_id == desk_server.db.server_id
        assert {agent.handle for agent, _team in org.list_agents(store)} == \
            {handle for handle, _, _ in SyncDesk.ACCOUNTS}
    finally:
        store.close()


def test_login_with_a_wrong_token_writes_no_config(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "alex.db"), "login", "--server", desk_server.url,
                     "--token-file", _token_file("dkt_wrong", tmp_path))
    result.refused(1, "token")
    assert not Path(os.environ["DESKTERM_CONFIG"]).exists()
    assert _login_of(tmp_path / "alex.db") is None
    run_cli("--db", str(tmp_path / "alex.db"), "login", "--server", "desk.example.org",
            "--token-file", _token_file("dkt_x", tmp_path)).refused(2, "http://")
    desk_server.thread.stop()
    run_cli("--db", str(tmp_path / "alex.db"), "login", "--server", desk_server.url,
            "--token-file", _token_file(desk_server.tokens["alex"], tmp_path)
            ).refused(1, "cannot reach")
    assert not Path(os.environ["DESKTERM_CONFIG"]).exists()


def test_login_refuses_a_store_with_another_desks_data(
        run_cli: Cli, desk_server: DeskServer, desk: Desk) -> None:
    result = run_cli("--db", str(desk.store.path), "login", "--server", desk_server.url,
                     "--token-file", _token_file(desk_server.tokens["alex"],
                                                 desk.store.path.parent))
    result.refused(1, "another desk")
    assert not Path(os.environ["DESKTERM_CONFIG"]).exists()
    assert local.status(desk.store).last_sync_at is None


def test_login_as_someone_else_on_a_logged_in_store_is_refused(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    """A store belongs to its login: blake cannot take over alex's store (and so never
    pushes alex's unsynced work with blake's token, which would lose it)."""
    store_path = tmp_path / "shared.db"
    _login(run_cli, store_path, desk_server, "alex")
    store = open_store(store_path)
    try:
        customers.create_customer(context_for(store, "alex"), name="Jo Jansen")
    finally:
        store.close()
    run_cli("--db", str(store_path), "login", "--server", desk_server.url, "--token-file",
            _token_file(desk_server.tokens["blake"], tmp_path)
            ).refused(1, "logged in as alex", "--db NEW.db")
    assert _login_of(store_path).handle == "alex"  # type: ignore[union-attr]
    _login(run_cli, store_path, desk_server, "alex")  # alex again: a new token is fine
    status = run_cli("--db", str(store_path), "--json", "sync", "--status").data
    assert (status["pending"], status["rejected"], status["account"]) == (0, 0, "alex")


def test_two_logins_on_one_machine_each_store_acts_and_syncs_as_its_own_account(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    """Issue 10, finding 1: alex and blake log in to a store each, under ONE home (one
    config file). Work on each store is recorded as, and pushed by, its own account,
    whoever logged in last; acting as the other on a store is refused."""
    alex_db, blake_db = tmp_path / "alex.db", tmp_path / "blake.db"
    _login(run_cli, alex_db, desk_server, "alex")
    _login(run_cli, blake_db, desk_server, "blake")  # the last login on this machine
    made = run_cli("--db", str(alex_db), "customer", "new", "--name", "Jo Jansen",
                   "--email", "jo@example.com")
    assert made.code == 0, made.err
    ticket = run_cli("--db", str(alex_db), "ticket", "new", "--customer", "jo@example.com",
                     "--subject", "Printer jams")
    assert ticket.code == 0, ticket.err
    run_cli("--db", str(alex_db), "--as", "blake", "customer", "new", "--name",
            "Kim Klaassen").refused(1, "logged in as alex")
    synced = run_cli("--db", str(alex_db), "--json", "sync")
    assert synced.code == 0, synced.err
    assert (synced.data["pushed"], synced.data["rejected"]) == (3, [])
    rows = snapshot_server(desk_server.db.engine, ["ticket", "customer"])
    ids = agent_ids(desk_server.db.engine)
    [created] = [t for t in rows["ticket"].values() if t["subject"] == "Printer jams"]
    assert created["owner_id"] == ids["alex"]
    assert run_cli("--db", str(blake_db), "sync").code == 0
    assert "Printer jams" in run_cli("--db", str(blake_db), "ticket", "list").out


def test_a_token_that_is_not_the_stores_account_sends_nothing(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    from deskterm.sync.client import AuthFailed, SyncClient

    store_path = tmp_path / "alex.db"
    _login(run_cli, store_path, desk_server, "alex")
    store = open_store(store_path)
    try:
        customers.create_customer(context_for(store, "alex"), name="Jo Jansen")
        with SyncClient(store, desk_server.url, desk_server.tokens["blake"]) as client, \
                pytest.raises(AuthFailed, match="logged in as alex"):
            client.sync()
        assert local.status(store).pending == 1  # nothing sent, nothing undone
    finally:
        store.close()


def test_the_demo_desk_never_syncs_and_cannot_be_logged_in(
        run_cli: Cli, desk_server: DeskServer, demo_template: Path, tmp_path: Path) -> None:
    """Issue 10, finding 2."""
    import shutil

    from deskterm.sync.client import SyncClient, SyncFailed

    demo = tmp_path / "demo.db"
    shutil.copy(demo_template, demo)
    head = server_head(desk_server.db)
    run_cli("--db", str(demo), "login", "--server", desk_server.url, "--token-file",
            _token_file(desk_server.tokens["alex"], tmp_path)).refused(1, "demo store")
    assert _login_of(demo) is None
    run_cli("--db", str(demo), "sync").refused(1, "not logged in")
    store = open_store(demo)
    try:
        before = local.status(store)
        with SyncClient(store, desk_server.url, desk_server.tokens["alex"]) as client, \
                pytest.raises(SyncFailed, match="demo store"):
            client.sync()
        assert local.status(store) == before
    finally:
        store.close()
    assert server_head(desk_server.db) == head  # nothing of the demo reached the server


# --- deskterm login: where the token comes from
# Issue 9, "login --token puts the token in ps output": the token is read from a file,
# standard input, a prompt or DESKTERM_TOKEN, never needed on the command line.


def test_login_token_in_ps_output_a_token_file_instead(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    token = desk_server.tokens["alex"]
    result = run_cli("--db", str(tmp_path / "alex.db"), "login", "--server", desk_server.url,
                     "--token-file", _token_file(token, tmp_path))
    assert result.code == 0, result.err
    assert "warning" not in result.err and token not in result.err + result.out
    assert _login_of(tmp_path / "alex.db").token == token  # type: ignore[union-attr]


def test_login_token_in_ps_output_standard_input_instead(
        desk_server: DeskServer, tmp_path: Path) -> None:
    """Piped in (`... | deskterm login --server URL`), with or without `--token -`."""
    token = desk_server.tokens["alex"]
    for number, option in enumerate(([], ["--token", "-"], ["--token-file", "-"])):
        process = subprocess.Popen(
            [*deskterm_command(), "--db", str(tmp_path / f"alex-{number}.db"), "login",
             "--server", desk_server.url, *option],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        command_line = Path(f"/proc/{process.pid}/cmdline")
        if command_line.exists():  # what `ps` shows while it waits for the token
            assert token.encode() not in command_line.read_bytes()
        out, err = process.communicate(token + "\n", timeout=60)
        assert process.returncode == 0, (option, err)
        assert "signed in" in out and "warning" not in err and token not in out + err
        assert _login_of(tmp_path / f"alex-{number}.db").token == token  # type: ignore[union-attr]


def test_login_token_in_ps_output_a_prompt_at_a_terminal_instead(
        desk_server: DeskServer, tmp_path: Path) -> None:
    """At a terminal it asks, without echoing what is typed."""
    token = desk_server.tokens["alex"]
    main, terminal = os.openpty()
    try:
        # A new session has no controlling terminal: getpass talks to the pty on stdin.
        process = subprocess.Popen(
            [*deskterm_command(), "--db", str(tmp_path / "alex.db"), "login", "--server",
             desk_server.url], stdin=terminal, stdout=terminal, stderr=terminal,
            start_new_session=True)
        os.close(terminal)
        shown = _read_pty(main, until=b"Token for")
        os.write(main, token.encode() + b"\n")
        shown += _read_pty(main, until=None)
        assert process.wait(timeout=60) == 0, shown
    finally:
        os.close(main)
    assert b"signed in" in shown and token.encode() not in shown, shown
    assert _login_of(tmp_path / "alex.db").token == token  # type: ignore[union-attr]


def _read_pty(fd: int, until: bytes | None, timeout: float = 60) -> bytes:
    """What the program behind the pty wrote: up to `until`, or (None) until it exits."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: every process holding the terminal has ended
            return seen
        if not chunk:
            return seen
        seen += chunk
        if until is not None and until in seen:
            return seen
    raise AssertionError(f"the program behind the terminal is still busy: {seen!r}")


def test_login_token_in_ps_output_deskterm_token_still_works(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKTERM_TOKEN", desk_server.tokens["blake"])
    result = run_cli("--db", str(tmp_path / "blake.db"), "login", "--server", desk_server.url)
    assert result.code == 0, result.err
    assert _login_of(tmp_path / "blake.db").handle == "blake"  # type: ignore[union-attr]


def test_login_token_in_ps_output_a_token_value_still_works_with_one_warning(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "alex.db"), "login", "--server", desk_server.url,
                     "--token", desk_server.tokens["alex"])
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "visible to other users" in warnings[0], result.err
    assert _login_of(tmp_path / "alex.db").token == desk_server.tokens["alex"]  # type: ignore[union-attr]


def test_login_token_in_ps_output_bad_sources_are_one_line(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    login = ("--db", str(tmp_path / "alex.db"), "login", "--server", desk_server.url)
    missing = tmp_path / "no-such-token"
    run_cli(*login, "--token-file", str(missing)).refused(2, "cannot read the token file",
                                                          str(missing))
    (tmp_path / "empty").write_text("\n")
    run_cli(*login, "--token-file", str(tmp_path / "empty")).refused(2, "no token")
    (tmp_path / "words").write_text("dkt_one dkt_two\n")
    run_cli(*login, "--token-file", str(tmp_path / "words")).refused(2, "does not hold a token")
    (tmp_path / "binary").write_bytes(b"\xff\xfe\x00")
    run_cli(*login, "--token-file", str(tmp_path / "binary")).refused(2, "cannot read")
    run_cli(*login, "--token-file", str(tmp_path)).refused(2, "cannot read the token file")
    run_cli(*login, "--token", "-", "--token-file", str(tmp_path / "words")).refused(
        2, "not allowed with")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    run_cli(*login).refused(2, "no token in standard input")
    assert not Path(os.environ["DESKTERM_CONFIG"]).exists()


# --- deskterm sync


def test_sync_says_what_moved_and_status_shows_pending_rejected_and_last_sync(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    """Two machines of alex spend the same last euros offline: one spend is rejected."""
    store_path = tmp_path / "alex.db"
    _login(run_cli, store_path, desk_server)
    morgan = Replica.open(tmp_path / "morgan.db", desk_server.url,
                          desk_server.tokens["morgan"], "morgan")
    laptop = Replica.open(tmp_path / "laptop.db", desk_server.url,
                          desk_server.tokens["alex"], "alex")
    try:
        goodwill.allocate(morgan.ctx, "alex", Money(1000, "EUR"))
        morgan.sync()
        laptop.sync()
        assert run_cli("--db", str(store_path), "sync").code == 0  # the allocation arrives

        store = open_store(store_path)
        try:
            ctx = context_for(store, "alex")
            customer = customers.create_customer(ctx, name="Jo Jansen")
            goodwill.spend(ctx, Money(800, "EUR"), reason="Broken printer",
                           customer=customer.id)
        finally:
            store.close()
        laptop_customer = customers.create_customer(laptop.ctx, name="Kim Klaassen")
        goodwill.spend(laptop.ctx, Money(800, "EUR"), reason="Late delivery",
                       customer=laptop_customer.id)
        laptop.sync()  # the laptop's spend reaches the server first
    finally:
        morgan.close()
        laptop.close()

    pending = run_cli("--db", str(store_path), "--json", "sync", "--status").data
    assert (pending["pending"], pending["rejected"]) == (2, 0)
    assert pending["server"] == desk_server.url and pending["last_sync_at"] is not None
    first_sync = pending["last_sync_at"]

    result = run_cli("--db", str(store_path), "sync")
    # Issue 13, finding 9: a round with rejections exits 1, its count on stderr, and the
    # refusal's amounts carry their currency.
    assert result.code == 1, result.err
    assert result.out.startswith(f"synced with {desk_server.url} as alex: pushed 2, "
                                 "1 rejected, pulled ")
    assert "rejected: not enough goodwill budget" in result.out
    assert "€8.00 asked, €2.00 left" in result.out
    assert "(insufficient_budget)" in result.out
    assert result.err == ("deskterm: error: 1 change rejected this round: deskterm sync "
                          "--status shows it; deskterm rejected copy or discard settles "
                          "it\n")

    shown = run_cli("--db", str(store_path), "sync", "--status")
    assert shown.code == 0
    assert "pending" in shown.out and "rejected" in shown.out and "last sync" in shown.out
    assert "not enough goodwill budget" in shown.out and "insufficient_budget" in shown.out
    assert "amount: -€8.00" in shown.out and "amount_cents" not in shown.out
    status = run_cli("--db", str(store_path), "--json", "sync", "--status").data
    assert (status["pending"], status["rejected"]) == (0, 1)
    assert status["last_sync_at"] > first_sync
    (rejected,) = status["rejected_changes"]
    assert rejected["entity"] == "goodwill_entry" and rejected["code"] == "insufficient_budget"
    assert rejected["reason"].startswith("not enough goodwill budget")

    again = run_cli("--db", str(store_path), "--json", "sync")
    assert again.code == 0 and (again.data["pushed"], again.data["rejected"]) == (0, [])
    assert "1 rejected change from earlier rounds" in again.err


def test_sync_with_the_server_down_is_one_line(
        run_cli: Cli, desk_server: DeskServer, tmp_path: Path) -> None:
    store_path = tmp_path / "alex.db"
    _login(run_cli, store_path, desk_server)
    desk_server.thread.stop()
    run_cli("--db", str(store_path), "sync").refused(1, "cannot reach", desk_server.url)
    status = run_cli("--db", str(store_path), "--json", "sync", "--status")
    assert status.code == 0 and status.data["pending"] == 0
    desk_server.thread.start()
    revoke_user(desk_server.db, "alex")
    run_cli("--db", str(store_path), "sync").refused(1, "refused the token")


def test_sync_without_login_says_how_to_log_in(run_cli: Cli, desk: Desk) -> None:
    run_cli("--db", str(desk.store.path), "sync").refused(1, "not logged in", "login")


# --- deskterm serve


def test_serve_on_a_port_in_use_is_one_line(run_cli: Cli, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run_cli("serve", "--port", str(port), "--database-url",
                f"sqlite:///{tmp_path / 'server.db'}").refused(1, "in use", str(port))
    run_cli("serve", "--port", "70000").refused(2, "out of range")
    run_cli("serve", "--port", str(free_port()), "--database-url", "mysql://x/y"
            ).refused(2, "mysql")


def test_serve_runs_a_server_that_answers_healthz(tmp_path: Path) -> None:
    port = free_port()
    url = f"sqlite:///{tmp_path / 'served.db'}"
    process = subprocess.Popen([*deskterm_command(), "serve", "--port", str(port),
                                "--database-url", url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        def healthy() -> dict[str, object] | None:
            assert process.poll() is None, process.communicate()
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            except httpx.TransportError:
                return None
            return answer.json() if answer.status_code == 200 else None

        body = wait_for(healthy, timeout=30, interval=0.1, what="deskterm serve to answer")
        assert body["status"] == "ok" and body["database"] == "sqlite"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    # A graceful stop: uvicorn finishes shutting down, then lets SIGTERM end the process.
    assert process.returncode in (0, -signal.SIGTERM), err
    assert "shutdown complete" in err
    assert f"http://127.0.0.1:{port}" in err
