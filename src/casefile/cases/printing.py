"""A work order printed for the customer to sign: Markdown or HTML, in Chinese, English or both.

Rendered from `workorder.md` / `workorder.html` (packaged in `templates/`, overridable by the case
repository's own `templates/`), in the sandbox every template renders in; the values are the work
order, the case, its customer, and the labels of the chosen language(s).  A bilingual sheet (the
default) gives every label in Chinese and English, so either side can read what they sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casefile.cases.workorders import WorkOrder
from casefile.render import templates

FORMATS = ("md", "html")
LANGS = ("both", "zh", "en")
LABELS: dict[str, tuple[str, str]] = {
    "title": ("现场服务派工单", "On-site work order"),
    "number": ("派工单号", "Work order"),
    "case": ("服务记录", "Case"),
    "subject": ("事项", "Subject"),
    "level": ("故障级别", "Fault level"),
    "customer": ("客户单位", "Customer"),
    "caller": ("联系人", "Contact"),
    "phone": ("电话", "Phone"),
    "address": ("地址", "Address"),
    "engineer": ("服务工程师", "Engineer"),
    "dispatched": ("派工时间", "Dispatched"),
    "arrived": ("到达现场", "Arrived on site"),
    "departed": ("离开现场", "Left the site"),
    "spent": ("处理用时", "Time spent"),
    "work": ("工作内容", "Work done"),
    "parts": ("使用备件", "Parts used"),
    "replaced": ("更换设备", "Equipment replaced"),
    "old_serial": ("原序列号", "Old serial"),
    "new_serial": ("新序列号", "New serial"),
    "model": ("型号", "Model"),
    "none": ("无", "none"),
    "signoff": ("客户确认", "Customer sign-off"),
    "signoff_text": ("以上工作已完成，客户确认。", "The work above was done; the customer confirms it."),
    "signed_by": ("客户签字", "Signed by"),
    "signed_at": ("签字时间", "Signed at"),
    "engineer_sign": ("工程师签字", "Engineer's signature"),
    "not_signed": ("（待签字）", "(not yet signed)"),
}


def labels(lang: str) -> dict[str, str]:
    """Each label in `lang` (`both`: Chinese, then English)."""
    index = {"zh": 0, "en": 1}
    if lang == "both":
        return {key: f"{zh} {en}" for key, (zh, en) in LABELS.items()}
    return {key: pair[index[lang]] for key, pair in LABELS.items()}


def context(case: Mapping[str, Any], order: WorkOrder, customer: Mapping[str, Any] | None, engineer_name: str,
            lang: str) -> dict[str, Any]:
    caller = case.get("caller") if isinstance(case.get("caller"), Mapping) else {}
    return {
        "t": labels(lang),
        "lang": "zh" if lang in ("both", "zh") else "en",
        "order": order.as_json(),
        "case": {"id": case.get("id"), "title": case.get("title"), "level": case.get("level")},
        "customer": {"id": case.get("customer"), "name": (customer or {}).get("name") or case.get("customer") or ""},
        "caller": {key: str((caller or {}).get(key) or "") for key in ("name", "phone", "company", "address")},
        "engineer_name": engineer_name,
    }


def render_order(root: Path, zone: Any, values: Mapping[str, Any], fmt: str) -> str:
    return templates.render(root, f"workorder.{fmt}", values, zone, markdown=fmt == "md")
