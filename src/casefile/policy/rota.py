"""The on-call rota (`rota.yaml`): who is on duty for a role when, how each person is paged.

Kept in the repository beside people.yaml and reviewed like it; current, not
versioned with the policy (whoever is on duty now is paged).  The file says:

* `roles.ROLE.week` — a weekly pattern of shifts: `days`, `from`, `to` (a shift
  whose `to` is not after its `from` runs into the next day; equal times are a
  whole day), `on` (one handle, or a list: the first is paged, the others are the
  next in line).  Handovers are the `from`/`to` times.
* `roles.ROLE.holidays` — shifts that replace the week on the official calendar's
  days off (statutory holidays and days off in lieu; ordinary weekends keep the
  week).  The official days come from the policy calendar named by `holidays_from`
  (default: the first calendar with official holidays).
* `roles.ROLE.swaps` — one-off swaps: on `date`, `to` works the shifts of `from`
  that start that day (`casefile rota swap`).
* `roles.ROLE.above` — the role whose duty holder is paged when nobody on this
  role acknowledges.
* `channels.NAME` — `type` (dingtalk, wecom, feishu, webhook, email) and `quiet`
  hours; never a URL or a secret (those live in the environment or git config).
* `people.HANDLE` — the channels to page that person on, in order.
* `paging` — `repage_after` (a duration), `resend` (pages to the same person
  before the next one in line), `look_ahead` (how far `check` looks for gaps).

Pure: values in, values out; `parse_rota` needs the policy's calendars for the
holiday overrides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from casefile.records.yamlio import RecordError, load_plain
from casefile.values import Struct
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.duration import DurationError, parse_duration
from casefile.worktime.officialdays import DayKind, MissingYear
from casefile.i18n import _

ROTA_FILE = "rota.yaml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNEL_TYPES = ("dingtalk", "wecom", "feishu", "webhook", "email")
SECRET_KEYS = ("url", "webhook", "secret", "token", "access_token", "key", "password")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_QUIET = re.compile(r"^\s*(\d\d:\d\d)\s*-\s*(\d\d:\d\d)\s*$")
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
HOLIDAY_KINDS = (DayKind.HOLIDAY, DayKind.EXTRA_DAY_OFF)


class Shift(Struct, frozen=True):
    start: time
    end: time
    on: tuple[str, ...]
    days: frozenset[int] = frozenset()  # weekday numbers; empty for holiday shifts

    def span(self, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
        begin = datetime.combine(day, self.start, zone)
        end_day = day if self.end > self.start else day + timedelta(days=1)
        return begin, datetime.combine(end_day, self.end, zone)


class Swap(Struct, frozen=True):
    day: date
    giver: str
    taker: str


class RoleRota(Struct, frozen=True):
    role: str
    week: tuple[Shift, ...]
    holidays: tuple[Shift, ...] = ()
    swaps: tuple[Swap, ...] = ()
    above: str | None = None


class Channel(Struct, frozen=True):
    name: str
    type: str
    quiet: tuple[tuple[time, time], ...] = ()

    def quiet_at(self, at: datetime, zone: ZoneInfo) -> bool:
        wall = at.astimezone(zone).time()
        for start, end in self.quiet:
            if (start <= wall < end) if start < end else (wall >= start or wall < end):
                return True
        return False

    def quiet_until(self, at: datetime, zone: ZoneInfo) -> datetime:
        """The first instant at or after `at` outside every quiet window."""
        moment = at.astimezone(zone)
        for __ in range(len(self.quiet) + 2):
            if not self.quiet_at(moment, zone):
                return moment
            ends = []
            for start, end in self.quiet:
                candidate = datetime.combine(moment.date(), end, zone)
                if candidate <= moment:
                    candidate += timedelta(days=1)
                ends.append(candidate)
            moment = min(ends)
        return moment


class Duty(Struct, frozen=True):
    """One shift as worked: the role, from when to when, and who (first: paged first)."""

    role: str
    start: datetime
    end: datetime
    on: tuple[str, ...]
    holiday: str | None = None  # the holiday's name when a holiday shift
    swapped: tuple[Swap, ...] = ()


class RotaProblem(Struct, frozen=True):
    role: str
    kind: str  # gap | overlap
    start: datetime
    end: datetime
    who: tuple[str, ...] = ()

    def key(self) -> str:
        return f"{self.role}/{self.kind}/{self.start.isoformat()}/{self.end.isoformat()}"


class Paging(Struct, frozen=True):
    repage_after: timedelta = timedelta(minutes=10)
    resend: int = 1
    look_ahead: timedelta = timedelta(days=7)


class Rota(Struct, frozen=True, dict=True):
    zone: ZoneInfo
    roles: Mapping[str, RoleRota]
    channels: Mapping[str, Channel]
    people: Mapping[str, tuple[str, ...]]
    paging: Paging = Paging()
    calendar: WorkCalendar | None = None

    @cached_property
    def _days(self) -> dict[date, tuple[DayKind, str | None]]:
        return {}

    @cached_property
    def _unknown(self) -> dict[int, str]:
        """year -> why its official days are not known"""
        return {}

    # -- the official days ------------------------------------------------

    def holiday(self, day: date) -> str | None:
        """The holiday's name ('' when unnamed) if `day` is an official day off that is not a weekend."""
        if self.calendar is None:
            return None
        if day not in self._days:
            try:
                status = self.calendar.day(day)
            except MissingYear as error:
                # Never guess: the week's shifts hold, and `problems` says the holidays are unknown.
                self._unknown.setdefault(day.year, str(error))
                return None
            self._days[day] = (status.kind, status.name_zh or status.name)
        kind, name = self._days[day]
        return (name or "") if kind in HOLIDAY_KINDS else None

    # -- who is on duty ----------------------------------------------------

    def duties(self, role: str, start: datetime, end: datetime) -> list[Duty]:
        """Every shift of `role` that overlaps [start, end), in time order."""
        rota = self.roles.get(role)
        if rota is None:
            return []
        found: list[Duty] = []
        first = start.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date()
        day = first
        while day <= last:
            found.extend(d for d in self._day(rota, day) if d.end > start and d.start < end)
            day += timedelta(days=1)
        found.sort(key=lambda d: (d.start, d.end))
        return found

    def _day(self, rota: RoleRota, day: date) -> list[Duty]:
        holiday = self.holiday(day) if rota.holidays else None
        shifts = rota.holidays if holiday is not None else tuple(s for s in rota.week if day.weekday() in s.days)
        swaps = tuple(s for s in rota.swaps if s.day == day)
        duties = []
        for shift in shifts:
            on = list(shift.on)
            used = []
            for swap in swaps:
                if swap.giver in on:
                    on = [swap.taker if h == swap.giver else h for h in on]
                    used.append(swap)
            begin, finish = shift.span(day, self.zone)
            duties.append(Duty(rota.role, begin, finish, tuple(dict.fromkeys(on)), holiday, tuple(used)))
        return duties

    def on_duty(self, role: str, at: datetime) -> tuple[str, ...]:
        """Who holds `role` at `at`, first the one to page; several shifts at once are joined in order."""
        holders: list[str] = []
        for duty in self.duties(role, at, at + timedelta(seconds=1)):
            holders.extend(h for h in duty.on if h not in holders)
        return tuple(holders)

    def line(self, role: str, at: datetime) -> tuple[tuple[str, str], ...]:
        """(handle, role) in paging order: the role's holders on duty, then the role above's, and so on."""
        order: list[tuple[str, str]] = []
        seen_roles: set[str] = set()
        current: str | None = role
        while current and current not in seen_roles:
            seen_roles.add(current)
            order.extend((h, current) for h in self.on_duty(current, at) if h not in [o[0] for o in order])
            rota = self.roles.get(current)
            current = rota.above if rota else None
        return tuple(order)

    def channels_of(self, handle: str) -> tuple[Channel, ...]:
        """The person's channels in order; e-mail when the rota names none."""
        names = self.people.get(handle)
        if not names:
            return (Channel("email", "email"),)
        return tuple(self.channels[n] for n in names if n in self.channels)

    def choose(self, handle: str, at: datetime) -> tuple[Channel, datetime, tuple[Channel, ...]]:
        """The channel to page `handle` on at `at` (the first not in quiet hours), when, and the fallbacks.

        When every channel is quiet the page waits for the first quiet window to end.
        """
        channels = self.channels_of(handle)
        for index, channel in enumerate(channels):
            if not channel.quiet_at(at, self.zone):
                return channel, at, channels[index + 1:]
        ready = [(c.quiet_until(at, self.zone), i) for i, c in enumerate(channels)]
        when, index = min(ready)
        return channels[index], when, channels[index + 1:]

    # -- gaps and overlaps -------------------------------------------------

    def problems(self, start: datetime, end: datetime, roles: Iterable[str] | None = None) -> list[RotaProblem]:
        """Gaps (nobody on duty) and overlaps (two shifts at once) of each role in [start, end)."""
        found: list[RotaProblem] = []
        for role in roles if roles is not None else sorted(self.roles):
            duties = self.duties(role, start, end)
            cursor = start
            latest: Duty | None = None
            for duty in duties:
                if duty.start > cursor:
                    found.append(RotaProblem(role, "gap", cursor, min(duty.start, end)))
                if latest is not None and duty.start < latest.end:
                    found.append(RotaProblem(role, "overlap", duty.start, min(latest.end, duty.end),
                                             tuple(dict.fromkeys(latest.on + duty.on))))
                if latest is None or duty.end > latest.end:
                    latest = duty
                cursor = max(cursor, duty.end)
            if cursor < end:
                found.append(RotaProblem(role, "gap", cursor, end))
        for year, why in sorted(self._unknown.items()):
            begin = max(start, datetime(year, 1, 1, tzinfo=self.zone))
            found.append(RotaProblem("*", "holidays-unknown", begin, min(end, datetime(year + 1, 1, 1, tzinfo=self.zone)),
                                     (why,)))
        return found


# -- reading the file ----------------------------------------------------------


def parse_rota(
    text: str,
    zone: ZoneInfo,
    calendars: Mapping[str, WorkCalendar],
    roles: Iterable[str] | None = None,
    handles: Iterable[str] | None = None,
    source: str = ROTA_FILE,
) -> Rota:
    """Read rota.yaml; `roles` and `handles` (when given) are the policy's roles and people.yaml's handles."""
    data = load_plain(text, source) or {}
    if not isinstance(data, dict):
        raise RecordError(source, None, _("the rota is not a mapping"))
    known_roles = set(roles) if roles is not None else None
    known_people = set(handles) if handles is not None else None

    def fail(where: str, problem: str, hint: str | None = None) -> RecordError:
        return RecordError(source, None, f"{where}: {problem}", hint)

    channels: dict[str, Channel] = {}
    for name, spec in _mapping(data.get("channels"), "channels", fail).items():
        where = f"channels.{name}"
        if not isinstance(spec, dict):
            raise fail(where, _("is not a mapping"))
        for key in spec:
            if str(key).lower() in SECRET_KEYS:
                env = channel_env(str(name), "URL" if str(key).lower() in ("url", "webhook") else "SECRET")
                raise fail(f"{where}.{key}", _("secrets and webhook addresses are never committed"),
                           _("remove it and set {env} (or git config casefile.channel.{name}.{value})").format(env=env, name=name, value='url' if 'URL' in env else 'secret'))
        kind = str(spec.get("type") or "")
        if kind not in CHANNEL_TYPES:
            raise fail("{where}.type".format(where=where), _("{kind!r} is not one of {names}").format(kind=kind, names=', '.join(CHANNEL_TYPES)))
        channels[str(name)] = Channel(str(name), kind, _quiet(spec.get("quiet"), f"{where}.quiet", fail))
    people: dict[str, tuple[str, ...]] = {}
    for handle, names in _mapping(data.get("people"), "people", fail).items():
        where = f"people.{handle}"
        _check_person(str(handle), where, known_people, fail)
        listed = [names] if isinstance(names, str) else names
        if not isinstance(listed, list) or not listed:
            raise fail(where, _("must list the person's channels in order, e.g. [duty-dingtalk, email]"))
        for name in listed:
            if str(name) not in channels and str(name) != "email":
                raise fail(where, _("channel {name!r} is not under channels").format(name=name))
        people[str(handle)] = tuple(str(n) for n in listed)
    if "email" not in channels:
        channels["email"] = Channel("email", "email")
    roles_found: dict[str, RoleRota] = {}
    for role, spec in _mapping(data.get("roles"), "roles", fail).items():
        where = f"roles.{role}"
        if known_roles is not None and str(role) not in known_roles:
            raise fail(where, _("{role!r} is not a role under roles in policy.yaml").format(role=role))
        if not isinstance(spec, dict):
            raise fail(where, _("is not a mapping"))
        week = tuple(_shift(s, f"{where}.week[{i}]", True, known_people, fail)
                     for i, s in enumerate(_list(spec.get("week"), f"{where}.week", fail)))
        holidays = tuple(_shift(s, f"{where}.holidays[{i}]", False, known_people, fail)
                         for i, s in enumerate(_list(spec.get("holidays"), f"{where}.holidays", fail)))
        swaps = tuple(_swap(s, f"{where}.swaps[{i}]", known_people, fail)
                      for i, s in enumerate(_list(spec.get("swaps"), f"{where}.swaps", fail)))
        above = spec.get("above")
        if above is not None and known_roles is not None and str(above) not in known_roles:
            raise fail("{where}.above".format(where=where), _("{above!r} is not a role under roles in policy.yaml").format(above=above))
        roles_found[str(role)] = RoleRota(str(role), week, holidays, swaps, str(above) if above else None)
    paging = _paging(data.get("paging"), fail)
    calendar = _holiday_calendar(data.get("holidays_from"), calendars, fail)
    return Rota(zone, roles_found, channels, people, paging, calendar)


def channel_env(name: str, what: str) -> str:
    """The environment variable of a channel's URL or SECRET: CASEFILE_CHANNEL_DUTY_DINGTALK_URL."""
    return "CASEFILE_CHANNEL_" + re.sub(r"[^A-Z0-9]", "_", name.upper()) + "_" + what


def _mapping(value: Any, where: str, fail: Any) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(where, _("is not a mapping"))
    return value


def _list(value: Any, where: str, fail: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(where, _("is not a list"))
    return value


def _hhmm(value: Any, where: str, fail: Any) -> time:
    text = str(value).strip() if value is not None else ""
    if text == "24:00":
        return time(0, 0)
    match = _HHMM.match(text)
    if not match:
        raise fail(where, _("{value!r} is not a time of day like 08:30 (quote it in YAML)").format(value=value))
    return time(int(match.group(1)), int(match.group(2)))


def _quiet(value: Any, where: str, fail: Any) -> tuple[tuple[time, time], ...]:
    spans = []
    for index, item in enumerate(_list(value, where, fail)):
        match = _QUIET.match(str(item))
        if not match:
            raise fail(f"{where}[{index}]", _("{item!r} is not a span like \"22:00-07:00\"").format(item=item))
        spans.append((_hhmm(match.group(1), where, fail), _hhmm(match.group(2), where, fail)))
    return tuple(spans)


def _check_person(handle: str, where: str, known: set[str] | None, fail: Any) -> None:
    if not _HANDLE.match(handle):
        raise fail(where, _("{handle!r} is not a handle").format(handle=handle))
    if known is not None and handle not in known:
        raise fail(where, _("{handle!r} is not a person in people.yaml").format(handle=handle))


def _shift(spec: Any, where: str, weekly: bool, known: set[str] | None, fail: Any) -> Shift:
    if not isinstance(spec, dict):
        raise fail(where, _("is not a mapping with from, to and on"))
    start = _hhmm(spec.get("from"), f"{where}.from", fail)
    end = _hhmm(spec.get("to"), f"{where}.to", fail)
    on = spec.get("on")
    holders = [on] if isinstance(on, str) else on
    if not isinstance(holders, list) or not holders:
        raise fail("{where}.on".format(where=where), _("names nobody; give a handle or a list of handles"))
    for handle in holders:
        _check_person(str(handle), f"{where}.on", known, fail)
    days: set[int] = set()
    if weekly:
        listed = spec.get("days")
        names = [listed] if isinstance(listed, str) else listed
        if not isinstance(names, list) or not names:
            raise fail("{where}.days".format(where=where), _("is missing; list weekdays like [mon, tue, wed, thu, fri]"))
        for name in names:
            if str(name).lower() not in DAYS:
                raise fail("{where}.days".format(where=where), _("{name!r} is not one of {names}").format(name=name, names=', '.join(DAYS)))
            days.add(DAYS.index(str(name).lower()))
    return Shift(start, end, tuple(str(h) for h in holders), frozenset(days))


def _swap(spec: Any, where: str, known: set[str] | None, fail: Any) -> Swap:
    if not isinstance(spec, dict):
        raise fail(where, _("is not a mapping with date, from and to"))
    raw = spec.get("date")
    try:
        day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        raise fail("{where}.date".format(where=where), _("{raw!r} is not a date like 2026-10-03").format(raw=raw)) from None
    giver, taker = str(spec.get("from") or ""), str(spec.get("to") or "")
    _check_person(giver, f"{where}.from", known, fail)
    _check_person(taker, f"{where}.to", known, fail)
    return Swap(day, giver, taker)


def _paging(value: Any, fail: Any) -> Paging:
    spec = _mapping(value, "paging", fail)
    defaults = Paging()

    def span(key: str, default: timedelta) -> timedelta:
        if spec.get(key) is None:
            return default
        try:
            parsed = parse_duration(str(spec[key]), where=f"paging.{key}")
        except DurationError as error:
            raise fail("paging.{key}".format(key=key), str(error)) from None
        if not isinstance(parsed, timedelta):
            days = parsed.days
            return timedelta(days=days)
        if parsed <= timedelta(0):
            raise fail("paging.{key}".format(key=key), _("must be longer than nothing"))
        return parsed

    resend = spec.get("resend", defaults.resend)
    if not isinstance(resend, int) or isinstance(resend, bool) or resend < 0:
        raise fail("paging.resend", _("{resend!r} is not a whole number of pages (0 or more)").format(resend=resend))
    return Paging(span("repage_after", defaults.repage_after), resend, span("look_ahead", defaults.look_ahead))


def _holiday_calendar(name: Any, calendars: Mapping[str, WorkCalendar], fail: Any) -> WorkCalendar | None:
    if name is not None:
        if str(name) not in calendars:
            if not calendars:
                return None  # read without the policy (the server hook): the policy's own check says more
            raise fail("holidays_from", _("{name!r} is not a calendar under calendars in policy.yaml").format(name=name))
        return calendars[str(name)]
    return next((c for c in calendars.values() if c.official is not None), None)


def read_rota(root: Any, zone: ZoneInfo, calendars: Mapping[str, WorkCalendar], roles: Iterable[str],
              handles: Iterable[str]) -> Rota | None:
    """The rota of the work tree at `root` (a Path), or None when the desk has none."""
    path = root / ROTA_FILE
    if not path.is_file():
        return None
    return parse_rota(path.read_text(encoding="utf-8"), zone, calendars, roles, handles)
