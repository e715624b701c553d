"""`casefile incident-report CASE`: draft the bilingual 故障报告 from the case, fill it in, issue it.

Seed 003: a report to the customer within 48 h after the restore.  The draft
is written from the record — the times, every clock with its target and
outcome, the escalation ladder's pages, the vendor's part — with the cause
and the improvements left to fill in (`--cause`, `--improvement`, or by
hand in the file and `git commit`, which the pre-commit hook validates).
Drafting is one commit (the report and the case's link to it); issuing is
one commit that marks it issued and records the `report` event in the case,
which stops the incident-report clock — also on a closed case: the report
is work after the close, not a reason to reopen it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from casefile.cases.links import LinkRel, add_link
from casefile.cases.model import CaseDoc, NoteKind
from casefile.cases.timeorder import refuse_backwards
from casefile.errors import CasefileError
from casefile.incidents.model import (
    CAUSE_HEADING,
    FIELD_ORDER,
    IMPROVEMENT_HEADING,
    ReportStatus,
    fill_section,
    report_id,
    unfilled,
)
from casefile.records.change import Change, Done
from casefile.records.fieldorder import set_in_order
from casefile.records.file import EditableRecord, read_record_file
from casefile.records.kinds import CASES, INCIDENT_REPORTS
from casefile.records.numbers import CaseNotFound
from casefile.render import templates
from casefile.session import Edit, Session
from casefile.sla.engine import ClockRun
from casefile.sla.work import ServiceLevels, SlaUnavailable
from casefile.worktime.clock import format_instant, parse_stored
from casefile.worktime.duration import format_duration
from casefile.i18n import N_, _
from casefile.said import Said


def minutes(value: timedelta) -> str:
    """A working time to the minute (computed to the second)."""
    return format_duration(timedelta(minutes=int(value.total_seconds() // 60)))

TEMPLATE = "incident-report.md"
CHECK_KINDS = frozenset({"warning", "breach", "ladder"})


class IncidentReports:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    def path_of(self, case_number: str) -> tuple[str, str, str | None]:
        """(case id, case path, report path if there is one)."""
        case_id, path = self.catalog.locate(case_number)
        return case_id, path, INCIDENT_REPORTS.find(self.session.root, report_id(case_id))

    def entry(self, case_number: str) -> Any:
        from casefile.incidents.model import IncidentReportNotFound

        case_id, _path, found = self.path_of(case_number)
        if found is None:
            raise IncidentReportNotFound(case_id)
        return read_record_file(self.session.root, self.session.root / found)

    def write(self, case_number: str, cause: str | None = None, improvement: str | None = None,
              issue: bool = False) -> Done:
        """Draft the report (or fill in the draft there is), and with `issue` issue it: one commit."""
        case_id, case_path, found = self.path_of(case_number)
        ident = report_id(case_id)
        entry = self.catalog.case(case_id)
        case = entry.data
        if not case.get("resolved_at"):
            raise CasefileError(
                _("{case_id} is {get} and has no restore: the incident report follows the restore").format(case_id=case_id, get=case.get('status')),
                _("resolve it first: casefile resolve {case_id} -m ...").format(case_id=case_id),
            )

        def op(edit: Edit) -> Change:
            data = edit.data
            if data.get("status") == ReportStatus.ISSUED:
                raise CasefileError(_("{ident} was issued on {get}").format(ident=ident, get=data.get('issued_at')),
                                    _("see it: casefile incident-report {case_id} --show").format(case_id=case_id))
            body = edit.record.body
            if cause:
                body = fill_section(body, CAUSE_HEADING, cause)
            if improvement:
                body = fill_section(body, IMPROVEMENT_HEADING, improvement)
            edit.record.body = body
            words = "draft incident report" if found is None else "fill in the incident report"
            if found is not None and not (cause or improvement or issue):
                raise CasefileError(_("{ident} is drafted already").format(ident=ident),
                                    _("fill it in (--cause, --improvement, or edit the file), then --issue"))
            if issue:
                missing = unfilled(body)
                if missing:
                    raise CasefileError(
                        _("{ident} still has to be filled in: {names}").format(ident=ident, names=', '.join(missing)),
                        _("give --cause and --improvement, or edit the file and commit it, then --issue"),
                    )
                set_in_order(data, "status", str(ReportStatus.ISSUED), FIELD_ORDER)
                set_in_order(data, "issued_at", edit.at, FIELD_ORDER)
                set_in_order(data, "issued_by", edit.by, FIELD_ORDER)
                words = "issue the incident report"
            edit.also(CASES, case_path, lambda record: self._on_case(record, edit, ident, issue, found is None),
                      CaseNotFound(case_id))
            return Change("incident-report", words, (("Casefile-Case", case_id),),
                          (f"{case_id}: the incident report stops its clock" if issue else
                           f"fill in the cause and improvements, then: casefile incident-report {case_id} --issue",))

        if found is not None:
            return self.session.change(INCIDENT_REPORTS, ident, op, path=found)
        return self.session.change(INCIDENT_REPORTS, ident, op,
                                   new=lambda txn, when: self._draft(case_id, case, entry.body, when))

    def _on_case(self, record: EditableRecord, edit: Edit, ident: str, issue: bool, new: bool) -> None:
        doc = CaseDoc(record.data, record.body)
        refuse_backwards(doc.data, edit.when)
        if new:
            add_link(doc, LinkRel.INCIDENT_REPORT, ident)
        if issue:
            doc.add_event(edit.at, edit.by, str(NoteKind.REPORT), Said.of(N_("Incident report {report} issued to the customer."),
                                                                             report=ident),
                          {"report": ident})

    def _draft(self, case_id: str, case: Mapping[str, Any], description: str, when: datetime) -> EditableRecord:
        session = self.session
        zone = session.policy.zone
        opened = parse_stored(str(case["opened_at"]))
        path = INCIDENT_REPORTS.path(report_id(case_id), opened.astimezone(zone))
        data = {
            "id": report_id(case_id), "case": case_id, "customer": case.get("customer"), "level": case.get("level"),
            "status": str(ReportStatus.DRAFT), "title": case.get("title"), "restored_at": case.get("resolved_at"),
            "drafted_at": format_instant(when, zone), "drafted_by": session.actor.handle,
        }
        body = templates.render(session.root, TEMPLATE, self.context(case, description, when), zone)
        return EditableRecord.new(path, {k: v for k, v in data.items() if v is not None}, body)

    def context(self, case: Mapping[str, Any], description: str, when: datetime) -> dict[str, Any]:
        """What the 故障报告 template is given: the case, its times, clocks, pages and the vendor's part."""
        zone = self.session.policy.zone
        sla = ServiceLevels(self.session).try_of(case, when)
        clocks = [] if isinstance(sla, SlaUnavailable) else [
            {"name": run.name, "label": run.label, "label_zh": run.label_zh, "target": format_duration(run.within),
             "calendar": run.calendar, "state": "breached" if run.breached_cycles else str(run.state), "elapsed": minutes(run.elapsed) if run.elapsed is not None else "?",
             "cycles": len(run.cycles), "late_cycles": sum(1 for c in run.cycles if c.state == "breached"),
             "worst": _worst(run), "vendor": run.vendor}
            for run in (*sla.clocks, *sla.vendor_clocks)
        ]
        events = [e for e in case.get("events") or [] if isinstance(e, Mapping)]
        return {
            "case": case,
            "description": description.strip(),
            "customer": case.get("customer"),
            "caller": case.get("caller") or {},
            "times": {key: case.get(key) for key in ("opened_at", "responded_at", "onsite_at", "resolved_at",
                                                      "closed_at")},
            "timeline": [e for e in events if e.get("kind") not in CHECK_KINDS],
            "pages": [e for e in events if e.get("kind") in CHECK_KINDS],
            "vendor": [e for e in events if e.get("kind") == "vendor"
                       or (e.get("kind") == "escalated" and (e.get("fields") or {}).get("vendor"))],
            "clocks": clocks,
            "sla_error": str(sla) if isinstance(sla, SlaUnavailable) else None,
            "generated_at": format_instant(when, zone),
            "to_fill": "（待填写 / to be filled in）",
        }


def _worst(run: ClockRun) -> str:
    """The longest decided cycle (or the clock's time so far), to the minute; "?" when it cannot be known yet."""
    worst = max((c.elapsed for c in run.judged if c.elapsed is not None), default=run.elapsed)
    return minutes(worst) if worst is not None else "?"
