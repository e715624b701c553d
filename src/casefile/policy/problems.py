"""`problems:` of the policy: when recurring incidents make `problem suggest` propose a problem.

    problems:
      suggest:
        incidents: 3     # at least this many incidents of one customer ...
        within: 30d      # ... with the same category or device, opened within this many days

Both default to the values shown (problem management, seed 000: find the
causes behind recurring incidents from the case statistics).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from casefile.records.yamlio import RecordError
from casefile.i18n import _
from casefile.values import Struct

DEFAULT_INCIDENTS = 3
DEFAULT_WITHIN_DAYS = 30


class ProblemPolicy(Struct, frozen=True):
    incidents: int = DEFAULT_INCIDENTS
    within: timedelta = timedelta(days=DEFAULT_WITHIN_DAYS)

    @property
    def within_days(self) -> int:
        return self.within.days


def problem_policy(value: Any, source: str) -> ProblemPolicy:
    if value is None:
        return ProblemPolicy()
    if not isinstance(value, dict) or set(value) - {"suggest"}:
        raise RecordError(source, None, _("problems must be a mapping with suggest (incidents, within)"))
    suggest = value.get("suggest") or {}
    if not isinstance(suggest, dict) or set(suggest) - {"incidents", "within"}:
        raise RecordError(source, None, _("problems.suggest must be a mapping with incidents (e.g. 3) and within (e.g. 30d)"))
    incidents = suggest.get("incidents", DEFAULT_INCIDENTS)
    if isinstance(incidents, bool) or not isinstance(incidents, int) or incidents < 2:
        raise RecordError(source, None, _("problems.suggest.incidents {incidents!r} must be a whole number of 2 or more").format(incidents=incidents))
    within = suggest.get("within", f"{DEFAULT_WITHIN_DAYS}d")
    match = re.fullmatch(r"\s*(\d+)\s*d\s*", str(within))
    if match is None or int(match[1]) < 1:
        raise RecordError(source, None, _("problems.suggest.within {within!r} must be days, like 30d").format(within=within))
    return ProblemPolicy(incidents, timedelta(days=int(match[1])))
