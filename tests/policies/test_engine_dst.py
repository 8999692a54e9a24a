"""Daylight-saving edges in America/New_York and Europe/London.

New York: spring forward 2026-03-08 02:00 -> 03:00; fall back 2026-11-01 02:00 -> 01:00.
London:   spring forward 2026-03-29 01:00 -> 02:00; fall back 2026-10-25 02:00 -> 01:00."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from policies.compiled import compile_rules
from policies.engine import decide
from policies.engine_types import ConsentSnapshot, Contact, History
from policies.hours import is_open, next_opening
from policies.rules import validate_rules
from tests.conftest import GOOD_RULES

UTC = UTC


def policy(tz, windows, mode="hold"):
    rules = copy.deepcopy(GOOD_RULES)
    rules["timezone"] = tz
    rules["categories"]["check_in"] = {
        "allowed": True,
        "channels": ["portal"],
        "outside_hours": mode,
        "windows": windows,
    }
    return compile_rules(validate_rules(rules))


def held_until(p, at):
    d = decide(
        p,
        Contact(at=at, sender="client", category="check_in", channel="portal", body="hi"),
        ConsentSnapshot("active", frozenset({"portal"})),
        History(),
    )
    assert d.outcome == "held"
    return d.deliver_at


@pytest.mark.parametrize(
    "tz,start,saturday_evening,gap_end_utc",
    [
        # New York: Saturday 15:30 EST; a 02:30 window opens at 03:00 EDT.
        (
            "America/New_York",
            "02:30",
            datetime(2026, 3, 7, 20, 30, tzinfo=UTC),
            datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        ),
        # London: Saturday 23:30 GMT; a 01:30 window opens at 02:00 BST.
        (
            "Europe/London",
            "01:30",
            datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        ),
    ],
)
def test_a_window_starting_in_the_spring_gap_opens_at_the_end_of_the_gap(
    tz, start, saturday_evening, gap_end_utc
):
    p = policy(tz, [{"days": ["sun"], "start": start, "end": "05:00"}])
    assert held_until(p, saturday_evening) == gap_end_utc
    assert is_open(p, "check_in", gap_end_utc)


@pytest.mark.parametrize(
    "tz,at_utc,expected_open",
    [
        # New York, a window 02:00-02:45 on the spring day does not exist at all: 03:00 is already past it.
        ("America/New_York", datetime(2026, 3, 8, 7, 0, tzinfo=UTC), False),
        ("Europe/London", datetime(2026, 3, 29, 1, 0, tzinfo=UTC), False),
    ],
)
def test_a_window_entirely_in_the_gap_never_opens_that_day(tz, at_utc, expected_open):
    start, end = ("02:00", "02:45") if tz == "America/New_York" else ("01:00", "01:45")
    p = policy(tz, [{"days": ["sun"], "start": start, "end": end}])
    assert is_open(p, "check_in", at_utc) is expected_open


@pytest.mark.parametrize(
    "tz,first,second",
    [
        (
            "America/New_York",
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
            datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
        ),
        (
            "Europe/London",
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        ),
    ],
)
def test_the_repeated_hour_is_inside_the_window_both_times(tz, first, second):
    p = policy(tz, [{"days": ["sun"], "start": "01:00", "end": "02:00"}])
    assert is_open(p, "check_in", first) and is_open(p, "check_in", second)


def test_a_window_ending_in_the_gap_ends_at_the_end_of_the_gap():
    p = policy("America/New_York", [{"days": ["sun"], "start": "01:00", "end": "02:30"}], mode="block")
    assert is_open(p, "check_in", datetime(2026, 3, 8, 6, 59, tzinfo=UTC))  # 01:59 EST
    assert not is_open(p, "check_in", datetime(2026, 3, 8, 7, 0, tzinfo=UTC))  # 03:00 EDT


def test_overnight_window_across_the_london_fall_back_lasts_an_hour_longer():
    p = policy("Europe/London", [{"days": ["sat"], "start": "23:00", "end": "03:00"}])
    assert is_open(p, "check_in", datetime(2026, 10, 24, 22, 0, tzinfo=UTC))  # 23:00 BST
    assert is_open(p, "check_in", datetime(2026, 10, 25, 2, 59, tzinfo=UTC))  # 02:59 GMT
    assert not is_open(p, "check_in", datetime(2026, 10, 25, 3, 0, tzinfo=UTC))


def test_next_opening_after_the_fall_back_counts_real_hours():
    p = policy("America/New_York", [{"days": ["sun"], "start": "09:00", "end": "10:00"}])
    at = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # Sunday 00:00 EDT
    assert next_opening(p, "check_in", at) == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)  # 09:00 EST
