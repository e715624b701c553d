"""How problems and suggestions look on a terminal, and their JSON shapes (bilingual labels)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from casefile.problems.model import incidents_of
from casefile.problems.suggest import Suggestion
from casefile.problems.work import ShownProblem
from casefile.records.file import RecordEntry
from casefile.render.cells import minute
from casefile.i18n import _

STATUS_WORDS = {"open": "未解决 open", "known-error": "已知错误 known error", "resolved": "已解决 resolved",
                "closed": "已关闭 closed"}


def problem_row(entry: RecordEntry) -> dict[str, Any]:
    data = entry.data
    return {
        "id": data.get("id"), "title": data.get("title"), "status": data.get("status"),
        "customer": data.get("customer"), "category": data.get("category"), "asset": data.get("asset"),
        "incidents": incidents_of(data), "article": data.get("article"), "opened_at": data.get("opened_at"),
        "path": entry.path,
    }


def problem_json(found: ShownProblem) -> dict[str, Any]:
    """`problem show --json`: the front matter, the description, the file, its incidents and article."""
    result = dict(found.entry.data)
    result["description"] = found.entry.body.strip("\n")
    result["path"] = found.entry.path
    result["incident_cases"] = found.incidents
    result["article_found"] = found.article
    return result


def render_problem_list(rows: Sequence[Mapping[str, Any]], zone: tzinfo) -> str:
    if not rows:
        return "no problems (问题) yet — `casefile problem suggest` looks for recurring incidents"
    lines = [f"{'PROBLEM':<15} {'STATUS':<11} {'OPENED':<16} {'CUSTOMER':<12} {'N':>2}  TITLE"]
    for row in rows:
        lines.append(f"{row['id']:<15} {str(row['status']):<11} {minute(row['opened_at'], zone):<16} "
                     f"{str(row['customer'] or '—'):<12} {len(row['incidents']):>2}  {row['title']}")
    return "\n".join(lines)


def render_problem(found: ShownProblem, zone: tzinfo) -> str:
    data = found.entry.data
    lines = [
        f"{data.get('id')}  {data.get('title')}",
        f"  状态 status      {STATUS_WORDS.get(str(data.get('status')), data.get('status'))}",
        f"  客户 customer    {data.get('customer') or '—'}",
        f"  分类 category    {data.get('category') or '—'}",
        f"  设备 device      {data.get('asset') or '—'}",
        f"  开启 opened      {minute(data.get('opened_at'), zone)} by {data.get('opened_by')}",
        f"  根因 root cause  {data.get('root_cause') or '—'}",
        f"  临时 workaround  {data.get('workaround') or '—'}",
    ]
    if found.article:
        title = found.article.get("title") or "(not in the knowledge base)"
        lines.append(_("  知识 article     {id} — {title}").format(id=found.article['id'], title=title))
    if data.get("resolution"):
        lines.append(_("  解决 resolution  {resolution} ({get})").format(resolution=data['resolution'], get=minute(data.get('resolved_at'), zone)))
    lines += ["", f"关联事件 Incidents ({len(found.incidents)})"]
    for row in found.incidents:
        if row.get("missing"):
            lines.append(f"  {row['id']}  ({row['missing']})")
            continue
        lines.append(f"  {row['id']}  {row.get('level')}  {str(row.get('status')):<8} "
                     f"{minute(row.get('opened_at'), zone)}  {row.get('title')}")
    if not found.incidents:
        lines.append(_("  none (casefile problem link ID CASE ...)"))
    lines += ["", "记录 Activity"]
    for event in data.get("events") or []:
        text = f"  {event.get('text')}" if event.get("text") else ""
        lines.append(f"  {minute(event.get('at'), zone)}  {event.get('by'):<10} {event.get('kind')}{text}")
    description = found.entry.body.strip("\n")
    if description:
        lines += ["", *description.splitlines()]
    return "\n".join(lines)


def suggestion_json(found: Suggestion) -> dict[str, Any]:
    return {
        "key": found.key, "customer": found.customer, "by": found.by, "value": found.value,
        "incidents": [{"id": i.id, "opened_at": i.opened.isoformat(), "title": i.title, "category": i.category,
                       "asset": i.asset} for i in found.incidents],
    }


def render_suggestions(found: Sequence[Suggestion], zone: tzinfo, least: int, days: int) -> str:
    if not found:
        return (f"no recurring incidents: no customer has {least} incidents of one category or device "
                f"within {days} days (不存在反复发生的事件)")
    lines = []
    for suggestion in found:
        what = "设备 device" if suggestion.by == "device" else "分类 category"
        lines.append(f"{suggestion.key}")
        lines.append(_("  {customer}: {count} incidents, same {what} {value}").format(customer=suggestion.customer, count=len(suggestion.incidents), what=what, value=suggestion.value))
        for incident in suggestion.incidents:
            lines.append(f"    {incident.id}  {minute(incident.opened.isoformat(), zone)}  {incident.title}")
        lines.append(_("  accept (接受): casefile problem suggest --accept {key}").format(key=suggestion.key))
        lines.append("")
    return "\n".join(lines).rstrip("\n")
