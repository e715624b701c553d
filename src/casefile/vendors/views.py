"""How vendors look on a terminal, and their JSON shapes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from casefile.render.cells import minute
from casefile.policy.sla import VENDOR_COMMITMENTS
from casefile.vendors.work import VendorFile
from casefile.i18n import _


def vendor_json(found: VendorFile) -> dict[str, Any]:
    """`vendor show --json`: the front matter, notes, file, and the cases escalated to it."""
    result = dict(found.entry.data)
    result["notes"] = found.entry.body.strip("\n")
    result["path"] = found.entry.path
    result["cases"] = found.cases
    return result


def render_vendor(found: VendorFile, zone: tzinfo) -> str:
    data = found.entry.data
    contract = data.get("contract") if isinstance(data.get("contract"), Mapping) else {}
    lines = [f"{data.get('id')}  {data.get('name')}"]
    if contract:
        lines.append(_("  contract   {value} ({value2} – {value3})").format(value=contract.get('id') or '—', value2=contract.get('from') or '?', value3=contract.get('until') or '?'))
    lines.append(_("  coverage   {value}").format(value=data.get('coverage') or '— (the case’s own)'))
    commitments = data.get("commitments") or {}
    if commitments:
        lines += ["", "Commitments"]
        for key, value in commitments.items():
            found_key = VENDOR_COMMITMENTS.get(str(key))
            label = f"{found_key.label} ({found_key.label_zh})" if found_key else str(key)
            lines.append(f"  {label:<28} {value}")
    contacts = [c for c in data.get("contacts") or [] if isinstance(c, Mapping)]
    if contacts:
        lines += ["", "Contacts"]
        for contact in contacts:
            reach = " · ".join(str(contact[k]) for k in ("phone", "email", "role") if contact.get(k))
            lines.append(f"  {contact.get('name')}  {reach}".rstrip())
    if found.cases:
        lines += ["", "Cases escalated to it"]
        for row in found.cases:
            ticket = f" ticket {row['vendor_ticket']}" if row.get("vendor_ticket") else ""
            lines.append(f"  {row['id']}  {row['level']}  {row['status']:<8} {minute(row['opened_at'], zone)}"
                         f"{ticket}  {row['title']}")
    notes = found.entry.body.strip("\n")
    if notes:
        lines += ["", *notes.splitlines()]
    return "\n".join(lines)


def render_vendor_list(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "no vendors yet (add one: casefile vendor add ID --name NAME)"
    lines = [f"{'VENDOR':<16} {'CONTRACT':<16} {'UNTIL':<10}  {'COVER':<5} {'COMMITMENTS':<28} NAME"]
    for row in rows:
        commitments = ", ".join(f"{k} {v}" for k, v in (row.get("commitments") or {}).items()) or "—"
        lines.append(f"{row['id']:<16} {str(row['contract'] or '—'):<16} {str(row['until'] or '—'):<10}  "
                     f"{str(row['coverage'] or '—'):<5} {commitments:<28} {row['name']}")
    return "\n".join(lines)
