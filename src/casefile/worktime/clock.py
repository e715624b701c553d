"""The one clock: `--now` / `CASEFILE_NOW`, else the system.

Every other module takes the current time as a parameter.  Stored times are
ISO 8601 with their UTC offset, to the second, in the desk's time zone, and
written the same way every time (`2026-11-22T09:14:07+08:00`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct, field, force_setattr


class BadInstant(CasefileError):
    def __init__(self, text: str, what: str = "time") -> None:
        super().__init__(
            _("{what} {text!r} is not an ISO 8601 time").format(what=what, text=text),
            _("write it like 2026-11-22T09:14:00+08:00, or 2026-11-22T09:14 in the desk's zone"),
        )


def parse_instant(text: str, zone: tzinfo, what: str = "time") -> datetime:
    """Parse an ISO 8601 time; a time without an offset is in `zone`."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInstant(text, what) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value


def format_instant(value: datetime, zone: tzinfo) -> str:
    """The one spelling of a stored time: seconds, `T`, numeric offset."""
    return value.astimezone(zone).isoformat(timespec="seconds")


def parse_stored(text: str) -> datetime:
    """Parse a time as stored in a record (always carries its offset)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(_("{text!r} has no UTC offset").format(text=text))
    return value


class Clock(Struct, frozen=True):
    """Hands out 'now'.  `fixed` comes from `--now` or `CASEFILE_NOW`."""

    fixed: datetime | None = None

    def now(self) -> datetime:
        if self.fixed is not None:
            return self.fixed
        return datetime.now(timezone.utc).replace(microsecond=0)

    @classmethod
    def from_option(cls, text: str | None, zone: tzinfo) -> Clock:
        """From `--now` (click also reads CASEFILE_NOW into it)."""
        if not text:
            return cls()
        return cls(parse_instant(text, zone, what="--now"))


class RunningClock(Struct, frozen=True):
    """The one clock of a command that stays open (`casefile board`): it starts at `start` — `--now`, or
    the system's time — and runs on with real time from there, so a board opened `--now 02:00` shows 02:05
    five minutes later.  `ticks` is the seconds counter it runs by (monotonic; a test passes its own)."""

    start: datetime
    ticks: Callable[[], float] = time.monotonic
    began: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.began < 0:
            force_setattr(self, "began", self.ticks())

    def now(self) -> datetime:
        return (self.start + timedelta(seconds=self.ticks() - self.began)).replace(microsecond=0)


def wall_seconds() -> float:
    """The real time in seconds, never `--now`: for signatures a far end checks against its own clock
    (DingTalk and Feishu refuse a timestamp more than an hour off)."""
    return time.time()
