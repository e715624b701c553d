"""Durations of service targets: ``30m``, ``1h``, ``4h30m``, ``90s``, ``2d``.

Two kinds, because SPEC section 3 gives them different arithmetic:

* ``h``/``m``/``s`` parts are *working time*, a `timedelta` (``6h`` on a 5x8
  calendar is six working hours, which may span a night or a weekend);
* ``Nd`` is *N working days*, a `WorkingDays` ("the same clock time on the
  Nth working day after the start").

A working day is not a fixed number of hours (a 5x8 day has eight, a 5x24 day
24, a Berlin DST day 23 or 25), so ``d`` cannot be mixed with ``h``/``m``/``s``:
``1d4h`` is refused with a message saying so.  Formatting never produces ``d``
for a `timedelta` either: 48 working hours are ``48h``, not ``2d``.
"""

from __future__ import annotations

import re
from datetime import timedelta

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct

EXAMPLES = "e.g. 30m, 1h, 4h30m, 90s or 2d"

# Parts in a fixed order (h, m, s); each optional, at least one present.
_TIME_RE = re.compile(r"(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?")
_DAYS_RE = re.compile(r"(?P<d>\d+)d")
_MIXED_RE = re.compile(r"\d+d.*\d+[hms]|\d+[hms].*\d+d")


class DurationError(CasefileError):
    """A duration in a policy or on the command line that cannot be read."""


class WorkingDays(Struct, frozen=True, order=True):
    """N whole working days on a calendar (``2d``), N >= 1."""

    days: int

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(_("WorkingDays needs at least one day, got {days}").format(days=self.days))

    def __str__(self) -> str:
        return f"{self.days}d"


Duration = timedelta | WorkingDays


def parse_duration(value: object, *, where: str | None = None) -> Duration:
    """Read ``30m``/``4h30m``/``90s`` as a `timedelta`, ``2d`` as `WorkingDays`.

    ``where`` names the policy key or option for the error message, e.g.
    ``levels.A.targets.restore``.
    """
    prefix = f"{where}: " if where else ""
    if not isinstance(value, str):
        # YAML turns `restore: 90` into an int; a bare number has no unit.
        raise DurationError(_("{prefix}duration {value!r} needs a unit ({EXAMPLES})").format(prefix=prefix, value=value, EXAMPLES=EXAMPLES))
    text = value.strip().lower()
    days = _DAYS_RE.fullmatch(text)
    if days:
        count = int(days["d"])
        if count == 0:
            raise DurationError(_("{prefix}duration {value!r} must be longer than zero").format(prefix=prefix, value=value))
        return WorkingDays(count)
    if _MIXED_RE.search(text):
        raise DurationError(
            _("{prefix}duration {value!r} mixes working days (d) with hours, minutes or seconds; a working day has no fixed length, so write whole days (2d) or hours alone (e.g. 12h)").format(prefix=prefix, value=value)
        )
    parts = _TIME_RE.fullmatch(text)
    if not text or parts is None:
        raise DurationError(_("{prefix}cannot read duration {value!r} ({EXAMPLES})").format(prefix=prefix, value=value, EXAMPLES=EXAMPLES))
    result = timedelta(
        hours=int(parts["h"] or 0), minutes=int(parts["m"] or 0), seconds=int(parts["s"] or 0)
    )
    if not result:
        raise DurationError(_("{prefix}duration {value!r} must be longer than zero").format(prefix=prefix, value=value))
    return result


def format_duration(duration: Duration) -> str:
    """Write a duration the way `parse_duration` reads it: ``4h30m``, ``90s`` → ``1m30s``.

    Hours are never folded into days (``48h`` stays ``48h``); fractions of a
    second are dropped; zero is ``0m``; a negative time (overdue) gets ``-``.
    """
    if isinstance(duration, WorkingDays):
        return str(duration)
    sign = "-" if duration < timedelta(0) else ""
    seconds = int(abs(duration).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "".join(
        f"{amount}{unit}"
        for amount, unit in ((hours, "h"), (minutes, "m"), (seconds, "s"))
        if amount
    )
    return sign + text if text else "0m"


MAX_SPENT = timedelta(hours=24)


def parse_spent(value: str, *, where: str = "--spent") -> timedelta:
    """Time spent handling a case (`--spent 45m`, `1h30m`): real minutes of one person's work, so
    hours, minutes and seconds only (a working day has no fixed length) and at most 24h per entry."""
    try:
        spent = parse_duration(value, where=where)
    except DurationError as error:
        raise DurationError(error.message, _("write it like 45m, 1h30m or 2h")) from None
    if isinstance(spent, WorkingDays):
        raise DurationError(_("{where}: {value!r} is in working days; time spent is hours and minutes").format(where=where, value=value),
                            _("write it like 45m, 1h30m or 16h"))
    if spent > MAX_SPENT:
        raise DurationError(_("{where}: {value!r} is more than {format_duration} for one entry").format(where=where, value=value, format_duration=format_duration(MAX_SPENT)),
                            _("record longer work as one entry per day"))
    return spent
