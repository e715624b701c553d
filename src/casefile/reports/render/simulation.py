"""How `policy simulate` looks: JSON (the shape below), Markdown and HTML (two sides, with charts).

JSON: `{"report": "simulate", "version", "desk", "period", "customer", "generated_at", "proposal", "cases",
"today": {"sla": <report sla's body>, "notices"}, "proposed": {...}, "gained", "lost", "ladder", "people",
"nights", "letters", "scores", "not_computed"}` — times, durations and shares as the reports write them.
The templates are `reports/simulate.md` and `reports/simulate.html` (a desk's own `templates/` first),
with the reports' words and these.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from casefile.policy.model import Policy
from casefile.render.cells import cell, day, dur, minute, num, pct
from casefile.reports.render.charts import compliance
from casefile.reports.render.jsonshape import SCHEMA_VERSION, period_json, plain
from casefile.reports.render.labels import labels
from casefile.reports.simulate import WhatIf
from casefile.worktime.clock import format_instant

KIND = "simulate"
FORMATS = ("md", "html", "json")

WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "What if: the period under a proposed policy",
        "proposal": "Proposed policy",
        "replayed": "{cases} case(s) received in the period, replayed from their recorded events at {at}.",
        "nothing_written": "Nothing was written: this is a simulation.",
        "today": "Today",
        "proposed": "Proposed",
        "change": "Change",
        "compliance_today": "Compliance per level today",
        "compliance_proposed": "Compliance per level under the proposal",
        "gained": "Breaches gained",
        "lost": "Breaches lost",
        "target_was": "target today",
        "target_proposed": "proposed target",
        "ladder": "Ladder steps reached",
        "ladder_name": "Ladder",
        "role": "Role",
        "people": "Warnings, breaches and ladder steps per person",
        "person": "Person",
        "nights": "Notices at night (20:00–08:00), per night",
        "pages": "Pages to the person on duty (rota), per person",
        "page_nights": "Pages at night (20:00–08:00), per night",
        "night": "Night of",
        "letters": "Survey letters on the period's closes",
        "closed_cases": "closed cases",
        "letters_gained": "would get a letter",
        "letters_lost": "would get none",
        "scores": "Engineer scores that would change",
        "score": "Score",
        "not_computed": "Not computed under the proposal",
    },
    "zh": {
        "title": "假设分析：本期在拟议政策下的表现",
        "proposal": "拟议政策",
        "replayed": "本期受理 {cases} 个案例，按已记录的事件在 {at} 重新计算。",
        "nothing_written": "未写入任何内容：这只是模拟。",
        "today": "现行",
        "proposed": "拟议",
        "change": "变化",
        "compliance_today": "现行各级别达成率",
        "compliance_proposed": "拟议政策下各级别达成率",
        "gained": "新增超时",
        "lost": "不再超时",
        "target_was": "现行目标",
        "target_proposed": "拟议目标",
        "ladder": "已触发的升级步骤",
        "ladder_name": "升级路径",
        "role": "角色",
        "people": "每人收到的预警、超时和升级通知",
        "person": "人员",
        "nights": "夜间通知（20:00–08:00），按夜统计",
        "pages": "呼叫值班人员（值班表），按人统计",
        "page_nights": "夜间呼叫（20:00–08:00），按夜统计",
        "night": "夜间（起始日）",
        "letters": "本期关闭案例的满意度调查函",
        "closed_cases": "个已关闭案例",
        "letters_gained": "将会收到调查函",
        "letters_lost": "将不会收到",
        "scores": "将会变化的工程师评分",
        "score": "评分项",
        "not_computed": "拟议政策下无法计算",
    },
}


def simulation_json(found: WhatIf, zone: Any) -> dict[str, Any]:
    body = plain(found, zone)
    assert isinstance(body, dict)
    for key in ("desk", "period", "customer", "customer_name", "at"):
        body.pop(key)
    body["levels"] = _beside(body["today"]["sla"]["levels"], body["proposed"]["sla"]["levels"], ("level",))
    body["levels"].append({"level": "all", "today": body["today"]["sla"]["overall"],
                           "proposed": body["proposed"]["sla"]["overall"]})
    body["targets"] = _beside(body["today"]["sla"]["targets"], body["proposed"]["sla"]["targets"],
                              ("level", "target"))
    return {
        "report": KIND,
        "version": SCHEMA_VERSION,
        "desk": found.desk,
        "period": period_json(found.period),
        "customer": {"id": found.customer, "name": found.customer_name} if found.customer else None,
        "generated_at": format_instant(found.at, zone),
        **body,
    }


def _beside(today: list[dict[str, Any]], proposed: list[dict[str, Any]], keys: tuple[str, ...]
            ) -> list[dict[str, Any]]:
    """Rows of both sides joined on `keys`, in today's order then the proposal's new ones: each
    `{key..., "label", "label_zh", "today": row or null, "proposed": row or null}`."""
    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[k] for k in keys)

    theirs = {key(row): row for row in proposed}
    order = [key(row) for row in today] + [key(row) for row in proposed if key(row) not in {key(r) for r in today}]
    ours = {key(row): row for row in today}
    joined = []
    for k in order:
        a, b = ours.get(k), theirs.get(k)
        head = a or b or {}
        joined.append({**dict(zip(keys, k, strict=True)), "label": head.get("label"), "label_zh": head.get("label_zh"),
                       "today": a, "proposed": b})
    return joined


def render_simulation(found: WhatIf, fmt: str, lang: str, policy: Policy, root: Path | None) -> str:
    data = simulation_json(found, policy.zone)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    from casefile.render.templates import render as render_template

    t = {**labels(lang), "sim": WORDS[lang]}
    t["titles"] = {**t["titles"], KIND: WORDS[lang]["title"]}
    zone = policy.zone

    def level_name(code: Any) -> str:
        level = policy.levels.get(str(code))
        if level is None:
            return str(code)
        return level.name_zh if lang == "zh" else level.name

    context = {
        "r": data, "t": t, "w": WORDS[lang], "lang": lang, "kind": KIND,
        "charts": {
            "today": compliance(WORDS[lang]["compliance_today"], data["today"]["sla"]["levels"]),
            "proposed": compliance(WORDS[lang]["compliance_proposed"], data["proposed"]["sla"]["levels"]),
        },
        "minute": lambda value: minute(value, zone), "day": day, "pct": pct, "dur": dur, "num": num,
        "cell": cell, "level_name": level_name,
        "tr": lambda group, key: str(t.get(group, {}).get(str(key), key)),
    }
    return render_template(root, f"reports/{KIND}.{fmt}", context, markdown=fmt == "md")
