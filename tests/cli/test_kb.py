"""`deskterm kb ...`: search, show, new, edit and link knowledge-base articles."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select

from deskterm.domain import KbArticle, TicketArticle
from deskterm.services import kb, tickets
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk

HIT_KEYS = {"id", "short_id", "title", "snippet", "highlights", "rank", "matched_all"}
ARTICLE_KEYS = {"id", "short_id", "title", "body", "tags", "department", "author", "version",
                "created_at", "updated_at", "tickets", "versions"}


def _article(desk: Desk, ref: str) -> KbArticle:
    return kb.get_article(desk.store, ref)


@pytest.fixture
def articles(desk: Desk) -> list[KbArticle]:
    sam = desk.as_("sam")
    return [
        kb.create_article(sam, title="VPN keeps dropping", body="Restart the **VPN** client.",
                          tags=["vpn"], department="IT"),
        kb.create_article(sam, title="Printer jams", body="Open tray 2 and remove the paper."),
    ]


def test_search_highlights_matches(cli: Cli, articles: list[KbArticle]) -> None:
    human = cli("kb", "search", "vpn")
    assert human.code == 0
    assert "VPN keeps dropping" in human.out and "Printer" not in human.out
    assert "\x02" not in human.out and "\x03" not in human.out
    hits = cli("kb", "search", "vpn client", "--json").data
    assert set(hits[0]) == HIT_KEYS
    assert hits[0]["id"] == articles[0].id and hits[0]["title"] == "VPN keeps dropping"
    assert "VPN" in hits[0]["highlights"] and "client" in hits[0]["highlights"]
    assert "\x02" not in hits[0]["snippet"]
    assert cli("kb", "search", "vpn", "--department", "HR", "--json").data == []
    assert len(cli("kb", "search", "vpn printer", "--limit", "1", "--json").data) == 1


def test_search_highlight_is_styled_on_a_terminal(articles: list[KbArticle]) -> None:
    from rich.console import Console

    from deskterm.present import HIGHLIGHT_STYLE, highlighted

    text = highlighted("the \x02VPN\x03 client")
    assert text.plain == "the VPN client"
    assert [(span.start, span.end, span.style) for span in text.spans] == [
        (4, 7, HIGHLIGHT_STYLE)]
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard")
    console.print(text)
    assert "\x1b[1;7mVPN" in console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("query", ['"unbalanced ( AND', "NEAR(", "*", "-", '""', "AND OR NOT",
                                   "vpn)", "'; DROP TABLE kb_article; --"])
def test_search_never_crashes(cli: Cli, articles: list[KbArticle], query: str) -> None:
    result = cli("kb", "search", query, "--json")
    assert result.code == 0, result.err
    assert isinstance(result.data, list)
    assert cli("kb", "search", query).code == 0


def test_show_renders_markdown(cli: Cli, articles: list[KbArticle]) -> None:
    human = cli("kb", "show", articles[0].id[-8:])
    assert human.code == 0
    assert "Restart the VPN client." in human.out and "**" not in human.out
    data = cli("kb", "show", articles[0].id, "--json").data
    assert set(data) == ARTICLE_KEYS
    assert data["body"] == "Restart the **VPN** client." and data["department"] == "IT"
    assert data["author"] == "sam" and data["tags"] == ["vpn"] and data["version"] == 1
    cli("kb", "show", "abcdef12").refused(1, "no knowledge-base article")


def test_new_article_from_option_file_and_stdin(cli: Cli, desk: Desk, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    made = cli("kb", "new", "--title", "Badge", "--body", "Hold it still.", "--tag", "badge",
               "--tag", "Access,doors", "--department", "HR", "--json").data
    article = _article(desk, made["id"])
    assert (article.title, article.body, article.tags) == (
        "Badge", "Hold it still.", ["badge", "access", "doors"])
    assert made["author"] == "alex"
    body = tmp_path / "body.md"
    body.write_text("# Heading\n\nFrom a file.\n", encoding="utf-8")
    from_file = cli("kb", "new", "--title", "From file", "--body-file", str(body), "--json").data
    assert _article(desk, from_file["id"]).body == "# Heading\n\nFrom a file."
    monkeypatch.setattr("sys.stdin", io.StringIO("Piped *in*.\n"))
    from_stdin = cli("kb", "new", "--title", "From stdin", "--body", "-", "--json").data
    assert _article(desk, from_stdin["id"]).body == "Piped *in*."


def test_new_article_refusals(cli: Cli, desk: Desk, tmp_path: Path) -> None:
    with nothing_written(desk.store):
        cli("kb", "new", "--title", "T").refused(2, "--body --body-file")
        cli("kb", "new", "--title", "T", "--body", "x", "--body-file", "f").refused(
            2, "not allowed with")
        cli("kb", "new", "--title", "T", "--body-file", str(tmp_path / "missing.md")).refused(
            2, "cannot read")
        cli("kb", "new", "--title", " ", "--body", "x").refused(2, "title is required")
        cli("kb", "new", "--title", "T", "--body", "x", "--department", "ZZ").refused(
            1, "no department")


def test_edit_bumps_the_version(cli: Cli, desk: Desk, articles: list[KbArticle]) -> None:
    ref = articles[1].id[-8:]
    result = cli("kb", "edit", ref, "--title", "Printer jams (tray 2)", "--tag", "printer",
                 "--base-version", "1", "--json")
    assert result.code == 0, result.err
    article = _article(desk, ref)
    assert (article.title, article.tags, article.version) == (
        "Printer jams (tray 2)", ["printer"], 2)
    assert article.body == "Open tray 2 and remove the paper."
    assert result.data["version"] == 2
    with nothing_written(desk.store):
        cli("kb", "edit", ref, "--title", "Stale", "--base-version", "1").refused(
            1, "changed since you opened it")
        cli("kb", "edit", ref).refused(2, "nothing changed")
        cli("kb", "edit", ref, "--base-version", "two").refused(2, "invalid int value")
    assert _article(desk, ref).title == "Printer jams (tray 2)"


def test_link_article_to_ticket(cli: Cli, desk: Desk, articles: list[KbArticle]) -> None:
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops")
    result = cli("kb", "link", ticket.key, articles[0].id[-8:], "--json")
    assert result.code == 0, result.err
    assert [a["title"] for a in result.data["articles"]] == ["VPN keeps dropping"]
    with desk.store.reading() as session:
        links = session.exec(select(TicketArticle)).all()
    assert [(link.ticket_id, link.article_id) for link in links] == [
        (ticket.id, articles[0].id)]
    with nothing_written(desk.store):
        cli("kb", "link", ticket.key, articles[0].id).refused(1, "already linked")
        cli("kb", "link", "SD-999", articles[0].id).refused(1, "no ticket")


# --- articles from tickets ------------------------------------------------------------


def _solved_by_second_line(desk: Desk) -> str:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops",
                                 description="Drops every hour.", department="IT")
    tickets.escalate_ticket(desk.alex, made.id, tier=2, group="Network", reason="certs")
    tickets.resolve_ticket(desk.as_("sam"), made.id, resolution="Renewed the certificate.")
    return made.key


def test_new_article_from_a_ticket(cli: Cli, desk: Desk) -> None:
    key = _solved_by_second_line(desk)
    result = cli("kb", "new", "--from-ticket", key, "--tag", "vpn", "--json", agent="sam")
    assert result.code == 0, result.err
    made = result.data
    assert made["title"] == "VPN drops" and made["department"] == "IT"
    assert made["body"] == ("## Problem\n\nDrops every hour.\n\n"
                            "## Solution\n\nRenewed the certificate.")
    assert made["tags"] == ["vpn"] and made["author"] == "sam"
    assert [t["key"] for t in made["tickets"]] == [key]
    assert [(v["version"], v["editor"]) for v in made["versions"]] == [(1, "sam")]
    # Overrides, and the article shows its ticket and editors in `kb show`.
    other = cli("kb", "new", "--from-ticket", key, "--title", "VPN hourly drops",
                "--body", "Renew it.", "--json").data
    assert (other["title"], other["body"]) == ("VPN hourly drops", "Renew it.")
    cli("kb", "edit", other["id"], "--body", "Renew the certificate.", agent="blake")
    shown = cli("kb", "show", other["id"][-8:])
    assert shown.code == 0
    assert f"Tickets     {key}" in shown.out
    assert "Edited by   v2 @blake (body)" in shown.out


def test_new_article_from_a_ticket_refusals(cli: Cli, desk: Desk) -> None:
    key = _solved_by_second_line(desk)
    with nothing_written(desk.store):
        cli("kb", "new", "--from-ticket", "SD-404").refused(1, "no ticket 'SD-404'")
        cli("kb", "new", "--from-ticket", key, "--title", " ").refused(2, "title is required")
        cli("kb", "new", "--body", "x").refused(2, "--title", "--from-ticket")
    made = cli("kb", "new", "--from-ticket", key)
    assert made.code == 0 and f"from {key}" in made.out
    again = cli("kb", "new", "--from-ticket", key)
    assert again.code == 0
    assert f"{key} was already linked to 1 article" in again.err


def test_new_article_from_a_ticket_opens_the_editor_on_a_terminal(
        cli: Cli, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """$EDITOR edits the draft (a real process): its first `# ` line is the title."""
    key = _solved_by_second_line(desk)
    script = tmp_path / "edit.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[1]); seen = p.read_text()\n"
        "assert seen.startswith('# VPN drops\\n\\n## Problem'), seen\n"
        "p.write_text('# VPN drops hourly\\n\\nRenew the certificate.\\n')\n",
        encoding="utf-8")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    import sys
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setattr("sys.stdin", Terminal())
    made = cli("kb", "new", "--from-ticket", key, "--json").data
    assert (made["title"], made["body"]) == ("VPN drops hourly", "Renew the certificate.")
    # --no-edit saves the draft as it is; an emptied draft or a failing editor writes nothing.
    assert cli("kb", "new", "--from-ticket", key, "--no-edit", "--json").data["title"] == \
        "VPN drops"
    for editor, why in ((f"{sys.executable} -c 'import sys; open(sys.argv[1], \"w\")'",
                         "draft was emptied"),
                        (f"{sys.executable} -c 'raise SystemExit(3)'", "exited with status 3")):
        monkeypatch.setenv("EDITOR", editor)
        with nothing_written(desk.store):
            cli("kb", "new", "--from-ticket", key).refused(2, why)
