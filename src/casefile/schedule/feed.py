"""`casefile calendar ics`: the team's calendar of change windows and inspections (an `.ics` feed).

One event per record, its UID made from the record's id (`CHG-KMT-00001@changes.casefile.invalid`,
`sz-metro-2026-11@inspections.casefile.invalid`), so a calendar app that subscribes to the feed
updates an event when its window moves and drops it when it is cancelled:

* a change: its window; TENTATIVE while it waits for the review, CONFIRMED once approved (and in
  progress, completed), CANCELLED when rejected;
* an inspection: an all-day event on the day it is planned (TENTATIVE) or was done (CONFIRMED);
  CANCELLED when the customer called it off.

The feed is for the team: it names the plan and backout of a change.  It is not a record — nothing is
committed; `-o FILE` writes it whole or not at all (a web server can serve the file).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from casefile.records.kinds import CHANGES, INSPECTIONS
from casefile.records.yamlio import RecordError
from casefile.render.ics import FeedEvent, ics_feed
from casefile.session import Session
from casefile.worktime.clock import parse_stored

CHANGE_STATUS = {"planned": "TENTATIVE", "approved": "CONFIRMED", "in-progress": "CONFIRMED",
                 "completed": "CONFIRMED", "rejected": "CANCELLED"}
INSPECTION_STATUS = {"planned": "TENTATIVE", "done": "CONFIRMED", "cancelled": "CANCELLED"}


def change_event(data: Mapping[str, Any]) -> FeedEvent | None:
    window = data.get("window")
    if not isinstance(window, Mapping):
        return None
    try:
        start, end = parse_stored(str(window.get("start"))), parse_stored(str(window.get("end")))
    except (TypeError, ValueError):
        return None  # `validate` says what is wrong with it
    ident, status = str(data.get("id")), str(data.get("status"))
    lines = [f"{ident} ({status}, risk {data.get('risk')})"]
    for label, key in (("Customers", "customers"), ("Devices", "assets"), ("Problems", "problems")):
        if data.get(key):
            lines.append(f"{label}: {', '.join(str(v) for v in data[key])}")
    lines += [f"Plan: {data.get('plan') or ''}", f"Backout: {data.get('backout') or ''}"]
    if data.get("requested_by"):
        lines.append(f"Requested by {data['requested_by']}")
    return FeedEvent(f"{ident}@changes.casefile.invalid", f"变更 Change {ident}: {data.get('title')}", start, end,
                     CHANGE_STATUS.get(status, "TENTATIVE"), "\n".join(lines), ", ".join(data.get("customers") or []),
                     ("change",))


def inspection_event(data: Mapping[str, Any]) -> FeedEvent | None:
    status = str(data.get("status"))
    day_text = data.get("inspected_on") if status == "done" and data.get("inspected_on") else data.get("planned_on")
    try:
        day = date.fromisoformat(str(day_text))
    except ValueError:
        return None
    ident = str(data.get("id"))
    lines = [f"{ident} ({status})"]
    if data.get("due_by"):
        lines.append(f"Due by {data['due_by']}")
    if data.get("inspector"):
        lines.append(f"Inspector: {data['inspector']}")
    return FeedEvent(f"{ident}@inspections.casefile.invalid", f"巡检 Inspection {data.get('customer')} ({ident})",
                     day, day + timedelta(days=1), INSPECTION_STATUS.get(status, "TENTATIVE"), "\n".join(lines),
                     str(data.get("customer") or ""), ("inspection",))


def feed_events(session: Session, since: date | None = None) -> list[FeedEvent]:
    """Every change window and inspection (those ending on or after `since`), by start."""

    def skip(error: RecordError) -> None:  # one bad record never stops the rest
        session.notes(f"skipped {error}")

    found: list[FeedEvent] = []
    for entry in session.catalog.records(CHANGES.folder, skip):
        event = change_event(entry.data)
        if event is not None:
            found.append(event)
    for entry in session.catalog.records(INSPECTIONS.folder, skip):
        event = inspection_event(entry.data)
        if event is not None:
            found.append(event)
    zone = session.policy.zone

    def day_of(value: datetime | date) -> date:
        return value.astimezone(zone).date() if isinstance(value, datetime) else value

    if since is not None:
        found = [e for e in found if day_of(e.end) >= since]
    return sorted(found, key=lambda e: (day_of(e.start).isoformat(), e.uid))


def feed(session: Session, since: date | None = None) -> tuple[list[FeedEvent], bytes]:
    """The events and the feed's bytes (DTSTAMP: the one clock)."""
    events = feed_events(session, since)
    name = f"{session.policy.desk_name} — 变更与巡检 changes and inspections"
    return events, ics_feed(events, name, session.now(), session.policy.zone)


def event_json(event: FeedEvent) -> dict[str, Any]:
    return {"uid": event.uid, "summary": event.summary, "start": event.start.isoformat(),
            "end": event.end.isoformat(), "status": event.status, "location": event.location,
            "categories": list(event.categories), "description": event.description}
