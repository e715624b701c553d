"""What a case is: its fields, statuses, kinds of activity, and its file.

The front matter is the structured record of SPEC section 2; `CaseDoc` reads
and changes it in place, so a change touches only the lines it must (the
mapping may be a plain dict from the fast reader or a round-trip mapping that
keeps comments and unknown keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casefile.cases.vocabulary import (  # noqa: F401 - the model speaks these words
    AFTER_CLOSE,
    EVENT_KINDS,
    OPEN_STATUSES,
    CaseType,
    Channel,
    EventKind,
    NoteKind,
    ReplyKind,
    Status,
    Tier,
    Visibility,
    WaitingOn,
)
from casefile.said import Said
from casefile.records import yamlio
from casefile.worktime.clock import parse_stored

CALLER_FIELDS = ("name", "company", "phone", "email", "address", "contract", "verified")

# The order of keys in a new case; hand-added keys stay where people put them.
FIELD_ORDER = (
    "id",
    "title",
    "type",
    "level",
    "status",
    "channel",
    "category",
    "tags",
    "asset",
    "customer",
    "caller",
    "assignee",
    "tier",
    "vendor",
    "vendor_ticket",
    "service",
    "policy",
    "opened_at",
    "responded_at",
    "onsite_at",
    "resolved_at",
    "closed_at",
    "confirmed_by",
    "closed_as",
    "resolution",
    "verdict",
    "first_contact",
    "described",
    "links",
    "pauses",
    "events",
)
TIME_FIELDS = ("opened_at", "responded_at", "onsite_at", "resolved_at", "closed_at")
# Written only when set (`resolve --first-contact`), so a new case does not carry them.
OPTIONAL_FIELDS = frozenset({"tags", "first_contact", "vendor", "vendor_ticket", "service", "asset", "verdict", "closed_as",
                             "described"})


class CaseDoc:
    """A case's front matter, read and changed in place."""

    def __init__(self, data: Any, body: str = "") -> None:
        self.data = data
        self.body = body

    # -- reading -------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key, default)
        return default if value is None else value

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def status(self) -> Status:
        return Status(self.data["status"])

    @property
    def title(self) -> str:
        return str(self.data.get("title") or "")

    @property
    def level(self) -> str:
        return str(self.data["level"])

    @property
    def events(self) -> list[Mapping[str, Any]]:
        return list(self.data.get("events") or [])

    def time(self, key: str) -> datetime | None:
        value = self.data.get(key)
        return parse_stored(str(value)) if value else None

    def open_pause(self) -> Mapping[str, Any] | None:
        for pause in reversed(self.data.get("pauses") or []):
            if not pause.get("until"):
                return pause  # type: ignore[no-any-return]
        return None

    # -- changing ------------------------------------------------------------

    def set(self, key: str, value: Any) -> None:
        """Set a field, inserting a missing one at its usual place."""
        if key in self.data or not yamlio.is_editable_map(self.data):
            self.data[key] = value
            return
        position = len(self.data)
        if key in FIELD_ORDER:
            later = FIELD_ORDER[FIELD_ORDER.index(key) + 1 :]
            for index, existing in enumerate(self.data):
                if existing in later:
                    position = index
                    break
        self.data.insert(position, key, value)

    def add_event(
        self,
        at: str,
        by: str,
        kind: str,
        text: str | Said | None = None,
        fields: Mapping[str, Any] | None = None,
        visibility: str | None = None,
    ) -> None:
        self.append_event(new_event(at, by, kind, text, fields, visibility))

    def append_event(self, event: Mapping[str, Any]) -> None:
        """An event made by `new_event`, at the end of the activity log."""
        if self.data.get("events") is None:
            self.set("events", [])
        yamlio.append_block(self.data["events"], yamlio.new_map(dict(event)))

    def add_pause(self, at: str, waiting_on: str, reason: str) -> None:
        if self.data.get("pauses") is None:
            self.set("pauses", [])
        pause = {"from": at, "until": None, "waiting_on": waiting_on, "reason": reason}
        yamlio.append_block(self.data["pauses"], yamlio.new_map(pause))


def new_event(
    at: str, by: str, kind: str, text: str | Said | None = None, fields: Mapping[str, Any] | None = None,
    visibility: str | None = None,
) -> dict[str, Any]:
    """One entry of the activity log, its keys in the order they are written; `visibility` is
    `customer` for what the customer is told (a reply, a mail from them), `internal` for a note."""
    event: dict[str, Any] = {"at": at, "by": by, "kind": str(kind)}
    if visibility:
        event["visibility"] = visibility
    if isinstance(text, Said):  # an engine's words: kept as the message and its values, shown in the reader's
        event.update(text.stored())
    elif text:
        event["text"] = text
    if fields:
        event["fields"] = dict(fields)
    return event


def change(old: Any, new: Any) -> dict[str, Any]:
    """The `fields` entry of an event for one changed value."""
    return {"from": old, "to": new}


def new_case_data(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new case's front matter with every standard key, in the usual order."""
    data: dict[str, Any] = {}
    for key in FIELD_ORDER:
        if key in OPTIONAL_FIELDS and key not in fields:
            continue
        if key in fields:
            data[key] = fields[key]
        elif key in ("links", "pauses", "events"):
            data[key] = []
        else:
            data[key] = None
    return data
