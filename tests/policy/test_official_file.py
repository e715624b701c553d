"""The repository's official-days file (`calendars/official/CN.yaml`): read, checked, written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from casefile.policy.official import load_official, official_path, parse_official, with_notice
from casefile.records.yamlio import RecordError
from casefile.worktime.notice import read_notice
from casefile.worktime.officialdays import AddedDays, DayKind

NOTICES = Path(__file__).parents[1] / "worktime" / "notices"
PATH = official_path("CN")


def notice(year: int | str):  # type: ignore[no-untyped-def]
    return read_notice((NOTICES / f"{year}.txt").read_text(encoding="utf-8"))


def test_a_notice_written_and_read_back() -> None:
    text = with_notice(None, "CN", notice("2027-made-up"))
    assert text.startswith("# China's official days off and make-up working days (调休)")
    assert "      2027-02-05..2027-02-12: 春节\n" in text  # consecutive days of a festival as one range
    assert "      2027-09-26: 国庆节\n      2027-10-09: 国庆节\n" in text
    found = parse_official(text, PATH)
    year = found.year(2027)
    assert year is not None and year.notice == "国务院办公厅关于2027年部分节假日安排的通知"
    assert set(year.days.days_off) == set(notice("2027-made-up").days_off)
    assert set(year.days.working_days) == set(notice("2027-made-up").working_days)
    # A second year goes in order; a hand-written comment survives; the same year again replaces it.
    edited = text.replace("country: CN\n", "country: CN  # kept by the desk lead\n")
    both = with_notice(edited, "CN", notice(2026))
    assert "# kept by the desk lead" in both and both.index("  2026:") < both.index("  2027:")
    assert [y.year for y in parse_official(both, PATH).years] == [2026, 2027]
    assert with_notice(both, "CN", notice(2026)) == both


def test_the_work_trees_files_give_each_country_its_days(tmp_path: Path) -> None:
    assert load_official(tmp_path).countries["CN"].covers(2027) is False
    (tmp_path / "calendars" / "official").mkdir(parents=True)
    (tmp_path / PATH).write_text(with_notice(None, "CN", notice("2027-made-up")), encoding="utf-8")
    data = load_official(tmp_path)
    days = data.countries["CN"]
    assert isinstance(days, AddedDays) and days.covers(2027)
    assert days.day(date(2027, 2, 20)).kind is DayKind.MAKEUP_WORKDAY
    assert data.version.startswith("chinese-calendar ") and f"{PATH}@" in data.version
    before = data.version
    (tmp_path / PATH).write_text(with_notice((tmp_path / PATH).read_text(), "CN", notice(2026)), encoding="utf-8")
    assert load_official(tmp_path).version != before  # cached clocks are computed afresh


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("calendars/official/DE.yaml", "years: {}\n", "no official calendar for 'DE'"),
        (PATH, "country: JP\n", "country: 'JP' in the file of CN"),
        (PATH, "country: CN\nholidays: {}\n", "unknown key 'holidays'"),
        (PATH, "country: CN\nyears:\n  2027:\n    days_off: [2027-13-01]\n", "years.2027.days_off: '2027-13-01' is not a date"),
        (PATH, "country: CN\nyears:\n  2027:\n    days_off: [2026-06-01]\n", "2026-06-01 is not in 2027"),
        (PATH, "country: CN\nyears:\n  2027:\n    days_off: [2027-01-01]\n    working_days: [2027-01-01]\n",
         "2027-01-01 is both a day off and a working day"),
        (PATH, "country: CN\nyears:\n  2027:\n    off: []\n", "years.2027: unknown key 'off'"),
        (PATH, "country: CN\nyears:\n  next: {}\n", "years: 'next' is not a year"),
    ],
)
def test_mistakes_name_the_key_and_line(path: str, text: str, message: str) -> None:
    with pytest.raises(RecordError) as refused:
        parse_official(text, path)
    assert message in str(refused.value)


def test_a_mistake_names_its_line() -> None:
    text = "country: CN\nyears:\n  2027:\n    notice: x\n    days_off: [2027-13-01]\n"
    with pytest.raises(RecordError) as refused:
        parse_official(text, PATH)
    assert refused.value.line == 5
