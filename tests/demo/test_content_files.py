"""The demo's content files: every one is read, and each topic file gives whole topics."""

from __future__ import annotations

from importlib.resources import files

import pytest

from deskterm.demo import corpus, phrases
from deskterm.demo.content import frozen, read_content
from deskterm.demo.topics import TOPIC_FILES, Topic, all_topics

#: The content files read by modules other than topics.py.
OTHER_FILES = {"phrases", "words", "people", "articles"}


def test_every_content_file_is_read_by_a_module() -> None:
    on_disk = {entry.name.removesuffix(".toml")
               for entry in files("deskterm.demo.content").iterdir()
               if entry.name.endswith(".toml")}
    assert on_disk == set(TOPIC_FILES) | OTHER_FILES


@pytest.mark.parametrize("name", TOPIC_FILES)
def test_each_topic_file_holds_topics(name: str) -> None:
    keys = [entry["key"] for entry in read_content(name)["topic"]]
    assert keys, f"{name}.toml holds no topic"
    by_key = {topic.key: topic for topic in all_topics()}
    for key in keys:
        topic = by_key[key]
        assert isinstance(topic, Topic)
        assert topic.tickets and topic.fixes and topic.howto.steps and topic.trouble.checks


def test_topic_keys_are_unique_across_files() -> None:
    keys = [topic.key for topic in all_topics()]
    assert len(keys) == len(set(keys))


def test_content_reads_as_tuples_so_no_caller_can_change_it() -> None:
    assert frozen({"a": [1, [2, 3]], "b": "x"}) == {"a": (1, (2, 3)), "b": "x"}
    said, words = phrases.phrases("en"), corpus.words("en")
    assert isinstance(said.first_contact["phone"], tuple)
    assert isinstance(words.organisations[0], tuple) and len(words.organisations[0]) == 3
    assert all(isinstance(low, int) and low < high for _, low, high in said.goodwill_reasons)
