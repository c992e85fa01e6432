"""`deskterm web` refuses what would expose it or could not work, before it serves."""

from __future__ import annotations

import shlex

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from deskterm.cli.main import main
from deskterm.i18n import using
from deskterm.ui.web.serve import WorkspaceServer, session_command


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_binding_beyond_this_machine_needs_public_and_says_why(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "web", "--server", "http://127.0.0.1:1", "--host", "0.0.0.0")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "--public" in err and "can try tokens" in err \
        and "TLS" in err, err


def test_in_dutch_the_refusal_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with using("nl"):
        code, _out, err = run(capsys, "web", "--server", "http://127.0.0.1:1", "--host",
                              "192.0.2.7")
    assert code == 2 and "tokens kan proberen" in err and "--public" in err, err


def test_without_a_server_or_with_a_bad_one_it_says_how(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "web")
    assert code == 2 and "--server URL" in err, err
    code, _out, err = run(capsys, "web", "--server", "desk.example.org")
    assert code == 2 and "http://" in err, err
    code, _out, err = run(capsys, "web", "--server", "http://x", "--port", "70000")
    assert code == 2 and "65535" in err, err


def test_a_session_is_started_without_a_token_in_its_language() -> None:
    words = shlex.split(session_command("http://desk.example.org:8765", "nl"))
    assert words[1:] == ["-m", "deskterm.ui.web", "--server", "http://desk.example.org:8765",
                         "--lang", "nl"]


async def test_a_page_of_another_site_cannot_open_a_session() -> None:
    server = WorkspaceServer("http://127.0.0.1:1", "en", host="127.0.0.1", port=8000,
                             public_url=None, loopback=True)
    async with TestClient(TestServer(await server._make_app())) as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": "https://evil.example"})
        assert refused.value.status == 403
        page = await client.get("/")
        assert page.status == 200 and "ws://127.0.0.1:8000/ws" in await page.text()


def test_every_address_needs_the_address_browsers_use(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "web", "--server", "http://x", "--host", "0.0.0.0",
                          "--public")
    assert code == 2 and "--public-url" in err, err


def test_a_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setenv("DESKTERM_LANG", "en")  # serving sets it for its sessions: undone after

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, _out, err = run(capsys, "web", "--server", "http://x", "--port", port)
    assert code == 1 and f"port {port}" in err and err.count("\n") == 1, err
