from __future__ import annotations

from datetime import timedelta

import pytest

from casefile.errors import CasefileError
from casefile.worktime.duration import (
    DurationError,
    WorkingDays,
    format_duration,
    parse_duration,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("1h", timedelta(hours=1)),
        ("4h30m", timedelta(hours=4, minutes=30)),
        ("90s", timedelta(seconds=90)),
        ("1h0m5s", timedelta(hours=1, seconds=5)),
        ("48h", timedelta(hours=48)),
        ("90m", timedelta(minutes=90)),
        (" 6H ", timedelta(hours=6)),
    ],
)
def test_working_time(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def test_working_days() -> None:
    assert parse_duration("2d") == WorkingDays(2)
    assert parse_duration("1d") == WorkingDays(1)


@pytest.mark.parametrize("text", ["1d4h", "4h1d", "2d30m", "1d 4h"])
def test_days_do_not_mix_with_hours(text: str) -> None:
    with pytest.raises(DurationError, match="mixes working days"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["", "h", "4", "1.5h", "30m4h", "-1h", "4 hours", "2w"])
def test_unreadable(text: str) -> None:
    with pytest.raises(DurationError, match="cannot read duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0m", "0h0m", "0d"])
def test_zero_is_refused(text: str) -> None:
    with pytest.raises(DurationError, match="longer than zero"):
        parse_duration(text)


def test_a_bare_yaml_number_needs_a_unit() -> None:
    with pytest.raises(DurationError, match=r"levels\.A\.restore: duration 90 needs a unit"):
        parse_duration(90, where="levels.A.restore")


def test_errors_are_casefile_errors_naming_the_key() -> None:
    with pytest.raises(CasefileError) as caught:
        parse_duration("4x", where="levels.C.reply")
    assert (
        str(caught.value)
        == "levels.C.reply: cannot read duration '4x' (e.g. 30m, 1h, 4h30m, 90s or 2d)"
    )


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(hours=4, minutes=30), "4h30m"),
        (timedelta(seconds=90), "1m30s"),
        (timedelta(hours=48), "48h"),  # never "2d": d means working days
        (timedelta(0), "0m"),
        (timedelta(hours=-1, minutes=-5), "-1h5m"),
        (timedelta(seconds=59, microseconds=900000), "59s"),
        (WorkingDays(2), "2d"),
    ],
)
def test_format(duration: timedelta | WorkingDays, text: str) -> None:
    assert format_duration(duration) == text


@pytest.mark.parametrize("text", ["30m", "1h", "4h30m", "90m", "2d", "1h0m5s", "48h"])
def test_round_trip(text: str) -> None:
    duration = parse_duration(text)
    assert parse_duration(format_duration(duration)) == duration


def test_working_days_need_one_day() -> None:
    with pytest.raises(ValueError):
        WorkingDays(0)
