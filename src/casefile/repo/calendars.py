"""The desk's official days: what its calendars have year by year, and adding a year from the notice.

`casefile calendar status` lists, per calendar of the policy, the years it has official days for and where
each comes from (the package, the repository's `calendars/official/CN.yaml`, a calendar's own `years` in
the policy), and the years that are missing.  `casefile calendar import-notice` reads the State Council
General Office's notice (`worktime.notice`), shows what it read and how it compares with the package and
with what the file has, and with `commit` writes the year into the file in one commit that cites the
notice's title.  Every case then uses the year, whatever policy version it was opened under.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from casefile.errors import CasefileError
from casefile.policy.official import (
    CalendarData,
    MissingOfficialYear,
    calendar_data,
    missing_years,
    official_path,
    parse_official,
    with_notice,
)
from casefile.records.change import CommitMessage
from casefile.records.transaction import Transaction
from casefile.session import Session
from casefile.values import Struct, replace
from casefile.worktime.notice import Notice, NoticeError, read_notice
from casefile.worktime.officialdays import DayKind, data_version, official_days
from casefile.i18n import _

COUNTRY = "CN"  # the notices casefile reads are China's


class CalendarStatus(Struct, frozen=True):
    today: date
    calendars: tuple[CalendarData, ...]
    missing: tuple[MissingOfficialYear, ...]
    reminder: tuple[int, int] | None  # desk.next_year_reminder
    file: str  # the repository's official-days file
    file_years: tuple[int, ...]


class Difference(Struct, frozen=True):
    day: date
    notice: str  # "day off", "working day" or "ordinary day"
    other: str


class Reading(Struct, frozen=True):
    """A notice read, and how it compares with what the package and the repository already have."""

    notice: Notice
    path: str
    package: str  # "chinese-calendar 1.11.0"
    package_covers: bool
    package_differences: tuple[Difference, ...] = ()
    file_has: bool = False  # the repository's file has this year already
    file_differences: tuple[Difference, ...] = ()
    commit: str | None = None  # set once written

    @property
    def unchanged(self) -> bool:
        """The file has this year with exactly these days: nothing to write."""
        return self.file_has and not self.file_differences


class CalendarWork(Struct):
    session: Session

    def status(self) -> CalendarStatus:
        policy = self.session.policy
        today = self.session.now().date()
        found = self.session.official.file(COUNTRY)
        return CalendarStatus(
            today=today,
            calendars=tuple(calendar_data(calendar) for calendar in policy.calendars.values()),
            missing=tuple(missing_years(policy, today)),
            reminder=policy.next_year_reminder,
            file=official_path(COUNTRY),
            file_years=tuple(y.year for y in found.years) if found else (),
        )

    def read(self, data: bytes) -> Reading:
        """Read a notice's text (UTF-8, or GB18030 as Chinese Windows saves it) and compare it."""
        notice = read_notice(_decode(data))
        package = official_days(COUNTRY)
        assert package is not None
        covers = package.covers(notice.year)
        differences = _compare(notice, lambda day: _kind_words(package.day(day).kind)) if covers else ()
        found = self.session.official.file(COUNTRY)
        year = found.year(notice.year) if found else None
        file_differences: tuple[Difference, ...] = ()
        if year is not None:
            file_differences = _compare(notice, lambda day: _kind_words(year.days.day(day).kind))
        return Reading(notice, official_path(COUNTRY), data_version(), covers, differences, year is not None,
                       file_differences)

    def import_notice(self, data: bytes, commit: bool, replace: bool) -> Reading:
        """Read the notice; with `commit`, write its year into the repository's file (one commit)."""
        reading = self.read(data)
        if not commit or reading.unchanged:
            return reading
        if reading.file_has and not replace:
            first = reading.file_differences[0]
            raise CasefileError(
                _("{path} has {year} already, and the notice differs on {count} day(s) (first {day}: {notice} in the notice, {other} in the file)").format(path=reading.path, year=reading.notice.year, count=len(reading.file_differences), day=first.day, notice=first.notice, other=first.other),
                _("check the notice; add --replace to replace the year with it"),
            )
        session = self.session
        notice = reading.notice

        def write(txn: Transaction) -> str:
            path = reading.path
            committed = txn.committed(path)  # refuses uncommitted hand edits of the file
            text = with_notice(committed.decode("utf-8") if committed is not None else None, COUNTRY, notice)
            parse_official(text, path)  # what is written reads back
            txn.write(path, text)
            words = f"{'replace' if reading.file_has else 'add'} {notice.year} from {notice.title}"
            message = CommitMessage(f"official days {COUNTRY}: {words}", "import-notice",
                                    (("Casefile-Official-Days", f"{COUNTRY} {notice.year}"),
                                     ("Casefile-Notice", notice.title)), _detail(notice))
            when = session.now()
            return txn.commit(message.text(), session.author(), when)

        return _with_commit(reading, session.mutate(write))


def _with_commit(reading: Reading, commit: str) -> Reading:
    return replace(reading, commit=commit)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NoticeError(None, _("the text is neither UTF-8 nor GB18030 (GBK)"))  # pragma: no cover - gb18030 decodes all


def _kind_words(kind: DayKind) -> str:
    if kind in (DayKind.HOLIDAY, DayKind.EXTRA_DAY_OFF):
        return "day off"
    if kind in (DayKind.MAKEUP_WORKDAY, DayKind.EXTRA_WORKING_DAY):
        return "working day"
    return "ordinary day"


def _compare(notice: Notice, other: Callable[[date], str]) -> tuple[Difference, ...]:
    """Every day of the notice's year (and the December days it lists) on which `other` says otherwise."""
    off, working = notice.days_off, notice.working_days
    first = min([date(notice.year, 1, 1), *off, *working])
    days = [first + timedelta(days=n) for n in range((date(notice.year, 12, 31) - first).days + 1)]
    found = []
    for day in days:
        says = "day off" if day in off else "working day" if day in working else "ordinary day"
        theirs = other(day)
        # An ordinary weekend day is "ordinary" to both; only listed days and their status matter.
        if says != theirs:
            found.append(Difference(day, says, theirs))
    return tuple(found)


def _detail(notice: Notice) -> str:
    about = ", ".join(part for part in (notice.document, notice.signed.isoformat() if notice.signed else None)
                      if part)
    lines = [f"From the State Council General Office's notice {notice.title}" + (f" ({about})" if about else "")
             + ":"]
    for festival in notice.festivals:
        working = f"; working {', '.join(d.isoformat() for d in festival.working_days)}" if festival.working_days else ""
        lines.append(_("- {name}: off {span}{working}").format(name=festival.name, span=_span(festival.days_off), working=working))
    return "\n".join(lines)


def _span(days: tuple[date, ...]) -> str:
    if len(days) == 1:
        return days[0].isoformat()
    return f"{days[0].isoformat()}..{days[-1].isoformat()}"

