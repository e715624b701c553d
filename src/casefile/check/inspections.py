"""Inspections in `casefile check` (seed 001: at least quarterly).

- Every run creates the planned inspection records that are due and missing, in the run's one
  commit.  They hold only what the plan says, so two machines that run `check` create identical
  files and git merges them as one.
- An inspection that is due, and one that is overdue, is recorded once in the inspection record
  like an SLA warning and breach (`inspection/due`, `inspection/overdue`): the inspector (or the
  service desk) is told, an overdue one counts as a breach for `--fail-on-breach`, and pages wait
  for the desk's business hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from casefile.check.model import Broken, Due, Fired, recorded_keys
from casefile.check.writing import fired_events, is_recorded, with_events
from casefile.inspections.model import inspection_path
from casefile.inspections.plan import DueState, InspectionDue, due_inspections, periods_to_plan, planned_record
from casefile.inspections.work import InspectionWork
from casefile.records.transaction import Transaction
from casefile.session import Session
from casefile.sla.engine import Alert, AlertKind, page_time
from casefile.worktime.officialdays import MissingYear
from casefile.i18n import N_, _
from casefile.said import Said

INSPECTION = "inspection"

class InspectionAlerts:
    """The inspections provider: creates due planned records, records due and overdue alerts."""

    name = "inspections"  # its records' folder

    def __init__(self, session: Session) -> None:
        self.session = session
        self.work = InspectionWork(session)
        self.created: list[dict[str, Any]] = []

    def _today(self, now: datetime) -> date:
        return now.astimezone(self.session.policy.zone).date()

    def prepare(self, txn: Transaction | None, now: datetime) -> list[str]:
        """Create the planned inspections that are due and missing (only list them without `txn`)."""
        today = self._today(now)
        if txn is None:
            windows = periods_to_plan(self.work.plans(), (e.data for e in self.work.records()), today)
            return [f"planned inspection {planned_record(c, self.work.plans()[c], w)['id']}" for c, w in windows]
        self.created = self.work.write_planned(txn, today)
        return [f"planned inspection {data['id']}" for data in self.created]

    def collect(self, now: datetime, broken: Callable[[Broken], None]) -> Iterator[Due]:
        records = {str(e.data.get("id")): e.data for e in self.work.records()}
        records.update({str(d["id"]): d for d in self.created})  # made by this run, not on disk yet
        plans = self.work.plans()
        for item in due_inspections(plans, records.values(), self._today(now)):
            path = inspection_path(item.inspection_id)
            if path is None:
                continue
            done = recorded_keys(records.get(item.inspection_id) or {})
            try:
                alerts = self._alerts(item, plans[item.customer].lead_days, now, done)
            except MissingYear as error:
                broken(Broken(path, str(error)))
                continue
            yield Due(
                provider=self.name,
                path=path,
                record_id=item.inspection_id,
                title=_("inspection of {customer} ({period}), due by {day}").format(
                    customer=item.customer, period=item.period, day=item.due_by),
                level="",
                assignee=str(records.get(item.inspection_id, {}).get("inspector") or "") or None,
                new=tuple(a for a in alerts if a.page_at <= now and a.key not in done),
                deferred=tuple(a for a in alerts if a.page_at > now and a.key not in done),
                breached=(INSPECTION,) if item.state is DueState.OVERDUE else (),
            )

    def _alerts(self, item: InspectionDue, lead_days: int, now: datetime, done: set[str]) -> list[Alert]:
        sla = self.session.policy.sla
        due_from = self._start_of(item.planned_on - timedelta(days=lead_days))
        overdue_from = self._start_of(item.due_by + timedelta(days=1))
        alerts = []
        # As with clocks: once it is overdue, "due" is no longer news.
        if item.state is DueState.DUE or "inspection/due" in done:
            alerts.append(Alert("inspection/due", AlertKind.WARNING, INSPECTION,
                                Said.of(N_("Inspection {inspection} is due by {day}"),
                                        inspection=item.inspection_id, day=str(item.due_by)),
                                due_from, self._page_time(due_from, now), sla.alerts.warning_to))
        if item.state is DueState.OVERDUE:
            alerts.append(Alert("inspection/overdue", AlertKind.BREACH, INSPECTION,
                                Said.of(N_("Inspection {inspection} is OVERDUE: it was due by {day}"),
                                        inspection=item.inspection_id, day=str(item.due_by)),
                                overdue_from, self._page_time(overdue_from, now), sla.alerts.breach_to))
        return alerts

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=self.session.policy.zone)

    def _page_time(self, due_at: datetime, now: datetime) -> datetime:
        """Inspections are business: tell people while the desk's default calendar is open."""
        sla = self.session.policy.sla
        return page_time(due_at, now, sla.calendars[sla.default_calendar])

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        return with_events(text, due.path, fired_events(fired, stamp))[0]

    def recorded(self, text: str, key: str) -> bool:
        return is_recorded(text, key)
