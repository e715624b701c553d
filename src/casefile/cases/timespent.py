"""Time spent handling a case (`--spent 45m` on a note, a reply, a work order): a quality measure of
seed 004 (the time a fault took online and on site).

Stored on the entry it belongs to, `fields.spent: 45m` (as `format_duration` writes it); a work order's
time counts for its engineer (`fields.engineer`), any other entry's for who wrote it.  Pure: values in,
values out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from casefile.i18n import _
from casefile.records import yamlio
from casefile.worktime.duration import DurationError, format_duration, parse_duration

SPENT_FIELD = "spent"


def record_spent(event: Any, spent: timedelta | None) -> None:
    """Write `spent` on `event` (the entry just added)."""
    if spent is None:
        return
    if event.get("fields") is None:
        event["fields"] = yamlio.new_map({})
    event["fields"][SPENT_FIELD] = format_duration(spent)


def spent_of(event: Mapping[str, Any]) -> timedelta | None:
    """The time an entry records (None: none, or unreadable — `validate` says which)."""
    fields = event.get("fields")
    if not isinstance(fields, Mapping) or fields.get(SPENT_FIELD) is None:
        return None
    try:
        value = parse_duration(str(fields[SPENT_FIELD]))
    except DurationError:
        return None
    return value if isinstance(value, timedelta) else None


def worker_of(event: Mapping[str, Any]) -> str:
    fields = event.get("fields")
    if isinstance(fields, Mapping) and fields.get("engineer"):
        return str(fields["engineer"])
    return str(event.get("by") or "")


def spent_by(events: Iterable[Any]) -> dict[str, timedelta]:
    """Time spent per person, over a case's entries, in the order they first recorded some."""
    totals: dict[str, timedelta] = {}
    for event in events:
        if not isinstance(event, Mapping):
            continue
        spent = spent_of(event)
        if spent is not None:
            who = worker_of(event)
            totals[who] = totals.get(who, timedelta(0)) + spent
    return totals


def total_spent(data: Mapping[str, Any]) -> timedelta:
    return sum(spent_by(data.get("events") or []).values(), timedelta(0))


def spent_problems(events: Any) -> list[tuple[int, str]]:
    """(index, message) of entries whose `fields.spent` cannot be read: the schema's check."""
    found = []
    for index, event in enumerate(events if isinstance(events, list) else []):
        fields = event.get("fields") if isinstance(event, Mapping) else None
        if not isinstance(fields, Mapping) or fields.get(SPENT_FIELD) is None:
            continue
        try:
            value = parse_duration(str(fields[SPENT_FIELD]))
        except DurationError:
            value = None
        if not isinstance(value, timedelta):
            found.append((index, _("events[{index}].fields.spent {fields!r} is not a time like 45m or 1h30m").format(index=index, fields=fields[SPENT_FIELD])))
    return found
