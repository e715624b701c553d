"""The `reports:` section of the policy: when the bulletin is due, how scores are computed.

Every key is optional; the defaults are the seeds':

    reports:
      monthly:
        day: 5                  # seed 001: the bulletin goes out on the 5th ...
        calendar: 5x8           # ... moved to the next working day of this calendar
        remind: [service-desk]  # whom `casefile check` reminds while it is due and not issued
      engineers:
        pass_mark: 8            # seed 002: a score under 8 needs a written explanation
        complaint_penalty: 5    # points a complaint takes off the complaints score
        response_clocks: [response]        # the clocks of "response time"
        solve_clocks: [restore, reply]     # the clocks of "time to solve"
        solve: clocks           # or `handling`: "time to solve" judges the time spent on a case (--spent) ...
        handling_targets: {A: 2h, B: 4h, C: 8h, D: 8h}   # ... against its level's target (or one time: 4h)

Pure: read once by `Policy.reports`; a mistake is one line naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from casefile.policy.sla import SlaPolicy
from casefile.records.yamlio import RecordError
from casefile.i18n import _
from casefile.values import Struct


class BulletinRule(Struct, frozen=True):
    day: int
    calendar: str
    remind: tuple[str, ...]


class ScoreRule(Struct, frozen=True):
    pass_mark: float = 8.0
    complaint_penalty: float = 5.0
    response_clocks: tuple[str, ...] = ("response",)
    solve_clocks: tuple[str, ...] = ("restore", "reply")
    roles: tuple[str, ...] = ("engineer", "expert-group")  # who is scored: holders of these roles
    solve: str = "clocks"  # "handling": a resolved case is met when its time spent is within its level's target
    handling_targets: tuple[tuple[str, timedelta], ...] = ()  # (level, most time spent)

    def handling_target(self, level: str) -> timedelta | None:
        return dict(self.handling_targets).get(level)


class ReportPolicy(Struct, frozen=True):
    bulletin: BulletinRule
    scores: ScoreRule


def _error(where: str, problem: str) -> RecordError:
    return RecordError("policy.yaml", None, f"reports.{where}: {problem}")


def _section(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _error(where, _("expected a mapping"))
    return value


def _names(value: Any, where: str, known: Mapping[str, Any] | list[str], what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _error(where, _("expected a list of {what}").format(what=what))
    for item in value:
        if item not in known:
            raise _error(where, _("{item!r} is not one of the policy's {what} ({names})").format(item=item, what=what, names=', '.join(known)))
    return tuple(value)


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _error(where, _("expected a number from {low:g} to {high:g}, got {value!r}").format(low=low, high=high, value=value))
    return float(value)


def _known(names: tuple[str, ...], sla: SlaPolicy) -> list[str]:
    """Defaults name only the clocks this policy has."""
    return [name for name in names if name in sla.clocks]


def _solve_by(engineers: Mapping[str, Any], levels: list[str]) -> dict[str, Any]:
    """`engineers.solve` and `engineers.handling_targets`."""
    from casefile.worktime.duration import DurationError, parse_spent

    solve = engineers.get("solve", "clocks")
    if solve not in ("clocks", "handling"):
        raise _error("engineers.solve", _("expected clocks or handling, got {solve!r}").format(solve=solve))
    raw = engineers.get("handling_targets")
    if solve == "clocks":
        if raw is not None:
            raise _error("engineers.handling_targets", _("is used with solve: handling"))
        return {}
    if raw is None:
        raise _error("engineers.handling_targets", _("solve: handling needs the most time a case may take, e.g. {A: 2h, B: 4h, C: 8h, D: 8h} or 4h"))
    given = {level: raw for level in levels} if isinstance(raw, str) else raw
    if not isinstance(given, Mapping):
        raise _error("engineers.handling_targets", _("expected a time (4h) or a mapping of level to time"))
    targets = []
    for level, value in given.items():
        if str(level) not in levels:
            raise _error("engineers.handling_targets.{level}".format(level=level), _("not a level of the policy ({names})").format(names=', '.join(levels)))
        try:
            targets.append((str(level), parse_spent(str(value), where=f"reports.engineers.handling_targets.{level}")))
        except DurationError as error:
            raise _error("engineers.handling_targets.{level}".format(level=level), error.message) from None
    return {"solve": "handling", "handling_targets": tuple(targets)}


def report_policy(raw: Any, sla: SlaPolicy, roles: list[str]) -> ReportPolicy:
    """The `reports:` section (`raw`, None when absent), read against the policy's SLA and roles."""
    section = _section(raw, "")
    monthly = _section(section.get("monthly"), "monthly")
    day = monthly.get("day", 5)
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
        raise _error("monthly.day", _("expected a day of the month from 1 to 28, got {day!r}").format(day=day))
    calendar = monthly.get("calendar", sla.default_calendar)
    if calendar not in sla.calendars:
        raise _error("monthly.calendar", _("{calendar!r} is not a calendar under calendars").format(calendar=calendar))
    remind = _names(monthly.get("remind", [r for r in ("service-desk",) if r in roles]),
                    "monthly.remind", roles, "roles")
    engineers = _section(section.get("engineers"), "engineers")
    defaults = ScoreRule()
    scores = ScoreRule(
        pass_mark=_number(engineers.get("pass_mark", defaults.pass_mark), "engineers.pass_mark", 0, 10),
        complaint_penalty=_number(
            engineers.get("complaint_penalty", defaults.complaint_penalty), "engineers.complaint_penalty", 0, 10
        ),
        response_clocks=_names(engineers.get("response_clocks", _known(defaults.response_clocks, sla)),
                               "engineers.response_clocks", sla.clocks, "clocks"),
        solve_clocks=_names(engineers.get("solve_clocks", _known(defaults.solve_clocks, sla)),
                            "engineers.solve_clocks", sla.clocks, "clocks"),
        roles=_names(engineers.get("roles", [r for r in defaults.roles if r in roles]),
                     "engineers.roles", roles, "roles"),
        **_solve_by(engineers, list(sla.levels)),
    )
    return ReportPolicy(BulletinRule(day, str(calendar), remind), scores)
