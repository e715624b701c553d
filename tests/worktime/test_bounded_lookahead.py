"""Issue 12: questions that need no future calendar never read one; the repository's official days laid
over the package's (`AddedDays`), and which wins."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casefile.worktime.config import DEFAULT_CALENDARS, calendar_from_policy, calendars_from_policy
from casefile.worktime.duration import WorkingDays, parse_duration
from casefile.worktime.officialdays import AddedDays, ChinaOfficialDays, DayKind, DeclaredYear, MissingYear

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULTS = calendars_from_policy(DEFAULT_CALENDARS)
CN_5X24, CN_5X8 = DEFAULTS["5x24"], DEFAULTS["5x8"]


def sh(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[arg-type, misc]


def h(text: str) -> timedelta:
    found = parse_duration(text)
    assert isinstance(found, timedelta)
    return found


def test_due_by_answers_within_its_limit_without_next_year() -> None:
    # 24h on 5x8 from Wed 12-30 09:00: 16h by the year end, the deadline in 2027.
    with pytest.raises(MissingYear):
        CN_5X8.due_at(sh(2026, 12, 30, 9), h("24h"))
    assert CN_5X8.due_by(sh(2026, 12, 30, 9), h("24h"), sh(2026, 12, 31, 18)) is None  # not by 18:00 on 12-31
    assert CN_5X8.due_by(sh(2026, 12, 30, 9), h("24h"), sh(2026, 12, 31, 23, 59)) is None
    assert CN_5X8.due_by(sh(2026, 12, 30, 9), h("1h"), sh(2026, 12, 30, 9, 20)) is None  # responded in time
    assert CN_5X8.due_by(sh(2026, 12, 30, 9), h("1h"), sh(2026, 12, 30, 10)) == sh(2026, 12, 30, 10)
    assert CN_5X8.due_by(sh(2026, 12, 30, 9), timedelta(0), sh(2026, 12, 30, 9)) == sh(2026, 12, 30, 9)
    # Working days: "2d" from Thu 12-31 10:00 falls in 2027; by 12-31 it is certainly not due.
    assert CN_5X8.due_by(sh(2026, 12, 31, 10), WorkingDays(2), sh(2026, 12, 31, 17)) is None
    # Started after the desk closed on 12-31: the next opening is in 2027, and not needed either.
    assert CN_5X8.due_by(sh(2026, 12, 31, 19), WorkingDays(1), sh(2026, 12, 31, 23)) is None
    # A limit inside a year without data is read up to the limit: that is a loud error.
    with pytest.raises(MissingYear):
        CN_5X8.due_by(sh(2026, 12, 30, 9), h("24h"), sh(2027, 1, 4, 12))


def test_due_by_agrees_with_due_at_wherever_both_answer() -> None:
    rng = random.Random(12)
    for _ in range(300):
        start = sh(2026, 1, 1) + timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
        duration = WorkingDays(rng.randint(1, 4)) if rng.random() < 0.3 else timedelta(minutes=rng.randrange(0, 3000))
        pauses = [(start + timedelta(hours=2), start + timedelta(hours=5))] if rng.random() < 0.3 else []
        calendar = rng.choice([CN_5X8, CN_5X24])
        due = calendar.due_at(start, duration, pauses)
        for limit in (due, due - timedelta(seconds=1), due + timedelta(hours=3), start):
            expected = due if due <= limit else None
            assert calendar.due_by(start, duration, limit, pauses) == expected, (calendar.name, start, duration)


def test_the_closing_time_and_is_open_need_only_today() -> None:
    assert CN_5X8.closing_after(sh(2026, 12, 31, 17)) == sh(2026, 12, 31, 18)
    assert CN_5X8.closing_after(sh(2026, 12, 31, 19)) is None  # closed: tomorrow is not looked at
    assert CN_5X24.closing_after(sh(2026, 12, 31, 23)) == sh(2027, 1, 1)
    assert not CN_5X8.has_year(2027) and CN_5X8.has_year(2026) and DEFAULTS["7x24"].has_year(2099)


NOTICE_2027 = DeclaredYear(
    2027,
    days_off={date(2027, 1, 1): "元旦", date(2027, 1, 2): "元旦", date(2027, 1, 3): "元旦",
              date(2026, 12, 31): "元旦"},  # a New Year's day in the December before
    working_days={date(2027, 1, 9): "元旦"},
    source="calendars/official/CN.yaml (国务院办公厅关于2027年部分节假日安排的通知)",
)
CORRECTED_2026 = DeclaredYear(2026, {date(2026, 3, 10): "Company day"}, {}, source="calendars/official/CN.yaml")


def test_the_repositorys_years_lay_over_the_package() -> None:
    added = AddedDays(ChinaOfficialDays(), (NOTICE_2027,))
    assert added.covers(2027) and added.covers(2026) and not added.covers(2028)
    day = added.day(date(2027, 1, 1))
    assert (day.kind, day.name, day.name_zh, day.source) == (
        DayKind.HOLIDAY, "New Year's Day", "元旦", NOTICE_2027.source)
    assert added.day(date(2027, 1, 9)).kind is DayKind.MAKEUP_WORKDAY  # a Saturday
    assert added.day(date(2027, 1, 4)).kind is DayKind.WORKDAY
    assert added.day(date(2026, 12, 31)).kind is DayKind.HOLIDAY  # listed by the 2027 notice
    assert added.day(date(2026, 12, 30)).source.startswith("chinese-calendar")  # the package's year
    assert added.source_of(2027) == NOTICE_2027.source and added.source_of(2025).startswith("chinese-calendar")
    assert list(added.known_years())[-2:] == [2026, 2027]
    # A year in the file replaces the package's year (a correction).
    corrected = AddedDays(ChinaOfficialDays(), (CORRECTED_2026,))
    assert corrected.day(date(2026, 3, 10)).kind is DayKind.HOLIDAY
    assert corrected.day(date(2026, 10, 1)).kind is DayKind.WORKDAY  # not listed: an ordinary Thursday


def test_a_calendars_own_days_win_over_the_official_ones() -> None:
    countries = {"CN": AddedDays(ChinaOfficialDays(), (NOTICE_2027,))}
    plain = calendar_from_policy("5x8", DEFAULT_CALENDARS["5x8"], countries)
    assert plain.due_at(sh(2026, 12, 30, 17), h("2h")) == sh(2027, 1, 4, 10)  # 12-31 off by the notice
    own = calendar_from_policy("5x8", {
        **DEFAULT_CALENDARS["5x8"],
        "extra_working_days": ["2027-01-02"],  # 1. the calendar's own extra days
        "years": {2027: {"days_off": ["2027-01-04"], "working_days": []}},  # 2. its own whole year
    }, countries)
    assert own.is_working_day(date(2027, 1, 2))
    assert not own.is_working_day(date(2027, 1, 4))
    assert own.is_working_day(date(2027, 1, 1))  # the calendar's year replaces the notice's for it
    assert own.day(date(2027, 1, 4)).source == "policy calendars.5x8.years.2027"
