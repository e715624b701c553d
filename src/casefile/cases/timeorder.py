"""Time runs one way in a case: what is refused when it would not, and what `validate` flags.

A case's activity log is the record of what happened, in the order it
happened.  A step recorded with `--now` earlier than the case's opening, or
earlier than its last activity, would let a case be answered before it was
reported; a visit dispatched before the call, or arriving in the future,
would make every clock of it a fiction.  So (SPEC 3, issue 14):

* a new activity may not come before the case was opened, nor before its
  last recorded activity (beyond `SKEW`: clones' clocks differ by seconds);
* times given explicitly (`--dispatched-at`, `--arrived-at`) must lie
  between the opening and now (plus `SKEW`);
* `validate` flags a record whose times run backwards: an event before the
  opening, the log going back in time by more than `SKEW`, a response,
  arrival, restore or close before the opening, a close before the restore,
  a pause before the opening or ending before it starts, an arrival before
  its dispatch.

Pure: a case's front matter and instants in, a refusal or problems out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from casefile.errors import CasefileError
from casefile.records.problems import Checker
from casefile.worktime.clock import parse_stored
from casefile.i18n import _

# How far apart two clones' clocks may be: a step this much "before" the last one is not refused.
SKEW = timedelta(minutes=1)
LATER_FIELDS = ("responded_at", "onsite_at", "resolved_at", "closed_at")


class TimeOrderError(CasefileError):
    """A step whose time would make the case's history run backwards."""


def _time(value: Any) -> datetime | None:
    try:
        return parse_stored(str(value)) if value else None
    except ValueError:
        return None


def _shown(moment: datetime, zone: tzinfo | None) -> str:
    return moment.astimezone(zone or moment.tzinfo).strftime("%Y-%m-%d %H:%M")


def last_activity(data: Mapping[str, Any]) -> tuple[datetime, Mapping[str, Any]] | None:
    """The latest event of the log (by time), with the event."""
    found: tuple[datetime, Mapping[str, Any]] | None = None
    for event in data.get("events") or []:
        if not isinstance(event, Mapping):
            continue
        at = _time(event.get("at"))
        if at is not None and (found is None or at > found[0]):
            found = (at, event)
    return found


def refuse_backwards(data: Mapping[str, Any], when: datetime) -> None:
    """Refuse a step at `when` that comes before the case's opening or its last activity."""
    case_id = data.get("id")
    zone = when.tzinfo
    opened = _time(data.get("opened_at"))
    if opened is not None and when < opened:
        raise TimeOrderError(
            _("{shown} is before {case_id} was opened ({shown2})").format(shown=_shown(when, zone), case_id=case_id, shown2=_shown(opened, zone)),
            _("check --now or this machine's clock: nothing happens to a case before it is reported"),
        )
    last = last_activity(data)
    if last is not None and when < last[0] - SKEW:
        at, event = last
        raise TimeOrderError(
            _("{shown} is before {case_id}'s last activity ({get} by {get2} at {shown2})").format(shown=_shown(when, zone), case_id=case_id, get=event.get('kind'), get2=event.get('by'), shown2=_shown(at, zone)),
            _("record steps in the order they happen; check --now or this machine's clock"),
        )


def refuse_outside(data: Mapping[str, Any], moment: datetime, now: datetime, option: str) -> None:
    """Refuse an explicit time (`--arrived-at`) before the case's opening or after now."""
    case_id = data.get("id")
    zone = now.tzinfo
    opened = _time(data.get("opened_at"))
    if opened is not None and moment < opened:
        raise TimeOrderError(
            _("{option} {shown} is before {case_id} was opened ({shown2})").format(option=option, shown=_shown(moment, zone), case_id=case_id, shown2=_shown(opened, zone)),
            _("give a time between the opening and now with {option}").format(option=option),
        )
    if moment > now + SKEW:
        raise TimeOrderError(
            _("{option} {shown} is later than now ({shown2})").format(option=option, shown=_shown(moment, zone), shown2=_shown(now, zone)),
            _("record it when it has happened, or give a time up to now with {option}").format(option=option),
        )


def time_problems(c: Checker, data: Mapping[str, Any]) -> None:
    """Add a problem for every time of the case that runs backwards."""
    opened = _time(data.get("opened_at"))
    if opened is None:
        return
    for key in LATER_FIELDS:
        at = _time(data.get(key))
        if at is not None and at < opened:
            c.add((key,), _("{key} is before opened_at: times run backwards").format(key=key))
    resolved, closed = _time(data.get("resolved_at")), _time(data.get("closed_at"))
    if resolved is not None and closed is not None and closed < resolved:
        c.add(("closed_at",), _("closed_at is before resolved_at: times run backwards"))
    events = data.get("events")
    previous: datetime | None = None
    for index, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, Mapping):
            continue
        at = _time(event.get("at"))
        if at is None:
            continue
        if at < opened:
            c.add(("events", index, "at"), _("events[{index}] is before the case was opened: times run backwards").format(index=index))
        elif previous is not None and at < previous - SKEW:
            c.add(("events", index, "at"),
                  _("events[{index}] is earlier than the event before it: the activity log runs backwards").format(index=index))
        previous = at if previous is None else max(previous, at)
        fields = event.get("fields")
        if isinstance(fields, Mapping):
            dispatched, arrived = _time(fields.get("dispatched_at")), _time(fields.get("arrived_at"))
            for name, moment in (("dispatched_at", dispatched), ("arrived_at", arrived)):
                if moment is not None and moment < opened:
                    c.add(("events", index, "fields", name),
                          _("events[{index}].fields.{name} is before the case was opened").format(index=index, name=name))
            if dispatched is not None and arrived is not None and arrived < dispatched:
                c.add(("events", index, "fields", "arrived_at"),
                      _("events[{index}]: the engineer arrived before being dispatched").format(index=index))
    pauses = data.get("pauses")
    for index, pause in enumerate(pauses if isinstance(pauses, list) else []):
        if isinstance(pause, Mapping):
            start = _time(pause.get("from"))
            if start is not None and start < opened:
                c.add(("pauses", index, "from"), _("pauses[{index}] starts before the case was opened").format(index=index))
