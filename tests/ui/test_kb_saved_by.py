"""Issue 13, finding 10: the KB article's header names who saved the shown version, not
its first author."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TextArea

from deskterm.services import kb
from deskterm.services.org import list_agents
from deskterm.ui.forms.article import ArticleForm
from tests.ui.test_kb_pane import kb_desk, no_debounce  # noqa: F401 - the autouse fixture


async def test_the_header_names_who_saved_the_version_shown(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        article_id = await desk.open_first("vpn")
        before = kb.get_article(desk.store, article_id)
        handles = {agent.id: agent.handle for agent, _ in list_agents(desk.store)}
        author = handles[before.author_id or ""]
        assert author != "alex"
        await desk.pilot.press("e")
        await desk.settle()
        form = desk.app.screen
        assert isinstance(form, ArticleForm)
        form.query_one("#article-body", TextArea).text = before.body + "\n\nReboot first."
        await desk.pilot.press("ctrl+o")
        await desk.settle()

        head = str(desk.pane.query_one("#kb-article-head", Static).render())
        meta = head.splitlines()[1]
        assert meta.startswith(f"v{before.version + 1} · saved ")
        assert " by @alex" in meta and f"written by @{author}" in meta
        assert meta.index("by @alex") < meta.index(f"@{author}")
