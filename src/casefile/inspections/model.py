"""What an inspection (`巡检`) record is: its id, file, fields and checks.

A planned inspection is one file per customer and period, created from the
customer's plan; recording the visit fills in the same file:

    ---
    id: acme-sz-2026-Q4
    customer: acme-sz
    status: done                  # planned -> done (or cancelled)
    period: 2026-Q4
    planned_on: '2026-10-01'
    due_by: '2026-12-31'
    inspector: zhao.lei
    checklist_name: default
    inspected_on: '2026-11-19'
    work_order: PG-20261119-01    # the on-site work order (派工单)
    checklist:
      - {item: hardware, result: ok}
      - {item: backup, result: attention, note: last full backup 9 days ago}
    findings: ...
    suggestions: ...
    training: ...
    summary: The system runs normally; ...   # the overall running status (系统运行状态)
    equipment:
      - {action: replaced, serial: CNB1234567, new_serial: CNB7654321, model: HP M607}
    recorded_by: wang.fang
    recorded_at: '2026-11-19T17:40:00+08:00'
    ---
    Notes of the visit (Markdown).

The id is `<customer>-<period>` (`acme-sz-2026-Q4`), or `<customer>-<date>`
for a visit outside the plan, and the planned file holds nothing but what the
plan says — no creation time, no author — so two clones that create the same
planned inspection write the same bytes to the same path and git merges the
two additions as one.  Files are sharded by year: `inspections/2026/<id>.md`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from casefile.customers.assets import EquipmentAction
from casefile.errors import CasefileError, NotFound
from casefile.records.kinds import INSPECTIONS
from casefile.records.problems import Checker, Problem
from casefile.i18n import _

INSPECTIONS_DIR = INSPECTIONS.folder
_ID = INSPECTIONS.id_pattern

FIELD_ORDER = (
    "id",
    "customer",
    "status",
    "period",
    "planned_on",
    "due_by",
    "inspector",
    "checklist_name",
    "inspected_on",
    "work_order",
    "checklist",
    "findings",
    "suggestions",
    "training",
    "summary",
    "equipment",
    "recorded_by",
    "recorded_at",
)
TEXT_FIELDS = (
    "inspector",
    "checklist_name",
    "work_order",
    "findings",
    "suggestions",
    "training",
    "summary",
    "recorded_by",
)


class InspectionStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"  # the customer called it off; the reason is in `findings`


CLOSED_STATUSES = frozenset({InspectionStatus.DONE, InspectionStatus.CANCELLED})


class CheckResult(StrEnum):
    OK = "ok"  # 正常
    ATTENTION = "attention"  # 需关注
    FAULT = "fault"  # 故障
    NOT_APPLICABLE = "n/a"  # 不适用
    NOT_CHECKED = "not-checked"  # 未检查


RESULT_LABELS_ZH = {
    "ok": "正常",
    "attention": "需关注",
    "fault": "故障",
    "n/a": "不适用",
    "not-checked": "未检查",
}
CHECK_RESULTS = frozenset(str(r) for r in CheckResult)


class InspectionNotFound(NotFound):
    def __init__(self, inspection_id: str) -> None:
        super().__init__(_("no inspection {inspection_id!r}").format(inspection_id=inspection_id), _("`casefile inspect list` shows them"))


def inspection_id(customer: str, when: str) -> str:
    """`<customer>-<period key or date>`: acme-sz-2026-Q4, acme-sz-2026-11-19."""
    return f"{customer}-{when}"


def inspection_path(inspection: str) -> str | None:
    """The file of an inspection id, or None if the text is no inspection id."""
    return INSPECTIONS.path(inspection) if _ID.match(inspection) else None


def find_inspection_file(root: Path, inspection: str) -> str:
    path = inspection_path(inspection.strip())
    if path is None or not (root / path).is_file():
        raise InspectionNotFound(inspection)
    return path


def result_of(text: str) -> CheckResult:
    value = {"正常": "ok", "需关注": "attention", "故障": "fault", "不适用": "n/a", "na": "n/a"}.get(
        text, text
    )
    if value not in CHECK_RESULTS:
        raise CasefileError(
            _("check result {text!r} is not one of: {names}").format(text=text, names=', '.join(sorted(CHECK_RESULTS))),
            _("e.g. --check backup=attention:'last full backup 9 days ago'"),
        )
    return CheckResult(value)


def inspection_problems(
    data: Mapping[str, Any], file_stem: str | None, checklist_items: Collection[str] | None = None
) -> list[Problem]:
    """What is wrong with an inspection record (empty when it is valid)."""
    c = Checker()
    ident = data.get("id")
    if not isinstance(ident, str) or inspection_path(ident) is None:
        c.add(("id",), _("id {ident!r} is not an inspection id like acme-sz-2026-Q4").format(ident=ident))
    elif file_stem is not None and file_stem != ident:
        c.add(("id",), _("id {ident} does not match the file name {file_stem}.md").format(ident=ident, file_stem=file_stem))
    c.text(data, "customer", required=True)
    c.choice(data, "status", [str(s) for s in InspectionStatus])
    for key in TEXT_FIELDS:
        c.text(data, key)
    for key in ("planned_on", "due_by", "inspected_on"):
        _check_day(c, data, key)
    c.instant(data, "recorded_at")
    if data.get("status") == InspectionStatus.DONE:
        for key in ("inspected_on", "inspector"):
            if not data.get(key):
                c.add(("status",), _("a done inspection needs {key}").format(key=key))
    _check_checklist(c, data.get("checklist"))
    _check_equipment(c, data.get("equipment"))
    return c.problems


def _check_day(c: Checker, data: Mapping[str, Any], key: str) -> None:
    value = data.get(key)
    if value is None:
        return
    try:
        date.fromisoformat(str(value))
    except ValueError:
        c.add((key,), _("{key} {value!r} is not a date like 2026-11-19").format(key=key, value=value))


def _check_checklist(c: Checker, checklist: Any) -> None:
    if checklist is None:
        return
    if not isinstance(checklist, list):
        c.add(("checklist",), _("checklist must be a list of item, result, note"))
        return
    for index, entry in enumerate(checklist):
        where = ("checklist", index)
        if not isinstance(entry, dict):
            c.add(where, _("checklist[{index}] must be a mapping with item and result").format(index=index))
            continue
        c.text(entry, "item", where, required=True)
        c.text(entry, "note", where)
        if not isinstance(entry.get("result"), str) or entry.get("result") not in CHECK_RESULTS:
            c.add(
                (*where, "result"),
                _("checklist[{index}].result {result!r} is not one of: {choices}").format(index=index, result=entry.get('result'), choices=', '.join(sorted(CHECK_RESULTS))),
            )


def _check_equipment(c: Checker, equipment: Any) -> None:
    if equipment is None:
        return
    if not isinstance(equipment, list):
        c.add(("equipment",), _("equipment must be a list of changes"))
        return
    actions = {str(a) for a in EquipmentAction}
    for index, entry in enumerate(equipment):
        where = ("equipment", index)
        if not isinstance(entry, dict):
            c.add(where, _("equipment[{index}] must be a mapping with action and serial").format(index=index))
            continue
        if not isinstance(entry.get("action"), str) or entry.get("action") not in actions:
            c.add(
                (*where, "action"), _("equipment[{index}].action must be one of: {choices}").format(index=index, choices=', '.join(sorted(actions)))
            )
        c.text(entry, "serial", where, required=True)
        if entry.get("action") == EquipmentAction.REPLACED:
            c.text(entry, "new_serial", where, required=True)
