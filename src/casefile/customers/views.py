"""How customers look on a terminal, and their JSON shapes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from casefile.cases.views import render_list
from casefile.customers.work import AssetFile, CustomerFile
from casefile.records.file import RecordEntry
from casefile.render.cells import minute
from casefile.i18n import _


def customer_json(found: CustomerFile) -> dict[str, Any]:
    """`customer show --json`: the front matter, notes, file, and the customer's records."""
    result = dict(found.entry.data)
    result["notes"] = found.entry.body.strip("\n")
    result["path"] = found.entry.path
    result["cases"] = found.cases
    result["inspections"] = [_inspection_row(e) for e in found.inspections]
    result["surveys"] = [_survey_row(e) for e in found.surveys]
    result["asset_cases"] = found.asset_cases
    return result


def asset_json(found: AssetFile) -> dict[str, Any]:
    """`asset show --json`: the device as the customer's file has it, its customer, and its history."""
    return {**found.asset, "customer": found.customer, "history": found.history,
            "dependents": found.relations.get("dependents", [])}


def dependents_lines(dependents: Sequence[dict[str, Any]], heading: str) -> list[str]:
    """The devices that are part of a device or depend on it, as `show` and `asset show` list them."""
    if not dependents:
        return []
    lines = ["", heading]
    for d in dependents:
        how = "part of" if d["how"] == "part-of" else "depends on"
        lines.append(f"  {d['serial']:<16} {d.get('model') or '—'} @ {d.get('location') or '—'} — {how} {d['via']}")
    return lines


def render_asset(found: AssetFile, zone: tzinfo) -> str:
    asset = found.asset
    lines = [
        f"{asset.get('serial')}  {asset.get('model') or '—'}",
        f"  客户 customer  {found.customer}",
        f"  位置 location  {asset.get('location') or '—'}",
        f"  状态 status    {asset.get('status') or 'in-service'}",
    ]
    relations = found.relations
    if relations.get("part_of"):
        lines.append(f"  属于 part of   {relations['part_of']}")
    if relations.get("depends_on"):
        lines.append(f"  依赖 depends on {', '.join(relations['depends_on'])}")
    lines += dependents_lines(relations.get("dependents") or [], "依赖此设备 Depends on this device")
    lines += ["", "履历 History"]
    for row in found.history:
        on = row["on"] if len(row["on"]) == 10 else minute(row["on"], zone)
        lines.append(f"  {on:<16}  {row['kind']:<10} {row['id'] or '':<15} {row['text']}".rstrip())
    if not found.history:
        lines.append(_("  none"))
    return "\n".join(lines)


def _inspection_row(entry: RecordEntry) -> dict[str, Any]:
    keys = ("id", "status", "period", "planned_on", "due_by", "inspected_on", "inspector")
    return {key: entry.data.get(key) for key in keys}


def _survey_row(entry: RecordEntry) -> dict[str, Any]:
    keys = ("id", "kind", "case", "status", "issued_at", "answered_at", "score", "complaint")
    return {key: entry.data.get(key) for key in keys}


def customer_row(entry: RecordEntry) -> dict[str, Any]:
    data = entry.data
    contract = data.get("contract") or {}
    plan = data.get("inspection_plan") or {}
    return {
        "id": data.get("id"),
        "name": data.get("name"),
        "contract": contract.get("id") if isinstance(contract, dict) else None,
        "until": contract.get("until") if isinstance(contract, dict) else None,
        "coverage": data.get("coverage"),
        "onsite_staff": bool(data.get("onsite_staff")),
        "inspection_cadence": plan.get("cadence") if isinstance(plan, dict) else None,
        "assets": len(data.get("assets") or []),
        "path": entry.path,
    }


def render_customer_list(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "no customers yet (add one: casefile customer add ID --name NAME)"
    lines = [
        f"{'CUSTOMER':<16} {'CONTRACT':<12} {'UNTIL':<10}  {'COVER':<5} {'ON SITE':<7} {'INSPECTION':<28} NAME"
    ]
    for row in rows:
        lines.append(
            f"{row['id']:<16} {str(row['contract'] or '—'):<12} {str(row['until'] or '—'):<10}  "
            f"{str(row['coverage'] or '—'):<5} {'yes' if row['onsite_staff'] else 'no':<7} "
            f"{str(row['inspection_cadence'] or '—'):<28} {row['name']}"
        )
    return "\n".join(lines)


def render_customer(found: CustomerFile, zone: tzinfo) -> str:
    data = found.entry.data
    contract = data.get("contract") or {}
    plan = data.get("inspection_plan") or {}
    out = [
        f"{data.get('id')}  {data.get('name')}",
        f"  contract   {contract.get('id') or '—'} ({contract.get('from') or '?'} – {contract.get('until') or '?'})",
        f"  coverage   {data.get('coverage') or '—'}; {data.get('service_level') or 'no service level noted'}",
        f"  on site    {'our staff are on site (they run the surveys)' if data.get('onsite_staff') else 'no'}",
        f"  inspection {_plan_words(plan)}",
        "",
        "Contacts",
    ]
    for contact in data.get("contacts") or []:
        parts = [contact.get(k) for k in ("name", "phone", "email", "role") if contact.get(k)]
        out.append("  " + " · ".join(str(p) for p in parts))
    out += ["", "Assets"]
    for asset in data.get("assets") or []:
        extra = (
            f" (replaced by {asset['replaced_by']} on {asset.get('changed_on')})"
            if asset.get("replaced_by")
            else ""
        )
        out.append(
            f"  {str(asset.get('serial')):<16} {str(asset.get('status') or 'in-service'):<11} "
            f"{asset.get('model') or '—'} @ {asset.get('location') or '—'}{extra}"
        )
        if found.asset_cases.get(str(asset.get("serial"))):
            out.append(f"  {'':<16} cases: {', '.join(found.asset_cases[str(asset.get('serial'))])}")
    out += ["", "Cases", "  " + render_list(found.cases, zone, "none").replace("\n", "\n  ")]
    out += ["", "Inspections"]
    for entry in found.inspections or []:
        d = entry.data
        out.append(
            f"  {str(d.get('id')):<24} {str(d.get('status')):<9} planned {d.get('planned_on') or '—'}"
            f"  due by {d.get('due_by') or '—'}  done {d.get('inspected_on') or '—'}"
        )
    if not found.inspections:
        out.append("  none")
    out += ["", "Surveys"]
    for entry in found.surveys or []:
        d = entry.data
        out.append(
            f"  {str(d.get('id')):<24} {str(d.get('status')):<9} issued {minute(d.get('issued_at'), zone)}"
            f"  score {d.get('score') if d.get('score') is not None else '—'}"
        )
    if not found.surveys:
        out.append("  none")
    notes = found.entry.body.strip("\n")
    if notes:
        out += ["", "Notes", *("  " + line if line else "" for line in notes.splitlines())]
    return "\n".join(out)


def _plan_words(plan: Any) -> str:
    if not isinstance(plan, dict) or not plan:
        return "no plan (casefile inspect plan ID)"
    words = f"{plan.get('cadence')} since {plan.get('since')}"
    if plan.get("inspector"):
        words += f", by {plan['inspector']}"
    if plan.get("checklist"):
        words += f", checklist {plan['checklist']}"
    return words
