"""How changes (RFC) look on a terminal, and their JSON shapes (bilingual labels)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from casefile.records.file import RecordEntry
from casefile.render.cells import minute
from casefile.i18n import _

STATUS_WORDS = {"planned": "待审核 planned", "approved": "已批准 approved", "rejected": "已否决 rejected",
                "in-progress": "实施中 in progress", "completed": "已完成 completed"}


def change_json(entry: RecordEntry) -> dict[str, Any]:
    """`rfc show --json`: the front matter, the customers told of the window, the report, the file."""
    from casefile.changes.model import notices_of

    return {**entry.data, "notices": notices_of(entry.data), "report": entry.body.strip("\n"), "path": entry.path}


def notice_json(letter: Any) -> dict[str, Any]:
    """`rfc notice --json`: what the customer is shown (the allow-listed fields), the letter's words."""
    return {"customer": letter.customer, "lang": letter.lang, "change": letter.view, "subject": letter.subject,
            "body": letter.body}


def render_notice_letter(letter: Any) -> str:
    return f"{letter.subject}\n\n{letter.body.rstrip()}"


def render_change_list(rows: Sequence[Mapping[str, Any]], zone: tzinfo) -> str:
    if not rows:
        return "no changes (变更) — request one: casefile rfc open --title ... --risk ..."
    lines = [f"{'CHANGE':<15} {'STATUS':<11} {'RISK':<6} {'WINDOW':<16} {'OK':>5}  TITLE"]
    for row in rows:
        ok = f"{len(row['approvals'])}/{row['approvals_needed']}" if row["approvals_needed"] else "—"
        lines.append(f"{row['id']:<15} {str(row['status']):<11} {str(row['risk']):<6} "
                     f"{minute(row['start'], zone):<16} {ok:>5}  {row['title']}")
    return "\n".join(lines)


def render_change(entry: RecordEntry, zone: tzinfo) -> str:
    data = entry.data
    window = _mapping(data.get("window"))
    review = _mapping(data.get("review"))
    lines = [
        f"{data.get('id')}  {data.get('title')}",
        f"  状态 status     {STATUS_WORDS.get(str(data.get('status')), data.get('status'))}",
        f"  风险 risk       {data.get('risk')}",
        f"  窗口 window     {minute(window.get('start'), zone)} – {minute(window.get('end'), zone)}",
        f"  原因 why        {data.get('why') or '—'}",
        f"  方案 plan       {data.get('plan')}",
        f"  回退 backout    {data.get('backout')}",
        f"  客户 customers  {', '.join(data.get('customers') or []) or '—'}",
        f"  设备 devices    {', '.join(data.get('assets') or []) or '—'}",
        f"  问题 problems   {', '.join(data.get('problems') or []) or '—'}",
        f"  事件 incidents  {', '.join(data.get('incidents') or []) or '—'}",
        f"  申请 requested  {minute(data.get('requested_at'), zone)} by {data.get('requested_by')}",
    ]
    if review.get("approvals"):
        lines += ["", f"专家审核 Expert review: {review['approvals']} approvals of {review.get('role')} needed"]
        for item in data.get("reviews") or []:
            text = f"  {item.get('text')}" if item.get("text") else ""
            lines.append(f"  {minute(item.get('at'), zone)}  {item.get('by'):<10} {item.get('verdict')}{text}")
        if not data.get("reviews"):
            lines.append(_("  none yet"))
    from casefile.changes.model import notices_of

    notices = notices_of(data)
    if notices or data.get("customers"):
        lines += ["", "客户通知 Customers told"]
        for notice in notices:
            how = (_("mail to {to}").format(to=", ".join(notice["to"])) if notice["to"]
                   else _("letter to print"))
            when = _("({days} days before the window)").format(days=notice["days_before"])
            lines.append(f"  {minute(notice['at'], zone)}  {notice['customer']:<12} {how} {when}")
        if not notices:
            lines.append(_("  none yet (check tells them before the window)"))
    if data.get("result"):
        lines += ["", f"结果 result {data['result']} ({minute(data.get('completed_at'), zone)})"]
    report = entry.body.strip("\n")
    if report:
        lines += ["", *report.splitlines()]
    return "\n".join(lines)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
