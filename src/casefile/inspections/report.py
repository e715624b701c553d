"""The system running-status report (`系统运行状态报告`, seed 001) of one inspection.

Rendered from the template `inspection-report.md` (packaged in `templates/`,
overridable by the case repository's own `templates/inspection-report.md`).
The context holds the inspection, the customer, the checklist with labels,
the customer's assets, and the cases the customer opened in the inspection's
period, so the report says how the system ran between visits.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import Any

from casefile.worktime.cadence import Period
from casefile.index.catalog import read_record_file
from casefile.inspections.checklists import checklists_from_policy, pick_checklist
from casefile.customers.model import customer_path
from casefile.desk import Desk
from casefile.errors import CasefileError
from casefile.inspections.model import RESULT_LABELS_ZH, InspectionStatus
from casefile.inspections.work import InspectionWork
from casefile.cases.listing import CaseFilter, select
from casefile.cases.views import minute

TEMPLATE = "inspection-report.md"


def _span(data: dict[str, Any]) -> tuple[date, date]:
    """The days the report covers: the inspection's period, else the 90 days up to the visit."""
    if data.get("period"):
        period = Period.parse(str(data["period"]))
        return period.start, period.end
    on = date.fromisoformat(str(data["inspected_on"]))
    return date.fromordinal(on.toordinal() - 90), on


def report_context(desk: Desk, inspection: str) -> dict[str, Any]:
    entry = InspectionWork(desk).entry(inspection)
    data = entry.data
    if data.get("status") != InspectionStatus.DONE:
        raise CasefileError(
            f"inspection {data.get('id')} is {data.get('status')}, not done; there is nothing to report yet",
            f"record the visit first: casefile inspect record {data.get('customer')} --date ...",
        )
    customer = read_record_file(desk.root, desk.root / customer_path(str(data["customer"]))).data
    checklist = pick_checklist(checklists_from_policy(desk.policy.raw), data.get("checklist_name"))
    labels = {item.key: item for item in checklist.items}
    rows = [
        {
            "item": row.get("item"),
            "label": labels[row["item"]].label if row.get("item") in labels else row.get("item"),
            "label_zh": labels[row["item"]].label_zh if row.get("item") in labels else row.get("item"),
            "result": row.get("result"),
            "result_zh": RESULT_LABELS_ZH.get(str(row.get("result")), str(row.get("result"))),
            "note": row.get("note") or "",
        }
        for row in data.get("checklist") or []
    ]
    first, last = _span(data)
    zone = desk.policy.zone
    cases = select(
        desk.catalog.cases(lambda error: desk.notes(f"skipped {error}")),
        CaseFilter(
            everything=True,
            customer=str(data["customer"]),
            since=datetime.combine(first, time(), zone),
            until=datetime.combine(last, time.max, zone),
        ),
    )
    return {
        "desk": desk.policy.desk_name,
        "inspection": data,
        "notes": entry.body.strip("\n"),
        "customer": customer,
        "checklist": rows,
        "results": dict(Counter(str(row["result"]) for row in rows)),
        "assets": customer.get("assets") or [],
        "equipment": data.get("equipment") or [],
        "cases": cases,
        "open_cases": [c for c in cases if c["status"] in ("open", "pending")],
        "cases_by_level": dict(sorted(Counter(str(c["level"]) for c in cases).items())),
        "span": {"from": first.isoformat(), "until": last.isoformat()},
        "generated_at": minute(desk.stamp(), zone),  # templates get times as text, to the minute
    }


def render_report(desk: Desk, inspection: str) -> str:
    from casefile.render import templates as templating

    return templating.render(desk.root, TEMPLATE, report_context(desk, inspection))
