"""Cadences and periods: the planned day of each period (pure, no repository)."""

from __future__ import annotations

from datetime import date

import pytest

from casefile.worktime.cadence import BadCadence, BadPeriod, Cadence, Period, PeriodUnit


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),  # 2028 is a leap year
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_period_keys_start_and_end(key: str, start: date, end: date) -> None:
    period = Period.parse(key)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert Period.parse(key.lower()) == period


def test_periods_follow_each_other_across_the_year() -> None:
    assert Period.parse("2026-Q4").next().key == "2027-Q1"
    assert Period.parse("2026-12").next().key == "2027-01"
    assert Period.containing(PeriodUnit.QUARTER, date(2026, 11, 19)).key == "2026-Q4"


@pytest.mark.parametrize("text", ["2026Q4", "2026-Q5", "2026-13", "Q4", ""])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(BadPeriod):
        Period.parse(text)


@pytest.mark.parametrize(
    ("text", "period", "planned"),
    [
        ("quarterly", "2026-Q4", date(2026, 10, 1)),
        ("每季度", "2026-Q4", date(2026, 10, 1)),
        # November 2026 starts on a Sunday: Mondays are the 2nd, 9th, 16th, 23rd, 30th.
        ("second Monday of each month", "2026-11", date(2026, 11, 9)),
        ("first monday of every month", "2026-11", date(2026, 11, 2)),
        ("last Monday of each month", "2026-11", date(2026, 11, 30)),
        # 2026-12-31 is a Thursday, so the last Friday of Q4 is the 25th.
        ("last Friday of each quarter", "2026-Q4", date(2026, 12, 25)),
        ("day 10 of each month", "2026-02", date(2026, 2, 10)),
        ("day 45 of each quarter", "2026-Q1", date(2026, 2, 14)),
    ],
)
def test_the_planned_day_of_a_period(text: str, period: str, planned: date) -> None:
    assert Cadence.parse(text).planned_on(Period.parse(period)) == planned


@pytest.mark.parametrize(
    "text",
    ["weekly", "fifth Monday of each month", "second Moonday of each month", "day 31 of each month", "often"],
)
def test_unknown_cadences_are_refused_with_examples(text: str) -> None:
    with pytest.raises(BadCadence) as error:
        Cadence.parse(text)
    assert "quarterly" in str(error.value)
