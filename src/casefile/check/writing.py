"""Writing what a `check` run fired into a record, and asking whether a key is recorded: one way for
every provider (cases, inspections, contracts, pages).

The events go at the end of the record's activity log: appended as text when the log ends the
front matter, as it does in every file casefile wrote (`records.append` proves the result means the
old record plus the new events), else through the round-trip parser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.cases.model import CaseDoc, new_event
from casefile.check.model import CHECK_ACTOR, Fired, alert_fields, recorded_keys
from casefile.records.append import append_events
from casefile.records.file import EditableRecord, read_plain


def fired_events(fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> list[dict[str, Any]]:
    """One event per fired alert, as check records it."""
    return [new_event(stamp(item.fired_at), CHECK_ACTOR, str(item.alert.kind), item.alert.says, alert_fields(item, stamp))
            for item in fired]


def with_events(text: str, path: str, events: Sequence[Mapping[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The record's new text with `events` at the end of its log, and its front matter."""
    appended = append_events(text, path, list(events))
    if appended is not None:
        return appended
    record = EditableRecord.parse(text, path)
    doc = CaseDoc(record.data, record.body)
    for event in events:
        doc.append_event(event)
    return record.render(), record.data


def is_recorded(text: str, key: str) -> bool:
    """Whether an alert key is recorded in this record text."""
    data, _body = read_plain(text, "record")
    return key in recorded_keys(data)
