from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest

from casefile.errors import CasefileError
from casefile.worktime.calendar import CalendarError, WorkCalendar
from casefile.worktime.config import (
    DEFAULT_CALENDARS,
    DEFAULT_CALENDARS_YAML,
    calendar_from_policy,
    calendars_from_policy,
)
from casefile.worktime.duration import WorkingDays, parse_duration
from casefile.worktime.officialdays import DayKind, MissingYear
from casefile.worktime.spans import SpanReason

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")

DEFAULTS = calendars_from_policy(DEFAULT_CALENDARS)
CN_7X24, CN_5X24, CN_5X8 = DEFAULTS["7x24"], DEFAULTS["5x24"], DEFAULTS["5x8"]
BERLIN_OFFICE = calendar_from_policy(
    "berlin",
    {
        "timezone": "Europe/Berlin",
        "holidays": "none",
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "hours": ["08:00-17:00"],
    },
)
BERLIN_7X24 = calendar_from_policy("berlin-7x24", {"timezone": "Europe/Berlin", "always": True})
BERLIN_ALL_DAY = calendar_from_policy(
    "berlin-all-day",
    {
        "timezone": "Europe/Berlin",
        "holidays": "none",
        "weekdays": ["mon", "sat", "sun"],
        "hours": ["00:00-24:00"],
    },
)


def sh(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[arg-type, misc]


def be(*parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=BERLIN, fold=fold)  # type: ignore[arg-type, misc]


def h(text: str) -> timedelta:
    duration = parse_duration(text)
    assert isinstance(duration, timedelta)
    return duration


def cn_5x8(**overrides: object) -> WorkCalendar:
    return calendar_from_policy("5x8", {**DEFAULT_CALENDARS["5x8"], **overrides})


# -- 7x24 and 5x24 ------------------------------------------------------------


def test_7x24_counts_every_minute_through_holidays() -> None:
    # 2025-10-01 is National Day; a 7x24 level does not care.
    assert CN_7X24.due_at(sh(2025, 9, 30, 23, 0), h("2h")) == sh(2025, 10, 1, 1, 0)
    assert CN_7X24.working_time(sh(2025, 10, 1), sh(2025, 10, 8)) == timedelta(days=7)
    assert CN_7X24.is_open(sh(2025, 10, 3, 3, 0))


def test_5x24_counts_whole_working_days() -> None:
    friday_evening = sh(2026, 3, 13, 20, 0)
    # Four hours left on Friday, the weekend skipped, two hours on Monday.
    assert CN_5X24.due_at(friday_evening, h("6h")) == sh(2026, 3, 16, 2, 0)
    # A deadline at the closing instant (Friday 24:00) stays there.
    assert CN_5X24.due_at(friday_evening, h("4h")) == sh(2026, 3, 14, 0, 0)
    assert not CN_5X24.is_open(sh(2026, 3, 14, 0, 0))


def test_5x24_skips_national_day() -> None:
    assert CN_5X24.due_at(sh(2025, 9, 30, 22, 0), h("6h")) == sh(2025, 10, 9, 4, 0)


# -- 5x8 with a lunch break -----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        # SPEC 3: a deadline exactly at a closing time keeps that instant.
        (sh(2026, 3, 10, 9, 0), "3h", sh(2026, 3, 10, 12, 0)),
        (sh(2026, 3, 10, 9, 0), "8h", sh(2026, 3, 10, 18, 0)),
        (sh(2026, 3, 10, 11, 0), "2h", sh(2026, 3, 10, 14, 0)),  # lunch skipped
        (sh(2026, 3, 10, 17, 0), "2h", sh(2026, 3, 11, 10, 0)),  # night skipped
        # Starts outside working time begin at the next opening.
        (sh(2026, 3, 10, 12, 30), "1h", sh(2026, 3, 10, 14, 0)),  # lunch
        (sh(2026, 3, 10, 12, 0), "30m", sh(2026, 3, 10, 13, 30)),  # at the closing instant
        (sh(2026, 3, 10, 3, 0), "1h", sh(2026, 3, 10, 10, 0)),  # night
        (sh(2026, 3, 10, 20, 0), "1h", sh(2026, 3, 11, 10, 0)),  # evening
        (sh(2026, 3, 14, 10, 0), "4h30m", sh(2026, 3, 16, 14, 30)),  # Saturday
        (sh(2026, 10, 1, 10, 0), "1h", sh(2026, 10, 8, 10, 0)),  # National Day 2026
    ],
)
def test_5x8(start: datetime, duration: str, due: datetime) -> None:
    assert CN_5X8.due_at(start, h(duration)) == due


def test_style_example_sunday_make_up_day() -> None:
    # STYLE.md: Saturday 2025-01-25 10:00 + 4h; 2025-01-26 (Sun) is a working
    # day in China (State Council notice for 2025), so counting starts there.
    assert CN_5X8.due_at(sh(2025, 1, 25, 10, 0), h("4h")) == sh(2025, 1, 26, 14, 0)


def test_48_working_hours_are_six_working_days() -> None:
    monday = sh(2026, 3, 9, 9, 0)
    # Deadline at Monday's closing instant, not Tuesday 09:00.
    assert CN_5X8.due_at(monday, h("48h")) == sh(2026, 3, 16, 18, 0)
    assert CN_5X8.due_at(monday, h("48h") + h("1s")) == sh(2026, 3, 17, 9, 0, 1)


def test_multi_week_span_through_labour_day_2026() -> None:
    # 15 working days of 8 hours from Monday 2026-04-27; 2026-05-01, 05-04 and
    # 05-05 are off and Saturday 2026-05-09 is a make-up working day.
    start = sh(2026, 4, 27, 9, 0)
    working_days = [d for d in range(27, 31)] + [6, 7, 8, 9, 11, 12, 13, 14, 15, 18, 19]
    assert len(working_days) == 15
    assert CN_5X8.due_at(start, h("120h")) == sh(2026, 5, 19, 18, 0)
    assert CN_5X8.working_time(start, sh(2026, 5, 19, 18, 0)) == h("120h")


def test_seconds_are_kept() -> None:
    assert CN_5X8.due_at(sh(2026, 3, 10, 9, 0, 30), h("1h")) == sh(2026, 3, 10, 10, 0, 30)
    assert CN_5X8.due_at(sh(2026, 3, 10, 17, 59, 45), h("30s")) == sh(2026, 3, 11, 9, 0, 15)
    assert CN_5X8.working_time(sh(2026, 3, 10, 11, 59, 59), sh(2026, 3, 10, 13, 0, 1)) == timedelta(
        seconds=2
    )


def test_results_are_in_the_calendar_zone() -> None:
    start_utc = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    due = CN_5X8.due_at(start_utc, h("1h"))
    assert due == sh(2026, 3, 10, 10, 0)
    assert due.tzinfo == SHANGHAI
    assert CN_5X8.next_opening(start_utc).tzinfo == SHANGHAI


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        CN_5X8.due_at(datetime(2026, 3, 10, 9, 0), h("1h"))


def test_zero_duration_is_the_start() -> None:
    assert CN_5X8.due_at(sh(2026, 3, 10, 20, 0), timedelta(0)) == sh(2026, 3, 10, 20, 0)


def test_is_open_and_next_opening() -> None:
    assert CN_5X8.is_open(sh(2026, 3, 10, 9, 0))
    assert CN_5X8.is_open(sh(2026, 3, 10, 11, 59, 59))
    assert not CN_5X8.is_open(sh(2026, 3, 10, 12, 0))  # closing instant is closed
    assert not CN_5X8.is_open(sh(2026, 3, 10, 18, 0))
    assert not CN_5X8.is_open(sh(2026, 10, 6, 10, 0))  # National Day 2026 (in lieu)
    assert CN_5X8.next_opening(sh(2026, 3, 10, 10, 15)) == sh(2026, 3, 10, 10, 15)
    assert CN_5X8.next_opening(sh(2026, 3, 10, 12, 0)) == sh(2026, 3, 10, 13, 0)
    assert CN_5X8.next_opening(sh(2026, 3, 13, 18, 0)) == sh(2026, 3, 16, 9, 0)
    assert CN_5X8.next_opening(sh(2026, 2, 13, 18, 0)) == sh(2026, 2, 14, 9, 0)  # make-up Saturday


def test_working_time_is_zero_backwards() -> None:
    assert CN_5X8.working_time(sh(2026, 3, 10, 12, 0), sh(2026, 3, 10, 10, 0)) == timedelta(0)
    assert CN_5X8.working_time(sh(2026, 3, 10, 10, 0), sh(2026, 3, 10, 10, 0)) == timedelta(0)


def test_working_time_over_a_day() -> None:
    assert CN_5X8.working_time(sh(2026, 3, 10), sh(2026, 3, 11)) == h("8h")
    assert CN_5X8.working_time(sh(2026, 3, 13, 17, 0), sh(2026, 3, 16, 10, 0)) == h("2h")


# -- China 2024–2026 -------------------------------------------------------------


def test_make_up_working_days_are_working_days() -> None:
    # 2025-01-26 (Sun) and 2026-02-14 (Sat) are working days: State Council notices.
    for day in (date(2025, 1, 26), date(2026, 2, 14), date(2024, 2, 4), date(2026, 9, 20)):
        assert CN_5X8.is_working_day(day)
        assert CN_5X24.is_working_day(day)
        assert CN_5X8.day(day).kind is DayKind.MAKEUP_WORKDAY
    assert CN_5X8.day(date(2026, 2, 14)).hours == CN_5X8.workday_hours


def test_national_day_2025_is_off() -> None:
    for offset in range(8):  # 2025-10-01..08, including Mid-autumn Festival on 10-06
        assert not CN_5X8.is_working_day(date(2025, 10, 1) + timedelta(days=offset))
    assert CN_5X8.is_working_day(date(2025, 9, 28))  # Sunday, make-up day
    assert CN_5X8.is_working_day(date(2025, 10, 9))
    assert CN_5X8.is_working_day(date(2025, 10, 11))  # Saturday, make-up day
    assert CN_5X8.due_at(sh(2025, 9, 30, 17, 0), h("2h")) == sh(2025, 10, 9, 10, 0)


def test_spring_festival_week_2026() -> None:
    # 2026-02-14 (Sat) works; 02-15..23 are off (02-20 and 02-23 in lieu); 02-28 (Sat) works.
    working = {d for d in range(13, 29) if CN_5X8.is_working_day(date(2026, 2, d))}
    assert working == {13, 14, 24, 25, 26, 27, 28}
    assert CN_5X8.due_at(sh(2026, 2, 13, 17, 0), h("2h")) == sh(2026, 2, 14, 10, 0)
    assert CN_5X8.due_at(sh(2026, 2, 14, 17, 0), h("2h")) == sh(2026, 2, 24, 10, 0)
    assert CN_5X8.working_time(sh(2026, 2, 13, 9, 0), sh(2026, 2, 25, 9, 0)) == h("24h")
    assert CN_5X8.day(date(2026, 2, 23)).in_lieu


def test_spring_festival_2024_ends_on_a_make_up_sunday() -> None:
    # 2024: 02-09 (Fri) works; 02-10..17 off (02-12..16 weekday days off); 02-18 (Sun) is a
    # make-up working day (State Council notice for 2024).
    assert CN_5X8.due_at(sh(2024, 2, 9, 17, 0), h("2h")) == sh(2024, 2, 18, 10, 0)
    assert CN_5X24.due_at(sh(2024, 2, 9, 20, 0), h("6h")) == sh(2024, 2, 18, 2, 0)
    assert CN_5X8.working_time(sh(2024, 2, 9, 9, 0), sh(2024, 2, 19, 9, 0)) == h("16h")


def test_working_day_on_or_after() -> None:
    # SPEC 5: the bulletin of the 5th moves to the next working day.
    assert CN_5X8.working_day_on_or_after(date(2025, 10, 5)) == date(2025, 10, 9)
    assert CN_5X8.working_day_on_or_after(date(2026, 3, 5)) == date(2026, 3, 5)


# -- working days (Nd) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "days", "due"),
    [
        (CN_5X8, sh(2026, 3, 13, 10, 0), 1, sh(2026, 3, 16, 10, 0)),  # Fri → Mon
        (CN_5X8, sh(2026, 3, 10, 10, 30, 15), 2, sh(2026, 3, 12, 10, 30, 15)),
        (CN_5X8, sh(2026, 3, 14, 10, 0), 2, sh(2026, 3, 18, 9, 0)),  # Sat → Mon 09:00 + 2
        (CN_5X8, sh(2026, 3, 10, 20, 0), 1, sh(2026, 3, 12, 9, 0)),  # evening → next morning + 1
        (CN_5X8, sh(2025, 9, 30, 10, 0), 2, sh(2025, 10, 10, 10, 0)),  # over National Day
        (CN_5X8, sh(2025, 1, 24, 15, 0), 1, sh(2025, 1, 26, 15, 0)),  # Fri → make-up Sunday
        (CN_5X24, sh(2026, 3, 13, 22, 0), 1, sh(2026, 3, 16, 22, 0)),
        (CN_7X24, sh(2025, 10, 1, 8, 0), 2, sh(2025, 10, 3, 8, 0)),
    ],
)
def test_working_days(calendar: WorkCalendar, start: datetime, days: int, due: datetime) -> None:
    assert calendar.due_at(start, WorkingDays(days)) == due


def test_working_days_explanation_lists_the_days() -> None:
    explanation = CN_5X8.explain_due(sh(2025, 9, 30, 10, 0), WorkingDays(2))
    assert explanation.working_days == (date(2025, 10, 9), date(2025, 10, 10))
    assert explanation.due == sh(2025, 10, 10, 10, 0)


def test_working_days_keep_the_local_clock_across_dst() -> None:
    # 1d on a 7x24 Berlin calendar is the same clock time the next day: 23 real hours.
    start = be(2026, 3, 28, 12, 0)
    assert BERLIN_7X24.due_at(start, WorkingDays(1)) == be(2026, 3, 29, 12, 0)
    assert BERLIN_7X24.working_time(start, be(2026, 3, 29, 12, 0)) == h("23h")


# -- Europe/Berlin: daylight saving ---------------------------------------------


def test_24_hour_days_are_23_and_25_hours_long() -> None:
    assert BERLIN_ALL_DAY.working_time(be(2026, 3, 29), be(2026, 3, 30)) == h("23h")
    assert BERLIN_ALL_DAY.working_time(be(2026, 10, 25), be(2026, 10, 26)) == h("25h")
    assert BERLIN_7X24.working_time(be(2026, 10, 25), be(2026, 10, 26)) == h("25h")


def test_real_elapsed_time_across_spring_forward() -> None:
    # Saturday 12:00 CET + 24 working hours (all real) = Sunday 13:00 CEST.
    assert BERLIN_ALL_DAY.due_at(be(2026, 3, 28, 12, 0), h("24h")) == be(2026, 3, 29, 13, 0)
    assert BERLIN_7X24.due_at(be(2026, 3, 29, 1, 30), h("1h")) == be(2026, 3, 29, 3, 30)


def test_real_elapsed_time_across_fall_back() -> None:
    # 01:30 CEST + 2h: 02:30 CEST, then 02:00 CET again → 02:30 CET (the second 02:30).
    due = BERLIN_ALL_DAY.due_at(be(2026, 10, 25, 1, 30), h("2h"))
    assert due == be(2026, 10, 25, 2, 30, fold=1)
    assert due.utcoffset() == timedelta(hours=1)


def test_office_hours_across_the_dst_weekend() -> None:
    friday = be(2026, 3, 27, 16, 0)  # CET
    assert BERLIN_OFFICE.due_at(friday, h("2h")) == be(2026, 3, 30, 9, 0)  # CEST
    assert BERLIN_OFFICE.working_time(friday, be(2026, 3, 30, 9, 0)) == h("2h")
    assert BERLIN_OFFICE.due_at(be(2026, 10, 23, 16, 0), h("2h")) == be(2026, 10, 26, 9, 0)


def test_nonexistent_and_ambiguous_local_times() -> None:
    # Documented rule (java.time, PEP 495 fold=0): a gap time moves forward by
    # the gap; an ambiguous time is its first occurrence (summer time).
    assert BERLIN_OFFICE.localize(datetime(2026, 3, 29, 2, 30)) == be(2026, 3, 29, 3, 30)
    fall = BERLIN_OFFICE.localize(datetime(2026, 10, 25, 2, 30))
    assert fall.utcoffset() == timedelta(hours=2)
    night = calendar_from_policy(
        "night",
        {
            "timezone": "Europe/Berlin",
            "holidays": "none",
            "weekdays": ["sun"],
            "hours": ["02:30-04:00"],
        },
    )
    # Spring: 02:30 is read as 03:30 CEST, so the shift is 30 minutes long.
    assert night.working_time(be(2026, 3, 29), be(2026, 3, 30)) == h("30m")
    assert night.next_opening(be(2026, 3, 29)) == be(2026, 3, 29, 3, 30)
    # Autumn: from the first 02:30 (CEST) to 04:00 CET is 2h30m.
    assert night.working_time(be(2026, 10, 25), be(2026, 10, 26)) == h("2h30m")
    assert night.working_time(be(2026, 3, 22), be(2026, 3, 23)) == h("1h30m")


def test_intervals_collapsing_in_the_gap_are_dropped_or_merged() -> None:
    gap = calendar_from_policy(
        "gap",
        {
            "timezone": "Europe/Berlin",
            "holidays": "none",
            "weekdays": ["sun"],
            "hours": ["01:00-02:30", "02:30-02:45", "03:00-05:00"],
        },
    )
    day = gap.day(date(2026, 3, 29))
    # 01:00 CET .. 02:30→03:30 CEST overlaps 03:00..05:00 CEST: one interval.
    assert day.intervals == ((be(2026, 3, 29, 1, 0), be(2026, 3, 29, 5, 0)),)
    assert gap.working_time(be(2026, 3, 29), be(2026, 3, 30)) == h("3h")


# -- years the library does not know ---------------------------------------------


def test_missing_year_is_a_loud_error() -> None:
    with pytest.raises(MissingYear) as caught:
        CN_5X8.due_at(sh(2026, 12, 31, 17, 0), h("2h"))
    assert str(caught.value) == (
        "calendar 5x8 has no official working days for 2027 (the State Council publishes them "
        "around November; add 2027 once with `casefile calendar import-notice NOTICE.txt --commit`, "
        "or upgrade chinese-calendar)"
    )
    assert isinstance(caught.value, CasefileError)
    assert caught.value.year == 2027
    with pytest.raises(MissingYear, match=r"calendar 5x24 .* 2027"):
        CN_5X24.is_working_day(date(2027, 3, 1))
    # A deadline that stays inside 2026 needs no 2027 data.
    assert CN_5X8.due_at(sh(2026, 12, 31, 9, 0), h("2h")) == sh(2026, 12, 31, 11, 0)


def test_questions_about_2026_never_need_2027() -> None:
    # `check` runs on New Year's Eve too: elapsed time and "open now?" must work.
    new_year = sh(2027, 1, 1)
    assert not CN_5X8.is_open(sh(2026, 12, 31, 19, 0))
    assert CN_5X24.is_open(sh(2026, 12, 31, 23, 59, 59))
    assert CN_5X8.working_time(sh(2026, 12, 31, 9, 0), new_year) == h("8h")
    assert CN_5X24.working_time(sh(2026, 12, 31, 9, 0), new_year) == h("15h")
    assert [s.reason for s in CN_5X8.timeline(sh(2026, 12, 31, 17, 0), new_year)] == [
        SpanReason.WORKING,
        SpanReason.OUTSIDE_HOURS,
    ]
    with pytest.raises(MissingYear):
        CN_5X8.is_open(new_year)
    with pytest.raises(MissingYear):
        CN_5X8.next_opening(sh(2026, 12, 31, 19, 0))


def test_calendars_without_a_country_never_miss_a_year() -> None:
    assert CN_7X24.due_at(sh(2027, 2, 6, 9, 0), h("1h")) == sh(2027, 2, 6, 10, 0)
    assert BERLIN_OFFICE.due_at(be(2030, 1, 4, 16, 0), h("2h")) == be(2030, 1, 7, 9, 0)


def test_policy_year_2027() -> None:
    calendar = cn_5x8(
        years={
            2027: {
                "days_off": {
                    "2027-01-01": "New Year's Day",
                    "2027-02-05..2027-02-11": "Spring Festival",
                },
                "working_days": ["2027-02-14", date(2027, 2, 20)],
            }
        }
    )
    # Thu 2026-12-31 17:00 + 2h: Fri 2027-01-01 off, weekend, Mon 01-04 10:00.
    assert calendar.due_at(sh(2026, 12, 31, 17, 0), h("2h")) == sh(2027, 1, 4, 10, 0)
    assert calendar.is_working_day(date(2027, 2, 14))  # Sunday, make-up day
    assert not calendar.is_working_day(date(2027, 2, 8))
    assert not calendar.is_working_day(date(2027, 2, 13))  # plain Saturday
    assert calendar.is_working_day(date(2027, 2, 12))
    assert calendar.day(date(2027, 2, 8)).source == "policy calendars.5x8.years.2027"
    with pytest.raises(MissingYear, match="2028"):
        calendar.is_working_day(date(2028, 1, 3))


def test_policy_year_overrides_the_library() -> None:
    # A correction of library data: the policy's year is authoritative.
    calendar = cn_5x8(years={"2026": {"days_off": ["2026-03-10"], "working_days": []}})
    assert not calendar.is_working_day(date(2026, 3, 10))
    assert calendar.is_working_day(date(2026, 10, 1))  # not listed, so an ordinary Thursday
    assert not calendar.is_working_day(date(2026, 2, 14))  # not listed, so an ordinary Saturday


# -- policy overrides -------------------------------------------------------------


def test_extra_days_off_and_working_days() -> None:
    calendar = cn_5x8(
        extra_days_off={"2026-03-10": "company anniversary"},
        extra_working_days=["2026-03-14", "2025-10-08"],
    )
    assert calendar.due_at(sh(2026, 3, 9, 17, 0), h("2h")) == sh(2026, 3, 11, 10, 0)
    assert calendar.due_at(sh(2026, 3, 13, 17, 0), h("2h")) == sh(2026, 3, 14, 10, 0)
    assert calendar.is_working_day(date(2025, 10, 8))  # a holiday the desk works
    assert calendar.day(date(2025, 10, 8)).kind is DayKind.EXTRA_WORKING_DAY
    assert calendar.day(date(2026, 3, 10)).name == "company anniversary"


def test_extras_without_a_country() -> None:
    calendar = calendar_from_policy(
        "berlin",
        {
            "timezone": "Europe/Berlin",
            "holidays": "none",
            "hours": ["08:00-17:00"],
            "extra_days_off": ["2026-12-24..2026-12-26"],
            "extra_working_days": ["2026-12-27"],
        },
    )
    assert [calendar.is_working_day(date(2026, 12, d)) for d in range(23, 29)] == [
        True,
        False,
        False,
        False,
        True,
        True,
    ]


def test_saturday_mornings_and_make_up_days() -> None:
    calendar = calendar_from_policy(
        "desk",
        {
            "timezone": "Asia/Shanghai",
            "holidays": "CN",
            "hours": {day: ["09:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
            | {"sat": ["09:00-12:00"]},
        },
    )
    assert calendar.is_open(sh(2026, 3, 14, 11, 0))  # ordinary Saturday morning
    assert not calendar.is_open(sh(2026, 3, 14, 13, 0))
    assert not calendar.is_working_day(date(2026, 10, 3))  # Saturday in National Day
    # A make-up Saturday uses the hours of a normal working day, not Saturday's.
    assert calendar.is_open(sh(2026, 2, 14, 15, 0))
    assert not calendar.is_working_day(date(2026, 3, 15))  # Sunday


def test_workday_entry_for_differing_weekday_hours() -> None:
    calendar = calendar_from_policy(
        "desk",
        {
            "timezone": "Asia/Shanghai",
            "holidays": "CN",
            "hours": {
                "mon": ["09:00-18:00"],
                "tue": ["09:00-18:00"],
                "wed": ["09:00-18:00"],
                "thu": ["09:00-18:00"],
                "fri": ["09:00-16:00"],
                "workday": ["10:00-16:00"],
            },
        },
    )
    assert calendar.day(date(2026, 3, 13)).intervals[-1][1] == sh(2026, 3, 13, 16, 0)
    assert calendar.day(date(2025, 1, 26)).intervals == (
        (sh(2025, 1, 26, 10, 0), sh(2025, 1, 26, 16, 0)),
    )


# -- pauses (closed spans) ----------------------------------------------------------


def test_pause_inside_working_hours() -> None:
    pause = [(sh(2026, 3, 10, 10, 0), sh(2026, 3, 10, 11, 0))]
    assert CN_5X8.due_at(sh(2026, 3, 10, 9, 0), h("4h"), closed=pause) == sh(2026, 3, 10, 15, 0)
    assert CN_5X8.working_time(sh(2026, 3, 10, 9, 0), sh(2026, 3, 10, 15, 0), closed=pause) == h(
        "4h"
    )


def test_pause_at_night_costs_nothing() -> None:
    pause = [(sh(2026, 3, 10, 19, 0), sh(2026, 3, 11, 8, 0))]
    assert CN_5X8.due_at(sh(2026, 3, 10, 17, 0), h("2h"), closed=pause) == sh(2026, 3, 11, 10, 0)


def test_pause_over_lunch_and_overlapping_pauses() -> None:
    pauses = [
        (sh(2026, 3, 10, 13, 30), sh(2026, 3, 10, 14, 0)),
        (sh(2026, 3, 10, 11, 30), sh(2026, 3, 10, 13, 15)),  # unsorted and overlapping
        (sh(2026, 3, 10, 13, 10), sh(2026, 3, 10, 13, 20)),
    ]
    # Pauses merge to 11:30-13:20 and 13:30-14:00. Counted: 11:00-11:30 and
    # 13:20-13:30 = 40m; then 14:00 + 20m.
    assert CN_5X8.due_at(sh(2026, 3, 10, 11, 0), h("1h"), closed=pauses) == sh(2026, 3, 10, 14, 20)


def test_start_inside_a_pause() -> None:
    pause = [(sh(2026, 3, 10, 8, 0), sh(2026, 3, 10, 10, 30))]
    assert CN_5X8.due_at(sh(2026, 3, 10, 9, 0), h("1h"), closed=pause) == sh(2026, 3, 10, 11, 30)
    explanation = CN_5X8.explain_due(sh(2026, 3, 10, 9, 0), h("1h"), closed=pause)
    assert explanation.counting_from == sh(2026, 3, 10, 10, 30)


def test_pause_extends_working_days() -> None:
    # 1d from Mon 10:00 is Tue 10:00; the pause Mon 17:00–Tue 10:00 took 2 working hours.
    pause = [(sh(2026, 3, 9, 17, 0), sh(2026, 3, 10, 10, 0))]
    assert CN_5X8.due_at(sh(2026, 3, 9, 10, 0), WorkingDays(1), closed=pause) == sh(
        2026, 3, 10, 12, 0
    )


def test_pause_on_7x24_is_real_time() -> None:
    pause = [(sh(2026, 3, 14, 1, 0), sh(2026, 3, 14, 1, 45))]
    assert CN_7X24.due_at(sh(2026, 3, 14, 0, 0), h("2h"), closed=pause) == sh(2026, 3, 14, 2, 45)


# -- working_time ∘ due_at ------------------------------------------------------------


def starts(first: datetime, count: int, step: timedelta) -> list[datetime]:
    return [first + step * n for n in range(count)]


@pytest.mark.parametrize(
    ("calendar", "first"),
    [
        (CN_5X8, sh(2025, 9, 20, 0, 7, 13)),  # through National Day 2025
        (CN_5X8, sh(2026, 2, 1, 0, 7, 13)),  # through Spring Festival 2026
        (CN_5X24, sh(2025, 9, 20, 0, 7, 13)),
        (CN_7X24, sh(2025, 9, 20, 0, 7, 13)),
        (BERLIN_OFFICE, be(2026, 3, 20, 0, 7, 13)),  # through spring forward
        (BERLIN_ALL_DAY, be(2026, 10, 17, 0, 7, 13)),  # through fall back
    ],
)
def test_working_time_of_due_at_is_the_duration(calendar: WorkCalendar, first: datetime) -> None:
    durations = [h(text) for text in ("1s", "30m", "1h", "4h30m", "8h", "24h", "48h")]
    pauses = [(first + timedelta(days=2, hours=9), first + timedelta(days=3, hours=1, minutes=10))]
    for start in starts(first, 120, timedelta(hours=3, minutes=37)):
        for duration in durations:
            for closed in ((), pauses):
                due = calendar.due_at(start, duration, closed)
                assert calendar.working_time(start, due, closed) == duration, (
                    start,
                    duration,
                    closed,
                )
                # The earliest such instant: a second earlier is not enough.
                assert calendar.working_time(start, due - timedelta(seconds=1), closed) < duration


# -- explanation ------------------------------------------------------------------


def test_explain_national_day() -> None:
    explanation = CN_5X8.explain_due(sh(2025, 9, 30, 17, 0), h("2h"))
    assert explanation.due == sh(2025, 10, 9, 10, 0)
    assert explanation.working == h("2h")
    assert [(s.start, s.reason, s.label, s.name_zh) for s in explanation.spans] == [
        (sh(2025, 9, 30, 17, 0), SpanReason.WORKING, "working hours", None),
        (sh(2025, 9, 30, 18, 0), SpanReason.OUTSIDE_HOURS, "outside working hours", None),
        (sh(2025, 10, 1), SpanReason.HOLIDAY, "statutory holiday: National Day", "国庆节"),
        (sh(2025, 10, 6), SpanReason.HOLIDAY, "statutory holiday: Mid-autumn Festival", "中秋"),
        (sh(2025, 10, 7), SpanReason.HOLIDAY, "day off in lieu (调休) for National Day", "国庆节"),
        (sh(2025, 10, 9), SpanReason.OUTSIDE_HOURS, "outside working hours", None),
        (sh(2025, 10, 9, 9, 0), SpanReason.WORKING, "working hours", None),
    ]
    assert [s.working for s in explanation.counted] == [h("1h"), h("1h")]
    assert explanation.skipped[1].elapsed == timedelta(days=5)
    assert explanation.spans[-1].end == explanation.due


def test_explain_make_up_day_lunch_weekend_and_pause() -> None:
    pause = [(sh(2025, 1, 26, 10, 0), sh(2025, 1, 26, 10, 30))]
    explanation = CN_5X8.explain_due(sh(2025, 1, 25, 10, 0), h("4h"), closed=pause)
    assert explanation.counting_from == sh(2025, 1, 26, 9, 0)
    assert explanation.due == sh(2025, 1, 26, 14, 30)
    assert [(s.start.hour, s.start.minute, s.counted, s.reason) for s in explanation.spans] == [
        (10, 0, False, SpanReason.WEEKEND),  # Saturday 2025-01-25
        (0, 0, False, SpanReason.OUTSIDE_HOURS),
        (9, 0, True, SpanReason.WORKING),
        (10, 0, False, SpanReason.PAUSED),
        (10, 30, True, SpanReason.WORKING),
        (12, 0, False, SpanReason.BREAK),
        (13, 0, True, SpanReason.WORKING),
    ]
    assert explanation.counted[0].label == "make-up working day (调休) for Spring Festival"
    assert explanation.counted[0].name_zh == "春节"
    assert [s.label for s in explanation.skipped[2:]] == [
        "clock paused",
        "break between working hours",
    ]
    assert explanation.working == h("4h")


def test_explain_7x24_is_one_span() -> None:
    explanation = CN_7X24.explain_due(sh(2025, 9, 30, 12, 0), h("48h"))
    assert len(explanation.spans) == 1
    assert explanation.spans[0].working == h("48h")


def test_timeline_of_a_day_off_by_policy() -> None:
    calendar = cn_5x8(extra_days_off={"2026-03-10": "company anniversary"})
    spans = calendar.timeline(sh(2026, 3, 10, 8, 0), sh(2026, 3, 10, 20, 0))
    assert [(s.reason, s.label) for s in spans] == [
        (SpanReason.DAY_OFF, "day off by policy: company anniversary")
    ]


def test_timeline_of_a_weekday_without_hours() -> None:
    calendar = calendar_from_policy(
        "four-days",
        {
            "timezone": "Europe/Berlin",
            "holidays": "none",
            "weekdays": ["mon", "tue", "wed", "thu"],
            "hours": ["08:00-17:00"],
        },
    )
    spans = calendar.timeline(be(2026, 3, 13, 10, 0), be(2026, 3, 13, 11, 0))
    assert [(s.reason, s.label) for s in spans] == [(SpanReason.WEEKEND, "weekend")]
    cn = calendar_from_policy(
        "cn-four-days",
        {"holidays": "CN", "weekdays": ["mon", "tue", "wed", "thu"], "hours": ["09:00-18:00"]},
    )
    spans = cn.timeline(sh(2026, 3, 13, 10, 0), sh(2026, 3, 13, 11, 0))
    assert [(s.reason, s.label) for s in spans] == [
        (SpanReason.NO_HOURS, "no working hours on Fridays")
    ]


# -- policy parsing ---------------------------------------------------------------------


def test_default_calendars_yaml_is_the_mapping() -> None:
    from ruamel.yaml import YAML

    loaded = YAML(typ="safe").load(StringIO(DEFAULT_CALENDARS_YAML))
    assert loaded == {"calendars": DEFAULT_CALENDARS}


def test_policy_as_yaml_loads_it() -> None:
    from ruamel.yaml import YAML

    text = """\
calendars:
  7x24: {timezone: Asia/Shanghai, always: true}
  5x8:  {timezone: Asia/Shanghai, holidays: CN, hours: ["09:00-12:00", "13:00-18:00"],
         extra_days_off: [], extra_working_days: [],
         years: {2027: {days_off: [2027-01-01, "2027-02-05..2027-02-11"], working_days: []}}}
  berlin: {timezone: Europe/Berlin, holidays: none, weekdays: [mon, tue, wed, thu, fri],
           hours: ["08:00-17:00"]}
  desk:
    holidays: CN
    hours:
      mon:
        - 09:00-18:00
      fri:
        - 09:00-16:00
      sat: ["09:00-12:00"]
      workday: "09:00-18:00"
"""
    calendars = calendars_from_policy(YAML(typ="safe").load(StringIO(text))["calendars"])
    assert not calendars["5x8"].is_working_day(date(2027, 2, 8))  # unquoted YAML dates work
    assert calendars["berlin"].due_at(be(2026, 3, 13, 16, 0), h("2h")) == be(2026, 3, 16, 9, 0)
    # Unquoted ranges are strings in block style (in flow style YAML needs quotes).
    assert calendars["desk"].is_open(sh(2026, 3, 14, 11, 0))
    assert not calendars["desk"].is_open(sh(2026, 3, 10, 11, 0))  # no Tuesday hours


def test_defaults() -> None:
    assert set(DEFAULTS) == {"7x24", "5x24", "5x8"}
    assert CN_5X8.timezone == "Asia/Shanghai"
    assert [str(o) for o in CN_5X8.week[0]] == ["09:00-12:00", "13:00-18:00"]
    assert CN_5X8.week[5] == CN_5X8.week[6] == ()
    assert CN_7X24.always


def test_calendars_are_comparable_values() -> None:
    again = calendars_from_policy(DEFAULT_CALENDARS)["5x8"]
    assert again == CN_5X8
    assert hash(again) == hash(CN_5X8)
    assert cn_5x8(extra_days_off=["2026-03-10"]) != CN_5X8


def test_timezone_defaults_to_shanghai() -> None:
    calendar = calendar_from_policy("x", {"holidays": "CN", "hours": ["09:00-18:00"]})
    assert calendar.zone == SHANGHAI


def test_touching_hours_merge() -> None:
    calendar = calendar_from_policy(
        "x", {"holidays": "none", "hours": ["12:00-13:00", "09:00-12:00"]}
    )
    assert [str(o) for o in calendar.week[0]] == ["09:00-13:00"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"timezone": "Asia/Shangai", "always": True},
            "calendars.cal.timezone: unknown time zone 'Asia/Shangai'",
        ),
        ({"timezone": 8, "always": True}, "calendars.cal.timezone: expected a time zone name"),
        (
            {"holidays": "CN", "hours": ["9-12"]},
            "calendars.cal.hours: '9-12' is not a time range like \"09:00-12:00\"",
        ),
        ({"holidays": "CN", "hours": [540]}, "calendars.cal.hours: 540 is not a time range"),
        (
            {"holidays": "CN", "hours": ["09:00-25:00"]},
            "calendars.cal.hours: '09:00-25:00' is not a time of day",
        ),
        ({"holidays": "CN", "hours": ["18:00-09:00"]}, "'18:00-09:00' ends before it starts"),
        (
            {"holidays": "CN", "hours": ["09:00-12:00", "11:00-13:00"]},
            "calendars.cal.hours: 09:00-12:00 overlaps 11:00-13:00",
        ),
        (
            {"holidays": "DE", "hours": ["09:00-18:00"]},
            "calendars.cal.holidays: unknown country 'DE'",
        ),
        ({"hours": ["09:00-18:00"]}, "calendars.cal.holidays: say `holidays: CN`"),
        ({"holidays": "CN"}, "calendars.cal.hours: missing"),
        ({"holidays": "CN", "hour": ["09:00-18:00"]}, "calendars.cal: unknown key 'hour'"),
        (
            {"always": True, "hours": ["09:00-18:00"]},
            "`always: true` counts every minute; remove hours",
        ),
        ({"always": "yes"}, "calendars.cal.always: expected true or false"),
        (
            {"holidays": "none", "hours": ["09:00-18:00"], "weekdays": ["mon", "fry"]},
            "unknown weekday 'fry'",
        ),
        (
            {"holidays": "none", "hours": ["09:00-18:00"], "weekdays": []},
            "no working hours on any day",
        ),
        (
            {"holidays": "none", "hours": {"mon": ["09:00-18:00"]}, "weekdays": ["mon"]},
            "give either `weekdays`",
        ),
        (
            {"holidays": "none", "hours": {"monday": ["09:00-18:00"]}},
            "calendars.cal.hours: unknown day 'monday'",
        ),
        (
            {"holidays": "CN", "hours": {"mon": ["09:00-18:00"], "fri": ["09:00-16:00"]}},
            "add a `workday` entry",
        ),
        (
            {"holidays": "CN", "hours": {"mon": ["09:00-12:00", "11:00-13:00"]}},
            r"calendars\.cal\.hours\.mon: 09:00-12:00 overlaps",
        ),
        (
            {"holidays": "none", "hours": ["09:00-18:00"], "years": {2027: {}}},
            "calendars.cal.years: only for a calendar with official holidays",
        ),
        (
            {
                "holidays": "CN",
                "hours": ["09:00-18:00"],
                "years": {2027: {"days_off": ["2026-12-31"]}},
            },
            r"calendars\.cal\.years\.2027\.days_off: 2026-12-31 is not in 2027",
        ),
        (
            {"holidays": "CN", "hours": ["09:00-18:00"], "years": {2027: {"holidays": []}}},
            r"calendars\.cal\.years\.2027: unknown key 'holidays'",
        ),
        (
            {"holidays": "CN", "hours": ["09:00-18:00"], "years": {"next": {}}},
            "'next' is not a year",
        ),
        (
            {
                "holidays": "CN",
                "hours": ["09:00-18:00"],
                "years": {2027: {"days_off": ["2027-01-04"], "working_days": ["2027-01-04"]}},
            },
            "days_off and working_days both list 2027-01-04",
        ),
        (
            {"holidays": "CN", "hours": ["09:00-18:00"], "extra_days_off": ["2026-3-1"]},
            r"calendars\.cal\.extra_days_off: '2026-3-1' is not a date",
        ),
        (
            {
                "holidays": "CN",
                "hours": ["09:00-18:00"],
                "extra_days_off": ["2026-03-02"],
                "extra_working_days": ["2026-03-02"],
            },
            "extra_days_off and extra_working_days both list 2026-03-02",
        ),
        ("5x8", "calendars.cal: expected a mapping"),
    ],
)
def test_policy_errors_name_the_key(body: object, message: str) -> None:
    with pytest.raises(CalendarError) as caught:
        calendar_from_policy("cal", body)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == CasefileError.exit_code
    import re

    assert re.search(message if "\\" in message else re.escape(message), str(caught.value)), str(
        caught.value
    )


def _berlin() -> WorkCalendar:
    return calendar_from_policy(
        "berlin", {"timezone": "Europe/Berlin", "holidays": "none", "hours": ["08:00-17:00"]}
    )


@pytest.mark.parametrize("calendar", [CN_5X8, CN_5X24, CN_7X24, _berlin()], ids=lambda c: c.name)
def test_working_time_over_long_spans_adds_up_day_by_day(calendar: WorkCalendar) -> None:
    """Long spans add whole days from running sums (`check` measures cases open for months);
    the result must be what walking every day gives: the counted spans of `timeline`."""
    import random

    rng = random.Random(20261122)
    zone = calendar.zone
    origin = datetime(2024, 1, 1, tzinfo=zone)
    for _ in range(150):
        start = origin + timedelta(minutes=rng.randrange(0, 60 * 24 * 700), seconds=rng.randrange(60))
        end = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 200), seconds=rng.randrange(60))
        pauses = []
        for _p in range(rng.randrange(0, 3)):
            p_from = start + (end - start) * rng.random()
            pauses.append((p_from, p_from + timedelta(hours=rng.randrange(1, 200))))
        walked = sum((s.working for s in calendar.timeline(start, end, pauses) if s.counted), timedelta())
        assert calendar.working_time(start, end, pauses) == walked, (start, end, pauses)
