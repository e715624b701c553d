"""What the SLA engine needs to know about a case, read from its front matter.

Pure: a plain mapping (as the fast reader or `show --json` gives it) in, a
`CaseFacts` value out.  Times of events by name (`anchors`), the pauses with
who the case waited for, and the keys of alerts already recorded by
`casefile check` (so a step is recognisable in every clone).

Event names (`slapolicy.EVENTS`): `opened` is `opened_at`; `onsite` is an
arrival (`fields.arrived_at` of an onsite note, or `onsite_at`); `dispatched`
is `fields.dispatched_at` of an onsite note; `resolved` also reads
`resolved_at`; any other name is the `at` of events of that kind
(`responded`, `reply`, `progress`, `report`, `reopened`, `closed`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casefile.values import Struct, field
from casefile.worktime.clock import parse_stored
from casefile.worktime.duration import Duration, DurationError, parse_duration
from casefile.i18n import _

Interval = tuple[datetime, datetime]
VENDOR_START = "vendor-escalated"  # the anchor of the vendor's clocks: the last escalation to a vendor


class Pause(Struct, frozen=True):
    start: datetime
    end: datetime | None  # None: still waiting
    waiting_on: str
    reason: str = ""


class VendorFacts(Struct, frozen=True):
    """The case's last escalation to a vendor: when, to whom, and the commitments copied from its record."""

    at: datetime
    vendor: str
    ticket: str | None
    commitments: Mapping[str, Duration]
    calendar: str | None


class LevelChange(Struct, frozen=True):
    at: datetime
    by: str
    old: str
    new: str


class CaseFacts(Struct, frozen=True):
    case_id: str
    level: str
    type: str
    channel: str
    status: str
    opened_at: datetime
    assignee: str | None
    policy: str | None
    anchors: Mapping[str, tuple[datetime, ...]]
    pauses: tuple[Pause, ...] = ()
    fired: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # key -> event
    rule: str | None = None  # `service.rule`: the policy rule chosen when it was opened (or its level changed)
    coverage: str | None = None  # `service.coverage`: the customer's coverage when it was opened
    vendor: VendorFacts | None = None
    level_changes: tuple[LevelChange, ...] = ()

    def next_after(self, moment: datetime) -> datetime | None:
        """The first recorded event or pause boundary after `moment` (only in a replay with --now)."""
        later = [at for times in self.anchors.values() for at in times if at > moment]
        later += [t for p in self.pauses for t in (p.start, p.end) if t is not None and t > moment]
        return min(later, default=None)

    def times(self, event: str, until: datetime) -> tuple[datetime, ...]:
        """When `event` happened, oldest first, up to `until`."""
        return tuple(at for at in self.anchors.get(event, ()) if at <= until)


def _time(value: Any) -> datetime | None:
    return parse_stored(str(value)) if value else None


def facts_of(data: Mapping[str, Any]) -> CaseFacts:
    """Read the facts; a time that cannot be read raises ValueError (a broken record)."""
    opened = _time(data.get("opened_at"))
    if opened is None:
        raise ValueError(_("the case has no opened_at"))
    anchors: dict[str, set[datetime]] = {"opened": {opened}}

    def add(name: str, at: datetime | None) -> None:
        if at is not None:
            anchors.setdefault(name, set()).add(at)

    fired: dict[str, Mapping[str, Any]] = {}
    vendor: VendorFacts | None = None
    changes: list[LevelChange] = []
    for event in data.get("events") or []:
        kind, at = str(event.get("kind")), _time(event.get("at"))
        fields = event.get("fields") or {}
        if kind == "escalated" and at is not None and isinstance(fields, Mapping) and fields.get("vendor"):
            vendor = _vendor(at, fields)
        if kind == "changed" and at is not None and isinstance(fields, Mapping) \
                and isinstance(fields.get("level"), Mapping):
            change = fields["level"]
            changes.append(LevelChange(at, str(event.get("by") or ""), str(change.get("from")), str(change.get("to"))))
        if kind == "onsite":
            add("dispatched", _time(fields.get("dispatched_at")) or at)
            add("onsite", _time(fields.get("arrived_at")))
        elif kind != "opened":
            add(kind, at)
        key = fields.get("key") if isinstance(fields, Mapping) else None
        if key:
            fired.setdefault(str(key), event)
    if vendor is not None:
        add(VENDOR_START, vendor.at)
    add("onsite", _time(data.get("onsite_at")))
    add("responded", _time(data.get("responded_at")))
    add("resolved", _time(data.get("resolved_at")))
    pauses = tuple(
        Pause(
            parse_stored(str(p["from"])),
            _time(p.get("until")),
            str(p.get("waiting_on") or "customer"),
            str(p.get("reason") or ""),
        )
        for p in data.get("pauses") or []
        if isinstance(p, Mapping) and p.get("from")
    )
    return CaseFacts(
        case_id=str(data.get("id")),
        level=str(data.get("level")),
        type=str(data.get("type") or ""),
        channel=str(data.get("channel") or ""),
        status=str(data.get("status") or ""),
        opened_at=opened,
        assignee=str(data["assignee"]) if data.get("assignee") else None,
        policy=str(data["policy"]) if data.get("policy") else None,
        anchors={name: tuple(sorted(times)) for name, times in anchors.items()},
        pauses=pauses,
        fired=fired,
        rule=_service(data, "rule"),
        coverage=_service(data, "coverage"),
        vendor=vendor,
        level_changes=tuple(changes),
    )


def service_of(data: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(rule, coverage) a case recorded when it was opened (`service:`); (None, None) for older cases."""
    return _service(data, "rule"), _service(data, "coverage")


def _service(data: Mapping[str, Any], key: str) -> str | None:
    service = data.get("service")
    value = service.get(key) if isinstance(service, Mapping) else None
    return str(value) if value else None


def _vendor(at: datetime, fields: Mapping[str, Any]) -> VendorFacts:
    commitments: dict[str, Duration] = {}
    raw = fields.get("commitments")
    for key, value in (raw.items() if isinstance(raw, Mapping) else ()):
        try:
            commitments[str(key)] = parse_duration(value, where=f"commitments.{key}")
        except DurationError as error:
            raise ValueError(error.message) from None
    ticket, calendar = fields.get("ticket"), fields.get("calendar")
    return VendorFacts(at, str(fields["vendor"]), str(ticket) if ticket else None, commitments,
                       str(calendar) if calendar else None)
