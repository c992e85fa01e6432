"""Realistic knowledge-base articles in bulk, for `deskterm bench search`.

The vocabulary is the demo's own content in both languages (deskterm/demo/content and
content/nl): every sentence, phrase and tag in those files. An article belongs to one
topic of one language: its title is one of the topic's phrases, its tags the topic's, its
body a few of the topic's sentences, a few sentences from anywhere in that language, and a
few randomized sentences of words drawn with Zipf weights from the language's whole
vocabulary. So common words are in most articles, rare ones in a handful, as in a real
desk's knowledge base: not a few repeated words.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any
from uuid import UUID

CONTENT = Path(__file__).resolve().parent.parent / "demo" / "content"
LANGUAGES = ("en", "nl")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Topic:
    language: str
    label: str
    tags: list[str]
    phrases: list[str]  # short strings (subjects, titles): title material
    sentences: list[str]  # longer strings: body material


@dataclass(frozen=True)
class Vocabulary:
    language: str
    topics: list[Topic]
    sentences: list[str]
    words: list[str]  # most frequent first
    cumulative: list[float]  # Zipf weights (1 / rank), summed, for random.choices


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _clean(text: str) -> str:
    return re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", text).strip()


def load_vocabulary(language: str) -> Vocabulary:
    """Topics, sentences and words of the demo's content in `language` ("en" or "nl")."""
    folder = CONTENT / "nl" if language == "nl" else CONTENT
    topics: list[Topic] = []
    everything: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for raw in data.pop("topic", []):
            strings = [_clean(s) for s in _strings(raw) if _clean(s)]
            phrases = [s for s in strings if 3 <= len(s.split()) <= 10]
            sentences = [s for s in strings if len(s.split()) > 5]
            label = str(raw.get("label") or raw.get("name") or raw.get("key"))
            tags = [str(tag) for tag in raw.get("tags", [])]
            if phrases and sentences:
                topics.append(Topic(language, label, tags, phrases, sentences))
            everything += strings
        everything += [_clean(s) for s in _strings(data) if _clean(s)]
    sentences = [part for text in everything for part in _SENTENCE_END.split(text)
                 if len(part.split()) > 3]
    counts = Counter(word.lower() for text in everything for word in _WORD.findall(text))
    words = [word for word, _count in counts.most_common()]
    return Vocabulary(language, topics, sentences, words,
                      list(accumulate(1.0 / rank for rank in range(1, len(words) + 1))))


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    tags: str  # JSON list, as the store keeps them
    body: str
    language: str


def generate(count: int, seed: int = 16) -> Iterator[Article]:
    """`count` articles, half in English and half in Dutch, the same for the same seed."""
    rng = random.Random(seed)
    vocabularies = {language: load_vocabulary(language) for language in LANGUAGES}
    for number in range(count):
        vocabulary = vocabularies[LANGUAGES[number % 2]]
        yield _article(rng, vocabulary, number)


def _article(rng: random.Random, vocabulary: Vocabulary, number: int) -> Article:
    topic = rng.choice(vocabulary.topics)
    title = rng.choice(topic.phrases).rstrip(".?!")
    if rng.random() < 0.5:
        title = f"{topic.label}: {title}"
    parts = [f"# {title}", ""]
    for _paragraph in range(rng.randint(2, 5)):
        sentences = rng.sample(topic.sentences, min(len(topic.sentences), rng.randint(1, 3)))
        sentences += rng.sample(vocabulary.sentences, rng.randint(1, 2))
        sentences += [_random_sentence(rng, vocabulary) for _n in range(rng.randint(1, 3))]
        rng.shuffle(sentences)
        parts += [" ".join(sentences), ""]
    tags = rng.sample(topic.tags, min(len(topic.tags), rng.randint(1, 3)))
    article_id = str(UUID(int=rng.getrandbits(128), version=4))
    return Article(article_id, title, json.dumps(tags), "\n".join(parts).strip(),
                   vocabulary.language)


def _random_sentence(rng: random.Random, vocabulary: Vocabulary) -> str:
    words = rng.choices(vocabulary.words, cum_weights=vocabulary.cumulative, k=rng.randint(6, 14))
    return " ".join(words).capitalize() + "."


def insert(connection: Any, articles: Iterator[Article], batch: int = 2000) -> int:
    """Write `articles` into a store's kb_article (its triggers index them in both
    languages), in transactions of `batch`; how many were written."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    written = 0
    rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO kb_article (id, title, body, tags, version, created_at, updated_at,"
            " deleted) VALUES (?, ?, ?, ?, 1, ?, ?, 0)", rows)
        connection.execute("COMMIT")
        rows.clear()

    for article in articles:
        moment = (start + timedelta(minutes=written)).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows.append((article.id, article.title, article.body, article.tags, moment, moment))
        written += 1
        if len(rows) >= batch:
            flush()
    if rows:
        flush()
    return written
