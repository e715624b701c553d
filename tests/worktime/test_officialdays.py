from __future__ import annotations

from datetime import date, timedelta

import pytest

from casefile.errors import CasefileError
from casefile.worktime.officialdays import (
    ChinaOfficialDays,
    DayKind,
    DeclaredYear,
    MissingYear,
    PolicyDateError,
    official_days,
    parse_dates,
)

# shared/LIBRARY-FACTS.md, "Chinese holidays and make-up working days": official
# weekday days off and weekend working days 2024–2026, as published by the State
# Council and agreed day by day by chinese-calendar and python-holidays.
FACTS = {
    2024: (
        "01-01; 02-12..16; 04-04, 04-05; 05-01..03; 06-10; 09-16, 09-17; 10-01..04, 10-07",
        "02-04, 02-18, 04-07, 04-28, 05-11, 09-14, 09-29, 10-12",
    ),
    2025: (
        "01-01; 01-28..31, 02-03, 02-04; 04-04; 05-01, 05-02, 05-05; 06-02; 10-01..03, 10-06..08",
        "01-26, 02-08, 04-27, 09-28, 10-11",
    ),
    2026: (
        "01-01, 01-02; 02-16..20, 02-23; 04-06; 05-01, 05-04, 05-05; 06-19; 09-25; "
        "10-01, 10-02, 10-05..07",
        "01-04, 02-14, 02-28, 05-09, 09-20, 10-10",
    ),
}


def facts_dates(year: int, text: str) -> set[date]:
    """Expand the LIBRARY-FACTS notation ("02-12..16; 04-04, 04-05") into dates."""
    days: set[date] = set()
    for item in text.replace(";", ",").split(","):
        first, _, last = item.strip().partition("..")
        month, day = (int(part) for part in first.split("-"))
        end = int(last) if last else day
        days.update(date(year, month, d) for d in range(day, end + 1))
    return days


def year_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", sorted(FACTS))
def test_library_agrees_with_the_published_days(year: int) -> None:
    china = ChinaOfficialDays()
    weekday_days_off = {d for d in year_days(year) if d.weekday() < 5 and not china.day(d).working}
    weekend_working_days = {d for d in year_days(year) if d.weekday() >= 5 and china.day(d).working}
    days_off, working_days = FACTS[year]
    assert weekday_days_off == facts_dates(year, days_off)
    assert weekend_working_days == facts_dates(year, working_days)


def test_make_up_working_days() -> None:
    china = ChinaOfficialDays()
    # 2025-01-26 (Sun) is a working day: State Council notice for 2025 (Spring Festival).
    sunday = china.day(date(2025, 1, 26))
    assert (sunday.kind, sunday.working, sunday.name, sunday.name_zh) == (
        DayKind.MAKEUP_WORKDAY,
        True,
        "Spring Festival",
        "春节",
    )
    # 2026-02-14 (Sat) is a working day: State Council notice for 2026.
    assert china.day(date(2026, 2, 14)).kind is DayKind.MAKEUP_WORKDAY


def test_holidays_have_names_and_in_lieu_days_are_marked() -> None:
    china = ChinaOfficialDays()
    national_day = china.day(date(2025, 10, 1))
    assert (national_day.kind, national_day.name, national_day.name_zh) == (
        DayKind.HOLIDAY,
        "National Day",
        "国庆节",
    )
    assert not national_day.in_lieu
    # 2026-02-23 (Mon) is off in exchange for the make-up Saturday 2026-02-28.
    in_lieu = china.day(date(2026, 2, 23))
    assert (in_lieu.kind, in_lieu.in_lieu, in_lieu.name) == (
        DayKind.HOLIDAY,
        True,
        "Spring Festival",
    )
    assert china.day(date(2025, 10, 4)).kind is DayKind.HOLIDAY  # a Saturday inside the holiday
    assert china.day(date(2025, 10, 4)).source.startswith("chinese-calendar ")


def test_ordinary_days() -> None:
    china = ChinaOfficialDays()
    assert china.day(date(2026, 3, 10)).kind is DayKind.WORKDAY
    assert china.day(date(2026, 3, 14)).kind is DayKind.WEEKEND
    assert china.day(date(2026, 3, 14)).name is None


def test_the_library_refuses_unknown_years() -> None:
    china = ChinaOfficialDays()
    assert china.covers(2026)
    assert china.covers(2004)
    assert not china.covers(2027)
    assert not china.covers(2003)


def test_missing_year_names_year_calendar_and_fix() -> None:
    error = MissingYear(
        "5x8", 2027, "the State Council publishes them around November", "chinese-calendar"
    )
    assert isinstance(error, CasefileError)
    assert str(error) == (
        "calendar 5x8 has no official working days for 2027 (the State Council publishes them "
        "around November; add 2027 once with `casefile calendar import-notice NOTICE.txt --commit`, "
        "or upgrade chinese-calendar)"
    )


def test_country_lookup() -> None:
    assert isinstance(official_days("CN"), ChinaOfficialDays)
    assert isinstance(official_days("cn"), ChinaOfficialDays)
    assert official_days("DE") is None


def test_declared_year_is_authoritative() -> None:
    declared = DeclaredYear(
        2027,
        days_off={date(2027, 2, 8): "Spring Festival"},
        working_days={date(2027, 2, 20): None},
        source="policy calendars.5x8.years.2027",
    )
    assert declared.day(date(2027, 2, 8)).kind is DayKind.HOLIDAY
    assert declared.day(date(2027, 2, 8)).name == "Spring Festival"
    assert declared.day(date(2027, 2, 20)).kind is DayKind.MAKEUP_WORKDAY  # a Saturday
    assert declared.day(date(2027, 2, 21)).kind is DayKind.WEEKEND
    assert declared.day(date(2027, 2, 22)).kind is DayKind.WORKDAY
    assert declared.day(date(2027, 2, 22)).source == "policy calendars.5x8.years.2027"


def test_parse_dates_list_range_and_names() -> None:
    assert parse_dates(["2027-01-01", date(2027, 1, 4)], "k") == {
        date(2027, 1, 1): None,
        date(2027, 1, 4): None,
    }
    assert parse_dates(["2027-10-01..2027-10-03"], "k") == {
        date(2027, 10, d): None for d in (1, 2, 3)
    }
    assert parse_dates({"2027-02-06..2027-02-07": "Spring Festival"}, "k") == {
        date(2027, 2, 6): "Spring Festival",
        date(2027, 2, 7): "Spring Festival",
    }
    assert parse_dates(None, "k") == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["2027-13-01"], "k: '2027-13-01' is not a date"),
        (["2027-10-07..2027-10-01"], "ends before it starts"),
        ([20270101], "k: 20270101 is not a date"),
        ("2027-01-01", "expected a list of dates"),
        ({"2027-01-01": 3}, "must be text"),
    ],
)
def test_parse_dates_errors(value: object, message: str) -> None:
    with pytest.raises(PolicyDateError, match=message):
        parse_dates(value, "k")


def test_the_holiday_data_version_is_the_installed_distributions() -> None:
    """Kept deadlines are keyed by this string: read from the package's `__version__` (no
    importlib.metadata at start-up), it must say what the installed distribution says, or every
    kept row of a desk would be thrown away once."""
    from importlib import metadata

    from casefile.worktime.officialdays import data_version

    assert data_version() == f"chinese-calendar {metadata.version('chinese-calendar')}"
