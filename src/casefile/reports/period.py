"""The period a report covers: a calendar month, or a range of whole days.

Pure: `--month 2026-11` or `--from 2026-11-01 --to 2026-11-15` (both days
included) become a `Period` of instants in the desk's zone, start included and
end excluded.  Without either, a report covers the month before today: reports
describe finished months (the bulletin of seed 001 goes out on the 5th for the
month before).  Trends compare with the period just before, of the same length
(for a month: the month before).
"""

from __future__ import annotations

import re
from functools import cached_property
from datetime import date, datetime, time, timedelta, tzinfo

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadPeriod(CasefileError):
    pass


class Period(Struct, frozen=True, dict=True):
    first_day: date
    last_day: date  # included
    zone: tzinfo

    @cached_property  # `contains` is asked of every case of a report: 200,000 over three years
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(0), self.zone)

    @cached_property
    def end(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.last_day + timedelta(days=1), time(0), self.zone)

    @property
    def month(self) -> str | None:
        """`2026-11` when the period is one whole calendar month."""
        if self.first_day.day == 1 and self.last_day == _month_end(self.first_day):
            return f"{self.first_day:%Y-%m}"
        return None

    @property
    def label(self) -> str:
        return self.month or f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def contains_day(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(count)]

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, oldest first."""
        found: list[tuple[int, int]] = []
        cursor = self.first_day.replace(day=1)
        while cursor <= self.last_day:
            found.append((cursor.year, cursor.month))
            cursor = _month_end(cursor) + timedelta(days=1)
        return found

    def previous(self) -> Period:
        if self.month:
            before = self.first_day - timedelta(days=1)
            return Period(before.replace(day=1), before, self.zone)
        length = self.last_day - self.first_day
        last = self.first_day - timedelta(days=1)
        return Period(last - length, last, self.zone)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def month_period(text: str, zone: tzinfo) -> Period:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadPeriod(_("--month {text!r} is not a month").format(text=text), _("write it like 2026-11"))
    first = date(int(match.group(1)), int(match.group(2)), 1)
    return Period(first, _month_end(first), zone)


def _day(text: str, option: str) -> date:
    try:
        if not _DAY.match(text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadPeriod(_("{option} {text!r} is not a date").format(option=option, text=text), _("write it like 2026-11-01")) from None


def period_of(month: str | None, start: str | None, end: str | None, zone: tzinfo, today: date) -> Period:
    """The period asked for on the command line (default: the month before `today`)."""
    if month and (start or end):
        raise BadPeriod(_("--month cannot be combined with --from/--to"), _("give a month, or a range of days"))
    if month:
        return month_period(month, zone)
    if start or end:
        if not (start and end):
            raise BadPeriod(_("--from and --to go together"), _("give both, e.g. --from 2026-11-01 --to 2026-11-15"))
        first, last = _day(start, "--from"), _day(end, "--to")
        if last < first:
            raise BadPeriod(_("--from {first} is after --to {last}").format(first=first, last=last), _("swap them"))
        return Period(first, last, zone)
    before = today.replace(day=1) - timedelta(days=1)
    return Period(before.replace(day=1), before, zone)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def month_after(month: str) -> date:
    """The first day of the month after `2026-11`."""
    first = date(int(month[:4]), int(month[5:7]), 1)
    return _month_end(first) + timedelta(days=1)
