"""`casefile report KIND`: read what the kind needs once, build its model.

One method per kind; each reads through `SourceReader` (the period's cases,
their clocks from `slaservice`, surveys, inspections) and hands plain values
to the kind's pure module.  Rendering is `reportviews`' job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.errors import CasefileError
from casefile.index.catalog import RecordView
from casefile.policy.reports import ReportPolicy
from casefile.policy.surveys import SurveyScale
from casefile.records.file import read_record_file
from casefile.records.kinds import CASES, CHANGES, CUSTOMERS, PROBLEMS
from casefile.records.yamlio import RecordError
from casefile.render.progress import Stages, no_stages
from casefile.reports.kinds import availability as systems
from casefile.reports.kinds import changes as changereport
from casefile.reports.kinds import desk as deskkpis
from casefile.reports.kinds import engineers as scorecards
from casefile.reports.kinds import inspections as inspectionstatus
from casefile.reports.kinds import monthly as bulletin
from casefile.reports.kinds import problems as problemreport
from casefile.reports.kinds import sla as slacompliance
from casefile.reports.kinds import stats as casestats
from casefile.reports.kinds import surveys as surveyresults
from casefile.reports.model import CaseWithSla, Header, Report, ReportKind
from casefile.reports.period import Period
from casefile.reports.records import bulletin_path, explanations_dir, explanations_of, issue_of
from casefile.reports.source import Needs, SourceReader, Sources
from casefile.reports.surveyfacts import SurveyFacts, survey_facts
from casefile.session import Session
from casefile.sla.facts import service_of
from casefile.sla.work import ServiceLevels
from casefile.values import replace
from casefile.worktime.calendar import WorkCalendar
from casefile.i18n import _

AVAILABILITY_VIEW = RecordView("availability/2", systems.case_row)  # raise the number when `case_row` changes
NEEDS = {
    ReportKind.MONTHLY: Needs(),
    ReportKind.STATS: Needs(previous=True),
    ReportKind.SLA: Needs(sla=True),
    ReportKind.ENGINEERS: Needs(sla=True, surveys=True),
    ReportKind.DESK: Needs(sla=True, surveys=True),
    ReportKind.SURVEYS: Needs(surveys=True),
    ReportKind.INSPECTIONS: Needs(inspections=True),
    ReportKind.PROBLEMS: Needs(),
    ReportKind.CHANGES: Needs(),
}

# The kinds built by folding report rows (`reports/rows.py`) instead of holding the period's records.
ROWS: dict[ReportKind, Callable[[Reports, SourceReader, Period, str | None], tuple[Sources, Any]]] = {
    ReportKind.STATS: lambda reports, reader, period, customer: reports._stats_from_rows(reader, period, customer),
}


class Reports:
    def __init__(self, session: Session, progress: Stages = no_stages, timelines: int | None = None) -> None:
        self.session = session
        self.progress = progress
        # `report stats`: how many of the most recent major cases are shown with their timeline
        self.timelines = casestats.TIMELINES if timelines is None else timelines

    @property
    def rules(self) -> ReportPolicy:
        return self.session.policy.reports

    @property
    def scale(self) -> SurveyScale:
        return self.session.policy.survey_scale

    @property
    def levels(self) -> list[str]:
        return list(self.session.policy.levels)

    def build(self, kind: ReportKind, period: Period, customer: str | None = None, from_rows: bool = True) -> Report:
        """The report; kinds that fold report rows (`ROWS`) read those, unless `from_rows` is False: then
        every kind reads whole records (the reference the rows are tested against)."""
        reader = SourceReader(self.session, self.progress)
        if from_rows and kind in ROWS:
            sources, body = ROWS[kind](self, reader, period, customer)
        else:
            sources = reader.read(period, customer, NEEDS[kind])
            body = getattr(self, f"_{kind}")(sources)
        header = Header(
            kind, self.session.policy.desk_name, period, customer, sources.customer_name, sources.now,
            sources.skipped, sources.counted_with,
        )
        return Report(header, body)

    def sla_of(self, sources: Sources) -> slacompliance.SlaCompliance:
        """`report sla`'s body from sources already read (`policy simulate` builds it twice)."""
        return self._sla(sources)

    def engineers_of(self, sources: Sources) -> scorecards.Scorecards:
        """`report engineers`' body from sources already read."""
        return self._engineers(sources)

    # -- the kinds ------------------------------------------------------------------

    def _monthly(self, sources: Sources) -> bulletin.Bulletin:
        month = sources.period.month
        due, issued, note = None, None, None
        rule = self.rules.bulletin
        if month:
            try:
                due = bulletin.due_on(month, rule.day, self.session.policy.sla.calendars[rule.calendar])
            except CasefileError as error:
                note = error.message  # e.g. next year's holidays are not published yet
            issued = self._issued(month) if sources.customer is None else None
        problems = [e.data for e in self.session.catalog.records(PROBLEMS.folder, self._skip_problem)]
        body = bulletin.build(sources.period, [(c.data, c.body) for c in sources.cases], sources.customer_names,
                              self.levels, rule.day, due, issued, note, problems)
        return replace(body, availability=self._availability(sources),
                       changes=self._changes(sources).changes)

    def _skip_problem(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    def _stats(self, sources: Sources) -> casestats.CaseStats:
        body = casestats.build(sources.period, [c.data for c in sources.cases], [c.data for c in sources.previous],
                               self.levels, sources.customer_names, self.timelines)
        return self._with_itil(body, sources, [c.id for c in sources.cases])

    def _with_itil(self, body: casestats.CaseStats, sources: Sources, received: Sequence[str]) -> casestats.CaseStats:
        """Availability, problems and changes beside the case figures (`received`: the period's case ids)."""
        return replace(body, availability=self._availability(sources),
                       problems=self._problems(sources, received).figures, changes=self._changes(sources).figures)

    def _problems(self, sources: Sources, received: Sequence[str] | None = None) -> problemreport.ProblemsReport:
        problems = [e.data for e in self.session.catalog.records(PROBLEMS.folder, self._skip_problem)]
        received = [c.id for c in sources.cases] if received is None else received
        return problemreport.build(sources.period, problems, received, sources.customer)

    def _changes(self, sources: Sources) -> changereport.ChangesReport:
        changes = [e.data for e in self.session.catalog.records(CHANGES.folder, self._note)]
        return changereport.build(sources.period, changes, sources.customer)

    def _availability(self, sources: Sources) -> tuple[systems.SystemAvailability, ...]:
        """Outage minutes of the customers' devices from their A/B incidents (any case overlapping the period)."""
        rows = [row for _path, row in self.session.catalog.rows(CASES.folder, AVAILABILITY_VIEW, self._note,
                                                                quiet=systems.NOT_AN_OUTAGE)]
        customers = [e.data for e in self.session.catalog.records(CUSTOMERS.folder, self._note)]
        return systems.build(sources.period, sources.now, rows, customers, sources.customer)

    def _stats_from_rows(self, reader: SourceReader, period: Period, customer: str | None,
                         ) -> tuple[Sources, casestats.CaseStats]:
        now, before = casestats.Tally(period, ordered=True), casestats.Tally(period.previous())
        received: list[str] = []

        def add(row: Mapping[str, Any], path: str, opened: datetime) -> None:
            now.add(row, path, opened)
            received.append(str(row.get("id") or ""))

        sources = reader.read_rows(period, customer, add, before.count)
        timelines = {}
        for position, path in now.latest(self.timelines):  # the few shown with their log: read whole
            data = reader.whole(path) if path is not None else None
            if data is not None:
                timelines[position] = casestats.timeline(data)
        sources = replace(sources, skipped=tuple(reader.skipped))
        body = now.stats(before, self.levels, sources.customer_names, timelines, self.timelines)
        return sources, self._with_itil(body, sources, received)

    def _sla(self, sources: Sources) -> slacompliance.SlaCompliance:
        return slacompliance.build(
            sources.now,
            [(c.id, str(c.data.get("title") or ""), c.sla if c.sla is not None else str(c.sla_error))
             for c in sources.cases],
            self.levels,
        )

    def _engineers(self, sources: Sources) -> scorecards.Scorecards:
        surveys = [(s, scorecards.engineer_of(sources.case(s.case) if s.case else None))
                   for s in self._surveys_of(sources)]
        complaints = []
        for record in sources.cases:  # a complaint counts once it is judged substantiated (issue 14)
            verdict = record.data.get("verdict")
            if record.data.get("type") != "complaint" or not isinstance(verdict, Mapping):
                continue
            if verdict.get("finding") == "substantiated" and verdict.get("engineer"):
                complaints.append((record.id, str(verdict["engineer"])))
        people = self.session.people.persons
        wanted = set(self.rules.scores.roles)

        def scored(handle: str) -> bool:
            """People who hold an engineer role (`reports.engineers.roles`); a handle no longer in
            people.yaml is kept, since nothing says what it was."""
            person = people.get(handle)
            return not wanted or person is None or bool(wanted & set(person.roles))

        return scorecards.build(
            [CaseWithSla(c.data, c.sla) for c in sources.cases],
            surveys,
            complaints,
            self._explanations(sources.period.month),
            lambda handle: people[handle].name if handle in people else handle,
            self.rules.scores,
            self.scale,
            scored,
        )

    def _desk(self, sources: Sources) -> deskkpis.DeskKpis:
        levels = ServiceLevels(self.session)

        def coverage_of(data: Mapping[str, Any]) -> WorkCalendar | None:
            try:
                sla = levels.policy_of(data).sla
                rule, coverage = service_of(data)
                return sla.calendars[sla.service(str(data.get("level")), str(data.get("type") or ""), rule,
                                                 coverage).coverage]
            except (CasefileError, KeyError):
                return None

        return deskkpis.build(
            [CaseWithSla(c.data, c.sla) for c in sources.cases],
            self._surveys_of(sources),
            self.levels,
            self.rules.scores.response_clocks,
            coverage_of,
            self.scale,
        )

    def _surveys(self, sources: Sources) -> surveyresults.SurveyResults:
        def status(case_id: str) -> str | None:
            found = sources.case(case_id)
            return str(found.get("status")) if found is not None else None

        scale = self.scale
        return surveyresults.build(
            self._surveys_of(sources), scale, scale.follow_up, status
        )

    def _inspections(self, sources: Sources) -> inspectionstatus.InspectionStatus:
        today = sources.now.astimezone(self.session.policy.zone).date()
        return inspectionstatus.build(sources.period, [(e.path, e.data) for e in sources.inspections], today)

    # -- helpers --------------------------------------------------------------------

    def _note(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    def _surveys_of(self, sources: Sources) -> list[SurveyFacts]:
        """The surveys issued in the period, oldest first."""
        scale = self.scale
        found = [survey_facts(e.path, e.data, scale, sources.now) for e in sources.surveys]
        chosen = [s for s in found if s.issued_at is not None and sources.period.contains(s.issued_at)]
        return sorted(chosen, key=lambda s: (s.issued_at, s.id))

    def _issued(self, month: str) -> bulletin.Issue | None:
        path = bulletin_path(month)
        if not (self.session.root / path).is_file():
            return None
        try:
            return issue_of(path, read_record_file(self.session.root, self.session.root / path).data)
        except RecordError as error:
            self.session.notes(_("skipped {error}").format(error=error))
            return None

    def _explanations(self, month: str | None) -> dict[str, dict[str, scorecards.Explanation]]:
        if month is None:
            return {}
        found: dict[str, dict[str, scorecards.Explanation]] = {}
        for entry in self.session.catalog.records(explanations_dir(month), self._note):
            engineer = entry.data.get("engineer")
            if engineer:
                found[str(engineer)] = explanations_of(entry.data)
        return found
