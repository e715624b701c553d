"""The `inspections:` section of the policy: the cadence and lead of a plan that does not say, and the checklists.

    inspections:
      cadence: quarterly          # seed 001: at least once a quarter
      lead_days: 14               # reported due this many days before the planned day
      checklists:
        network:
          - {key: core, label: Core switches and routers, label_zh: 核心交换机与路由器}

Without checklists, the default one covers the running-status checks of seed
001 (customer visit, system operation checks and suggestions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.errors import CasefileError
from casefile.records.yamlio import RecordError
from casefile.values import Struct, field
from casefile.worktime.cadence import BadCadence, Cadence
from casefile.i18n import _

DEFAULT_CADENCE = "quarterly"


DEFAULT_LEAD_DAYS = 14


class InspectionDefaults(Struct, frozen=True):
    """`inspections:` in the policy: the cadence and lead of a plan that does not say."""

    cadence: Cadence
    lead_days: int


def inspection_defaults(raw: Mapping[str, Any], source: str = "policy.yaml") -> InspectionDefaults:
    section = raw.get("inspections") or {}
    if not isinstance(section, dict):
        raise RecordError(source, None, _("inspections must be a mapping"))
    try:
        cadence = Cadence.parse(str(section.get("cadence") or DEFAULT_CADENCE))
    except BadCadence as error:
        raise RecordError(source, None, _("inspections.cadence: {message}").format(message=error.message), error.hint) from None
    lead = section.get("lead_days", DEFAULT_LEAD_DAYS)
    if not isinstance(lead, int) or isinstance(lead, bool) or lead < 0:
        raise RecordError(source, None, _("inspections.lead_days must be a whole number of days, 0 or more"))
    return InspectionDefaults(cadence, lead)


DEFAULT_NAME = "default"


class ChecklistItem(Struct, frozen=True):
    key: str
    label: str
    label_zh: str


class Checklist(Struct, frozen=True):
    name: str
    items: tuple[ChecklistItem, ...]

    def keys(self) -> list[str]:
        return [item.key for item in self.items]

    def item(self, key: str) -> ChecklistItem:
        for item in self.items:
            if item.key == key:
                return item
        raise CasefileError(
            _("{key!r} is not an item of the checklist {name!r}").format(key=key, name=self.name),
            _("items: {names}").format(names=', '.join(self.keys())),
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
        raise RecordError(source, None, _("inspections.checklists must map names to lists of items"))
    for name, items in found.items():
        where = f"inspections.checklists.{name}"
        if not isinstance(items, list) or not items:
            raise RecordError(source, None, _("{where} must be a list of items with key and label").format(where=where))
        parsed = []
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("key"), str):
                raise RecordError(source, None, _("{where}[{index}] needs a key (and a label)").format(where=where, index=index))
            key = item["key"]
            label = str(item.get("label") or key)
            parsed.append(ChecklistItem(key, label, str(item.get("label_zh") or label)))
        if len({item.key for item in parsed}) != len(parsed):
            raise RecordError(source, None, _("{where} lists a key twice").format(where=where))
        result[str(name)] = Checklist(str(name), tuple(parsed))
    return result


def pick_checklist(checklists: Mapping[str, Checklist], name: str | None) -> Checklist:
    wanted = name or DEFAULT_NAME
    if wanted not in checklists:
        raise CasefileError(
            _("no checklist {wanted!r} in the policy").format(wanted=wanted),
            _("known: {names} (policy.yaml, inspections.checklists)").format(names=', '.join(sorted(checklists))),
        )
    return checklists[wanted]


class InspectionPolicy(Struct, frozen=True):
    defaults: InspectionDefaults
    checklists: Mapping[str, Checklist] = field(default_factory=dict)

    def checklist(self, name: str | None) -> Checklist:
        """The checklist a plan names (the default one when it names none)."""
        return pick_checklist(self.checklists, name)


def inspection_policy(raw: Mapping[str, Any], source: str = "policy.yaml") -> InspectionPolicy:
    return InspectionPolicy(inspection_defaults(raw, source), checklists_from_policy(raw, source))
