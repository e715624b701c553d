"""Inspection checklists: the system checks of a visit, per customer or system.

The policy may define checklists under `inspections.checklists` (a name and a
list of items); a customer's plan names the one to use (`checklist: network`).
Without one, the default below covers the running-status checks of seed 001
(customer visit, system operation checks and suggestions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from casefile.errors import CasefileError
from casefile.inspections.model import CheckResult, result_of
from casefile.records.yamlio import RecordError

DEFAULT_NAME = "default"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    label_zh: str


@dataclass(frozen=True)
class Checklist:
    name: str
    items: tuple[ChecklistItem, ...]

    def keys(self) -> list[str]:
        return [item.key for item in self.items]

    def item(self, key: str) -> ChecklistItem:
        for item in self.items:
            if item.key == key:
                return item
        raise CasefileError(
            f"{key!r} is not an item of the checklist {self.name!r}",
            f"items: {', '.join(self.keys())}",
        )


DEFAULT_CHECKLIST = Checklist(
    DEFAULT_NAME,
    (
        ChecklistItem("hardware", "Hardware status and alarms", "设备运行状态与告警"),
        ChecklistItem("capacity", "CPU, memory and disk usage", "CPU、内存、磁盘使用率"),
        ChecklistItem("logs", "System and application logs", "系统及应用日志"),
        ChecklistItem("backup", "Backups and a restore test", "数据备份与恢复"),
        ChecklistItem("network", "Network links and redundancy", "网络连通与冗余"),
        ChecklistItem("security", "Patches, antivirus and accounts", "安全补丁、防病毒与账号"),
        ChecklistItem("environment", "Power, UPS and room temperature", "机房电源、UPS与温湿度"),
        ChecklistItem("feedback", "Customer visit: feedback and requests", "客户拜访：意见与需求"),
    ),
)


def checklists_from_policy(raw: Mapping[str, Any], source: str = "policy.yaml") -> dict[str, Checklist]:
    """The checklists of the policy, with the default one unless the policy redefines it."""
    section = raw.get("inspections") or {}
    found = section.get("checklists") if isinstance(section, dict) else None
    result = {DEFAULT_NAME: DEFAULT_CHECKLIST}
    if found is None:
        return result
    if not isinstance(found, dict):
        raise RecordError(source, None, "inspections.checklists must map names to lists of items")
    for name, items in found.items():
        where = f"inspections.checklists.{name}"
        if not isinstance(items, list) or not items:
            raise RecordError(source, None, f"{where} must be a list of items with key and label")
        parsed = []
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("key"), str):
                raise RecordError(source, None, f"{where}[{index}] needs a key (and a label)")
            key = item["key"]
            label = str(item.get("label") or key)
            parsed.append(ChecklistItem(key, label, str(item.get("label_zh") or label)))
        if len({item.key for item in parsed}) != len(parsed):
            raise RecordError(source, None, f"{where} lists a key twice")
        result[str(name)] = Checklist(str(name), tuple(parsed))
    return result


def pick_checklist(checklists: Mapping[str, Checklist], name: str | None) -> Checklist:
    wanted = name or DEFAULT_NAME
    if wanted not in checklists:
        raise CasefileError(
            f"no checklist {wanted!r} in the policy",
            f"known: {', '.join(sorted(checklists))} (policy.yaml, inspections.checklists)",
        )
    return checklists[wanted]


def parse_check(text: str) -> tuple[str, CheckResult, str]:
    """`ITEM=RESULT` or `ITEM=RESULT:NOTE` from the command line."""
    key, sep, rest = text.partition("=")
    if not sep or not key.strip():
        raise CasefileError(f"cannot read the check {text!r}", "write it as ITEM=RESULT or ITEM=RESULT:NOTE")
    result, _, note = rest.partition(":")
    return key.strip(), result_of(result.strip()), note.strip()


def fill(
    checklist: Checklist, given: list[tuple[str, CheckResult, str]], rest: CheckResult
) -> list[dict[str, str]]:
    """One entry per checklist item, in the checklist's order; items not given get `rest`."""
    answers: dict[str, tuple[CheckResult, str]] = {}
    for key, result, note in given:
        checklist.item(key)
        if key in answers:
            raise CasefileError(f"the check {key!r} is given twice")
        answers[key] = (result, note)
    rows = []
    for item in checklist.items:
        result, note = answers.get(item.key, (rest, ""))
        row = {"item": item.key, "result": str(result)}
        if note:
            row["note"] = note
        rows.append(row)
    return rows
