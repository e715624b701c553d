"""How a report looks: Markdown and HTML from templates, CSV tables, JSON.

Markdown and HTML render the report's JSON shape (`reportjson`) through the
templates `reports/KIND.md` and `reports/KIND.html` (`templating`: a desk's
own `templates/` first); the context is `r` (the JSON), `t` (the words in the
chosen language), `lang`, `charts` (HTML) and a few helpers:

    minute(time)  2026-11-04 09:00       day(time)   2026-11-04
    pct(share)    75.0%                  dur(d)      1h40m   ("—" for none)
    num(x)        0.83 / 7.5             cell(text)  text safe in a Markdown table cell
    tr(group, key)  a word from t[group], else the key itself
    level_name(code)  the level's name in the chosen language (policy.yaml)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from casefile.policy.model import Policy
from casefile.render.cells import cell, day, dur, minute, num, pct
from casefile.reports.model import Report
from casefile.reports.render.charts import charts_for
from casefile.reports.render.jsonshape import report_json
from casefile.reports.render.labels import labels
from casefile.reports.render.tables import csv_text
from casefile.i18n import speaking


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"


def context(report: Report, data: Mapping[str, Any], lang: str, policy: Policy) -> dict[str, Any]:
    t = labels(lang)
    zone = policy.zone

    def tr(group: str, key: Any) -> str:
        return str(t.get(group, {}).get(str(key), key))

    def level_name(code: Any) -> str:
        level = policy.levels.get(str(code))
        if level is None:
            return str(code)
        return level.name_zh if lang == "zh" else level.name

    return {
        "r": data,
        "t": t,
        "lang": lang,
        "kind": str(report.header.kind),
        "charts": charts_for(str(report.header.kind), data, t),
        "minute": lambda value: minute(value, zone),
        "day": day,
        "pct": pct,
        "dur": dur,
        "num": num,
        "cell": cell,
        "tr": tr,
        "level_name": level_name,
    }


def render(report: Report, fmt: ReportFormat, lang: str, policy: Policy, root: Path | None, bom: bool = False) -> str:
    """The report as text in `fmt` (CSV with a byte-order mark for Excel if `bom`), in `lang` throughout.

    The engine's words in it are made in `lang`; an error (a desk's template refused) is the reader's.
    """
    with speaking(lang):
        data = report_json(report, policy.zone)
    if fmt is ReportFormat.JSON:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt is ReportFormat.CSV:
        return ("\ufeff" if bom else "") + csv_text(str(report.header.kind), data, labels(lang), policy.zone)
    from casefile.render.templates import render as render_template

    return render_template(root, f"reports/{report.header.kind}.{fmt}", context(report, data, lang, policy),
                           markdown=fmt is ReportFormat.MD)
