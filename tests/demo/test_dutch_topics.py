"""The Dutch topic files: the English files' shape, keys and slots, written in Dutch."""

from __future__ import annotations

import re
import tomllib
from importlib.resources import files
from typing import Any

import pytest

#: The topic files this test covers, each beside its English counterpart.
NAMES = ("topics_it_infra", "topics_care", "topics_facilities", "topics_finance", "topics_hr")

#: Small words that make up a large share of any Dutch text, and of no English one.
DUTCH_WORDS = frozenset({
    "de", "het", "een", "en", "van", "in", "op", "je", "jouw", "niet", "is", "met", "voor", "te",
    "dat", "er", "naar", "om", "bij", "als", "of", "ook", "nog", "wordt", "worden", "zijn", "wel",
    "geen", "dan", "door", "uit", "aan", "tot", "na", "over", "maar", "kan", "moet", "die",
    "deze", "dit",
})
#: The same for English (not "is" or "of", which Dutch has too): Dutch holds almost none.
ENGLISH_WORDS = frozenset({
    "the", "and", "to", "your", "with", "you", "are", "not", "for", "on", "it", "be", "this",
    "that", "from", "after",
})

SLOT = re.compile(r"\{(\w+)\}")
WORD = re.compile(r"[^\W\d_]+")


def _read(*path: str) -> dict[str, Any]:
    text = files("deskterm.demo.content").joinpath(*path).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _texts(value: Any) -> list[str]:
    """Every string in a parsed TOML value, at any depth."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return []


def _prose(topic: dict[str, Any]) -> list[str]:
    """A topic's text for people: everything but its key, department, tags and ticket kinds."""
    skip = {"key", "dept", "tags", "weight"}
    texts = _texts({name: value for name, value in topic.items() if name not in skip})
    kinds = {ticket["kind"] for ticket in topic["tickets"]}
    return [text for text in texts if text not in kinds]


def _shape(value: Any) -> Any:
    """The keys of a parsed TOML value at every depth, lists reduced to their items' keys."""
    if isinstance(value, dict):
        return {name: _shape(item) for name, item in value.items()}
    if isinstance(value, list):
        shapes = {repr(_shape(item)) for item in value}
        return sorted(shapes)
    return type(value).__name__


@pytest.fixture(params=NAMES)
def pair(request: pytest.FixtureRequest) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(English topics, Dutch topics) of one file."""
    english, dutch = _read(f"{request.param}.toml"), _read("nl", f"{request.param}.toml")
    assert dutch.keys() == english.keys() == {"topic"}
    return english["topic"], dutch["topic"]


def test_same_topics_with_the_same_keys_departments_and_weights(
        pair: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    english, dutch = pair
    assert [(t["key"], t["dept"], t["weight"]) for t in dutch] == \
           [(t["key"], t["dept"], t["weight"]) for t in english]


def test_each_topic_has_the_english_structure(
        pair: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    english, dutch = pair
    for en, nl in zip(english, dutch, strict=True):
        assert _shape(nl) == _shape(en), en["key"]
        tiers = [[group["tier"] for group in topic["groups"]] for topic in (en, nl)]
        assert tiers[0] == tiers[1], en["key"]


def test_about_as_many_entries_per_topic(
        pair: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    english, dutch = pair
    for en, nl in zip(english, dutch, strict=True):
        lists = [(en[name], nl[name]) for name in ("tags", "tickets", "fixes", "faq", "policy")]
        lists += [(en["howto"]["steps"], nl["howto"]["steps"]),
                  (en["trouble"]["symptoms"], nl["trouble"]["symptoms"]),
                  (en["trouble"]["checks"], nl["trouble"]["checks"]),
                  (en["known"]["workaround"], nl["known"]["workaround"])]
        for en_list, nl_list in lists:
            assert nl_list and abs(len(nl_list) - len(en_list)) <= 1, en["key"]


def test_subjects_keep_their_kinds_and_slots(
        pair: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    english, dutch = pair
    for en, nl in zip(english, dutch, strict=True):
        assert [(t["kind"], sorted(SLOT.findall(t["subject"]))) for t in nl["tickets"]] == \
               [(t["kind"], sorted(SLOT.findall(t["subject"]))) for t in en["tickets"]], en["key"]
        slots_elsewhere = [text for text in _prose(nl) if SLOT.search(text)
                           and text not in {t["subject"] for t in nl["tickets"]}]
        assert not slots_elsewhere, en["key"]


def test_the_text_is_dutch_not_english(
        pair: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    english, dutch = pair
    for en, nl in zip(english, dutch, strict=True):
        words = [word.lower() for text in _prose(nl) for word in WORD.findall(text)]
        dutch_share = sum(word in DUTCH_WORDS for word in words) / len(words)
        english_share = sum(word in ENGLISH_WORDS for word in words) / len(words)
        assert dutch_share > 0.15, (en["key"], dutch_share)
        assert english_share < 0.03, (en["key"], english_share)
        copied = set(_prose(nl)) & {text for text in _prose(en) if len(text.split()) > 2}
        assert not copied, (en["key"], copied)


def test_the_words_the_knowledge_base_is_searched_for_are_in_the_dutch_topics() -> None:
    text = " ".join(" ".join(_texts(_read("nl", f"{name}.toml"))) for name in NAMES).lower()
    for words in ("wachtwoord", "wachtwoorden", "geen toegang", "beeldscherm", "beeldschermen"):
        assert re.search(rf"\b{words}\b", text), words
