"""The desk's formats and words in both languages, against fixed moments: money, numbers,
dates, weekdays, relative times, amounts as people type them, Dutch plurals."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from deskterm import present
from deskterm.domain.enums import Priority, TicketStatus, Tier
from deskterm.domain.errors import InvalidInput
from deskterm.domain.money import Money
from deskterm.domain.promises import PromiseStatus, parse_when
from deskterm.i18n import formats, ngettext, using
from deskterm.i18n.formats import number

#: Friday 4 December 2026, 14:05, in UTC (the tests run the local zone at UTC).
FRIDAY = datetime(2026, 12, 4, 14, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """The local time zone is UTC, so local times read as the fixed moments."""
    original = os.environ.get("TZ")
    os.environ["TZ"] = "UTC0"
    time.tzset()
    yield
    if original is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = original
    time.tzset()


@pytest.mark.parametrize(("cents", "english", "dutch"), [
    (123450, "€1,234.50", "€\xa01.234,50"),
    (-1250, "-€12.50", "€\xa0-12,50"),
    (0, "€0.00", "€\xa00,00"),
])
def test_money_reads_as_each_language_writes_it(cents: int, english: str, dutch: str) -> None:
    assert str(Money(cents)) == english
    with using("nl"):
        assert str(Money(cents)) == dutch


def test_numbers_and_percentages_group_and_mark_decimals_per_language() -> None:
    assert (number(1234567), number(12.5, 1), formats.percent(0.125, 1)) == \
        ("1,234,567", "12.5", "12.5%")
    with using("nl"):
        assert (number(1234567), number(12.5, 1), formats.percent(0.125, 1)) == \
            ("1.234.567", "12,5", "12,5%")


def test_dates_and_weekdays_in_both_languages() -> None:
    assert formats.date_time(FRIDAY) == "Fri 4 Dec 14:05"
    assert formats.day_month(FRIDAY, year=True) == "Fri 4 Dec 2026"
    with using("nl"):
        assert formats.date_time(FRIDAY) == "vr 4 dec 14:05"
        assert formats.day_month(FRIDAY, year=True) == "vr 4 dec 2026"
        # CLDR writes `sep.`; a desk writes `sep`.
        assert formats.day_month(datetime(2026, 9, 1), weekday=False) == "1 sep"
        assert [formats.weekday(FRIDAY + timedelta(days=n)) for n in range(7)] == \
            ["vr", "za", "zo", "ma", "di", "wo", "do"]


def test_a_stored_time_shows_in_the_language_with_the_year_only_when_not_this_year() -> None:
    now = FRIDAY + timedelta(days=3)
    assert present.local_time(FRIDAY, now) == "Fri 4 Dec 14:05"
    assert present.local_time(FRIDAY - timedelta(days=365), now) == "Thu 4 Dec 2025 14:05"
    assert present.local_time(None) == ""
    with using("nl"):
        assert present.local_time(FRIDAY, now) == "vr 4 dec 14:05"
        assert present.local_time(FRIDAY - timedelta(days=365), now) == "do 4 dec 2025 14:05"


@pytest.mark.parametrize(("before", "english_age", "english_ago", "dutch_age", "dutch_ago"), [
    (timedelta(seconds=20), "now", "just now", "nu", "zojuist"),
    (timedelta(minutes=1), "1m", "1 minute ago", "1m", "1 minuut geleden"),
    (timedelta(minutes=5), "5m", "5 minutes ago", "5m", "5 minuten geleden"),
    (timedelta(hours=1), "1h", "1 hour ago", "1u", "1 uur geleden"),
    (timedelta(hours=3), "3h", "3 hours ago", "3u", "3 uur geleden"),
    (timedelta(days=1), "1d", "1 day ago", "1d", "1 dag geleden"),
    (timedelta(days=3), "3d", "3 days ago", "3d", "3 dagen geleden"),
    (timedelta(days=50), "7w", "7 weeks ago", "7w", "7 weken geleden"),
    (timedelta(days=800), "2y", "2 years ago", "2j", "2 jaar geleden"),
])
def test_relative_times_in_both_languages(before: timedelta, english_age: str,
                                          english_ago: str, dutch_age: str,
                                          dutch_ago: str) -> None:
    moment = FRIDAY - before
    assert (present.age(moment, FRIDAY), present.ago(moment, FRIDAY)) == \
        (english_age, english_ago)
    with using("nl"):
        assert (present.age(moment, FRIDAY), present.ago(moment, FRIDAY)) == \
            (dutch_age, dutch_ago)


def test_a_promise_time_is_said_as_a_desk_says_it() -> None:
    today = FRIDAY.replace(hour=16, minute=0)
    thursday = FRIDAY + timedelta(days=6)
    far = datetime(2026, 12, 17, 12, 0, tzinfo=UTC)
    next_year = datetime(2027, 1, 8, 12, 0, tzinfo=UTC)
    assert [present.promise_time(t, FRIDAY) for t in (today, thursday, far, next_year)] == \
        ["today 16:00", "Thu 14:05", "Thu 17 Dec 12:00", "Fri 8 Jan 2027 12:00"]
    with using("nl"):
        assert [present.promise_time(t, FRIDAY) for t in (today, thursday, far, next_year)] \
            == ["vandaag 16:00", "do 14:05", "do 17 dec 12:00", "vr 8 jan 2027 12:00"]


def test_labels_of_what_is_stored_follow_the_glossary() -> None:
    assert (TicketStatus.WAITING.label, Tier.SECOND.label, Priority.P4.label,
            PromiseStatus.BROKEN.label) == ("waiting", "2nd line", "low", "broken")
    with using("nl"):
        assert (TicketStatus.WAITING.label, TicketStatus.RESOLVED.label, Tier.SECOND.label,
                Priority.P4.label, PromiseStatus.BROKEN.label) == \
            ("wacht", "opgelost", "2e lijn", "laag", "niet nagekomen")
        assert TicketStatus.WAITING.value == "waiting"  # the stored value never changes
        assert present.ordinal(3) == "3e"
    assert present.ordinal(3) == "3rd"


@pytest.mark.parametrize(("count", "english", "dutch"), [
    (0, "0 contacts", "0 contactmomenten"),
    (1, "1 contact", "1 contactmoment"),
    (2, "2 contacts", "2 contactmomenten"),
    (1234, "1,234 contacts", "1.234 contactmomenten"),
])
def test_dutch_plurals_agree_with_the_count(count: int, english: str, dutch: str) -> None:
    def said() -> str:
        return ngettext("{count} contact", "{count} contacts", count).format(
            count=number(count))

    assert said() == english
    with using("nl"):
        assert said() == dutch


@pytest.mark.parametrize(("text", "cents"), [
    ("12,50", 1250), ("12.50", 1250), ("1.234,50", 123450), ("1,234.50", 123450),
    ("€ 12,50", 1250), ("-€12.50", -1250), ("12", 1200), ("12,5", 1250), ("1.234.567", 123456700),
])
def test_amounts_in_either_convention_read_the_same_in_both_languages(text: str,
                                                                     cents: int) -> None:
    assert Money.parse(text).cents == cents
    with using("nl"):
        assert Money.parse(text).cents == cents


def test_every_ambiguous_amount_is_refused_in_the_reader_s_language() -> None:
    # `1.234` is a thousand in Dutch, a decimal in English, and the other way round.
    assert Money.parse("1.234", language="nl").cents == 123400
    assert Money.parse("1,234", language="en").cents == 123400
    with pytest.raises(InvalidInput, match="could be read two ways"):
        Money.parse("1,234", language="nl")
    with pytest.raises(InvalidInput, match="could be read two ways"):
        Money.parse("1.234", language="en")
    with using("nl"), pytest.raises(InvalidInput) as refused:
        Money.parse("1,234")
    assert "1234,00" in str(refused.value) and "1,23" in str(refused.value)
    for nonsense in ("1,2,3", "1.23.4", "12,345,6", "$5", "12 euro's"):
        with pytest.raises(InvalidInput):
            Money.parse(nonsense)


def test_a_promise_time_may_be_typed_in_dutch() -> None:
    assert parse_when("morgen om 9:30", FRIDAY) == datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    assert parse_when("do 12:00", FRIDAY) == datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    assert parse_when("vandaag 16:00", FRIDAY) == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert parse_when("over 2 uur", FRIDAY) == FRIDAY + timedelta(hours=2)
    with using("nl"), pytest.raises(InvalidInput) as refused:
        parse_when("gisteren", FRIDAY)
    assert str(refused.value).startswith("'gisteren' is niet te lezen als tijd; probeer "
                                         "vandaag 16:00, morgen")
