"""The SLA part of the policy: calendars, clocks, targets per level, ladders, alerts.

Pure: built from the plain mapping of `policy.yaml` (as loaded by the fast
reader), validated as it is built.  Every error is one line that names the
key (`levels.A.targets.restore: cannot read duration '2x' (...)`), so
`casefile validate` and every command can say exactly what to fix.

The model (SPEC section 3):

* a *clock* (`clocks.NAME`) says what starts it, what stops it, what pauses
  it, on which calendar it counts (default: the level's coverage) and
  whether it restarts (the 60-minute progress report of seed 003);
* a *target* (`levels.X.targets.NAME`) gives a clock a duration for a level;
  a level without a target for a clock does not run that clock;
* a *ladder* (`ladders.NAME`) is a list of steps: after this much working
  time since the case was reported, notify these roles (seed 000, seed 002);
* *alerts* say when to warn before a breach and whom to tell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from enum import StrEnum

from casefile.errors import Invalid
from casefile.values import Struct, replace
from casefile.worktime.calendar import CalendarError, WorkCalendar
from casefile.worktime.config import Official, calendars_from_policy
from casefile.worktime.duration import Duration, DurationError, WorkingDays, parse_duration
from casefile.i18n import _

# Case events a clock or ladder can start or stop at (see `casefacts`).
EVENTS = (
    "opened",
    "responded",
    "reply",
    "call",
    "remote",
    "onsite",  # arrival on site
    "dispatched",  # departure for the site
    "vendor",
    "progress",
    "report",  # incident report to the customer (seed 003)
    "escalated",
    "resolved",
    "closed",
)
ASSIGNEE = "assignee"  # pseudo-role: the case's owner (its assignee; else the service desk)
OWNER = "owner"  # the same, by its other name
GROUP = "group"  # pseudo-role: the holders of the role of the case's working group (its tier)
PSEUDO_ROLES = frozenset({ASSIGNEE, OWNER, GROUP})
SERVICE_DESK = "service-desk"
_PERCENT = re.compile(r"^(\d{1,3})\s*%$")


class PolicyError(Invalid):
    """A policy that cannot be used; `where` is the dotted key it is about."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where


class Waiting(StrEnum):
    """Who a pending case waits for; a clock lists the waits that pause it."""

    CUSTOMER = "customer"
    VENDOR = "vendor"


class WarnRule(Struct, frozen=True):
    """When to warn before a breach: a share of the target, or a lead time."""

    share: float | None = None  # 0.8 for 80%
    lead: timedelta | None = None  # warn this much working time before the deadline

    @property
    def enabled(self) -> bool:
        return self.share is not None or self.lead is not None

    def __str__(self) -> str:
        if self.share is not None:
            return f"{round(self.share * 100)}%"
        if self.lead is not None:
            from casefile.worktime.duration import format_duration

            return f"{format_duration(self.lead)} before"
        return "none"


class Condition(Struct, frozen=True):
    """`only_if`: the clock applies only to cases that match."""

    event: str | None = None  # the case has this event (e.g. dispatched)
    types: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()

    def describe(self) -> str:
        parts = []
        if self.event:
            parts.append(f"once the case has a {self.event} event")
        if self.types:
            parts.append(f"type {'/'.join(sorted(self.types))}")
        if self.channels:
            parts.append(f"channel {'/'.join(sorted(self.channels))}")
        return " and ".join(parts)


class ClockDef(Struct, frozen=True):
    name: str
    label: str
    label_zh: str
    start: str
    stop: tuple[str, ...]
    pause: frozenset[Waiting] = frozenset()
    restart: str | None = None
    calendar: str | None = None  # None: the level's coverage
    only_if: Condition | None = None
    warn: WarnRule | None = None  # None: the policy's alerts.warn_at
    moot: tuple[str, ...] = ()  # stops that end it unreached (not met); () means: a close before its own stop


class Commitment(Struct, frozen=True):
    """A kind of vendor commitment (`vendors/ID.md`): its words and what stops its clock."""

    key: str
    label: str
    label_zh: str
    stop: tuple[str, ...]


# The vendor answers its ticket (a vendor note); the vendor's part of the restore.
VENDOR_COMMITMENTS = {
    "response": Commitment("response", "Vendor response", "原厂响应", ("vendor",)),
    "restore": Commitment("restore", "Vendor restore", "原厂恢复服务", ("resolved",)),
}
VENDOR_CLOCK = "vendor-"  # the clock of the commitment `response` is `vendor-response`


class Target(Struct, frozen=True):
    """A clock's commitment for one level."""

    clock: ClockDef
    within: Duration
    calendar: str
    warn: WarnRule
    fixed: bool = False  # the calendar is the target's or the clock's own, not the case's coverage


class Step(Struct, frozen=True):
    after: Duration
    roles: tuple[str, ...]


class LadderDef(Struct, frozen=True):
    name: str
    calendar: str | None  # None: the level's coverage
    start: str
    stop: tuple[str, ...]
    pause: frozenset[Waiting]
    steps: tuple[Step, ...]
    for_type: str | None = None  # cases of this type use this ladder instead of their level's


class LevelSla(Struct, frozen=True):
    code: str
    coverage: str
    ladder: str | None
    targets: tuple[Target, ...]
    page_outside_hours: bool = False


class ServiceRule(Struct, frozen=True):
    """`service_rules[]`: the coverage and targets of the cases it matches (the first rule that matches).

    A rule matches a case when every condition it names holds: the customer,
    the contract id, the channel, the level and the type, each a value or a
    list.  Its `coverage` replaces the case's calendar; each of its `targets`
    replaces the level's target of that clock or adds one the level lacks
    (seed 003's emergency commitments of one customer: response 20m, on site 1h).
    """

    name: str
    customers: frozenset[str] = frozenset()
    contracts: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    coverage: str | None = None
    targets: tuple[Target, ...] = ()
    ladder: str | None = None

    def matches(self, customer: str | None, contract: str | None, channel: str | None, level: str,
                case_type: str | None) -> bool:
        return all(
            not wanted or value in wanted
            for wanted, value in ((self.customers, customer), (self.contracts, contract), (self.channels, channel),
                                  (self.levels, level), (self.types, case_type))
        )

    def describe(self) -> str:
        parts = [f"{what} {'/'.join(sorted(values))}" for what, values in (
            ("customer", self.customers), ("contract", self.contracts), ("channel", self.channels),
            ("level", self.levels), ("type", self.types)) if values]
        return " and ".join(parts) or "every case"


class Service(Struct, frozen=True):
    """What one case runs on: its level's targets, as its rule, its customer's coverage and its type make them."""

    level: str
    coverage: str
    coverage_from: str  # why this calendar: "level", "customer", "rule", "ladder"
    targets: tuple[Target, ...]
    ladder: LadderDef | None
    page_outside_hours: bool
    rule: ServiceRule | None = None


class ContractRule(Struct, frozen=True):
    """`contracts:` when `check` warns that a customer's or vendor's contract ends, and whom it tells."""

    warn_days: int = 30
    remind: tuple[str, ...] = ()


class Alerts(Struct, frozen=True):
    warn: WarnRule
    warning_to: tuple[str, ...]
    breach_to: tuple[str, ...]


class SlaPolicy(Struct, frozen=True):
    calendars: Mapping[str, WorkCalendar]
    clocks: Mapping[str, ClockDef]
    ladders: Mapping[str, LadderDef]
    levels: Mapping[str, LevelSla]
    alerts: Alerts
    default_calendar: str
    rules: tuple[ServiceRule, ...] = ()
    contracts: ContractRule = ContractRule()

    def level(self, code: str) -> LevelSla:
        found = self.levels.get(code)
        if found is None:
            raise PolicyError("levels.{code}".format(code=code), _("no such level in this policy version"))
        return found

    def ladder_for(self, level: str, case_type: str | None, rule: ServiceRule | None = None) -> LadderDef | None:
        """Complaints (or any type named by `for_type`) use their own ladder (SPEC 4); else the rule's, else the level's."""
        for ladder in self.ladders.values():
            if ladder.for_type and ladder.for_type == case_type:
                return ladder
        name = (rule.ladder if rule is not None and rule.ladder else None) or self.level(level).ladder
        return self.ladders[name] if name else None

    def rule(self, name: str | None) -> ServiceRule | None:
        if not name:
            return None
        found = next((rule for rule in self.rules if rule.name == name), None)
        if found is None:
            raise PolicyError("service_rules.{name}".format(name=name), _("no such rule in this policy version"))
        return found

    def select_rule(self, customer: str | None, contract: str | None, channel: str | None, level: str,
                    case_type: str | None) -> ServiceRule | None:
        """The first rule that matches a case (None: the level's own targets)."""
        return next((r for r in self.rules if r.matches(customer, contract, channel, level, case_type)), None)

    def service(self, level: str, case_type: str | None, rule: str | None = None,
                coverage: str | None = None) -> Service:
        """The calendar, targets and ladder of a case of `level` and `case_type` under its rule (by name) and
        its customer's coverage (as recorded when it was opened).

        The calendar: the complaint ladder's for complaints (SPEC 4: complaints run on the managers'
        hours), else the rule's, else the customer's, else the level's.  A target on its own calendar
        keeps it.
        """
        lv = self.level(level)
        chosen = self.rule(rule)
        ladder = self.ladder_for(level, case_type, chosen)
        calendar, source = lv.coverage, "level"
        if coverage and coverage in self.calendars:
            calendar, source = coverage, "customer"
        if chosen is not None and chosen.coverage:
            calendar, source = chosen.coverage, "rule"
        if ladder is not None and ladder.for_type and ladder.calendar:
            calendar, source = ladder.calendar, "ladder"
        targets = {t.clock.name: t for t in lv.targets}
        for target in chosen.targets if chosen is not None else ():
            targets[target.clock.name] = target
        placed = tuple(t if t.fixed else replace(t, calendar=calendar) for t in targets.values())
        return Service(level, calendar, source, placed, ladder, lv.page_outside_hours, chosen)


# -- building -----------------------------------------------------------------


def parse_sla(data: Mapping[str, object], roles: Sequence[str], countries: Official | None = None) -> SlaPolicy:
    """The SLA model of a policy mapping; raises `PolicyError` naming the key.  `countries`: the official
    days as the repository has them (see `calendars_from_policy`)."""
    try:
        calendars = calendars_from_policy(data.get("calendars"), countries)
    except CalendarError as error:
        where, __, problem = error.message.partition(": ")
        raise PolicyError(where, problem) from None
    if not calendars:
        raise PolicyError("calendars", _("define at least one calendar (e.g. 7x24, 5x8)"))
    known_roles = frozenset(roles)
    alerts = _alerts(data.get("alerts"), known_roles)
    clocks = {
        name: _clock(name, body, calendars) for name, body in _mapping(data.get("clocks") or {}, "clocks").items()
    }
    ladders = {
        name: _ladder(name, body, calendars, known_roles)
        for name, body in _mapping(data.get("ladders") or {}, "ladders").items()
    }
    levels = {
        code: _level(code, body, calendars, clocks, ladders, alerts)
        for code, body in _mapping(data.get("levels"), "levels").items()
    }
    rules = _rules(data.get("service_rules"), calendars, clocks, ladders, alerts, levels)
    contracts = _contracts(data.get("contracts"), known_roles)
    desk = data.get("desk")
    chosen = desk.get("calendar") if isinstance(desk, Mapping) else None
    default = str(chosen or ("5x8" if "5x8" in calendars else next(iter(calendars))))
    if default not in calendars:
        raise PolicyError("desk.calendar", _("{default!r} is not a calendar under calendars").format(default=default))
    return SlaPolicy(calendars, clocks, ladders, levels, alerts, default, rules, contracts)


def _mapping(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, Mapping):
        raise PolicyError(where, _("expected a mapping, got {value!r}").format(value=value))
    return {str(key): body for key, body in value.items()}


def _keys(body: Mapping[str, object], allowed: Sequence[str], where: str) -> None:
    unknown = sorted(str(key) for key in body if key not in allowed)
    if unknown:
        raise PolicyError(where, _("unknown key {value!r} (known: {names})").format(value=unknown[0], names=', '.join(allowed)))


def _duration(value: object, where: str) -> Duration:
    try:
        return parse_duration(value, where=where)
    except DurationError as error:
        raise PolicyError(where, error.message.split(": ", 1)[-1]) from None


def _events(value: object, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise PolicyError(where, _("expected an event or a list of events, got {value!r}").format(value=value))
    if not items and not allow_empty:
        raise PolicyError(where, _("name at least one event"))
    for item in items:
        if item not in EVENTS:
            raise PolicyError(where, _("unknown event {item!r} (known: {names})").format(item=item, names=', '.join(EVENTS)))
    return tuple(items)


def _pause(value: object, where: str) -> frozenset[Waiting]:
    items = [] if value is None else ([value] if isinstance(value, str) else value)
    if not isinstance(items, list):
        raise PolicyError(where, _("expected a list like [customer, vendor], got {value!r}").format(value=value))
    known = {str(w) for w in Waiting}
    for item in items:
        if item not in known:
            raise PolicyError(where, _("{item!r} is not who a case waits for (use customer, vendor)").format(item=item))
    return frozenset(Waiting(item) for item in items)


def _calendar(value: object, calendars: Mapping[str, WorkCalendar], where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in calendars:
        raise PolicyError(where, _("{value!r} is not a calendar under calendars (known: {names})").format(value=value, names=', '.join(calendars)))
    return value


def _warning(value: object, where: str) -> WarnRule:
    if value is None or (isinstance(value, str) and value.strip().lower() == "none") or value is False:
        return WarnRule()
    if isinstance(value, str):
        percent = _PERCENT.match(value.strip())
        if percent:
            share = int(percent.group(1))
            if not 0 < share < 100:
                raise PolicyError(where, _("{value!r} must be between 1% and 99%").format(value=value))
            return WarnRule(share=share / 100)
    duration = _duration(value, where) if isinstance(value, str) else None
    if not isinstance(duration, timedelta):
        raise PolicyError(where, _("expected a share like 80%, a lead time like 30m, or none; got {value!r}").format(value=value))
    return WarnRule(lead=duration)


def _recipients(value: object, roles: frozenset[str], where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
        raise PolicyError(where, _("expected a role or a list of roles, got {value!r}").format(value=value))
    for item in items:
        if item not in PSEUDO_ROLES and item not in roles:
            raise PolicyError(where, _("{item!r} is not a role under roles (or `owner`, `group`)").format(item=item))
    return tuple(items)


def _alerts(value: object, roles: frozenset[str]) -> Alerts:
    body = _mapping(value if value is not None else {}, "alerts")
    _keys(body, ("warn_at", "warning", "breach"), "alerts")
    return Alerts(
        warn=_warning(body.get("warn_at", "80%"), "alerts.warn_at"),
        warning_to=_recipients(body.get("warning", [ASSIGNEE]), roles, "alerts.warning"),
        breach_to=_recipients(body.get("breach", [ASSIGNEE, SERVICE_DESK] if SERVICE_DESK in roles else [ASSIGNEE]),
                              roles, "alerts.breach"),
    )


def _condition(value: object, where: str) -> Condition | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Condition(event=_events(value, where)[0])
    body = _mapping(value, where)
    _keys(body, ("event", "type", "channel"), where)
    event = _events(body["event"], f"{where}.event")[0] if "event" in body else None

    def texts(key: str) -> frozenset[str]:
        raw = body.get(key)
        items = [] if raw is None else ([raw] if isinstance(raw, str) else raw)
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise PolicyError(f"{where}.{key}", _("expected a list of {key}s, got {raw!r}").format(key=key, raw=raw))
        return frozenset(items)

    condition = Condition(event, texts("type"), texts("channel"))
    if not (condition.event or condition.types or condition.channels):
        raise PolicyError(where, _("give an event, a type or a channel"))
    return condition


_CLOCK_KEYS = ("label", "label_zh", "start", "stop", "pause", "restart", "calendar", "only_if", "warn_at")


def _clock(name: str, value: object, calendars: Mapping[str, WorkCalendar]) -> ClockDef:
    where = f"clocks.{name}"
    body = _mapping(value, where)
    _keys(body, _CLOCK_KEYS, where)
    if "start" not in body or "stop" not in body:
        raise PolicyError(where, _("a clock needs `start` and `stop` events (e.g. start: opened, stop: resolved)"))
    restart = body.get("restart")
    return ClockDef(
        name=name,
        label=str(body.get("label") or name),
        label_zh=str(body.get("label_zh") or body.get("label") or name),
        start=_events(body["start"], f"{where}.start")[0],
        stop=_events(body["stop"], f"{where}.stop"),
        pause=_pause(body.get("pause"), f"{where}.pause"),
        restart=_events(restart, f"{where}.restart")[0] if restart is not None else None,
        calendar=_calendar(body.get("calendar"), calendars, f"{where}.calendar"),
        only_if=_condition(body.get("only_if"), f"{where}.only_if"),
        warn=_warning(body["warn_at"], f"{where}.warn_at") if "warn_at" in body else None,
    )


def _ladder(name: str, value: object, calendars: Mapping[str, WorkCalendar], roles: frozenset[str]) -> LadderDef:
    where = f"ladders.{name}"
    body = _mapping(value, where)
    _keys(body, ("calendar", "start", "stop", "pause", "steps", "for_type"), where)
    raw_steps = body.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise PolicyError("{where}.steps".format(where=where), _("expected a list of steps like {after: 30m, notify: general-manager}"))
    steps = []
    for index, raw in enumerate(raw_steps):
        here = f"{where}.steps[{index}]"
        step = _mapping(raw, here)
        _keys(step, ("after", "notify"), here)
        if "after" not in step or "notify" not in step:
            raise PolicyError(here, _("a step needs `after` and `notify`"))
        after = step["after"]
        within = timedelta(0) if after in ("0m", "0h", "0s", "0") else _duration(after, f"{here}.after")
        steps.append(Step(within, _recipients(step["notify"], roles, f"{here}.notify")))
    for earlier, later in zip(steps, steps[1:]):
        if type(earlier.after) is type(later.after) and earlier.after >= later.after:  # type: ignore[operator]
            raise PolicyError("{where}.steps".format(where=where), _("steps must come in order, each later than the one before"))
    seen: set[str] = set()
    for made in steps:
        for role in made.roles:
            if role in seen:
                # A role is escalated to once per case: the key of a step is its role.
                raise PolicyError("{where}.steps".format(where=where), _("{role} is notified by two steps; name each role once").format(role=role))
            seen.add(role)
    for_type = body.get("for_type")
    if for_type is not None and not isinstance(for_type, str):
        raise PolicyError("{where}.for_type".format(where=where), _("expected a case type like complaint, got {for_type!r}").format(for_type=for_type))
    return LadderDef(
        name=name,
        calendar=_calendar(body.get("calendar"), calendars, f"{where}.calendar"),
        start=_events(body.get("start", "opened"), f"{where}.start")[0],
        stop=_events(body.get("stop", "resolved"), f"{where}.stop"),
        pause=_pause(body.get("pause"), f"{where}.pause"),
        steps=tuple(steps),
        for_type=for_type,
    )


def _level(
    code: str,
    value: object,
    calendars: Mapping[str, WorkCalendar],
    clocks: Mapping[str, ClockDef],
    ladders: Mapping[str, LadderDef],
    alerts: Alerts,
) -> LevelSla:
    where = f"levels.{code}"
    body = _mapping(value, where)
    coverage = _calendar(body.get("coverage"), calendars, f"{where}.coverage")
    if coverage is None:
        raise PolicyError("{where}.coverage".format(where=where), _("missing: the calendar of this level (e.g. 7x24, 5x8)"))
    ladder = body.get("ladder")
    if ladder is not None and ladder not in ladders:
        raise PolicyError("{where}.ladder".format(where=where), _("{ladder!r} is not a ladder under ladders").format(ladder=ladder))
    page = body.get("page_outside_hours", False)
    if not isinstance(page, bool):
        raise PolicyError("{where}.page_outside_hours".format(where=where), _("expected true or false, got {page!r}").format(page=page))
    targets = []
    for name, spec in _mapping(body.get("targets") or {}, f"{where}.targets").items():
        targets.append(_target(f"{where}.targets.{name}", name, spec, coverage, calendars, clocks, alerts))
    return LevelSla(code, coverage, str(ladder) if ladder else None, tuple(targets), page)


def _target(
    where: str,
    name: str,
    spec: object,
    coverage: str,
    calendars: Mapping[str, WorkCalendar],
    clocks: Mapping[str, ClockDef],
    alerts: Alerts,
) -> Target:
    clock = clocks.get(name)
    if clock is None:
        raise PolicyError(where, _("no clock {name!r} under clocks (known: {value})").format(name=name, value=', '.join(clocks) or 'none'))
    if isinstance(spec, Mapping):
        body = _mapping(spec, where)
        _keys(body, ("within", "calendar", "warn_at"), where)
        if "within" not in body:
            raise PolicyError(where, _("missing `within` (e.g. within: 4h)"))
        within = _duration(body["within"], f"{where}.within")
        calendar = _calendar(body.get("calendar"), calendars, f"{where}.calendar")
        warn = _warning(body["warn_at"], f"{where}.warn_at") if "warn_at" in body else None
    else:
        within, calendar, warn = _duration(spec, where), None, None
    if clock.restart and isinstance(within, WorkingDays):
        raise PolicyError(where, _("a restarting clock needs hours or minutes, not working days"))
    chosen = calendar or clock.calendar or coverage
    return Target(clock, within, chosen, warn or clock.warn or alerts.warn, bool(calendar or clock.calendar))


_RULE_KEYS = ("name", "customer", "contract", "channel", "level", "type", "coverage", "targets", "ladder")


def _rules(
    value: object,
    calendars: Mapping[str, WorkCalendar],
    clocks: Mapping[str, ClockDef],
    ladders: Mapping[str, LadderDef],
    alerts: Alerts,
    levels: Mapping[str, LevelSla],
) -> tuple[ServiceRule, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PolicyError("service_rules", _("expected a list of rules like {name: metro, customer: sz-metro, targets: {...}}"))
    rules: list[ServiceRule] = []
    for index, raw in enumerate(value):
        where = f"service_rules[{index}]"
        body = _mapping(raw, where)
        _keys(body, _RULE_KEYS, where)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise PolicyError("{where}.name".format(where=where), _("every rule needs a name (the case records which rule applied)"))
        if any(rule.name == name for rule in rules):
            raise PolicyError("{where}.name".format(where=where), _("two rules are called {name!r}; name each rule once").format(name=name))

        def texts(key: str) -> frozenset[str]:
            raw_value = body.get(key)
            items = [] if raw_value is None else ([raw_value] if isinstance(raw_value, str) else raw_value)
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                raise PolicyError(f"{where}.{key}", _("expected a {key} or a list of them, got {raw_value!r}").format(key=key, raw_value=raw_value))
            return frozenset(items)

        wanted_levels = texts("level")
        for code in sorted(wanted_levels - set(levels)):
            raise PolicyError("{where}.level".format(where=where), _("{code!r} is not a level under levels").format(code=code))
        coverage = _calendar(body.get("coverage"), calendars, f"{where}.coverage")
        ladder = body.get("ladder")
        if ladder is not None and ladder not in ladders:
            raise PolicyError("{where}.ladder".format(where=where), _("{ladder!r} is not a ladder under ladders").format(ladder=ladder))
        base = coverage or next(iter(calendars))
        targets = tuple(
            _target(f"{where}.targets.{clock}", clock, spec, base, calendars, clocks, alerts)
            for clock, spec in _mapping(body.get("targets") or {}, f"{where}.targets").items()
        )
        rules.append(ServiceRule(name.strip(), texts("customer"), texts("contract"), texts("channel"),
                                 wanted_levels, texts("type"), coverage, targets, str(ladder) if ladder else None))
    return tuple(rules)


def _contracts(value: object, roles: frozenset[str]) -> ContractRule:
    body = _mapping(value if value is not None else {}, "contracts")
    _keys(body, ("warn_days", "remind"), "contracts")
    days = body.get("warn_days", 30)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise PolicyError("contracts.warn_days", _("expected a number of days like 30 (0: no warning), got {days!r}").format(days=days))
    default = [SERVICE_DESK] if SERVICE_DESK in roles else []
    remind = _recipients(body["remind"], roles, "contracts.remind") if "remind" in body else tuple(default)
    return ContractRule(days, remind)
