"""What a customer sees of its own records in an export: an allow-list, never the raw file.

A case shows its number, title, type, fault level, status, channel, category
and engineer, the times, the caller, the pauses, the resolution, the
description, and the events of its history that are the customer's business
(`customer_visible`): opened, responses, calls, replies, remote and on-site
work, progress and incident reports, waiting and resuming, restore, close and
reopen — with the few fields of each that say something to the customer
(`EVENT_FIELDS`).  The desk's bookkeeping stays out: `check`'s warnings,
breaches and ladder steps, escalations to named roles, assignments, edits,
merges, the policy version, who was paged, and links to records that are not
in the export.  Surveys and inspections show what `survey show` and
`inspect report` show: the answers under their questions, the checklist with
its results, the findings and the running status.

Everything is labelled in the export's language (`labels`), and times are
shown to the minute by the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from casefile.cases.description import description_of
from casefile.cases.public import is_customer_visible, visible_text
from casefile.export.labels import EVENTS, field_label, value_label

CASE_FIELDS = ("type", "level", "status", "channel", "category", "assignee")
TIME_FIELDS = ("opened_at", "responded_at", "onsite_at", "resolved_at", "closed_at")
CALLER_FIELDS = ("name", "company", "phone", "email")
# The events a customer is told about (SPEC 6), and the fields of each shown with it.
VISIBLE_EVENTS = frozenset({"opened", "responded", "paused", "resumed", "resolved", "closed", "reopened", "note",
                            "call", "reply", "remote", "onsite", "progress", "report"})
EVENT_FIELDS = {"paused": ("waiting_on",), "closed": ("confirmed_by",), "remote": ("authorised_by",),
                "onsite": ("dispatched_at", "arrived_at")}
_TIME_KEYS = frozenset({"dispatched_at", "arrived_at"})

Minute = Callable[[Any], str]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def customer_visible(event: Mapping[str, Any]) -> bool:
    """Whether an event of a case's log is the customer's business: what `cases.public` decides for the
    customer's mail and the status answered by mail too (issue 15) — a reply, the customer's own mail,
    a milestone; never an internal note."""
    return is_customer_visible(event)


def case_view(data: Mapping[str, Any], body: str, exported: Collection[str], lang: str = "en",
              minute: Minute = str, ident: str | None = None) -> dict[str, Any]:
    caller = _mapping(data.get("caller"))
    events = _list(data.get("events"))
    pauses = _list(data.get("pauses"))
    links = _list(data.get("links"))
    return {
        "id": ident or _text(data.get("id")),
        "title": _text(data.get("title")),
        "status": value_label(lang, data.get("status")),
        "opened": minute(data.get("opened_at")) if data.get("opened_at") else "",
        "closed": minute(data.get("closed_at")) if data.get("closed_at") else "",
        "fields": [(field_label(lang, key), value_label(lang, _text(data.get(key))))
                   for key in CASE_FIELDS if _scalar(data.get(key))],
        "times": [(field_label(lang, key), minute(data.get(key))) for key in TIME_FIELDS if _scalar(data.get(key))],
        "confirmed_by": _text(data.get("confirmed_by")) if _scalar(data.get("confirmed_by")) else "",
        "resolution": _text(data.get("resolution")) if _scalar(data.get("resolution")) else "",
        "caller": [(field_label(lang, key), _text(caller.get(key))) for key in CALLER_FIELDS
                   if _scalar(caller.get(key))],
        "pauses": [_pause(p, lang, minute) for p in pauses if isinstance(p, Mapping)],
        "events": [_event(e, lang, minute) for e in events if isinstance(e, Mapping) and customer_visible(e)],
        "links": [str(link) for link in links if isinstance(link, str) and link in exported],
        "description": description_of(data, body, lang),
    }


def _pause(pause: Mapping[str, Any], lang: str, minute: Minute) -> dict[str, Any]:
    return {"from": minute(pause.get("from")) if pause.get("from") else "",
            "until": minute(pause.get("until")) if pause.get("until") else "",
            "waiting_on": value_label(lang, _text(pause.get("waiting_on"))), "reason": _text(pause.get("reason"))}


def _event(event: Mapping[str, Any], lang: str, minute: Minute) -> dict[str, Any]:
    kind = str(event.get("kind"))
    fields = _mapping(event.get("fields"))
    details = []
    for key in EVENT_FIELDS.get(kind, ()):
        value = fields.get(key)
        if _scalar(value):
            shown = minute(value) if key in _TIME_KEYS else value_label(lang, _text(value))
            details.append(f"{field_label(lang, key)}: {shown}")
    return {"at": minute(event.get("at")) if event.get("at") else "", "by": _text(event.get("by")),
            "kind": EVENTS[lang].get(kind, kind), "text": visible_text(event, lang),
            "details": "; ".join(details)}


def survey_view(data: Mapping[str, Any], body: str, ident: str, lang: str, minute: Minute,
                question: Callable[[str], str], answer: Callable[[str], str]) -> dict[str, Any]:
    """A survey as `survey show` lays it out: its state, then each question with the answer."""
    fields = [(field_label(lang, "case"), _text(data.get("case"))) if _scalar(data.get("case")) else None,
              (field_label(lang, "status"), value_label(lang, data.get("status"))) if _scalar(data.get("status")) else None]
    for key in ("issued_at", "answered_at"):
        if _scalar(data.get(key)):
            fields.append((field_label(lang, key), minute(data.get(key))))
    for key in ("answered_by", "score", "opinions"):
        if _scalar(data.get(key)) and data.get(key) != "":
            fields.append((field_label(lang, key), _text(data.get(key))))
    ratings = _mapping(data.get("ratings"))
    rows = [[question(str(key)), answer(_text(value))] for key, value in ratings.items() if _scalar(value)]
    return {"id": ident, "kind": "survey", "title": _text(data.get("case") or ident),
            "fields": [f for f in fields if f is not None],
            "table": {"head": [field_label(lang, "question"), field_label(lang, "answer")], "rows": rows}
            if rows else None,
            "description": ""}


def inspection_view(data: Mapping[str, Any], body: str, ident: str, lang: str,
                    item_label: Callable[[str], str]) -> dict[str, Any]:
    """An inspection as `inspect report` lays it out: the visit, the checklist, findings, running status."""
    fields = [(field_label(lang, "status"), value_label(lang, data.get("status")))] if _scalar(data.get("status")) else []
    for key in ("period", "planned_on", "inspected_on", "inspector", "work_order", "summary", "findings",
                "suggestions", "training"):
        if _scalar(data.get(key)) and data.get(key) != "":
            fields.append((field_label(lang, key), _text(data.get(key))))
    equipment = _list(data.get("equipment"))
    changes = []
    for change in equipment:
        if isinstance(change, Mapping):
            parts = [value_label(lang, change.get("action")), _text(change.get("serial"))]
            if _scalar(change.get("new_serial")) and change.get("new_serial"):
                parts.append(f"→ {change.get('new_serial')}")
            if _scalar(change.get("model")) and change.get("model"):
                parts.append(f"({change.get('model')})")
            changes.append(" ".join(p for p in parts if p))
    if changes:
        fields.append((field_label(lang, "equipment"), "; ".join(changes)))
    checklist = _list(data.get("checklist"))
    rows = [[item_label(_text(row.get("item"))), value_label(lang, _text(row.get("result"))),
             _text(row.get("note")) if _scalar(row.get("note")) else ""]
            for row in checklist if isinstance(row, Mapping)]
    return {"id": ident, "kind": "inspection", "title": ident, "fields": fields,
            "table": {"head": [field_label(lang, k) for k in ("item", "result", "note")], "rows": rows}
            if rows else None,
            "description": body.strip("\n")}


def _scalar(value: Any) -> bool:
    return value is not None and not isinstance(value, (Mapping, list))


def _text(value: Any) -> str:
    return "" if value is None else str(value)
