"""An iCalendar feed (RFC 5545) of events: the only importer of `icalendar`.

The library writes what RFC 5545 asks and is easy to get wrong by hand: CRLF line
ends, lines folded at 75 octets (never inside a UTF-8 character — Chinese titles),
text escaped (`,` `;` `\\` and newlines), and the VTIMEZONE component each TZID
names, so the times read right in any calendar app.  Times are written in the
desk's zone with its TZID (`Asia/Shanghai`); a zone without a name goes as UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

import icalendar

from casefile.values import Struct
from casefile.version import __version__

PRODID = f"-//casefile//casefile {__version__}//EN"


class FeedEvent(Struct, frozen=True):
    uid: str  # stable per record: the same event in every feed, so a calendar app updates it
    summary: str
    start: datetime | date  # a date: an all-day event
    end: datetime | date  # exclusive
    status: str  # TENTATIVE, CONFIRMED or CANCELLED
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()


def ics_feed(events: Sequence[FeedEvent], name: str, stamp: datetime, zone: tzinfo) -> bytes:
    """The feed's bytes; `stamp` (the one clock) is every event's DTSTAMP, in UTC."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    named = isinstance(zone, ZoneInfo)
    if named:
        cal.add("x-wr-timezone", str(zone))
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp.astimezone(timezone.utc))
        for key, value in (("dtstart", item.start), ("dtend", item.end)):
            if isinstance(value, datetime):
                value = value.astimezone(zone if named else timezone.utc)
            event.add(key, value)
        event.add("summary", item.summary)
        event.add("status", item.status)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.categories:
            event.add("categories", list(item.categories))
        cal.add_component(event)
    if named:
        cal.add_missing_timezones()
    return bytes(cal.to_ical())
