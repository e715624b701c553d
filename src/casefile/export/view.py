"""What a customer sees of its own records in an export: chosen fields, never the raw file.

A case shows its number, title, kind, level, status, the caller, the times,
the pauses, the resolution, the activity log and the description.  Internal
bookkeeping stays out: the policy version, the escalation ladder's keys,
roles and notification lists, and links to records that are not in the
export.  Surveys and inspections (any record kind, read generically) show
their fields as label and text, nested lists as one line per item.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from casefile.cases.public import is_customer_visible

CASE_FIELDS = (
    ("type", "Type"), ("level", "Level"), ("status", "Status"), ("channel", "Reported by"),
    ("category", "Category"), ("assignee", "Engineer"), ("tier", "Tier"),
)
TIME_FIELDS = (
    ("opened_at", "Opened"), ("responded_at", "First response"), ("onsite_at", "On site"),
    ("resolved_at", "Service restored"), ("closed_at", "Closed"),
)
CALLER_FIELDS = ("name", "company", "phone", "email", "address", "contract")
# Fields of events and records that are desk bookkeeping, not the customer's history.
INTERNAL = frozenset({
    "key", "roles", "notified", "nobody_holds", "also_fired", "deferred_to", "fired_at", "host", "policy",
    "links", "events", "id", "mailed_to", "mail_held_until", "survey_sent",
})


def case_view(data: Mapping[str, Any], body: str, exported: Collection[str]) -> dict[str, Any]:
    caller = data.get("caller") if isinstance(data.get("caller"), Mapping) else {}
    return {
        "id": str(data.get("id")),
        "title": str(data.get("title") or ""),
        "fields": [(label, _text(data.get(key))) for key, label in CASE_FIELDS if data.get(key)],
        "times": [(label, data.get(key)) for key, label in TIME_FIELDS if data.get(key)],
        "confirmed_by": _text(data.get("confirmed_by")),
        "resolution": _text(data.get("resolution")),
        "caller": [(key, _text(caller.get(key))) for key in CALLER_FIELDS if caller and caller.get(key)],
        "pauses": [_pause(p) for p in data.get("pauses") or [] if isinstance(p, Mapping)],
        # The customer's view of the log (cases.public): replies and milestones, never internal notes.
        "events": [_event(e) for e in data.get("events") or [] if isinstance(e, Mapping) and is_customer_visible(e)],
        "links": [str(link) for link in data.get("links") or [] if str(link) in exported],
        "description": body.strip("\n"),
    }


def _pause(pause: Mapping[str, Any]) -> dict[str, Any]:
    return {"from": pause.get("from"), "until": pause.get("until"), "waiting_on": _text(pause.get("waiting_on")),
            "reason": _text(pause.get("reason"))}


def _event(event: Mapping[str, Any]) -> dict[str, Any]:
    fields = event.get("fields")
    details = [f"{key}: {_value(value)}" for key, value in fields.items() if key not in INTERNAL] \
        if isinstance(fields, Mapping) else []
    return {"at": event.get("at"), "by": _text(event.get("by")), "kind": _text(event.get("kind")),
            "text": _text(event.get("text")), "details": "; ".join(details)}


def record_view(data: Mapping[str, Any], body: str, kind: str, stem: str) -> dict[str, Any]:
    """A survey, inspection or any other record: its fields in the order written."""
    return {
        "id": stem,
        "kind": kind,
        "title": _text(data.get("title") or data.get("id") or stem),
        "fields": [(str(key), _value(value)) for key, value in data.items() if str(key) not in INTERNAL
                   and value not in (None, "", [], {})],
        "description": body.strip("\n"),
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _value(value: Any) -> str:
    if isinstance(value, Mapping):
        if set(value) == {"from", "to"}:
            return f"{_value(value['from']) or '—'} → {_value(value['to']) or '—'}"
        if set(value) == {"kept", "lost"}:
            return f"{_value(value['kept']) or '—'} (not {_value(value['lost']) or '—'})"
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items() if str(k) not in INTERNAL)
    if isinstance(value, list):
        return " | ".join(_value(item) for item in value)
    return _text(value)
