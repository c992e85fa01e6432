"""`deskterm bench search`: knowledge-base search on many realistic articles.

The store is a small demo desk (agents, a few hundred tickets) with N generated articles
beside the demo's own (bench.corpus: the demo's content in both languages), made once
and cached per size. Measured in one run, interleaved query by query:

- search: `store.search.search()` for a set of realistic queries (single words, two
  words, prefixes, phrases; English on kb_fts, Dutch on kb_fts_nl with snippets marked
  in Python), top 20 with snippets, beside the raw FTS5 query for the same MATCH text
  (`SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rank LIMIT 20`), the floor;
- search as you type: the workspace run headless, the KB pane's box typed into key by
  key at a fast typist's pace, timed from the last key to the frame that shows its
  results, beside the same search called directly.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from deskterm import locations
from deskterm.bench import TERMINAL_SIZE
from deskterm.bench.figures import Figure, below
from deskterm.bench.results import percentile

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.app import App

Progress = Callable[[str], None]
DEMO_SEED = 7
#: Tickets of the demo desk the articles are added to (the pane needs a desk to open).
DESK_TICKETS = 300
HITS = 20
RATIO_GOAL = 1.5
P95_GOAL_MS = 50.0
TYPING_GOAL_MS = 100.0
#: Seconds between typed keys: a fast typist (about 12 keys a second).
KEY_GAP = 0.08

#: (language, kind, text): what agents type, in both languages.
QUERIES: tuple[tuple[str, str, str], ...] = (
    ("en", "word", "vpn"),
    ("en", "word", "laptop"),
    ("en", "word", "payslip"),
    ("en", "two words", "password reset"),
    ("en", "two words", "expense claim"),
    ("en", "two words", "printer toner"),
    ("en", "prefix", "pass"),
    ("en", "prefix", "calend"),
    ("en", "phrase", '"shared mailbox"'),
    ("en", "phrase", '"sign in"'),
    ("nl", "word", "wachtwoord"),
    ("nl", "word", "declaratie"),
    ("nl", "word", "toegang"),
    ("nl", "two words", "wachtwoorden vergeten"),
    ("nl", "two words", "verlof aanvragen"),
    ("nl", "two words", "geen toegang printer"),
    ("nl", "prefix", "wacht"),
    ("nl", "prefix", "beeldsch"),
    ("nl", "phrase", '"gedeelde mailbox"'),
    ("nl", "phrase", '"het portaal"'),
)
#: What is typed into the pane (English, the app's language in the bench).
TYPED = ("vpn disconnects", "password reset", "shared mailbox", "expense claim", "laptop")


@dataclass(frozen=True)
class SearchOptions:
    articles: int
    rounds: int
    db: Path | None = None  # default: a store cached per size
    typing: bool = True  # the pane's figure (a headless app)


@dataclass
class QueryResult:
    language: str
    kind: str
    text: str
    hits: int = 0
    search_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"language": self.language, "kind": self.kind, "text": self.text,
                "hits": self.hits, "search_median_ms": round(statistics.median(self.search_ms), 3),
                "raw_median_ms": round(statistics.median(self.raw_ms), 3),
                "search_p95_ms": round(percentile(self.search_ms, 0.95), 3)}


@dataclass
class SearchBench:
    store: dict[str, Any]
    rounds: int
    queries: list[QueryResult] = field(default_factory=list)
    typing_ms: list[float] = field(default_factory=list)
    typing_direct_ms: list[float] = field(default_factory=list)
    typing_failed: str | None = None
    seconds: float = 0.0

    def figures(self) -> list[Figure]:
        figures: list[Figure] = []
        for language, name in (("en", "English"), ("nl", "Dutch")):
            results = [q for q in self.queries if q.language == language]
            if not results:
                continue
            search = [s for q in results for s in q.search_ms]
            raw = [s for q in results for s in q.raw_ms]
            # The ratio of the totals: the queries' median times summed.
            total = sum(statistics.median(q.search_ms) for q in results)
            floor = sum(statistics.median(q.raw_ms) for q in results)
            ratio = total / floor if floor else None
            figures.append(Figure(
                f"search {name}: top {HITS} with snippets, p95", percentile(search, 0.95),
                "ms", percentile(raw, 0.95), "raw FTS5 MATCH … ORDER BY rank LIMIT 20, p95",
                f"p95 < {P95_GOAL_MS:.0f} ms", below(percentile(search, 0.95), P95_GOAL_MS)))
            figures.append(Figure(
                f"search {name}: sum of medians over {len(results)} queries", total, "ms",
                floor, "raw FTS5, sum of medians", f"<= {RATIO_GOAL}x raw FTS5",
                None if ratio is None else ratio <= RATIO_GOAL))
        if self.typing_ms:
            p95 = percentile(self.typing_ms, 0.95)
            figures.append(Figure(
                "KB pane: last key to results painted, p95", p95, "ms",
                percentile(self.typing_direct_ms, 0.95) if self.typing_direct_ms else None,
                "the same search called directly, p95", f"< {TYPING_GOAL_MS:.0f} ms",
                below(p95, TYPING_GOAL_MS)))
        if self.typing_ms:
            figures.append(Figure(
                "KB pane: last key to results painted, median",
                statistics.median(self.typing_ms), "ms",
                statistics.median(self.typing_direct_ms) if self.typing_direct_ms else None,
                "the same search called directly, median"))
        elif self.typing_failed:
            figures.append(Figure("KB pane: last key to results painted, p95", None, "ms",
                                  goal=f"< {TYPING_GOAL_MS:.0f} ms", met=False))
        return figures

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "store": self.store, "rounds": self.rounds, "seconds": round(self.seconds, 1),
            "queries": [q.to_json() for q in self.queries],
            "figures": [figure.to_json() for figure in self.figures()]}
        if self.typing_ms:
            data["typing"] = {"samples_ms": [round(s, 2) for s in self.typing_ms],
                              "direct_ms": [round(s, 2) for s in self.typing_direct_ms]}
        if self.typing_failed:
            data["typing_failed"] = self.typing_failed
        return data


def store_path(options: SearchOptions) -> Path:
    if options.db is not None:
        return options.db
    return locations.cache_dir() / f"bench-kb-{options.articles}.db"


def prepare_store(path: Path, articles: int, progress: Progress) -> None:
    """A small demo desk with `articles` generated articles at `path`, unless it exists;
    a half-made one never stays behind."""
    if path.exists():
        return
    from deskterm.bench import corpus
    from deskterm.bench.stores import made_in_place
    from deskterm.demo import generate_demo
    from deskterm.i18n import using
    from deskterm.store import open_store

    progress(f"making a store of {articles:,} generated articles in {path} (once)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with made_in_place(path) as partial:
        store = open_store(partial)
        try:
            with using("en"):
                generate_demo(store, tickets=DESK_TICKETS, seed=DEMO_SEED)
            with store.raw() as connection:
                corpus.insert(connection, corpus.generate(articles))
                connection.execute("INSERT INTO kb_fts (kb_fts) VALUES ('optimize')")
                connection.execute("INSERT INTO kb_fts_nl (kb_fts_nl) VALUES ('optimize')")
        finally:
            store.close()


def describe_store(path: Path) -> dict[str, Any]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        articles = connection.execute(
            "SELECT count(*) FROM kb_article WHERE NOT deleted").fetchone()[0]
    finally:
        connection.close()
    return {"path": str(path), "articles": int(articles),
            "size_mb": round(path.stat().st_size / 2**20, 1)}


def run_search_bench(options: SearchOptions, progress: Progress) -> SearchBench:
    from deskterm.store import open_store

    path = store_path(options)
    prepare_store(path, options.articles, progress)
    started = time.perf_counter()
    bench = SearchBench(store=describe_store(path), rounds=options.rounds)
    store = open_store(path, create=False)
    try:
        with store.raw() as connection:
            progress(f"search: {len(QUERIES)} queries, {options.rounds} rounds")
            bench.queries = measure_queries(connection, options.rounds)
    finally:
        store.close()
    if options.typing:
        progress(f"search as you type: {len(TYPED)} queries typed into the KB pane")
        try:
            bench.typing_ms, bench.typing_direct_ms = asyncio.run(
                measure_typing(path, options.rounds))
        except Exception as error:
            bench.typing_failed = f"{type(error).__name__}: {error}"
            progress(f"search as you type: failed: {bench.typing_failed}")
    bench.seconds = time.perf_counter() - started
    return bench


def raw_match(connection: sqlite3.Connection, language: str, text: str) -> list[int]:
    """The floor: the bare FTS5 query for the MATCH text `search()` builds for `text`."""
    from deskterm.store.search import dutch_query, parse_query

    query = parse_query(text)
    table = "kb_fts"
    if language == "nl":
        query, table = dutch_query(query), "kb_fts_nl"
    if not query.terms:
        return []
    return [row[0] for row in connection.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT {HITS}",
        (query.match_all(),))]


def measure_queries(connection: sqlite3.Connection, rounds: int) -> list[QueryResult]:
    """Every query and its floor, interleaved, after one unmeasured round (warm caches)."""
    from deskterm.store.search import search

    results = [QueryResult(language, kind, text) for language, kind, text in QUERIES]
    for round_ in range(rounds + 1):
        for result in results:
            started = time.perf_counter()
            raw_match(connection, result.language, result.text)
            raw = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            hits = search(connection, result.text, limit=HITS, language=result.language)
            full = (time.perf_counter() - started) * 1000
            if round_:
                result.raw_ms.append(raw)
                result.search_ms.append(full)
                result.hits = len(hits)
    return results


async def measure_typing(path: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Type each of TYPED into the KB pane, key by key; last key to the painted results."""
    from deskterm.bench.keys import key_event, settle, still, until
    from deskterm.config import Config
    from deskterm.i18n import using
    from deskterm.services import kb
    from deskterm.ui.app import DesktermApp
    from deskterm.ui.widgets.kb import KbPane

    samples: list[float] = []
    direct: list[float] = []
    with using("en"):
        app = DesktermApp(Config(db=path, agent="alex"), path, "alex", remember_theme=False)
        painter = cast("App[object]", app)  # as bench.keys takes apps
        async with app.run_test(size=TERMINAL_SIZE) as pilot:
            await until(lambda: app.session is not None and bool(app.screen.query(KbPane)),
                        what="the workspace")
            await app.workers.wait_for_complete()
            pane = app.screen.query_one(KbPane)
            await pilot.press("3", "slash")
            await until(lambda: pane.box.has_focus, what="the KB search box")
            store = pane.session.store
            for _round in range(rounds):
                for text in TYPED:
                    pane.box.value = ""
                    await app.workers.wait_for_complete()
                    await still(painter)
                    for key in text[:-1]:
                        app.post_message(key_event("space" if key == " " else key))
                        await asyncio.sleep(KEY_GAP)
                    started = time.perf_counter()
                    app.post_message(key_event(text[-1]))

                    def shown(text: str = text) -> bool:
                        return pane.shown_query == text

                    _first, finished = await settle(painter, shown, what=f"typing {text!r}")
                    samples.append((finished - started) * 1000)
                    began = time.perf_counter()
                    kb.search_articles(store, text, limit=30)
                    direct.append((time.perf_counter() - began) * 1000)
    return samples, direct


def render(bench: SearchBench) -> RenderableType:
    """A table per query (search beside the bare FTS5 query), then the figures and goals."""
    from rich.console import Group
    from rich.table import Table

    store = bench.store
    queries = Table(title=f"deskterm bench search: {store['articles']:,} articles, "
                    f"{bench.rounds} rounds (medians)", title_justify="left")
    for header in ("language", "kind", "query", "hits", "search", "raw FTS5", "ratio"):
        queries.add_column(header, justify="right" if header in
                           ("hits", "search", "raw FTS5", "ratio") else "left")
    for query in bench.queries:
        full, raw = statistics.median(query.search_ms), statistics.median(query.raw_ms)
        queries.add_row(query.language, query.kind, query.text, str(query.hits),
                        f"{full:.1f} ms", f"{raw:.1f} ms", f"{full / raw:.2f}x" if raw else "—")
    figures = Table(title="figures, each beside its baseline from the same run",
                    title_justify="left")
    for header in ("figure", "value", "baseline", "ratio", "goal", ""):
        figures.add_column(header)
    for figure in bench.figures():
        ratio = figure.ratio
        figures.add_row(
            figure.name, "—" if figure.value is None else f"{figure.value:.1f} {figure.unit}",
            "—" if figure.baseline is None else f"{figure.baseline:.1f} {figure.unit}",
            "—" if ratio is None else f"{ratio:.2f}x", figure.goal,
            "—" if figure.met is None else "met" if figure.met else "missed")
    parts: list[RenderableType] = [queries, figures]
    if bench.typing_failed:
        parts.append(f"search as you type: failed: {bench.typing_failed}")
    return Group(*parts)
