"""Reports as CSV: the main table of each kind, for a spreadsheet.

UTF-8 (Chinese intact), CRLF line ends and quoting as RFC 4180 and Excel
expect; `--bom` puts a byte-order mark first so Excel on Windows reads UTF-8.
Column headings are in the report's language.  Text from records that a
spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) is prefixed
with `'`, so a case titled `=HYPERLINK(...)` stays text.

Tables: monthly — one row per case; stats — one row per dimension and value;
sla — one row per level and target; engineers — one row per engineer;
desk — one row per KPI; surveys — one row per survey; inspections — one row
per inspection; problems — one row per problem; changes — one row per change.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import Any

from casefile.render.cells import minute, num

Row = list[Any]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def _share(share: Mapping[str, Any] | None) -> str:
    value = share.get("share") if share else None
    return "" if value is None else f"{value * 100:.1f}"


def _seconds(value: Mapping[str, Any] | None) -> str:
    return "" if not value else str(round(value["seconds"] / 60))


def _monthly(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    head = [t["case"], t["customer"], t["title"], t["type"], t["level"], t["status"], t["channel"], t["category"],
            t["caller"], t["engineer"], t["opened"], t["resolved"], t["closed"], t["confirmed_by"],
            t["resolution"], t["first_contact"]]
    rows = [[c["id"], g["customer"], c["title"], c["type"], c["level"], c["status"], c["channel"], c["category"],
             c["caller"], c["assignee"], at(c["opened_at"]), at(c["resolved_at"]), at(c["closed_at"]),
             c["confirmed_by"], c["resolution"], "1" if c["first_contact"] else "0"]
            for g in r["groups"] for c in g["cases"]]
    return head, rows


def _stats(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    head = [t["kpi"], t["value"], t["count"], t["previous"], t["change"]]
    rows = [[b["dimension"], row["key"], row["count"], row["previous"], row["change"]]
            for b in r["breakdowns"] for row in b["rows"]]
    return head, rows


def _sla(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    head = [t["level"], t["target"], t["within"], t["calendar"], t["applies"], t["met"], t["breached"],
            t["running"], t["compliance"] + " %", t["mean_elapsed"] + " (min)", t["worst_elapsed"] + " (min)",
            t["mean_over"] + " (min)", t["cycles"], t["late_cycles"]]
    rows = [[x["level"], x["target"], x["within"], x["calendar"], x["cases"], x["met"], x["breached"], x["running"],
             _share(x["compliance"]), _seconds(x["mean_elapsed"]), _seconds(x["worst_elapsed"]),
             _seconds(x["mean_over"]), x["cycles"], x["late_cycles"]] for x in r["targets"]]
    return head, rows


def _engineers(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    keys = [s["key"] for s in r["cards"][0]["scores"]] if r["cards"] else list(t["scores"])
    head = [t["engineer"], t["cases"], *(t["scores"][k] for k in keys), t["flagged"], t["explanations"],
            t["time_spent"]]
    rows = []
    for card in r["cards"]:
        notes = "; ".join(f"{t['scores'][s['key']]}: {s['explanation']['text']}" for s in card["scores"]
                          if s["explanation"])
        rows.append([card["engineer"], card["cases"], *(num(s["score"]) if s["score"] is not None else ""
                                                        for s in card["scores"]), card["flagged"], notes,
                     card.get("spent", "0m")])
    return head, rows


def _desk(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    head = [t["kpi"], t["value"], t["basis"]]
    handover = r["handover"]
    rows: list[Row] = [
        [t["received"], r["received"], ""],
        [t["answered_in_time"] + " %", _share(r["answered_in_time"]), _ratio(r["answered_in_time"])],
        *([f"{t['answered_in_time']} {x['level']} %", _share(x["answered_in_time"]), _ratio(x["answered_in_time"])]
          for x in r["per_level"]),
        [t["handover"] + " %", _share(handover["handed_over"]), _ratio(handover["handed_over"])],
        [f"{t['handover_time']} {t['mean']} (min)", _seconds(handover["mean"]), ""],
        [f"{t['handover_time']} {t['median']} (min)", _seconds(handover["median"]), ""],
        [f"{t['handover_time']} {t['worst']} (min)", _seconds(handover["worst"]), ""],
        [t["first_contact_resolution"] + " %", _share(r["first_contact"]), _ratio(r["first_contact"])],
        [t["resolved_at_desk"] + " %", _share(r["resolved_at_desk"]), _ratio(r["resolved_at_desk"])],
        [t["all_targets"] + " %", _share(r["all_targets"]), _ratio(r["all_targets"])],
        [t["courtesy"] + " %", _mean(r["courtesy"]["mean_normalised"]), r["courtesy"]["count"]],
        [t["satisfaction"] + " %", _mean(r["satisfaction"]["mean_normalised"]), r["satisfaction"]["count"]],
        [t["survey_response"] + " %", _share(r["survey_response"]), _ratio(r["survey_response"])],
    ]
    return head, rows


def _ratio(share: Mapping[str, Any]) -> str:
    return f"{share['part']}/{share['whole']}"


def _mean(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _surveys(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    keys = [q["question"] for q in r["questions"]]
    labels = {q["question"]: q["label_zh"] if t["lang"] == "zh" else q["label"] for q in r["questions"]}
    head = [t["survey"], t["kind"], t["case"], t["customer"], t["status"], t["issued_at"], t["answered_at"],
            *(labels[k] for k in keys), t["score"] + " %", t["complaint"], t["opinions"]]
    rows = [[s["id"], s["kind"], s["case"], s["customer"], s["status"], at(s["issued_at"]), at(s["answered_at"]),
             *(s["ratings"].get(k, "") for k in keys), _mean(s["mean_normalised"]), s["complaint"], s["opinions"]]
            for s in r["surveys"]]
    return head, rows


def _inspections(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    head = [t["inspection"], t["customer"], t["quarter"], t["status"], t["planned_on"], t["due_by"],
            t["inspected_on"], t["inspector"], t["work_order"], t["days_overdue"], t["findings"], t["suggestions"]]
    rows = [[x["id"], x["customer"], x["quarter"], x["status"], x["planned_on"], x["due_by"], x["inspected_on"],
             x["inspector"], x["work_order"], x["days_overdue"], x["findings"], x["suggestions"]]
            for x in r["inspections"]]
    return head, rows


def _problems(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    head = [t["problem_id"], t["title"], t["status"], t["customer"], t["category"], t["device"], t["opened"],
            t["problem_incidents"], t["incidents_in_period"], t["root_cause"], t["workaround"], t["kb_article"]]
    rows = [[p["id"], p["title"], p["status"], p["customer"], p["category"], p["asset"], at(p["opened_at"]),
             " ".join(p["incidents"]), p["incidents_in_period"], p["root_cause"], p["workaround"], p["article"]]
            for p in r["problems"]]
    return head, rows


def _changes(r: Mapping[str, Any], t: Mapping[str, Any], at: Callable[[Any], str]) -> tuple[Row, list[Row]]:
    head = [t["change_record"], t["title"], t["status"], t["risk"], t["window_start"], t["window_end"], t["approvals"],
            t["customer"], t["told"], t["result"]]
    rows = [[c["id"], c["title"], c["status"], c["risk"], at(c["start"]), at(c["end"]),
             f"{c['approvals']}/{c['approvals_needed']}" if c["approvals_needed"] else "", " ".join(c["customers"]),
             " ".join(c["told"]), c["result"]] for c in r["changes"]]
    return head, rows


TABLES: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any], Callable[[Any], str]], tuple[Row, list[Row]]]] = {
    "monthly": _monthly,
    "stats": _stats,
    "sla": _sla,
    "engineers": _engineers,
    "desk": _desk,
    "surveys": _surveys,
    "inspections": _inspections,
    "problems": _problems,
    "changes": _changes,
}


def csv_text(kind: str, report: Mapping[str, Any], t: Mapping[str, Any], zone: tzinfo) -> str:
    def at(value: Any) -> str:
        return minute(value, zone) if value else ""

    head, rows = TABLES[kind](report, t, at)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()
