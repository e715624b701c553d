"""How surveys look on a terminal, and their JSON shapes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from casefile.policy.surveys import SurveyPolicy
from casefile.records.file import RecordEntry
from casefile.render.cells import minute
from casefile.surveys.model import SurveyStatus

ROW_KEYS = (
    "id",
    "kind",
    "case",
    "customer",
    "period",
    "issued_at",
    "sent_at",
    "expires_at",
    "answered_at",
    "score",
    "complaint",
)


def survey_json(entry: RecordEntry, status: SurveyStatus) -> dict[str, Any]:
    """The front matter as stored, with `status` as of now (an outstanding survey past its expiry is expired)."""
    result = dict(entry.data)
    result["stored_status"] = entry.data.get("status")
    result["status"] = str(status)
    result["path"] = entry.path
    return result


def survey_row(entry: RecordEntry, status: SurveyStatus) -> dict[str, Any]:
    row = {key: entry.data.get(key) for key in ROW_KEYS}
    row["status"] = str(status)
    row["path"] = entry.path
    return row


def render_survey_list(rows: Sequence[dict[str, Any]], zone: tzinfo) -> str:
    if not rows:
        return "no surveys match"
    lines = [f"{'SURVEY':<24} {'STATUS':<9} {'ABOUT':<14} {'ISSUED':<16}  {'SCORE':<5} COMPLAINT"]
    for row in rows:
        about = row["case"] or row["customer"] or "—"
        score = "—" if row["score"] is None else f"{row['score']:g}"
        lines.append(
            f"{row['id']:<24} {row['status']:<9} {about:<14} {minute(row['issued_at'], zone):<16}  "
            f"{score:<5} {row['complaint'] or ''}".rstrip()
        )
    return "\n".join(lines)


def render_survey(entry: RecordEntry, status: SurveyStatus, policy: SurveyPolicy, zone: tzinfo) -> str:
    data = entry.data
    contact = data.get("contact") or {}
    who = ", ".join(str(contact[k]) for k in ("name", "company", "phone", "email") if contact.get(k))
    about = (
        f"case {data['case']}"
        if data.get("case")
        else f"customer {data.get('customer')}, {data.get('period') or 'ad hoc'}"
    )
    out = [
        f"{data.get('id')}  satisfaction survey · {status} · {about}",
        f"  contact    {who or '—'}",
        f"  issued     {minute(data.get('issued_at'), zone)}; send after {minute(data.get('send_after'), zone)}",
        f"  sent       {minute(data.get('sent_at'), zone)}",
        f"  expires    {minute(data.get('expires_at'), zone)}",
        f"  answered   {minute(data.get('answered_at'), zone)}"
        + (
            f" by {data.get('answered_by') or '—'} ({data.get('via')}), entered by {data.get('recorded_by')}"
            if data.get("answered_at")
            else ""
        ),
    ]
    ratings = data.get("ratings") or {}
    if ratings:
        out += ["", f"Ratings (score {data.get('score')})"]
        for key, answer_key in ratings.items():
            question = next((q for q in policy.questions if q.key == key), None)
            answer = policy.answer_by_key(str(answer_key))
            label = f"{question.label_zh} {question.label}" if question else key
            shown = f"{answer.label_zh} {answer.label}" if answer else str(answer_key)
            out.append(f"  {label:<28} {shown}")
    if data.get("opinions"):
        out += ["", "Opinions and suggestions", *("  " + line for line in str(data["opinions"]).splitlines())]
    if data.get("complaint"):
        out += ["", f"Follow-up: complaint {data['complaint']}"]
    return "\n".join(out)
