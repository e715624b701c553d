"""`casefile check` reminds the desk when the monthly bulletin is due and not issued.

A `DueProvider` (see `checking`): at every run it looks at the latest month
whose bulletin is due by now — due on the policy's day of the month after
(default the 5th), moved to the next working day of the policy's calendar,
from that day's opening — and, if its record `reports/YYYY-MM/monthly.md`
does not say `issued`, yields one reminder for the roles of
`reports.monthly.remind` (default the service desk).  The reminder is
recorded in that record (created if need be), keyed `bulletin-due/YYYY-MM`,
so it fires once across every clone.  Months before the repository's first
case are not reminded of.  When the working day cannot be found (January's
official days are not in yet), the reminder comes from the policy's day itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta

from casefile.cases.model import CaseDoc
from casefile.check.model import CHECK_ACTOR, Broken, Due, Fired
from casefile.errors import CasefileError
from casefile.records.file import EditableRecord, read_plain, read_record_file
from casefile.records.kinds import CASES
from casefile.records.yamlio import RecordError
from casefile.reports.records import bulletin_path, issue_of, new_bulletin_record
from casefile.session import Session
from casefile.sla.engine import Alert, AlertKind
from casefile.worktime.officialdays import MissingYear
from casefile.i18n import N_, _
from casefile.said import Said

PROVIDER = "reports"


def key_of(month: str) -> str:
    return f"bulletin-due/{month}"


def _previous_month(day: date) -> str:
    return f"{(day.replace(day=1) - timedelta(days=1)):%Y-%m}"


class BulletinReminder:
    name = PROVIDER
    creates_records = True  # the first reminder of a month creates the bulletin's record

    def __init__(self, session: Session) -> None:
        self.session = session

    def collect(self, now: datetime, broken: Callable[[Broken], None]) -> Iterator[Due]:
        try:
            found = self._due(now)
        except CasefileError as error:  # a bad `reports:` section, a year without holiday data
            broken(Broken("policy.yaml", f"monthly bulletin: {error}"))
            return
        if found is None:
            return
        month, due_on, due_at, roles = found
        path = bulletin_path(month)
        data = self._record(path, broken)
        if data is None or issue_of(path, data) is not None or _recorded(data, key_of(month)):
            return
        title = _("Monthly bulletin 《公司通讯》 for {month}").format(month=month)
        words = Said.of(N_("due on {day}, not issued yet: casefile report monthly --month {month} --issue"),
                        day=str(due_on), month=month)
        alert = Alert(key_of(month), AlertKind.REMINDER, "monthly-bulletin", words, due_at, due_at, roles)
        yield Due(PROVIDER, path, f"bulletin {month}", title, "", None, (alert,))

    def _due(self, now: datetime) -> tuple[str, date, datetime, tuple[str, ...]] | None:
        """The latest month whose bulletin is due by `now`: (month, due day, due time, roles)."""
        policy = self.session.policy
        rule = policy.reports.bulletin
        calendar = policy.sla.calendars[rule.calendar]
        today = now.astimezone(policy.zone).date()
        for month in (_previous_month(today), _previous_month(today.replace(day=1) - timedelta(days=1))):
            first_after = date(int(month[:4]), int(month[5:]), 28) + timedelta(days=4)
            earliest = first_after.replace(day=rule.day)
            if datetime.combine(earliest, time(0), policy.zone) > now:
                continue  # not due yet, whatever the calendar says (and next January needs no data for it)
            try:
                due_on = calendar.working_day_on_or_after(earliest)
                due_at = calendar.next_opening(datetime.combine(due_on, time(0), policy.zone))
            except MissingYear:
                # That January's official days are not in yet: remind from the policy's day itself.
                due_on, due_at = earliest, datetime.combine(earliest, time(0), policy.zone)
            if due_at <= now:
                return (month, due_on, due_at, rule.remind) if self._had_cases(month) else None
        return None

    def _had_cases(self, month: str) -> bool:
        """Whether the repository has a case folder of `month` or earlier (cases/YYYY/MM)."""
        top = self.session.root / CASES.folder
        if not top.is_dir():
            return False
        for year in os.listdir(top):
            if year.isdigit() and (top / year).is_dir():
                if any(f"{year}-{m}" <= month for m in os.listdir(top / year) if m.isdigit()):
                    return True
        return False

    def _record(self, path: str, broken: Callable[[Broken], None]) -> Mapping[str, object] | None:
        file = self.session.root / path
        if not file.exists():
            return {}
        try:
            return read_record_file(self.session.root, file).data
        except RecordError as error:
            broken(Broken(path, error.problem))
            return None

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        if text:
            record = EditableRecord.parse(text, due.path)
        else:
            month = due.path.split("/")[1]  # reports/YYYY-MM/monthly.md
            due_on = stamp(fired[0].alert.due_at)[:10] if fired else None
            record = EditableRecord.new(due.path, new_bulletin_record(month, due_on), "")
        doc = CaseDoc(record.data)
        for item in fired:
            fields = {"key": item.alert.key, "roles": list(item.alert.roles), "notified": list(item.notified),
                      "due_at": stamp(item.alert.due_at), "fired_at": stamp(item.fired_at)}
            if item.unheld:
                fields["nobody_holds"] = list(item.unheld)
            doc.add_event(stamp(item.fired_at), CHECK_ACTOR, str(item.alert.kind), item.alert.says, fields)
        return record.render()

    def recorded(self, text: str, key: str) -> bool:
        data, _body = read_plain(text, "record")
        return _recorded(data, key)


def _recorded(data: Mapping[str, object], key: str) -> bool:
    events = data.get("events")
    return isinstance(events, list) and any(
        isinstance(e, Mapping) and isinstance(e.get("fields"), Mapping) and e["fields"].get("key") == key
        for e in events
    )
