"""The desk's service policy (`policy.yaml`): levels, calendars, clocks, ladders, roles.

A case records the git blob id of the policy it was opened under; `Policy` is
built from that version's text, so later edits do not move past deadlines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from casefile.policy.sla import PolicyError, SlaPolicy, parse_sla
from casefile.values import Struct, field
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.config import Official
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.policy.attachments import AttachmentPolicy
    from casefile.policy.customermail import IntakePolicy, NotifyPolicy
    from casefile.policy.changes import ChangePolicy
    from casefile.policy.inspections import InspectionPolicy
    from casefile.policy.problems import ProblemPolicy
    from casefile.policy.reports import ReportPolicy
    from casefile.policy.surveys import SurveyPolicy, SurveyScale
from casefile.records.yamlio import RecordError, load_editable, load_plain

POLICY_FILE = "policy.yaml"
LANGUAGES = ("zh", "en")
DEFAULT_NEXT_YEAR_REMINDER = (12, 1)  # the State Council publishes the next year's days around November


def default_policy_text() -> str:
    from importlib import resources  # here: only `init` and `policy` commands read the default

    return (resources.files("casefile.templates") / "init" / "policy.yaml").read_text(encoding="utf-8")


class Level(Struct, frozen=True):
    code: str
    name: str
    name_zh: str
    meaning: str
    coverage: str
    ladder: str | None
    targets: dict[str, str] = field(default_factory=dict)


class Role(Struct, frozen=True):
    key: str
    name: str
    name_zh: str


class Policy(Struct, frozen=True, dict=True):
    """A parsed policy: the desk, levels, roles and the SLA at once; the other sections when first asked for.

    `surveys`, `inspections` and `reports` are parsed on first use, once, so a
    command that never looks at surveys is not refused for a mistake there
    (`validate` and the hooks check every section).  A mistake is a
    `RecordError` naming the file and the key (and, for the SLA, its line).
    """

    desk_name: str
    timezone: str
    language: str
    levels: dict[str, Level]
    roles: dict[str, Role]
    sla: SlaPolicy
    source: str = POLICY_FILE
    # `desk.next_year_reminder`: from this (month, day) on, `check`, `validate` and `calendar status` say
    # that next year's official days are missing; None: never.
    next_year_reminder: tuple[int, int] | None = DEFAULT_NEXT_YEAR_REMINDER
    _data: Mapping[str, Any] = field(default_factory=dict)  # the whole file, for the sections read on first use

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def level(self, code: str) -> Level:
        return self.levels[code]

    @property
    def calendars(self) -> Mapping[str, WorkCalendar]:
        return self.sla.calendars

    @cached_property
    def surveys(self) -> SurveyPolicy:
        from casefile.policy.surveys import survey_policy  # the sections a command never reads cost nothing

        return survey_policy(self._data, list(self.levels), self.source)

    @cached_property
    def survey_scale(self) -> SurveyScale:
        """The survey form read leniently, as reports read it: the questions and the scale only."""
        from casefile.policy.surveys import survey_scale

        return survey_scale(self._data)

    @cached_property
    def inspections(self) -> InspectionPolicy:
        from casefile.policy.inspections import inspection_policy

        return inspection_policy(self._data, self.source)

    @cached_property
    def intake(self) -> IntakeRule:
        """`intake:` when `open` warns that the customer has an open case of the same category or asset."""
        return intake_rule(self._data.get("intake"), self.source)

    @cached_property
    def problems(self) -> ProblemPolicy:
        """`problems:` when recurring incidents make `problem suggest` propose a problem."""
        from casefile.policy.problems import problem_policy

        return problem_policy(self._data.get("problems"), self.source)

    @cached_property
    def changes(self) -> ChangePolicy:
        """`changes:` the risk levels of a change and which need the expert review."""
        from casefile.policy.changes import change_policy

        return change_policy(self._data.get("changes"), list(self.roles), self.source)

    @cached_property
    def reports(self) -> ReportPolicy:
        from casefile.policy.reports import report_policy

        return report_policy(self._data.get("reports"), self.sla, list(self.roles))

    @cached_property
    def notify(self) -> NotifyPolicy:
        """Which events mail the customer (`notify:`)."""
        from casefile.policy.customermail import notify_policy

        return notify_policy(self._data, list(self.levels), self.source)

    @cached_property
    def mail_intake(self) -> IntakePolicy:
        """How mail becomes cases (`intake:` — level, reopen_days, max_attachment, address, rules)."""
        from casefile.policy.customermail import intake_policy

        return intake_policy(self._data, list(self.levels), self.source)

    @cached_property
    def attachments(self) -> AttachmentPolicy:
        """`attachments:` the size limit of a file kept with a case."""
        from casefile.policy.attachments import attachment_policy

        return attachment_policy(self._data, self.source)

    def check_sections(self) -> None:
        """Read every section, so a mistake in any of them is found now (`validate`, the hooks)."""
        for name in ("surveys", "inspections", "reports", "intake", "notify", "mail_intake", "problems", "changes",
                     "attachments"):
            getattr(self, name)


class IntakeRule(Struct, frozen=True):
    """`intake.same_problem_within`: how far back `open` looks for an open case of the same customer and
    category or asset (real time; None: it does not look)."""

    window: timedelta | None = timedelta(hours=24)


def intake_rule(value: Any, source: str = POLICY_FILE) -> IntakeRule:
    from casefile.worktime.duration import DurationError, parse_duration

    if value is None:
        return IntakeRule()
    from casefile.policy.customermail import MAIL_KEYS  # the keys of mail in (`casefile intake`)

    if not isinstance(value, dict) or set(value) - {"same_problem_within", *MAIL_KEYS}:
        raise RecordError(source, None, _("intake must be a mapping with same_problem_within (e.g. 24h, or none) and the mail keys {names}").format(names=', '.join(sorted(MAIL_KEYS))))
    raw = value.get("same_problem_within", "24h")
    if raw in (None, "none", 0, "0"):
        return IntakeRule(None)
    try:
        window = parse_duration(raw, where="intake.same_problem_within")
    except DurationError as error:
        raise RecordError(source, None, error.message) from None
    if not isinstance(window, timedelta):
        raise RecordError(source, None, _("intake.same_problem_within takes hours of real time, like 24h"))
    return IntakeRule(window)


def _need(mapping: Any, key: str, kind: type, where: str, source: str) -> Any:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kind):
        raise RecordError(source, None, _("{where}{key} is missing or not a {name__}").format(where=where, key=key, name__=kind.__name__))
    return value


def parse_policy(text: str, source: str = POLICY_FILE, countries: Official | None = None,
                 read: Callable[[str, str], Any] = load_plain) -> Policy:
    """A policy's text parsed; `countries`: the official days as the repository has them (the package's
    data with `calendars/official/*.yaml` over it, see `policy.official`); without, the package's alone.
    `read`: how the YAML is read (a session's reads what it read before from `keptplain`)."""
    data = read(text, source)
    if not isinstance(data, dict):
        raise RecordError(source, 1, _("the policy is not a mapping"))
    desk = _need(data, "desk", dict, "", source)
    timezone = str(desk.get("timezone") or "Asia/Shanghai")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RecordError(source, None, _("desk.timezone {timezone!r} is not a known time zone").format(timezone=timezone),
                          _("use an IANA name such as Asia/Shanghai")) from None
    language = str(desk.get("language") or "zh")
    if language not in LANGUAGES:
        raise RecordError(source, None, _("desk.language must be one of {names}").format(names=', '.join(LANGUAGES)))
    calendars = _need(data, "calendars", dict, "", source)
    roles = {
        key: Role(str(key), str(v.get("name", key)), str(v.get("name_zh", v.get("name", key))))
        for key, v in (data.get("roles") or {}).items()
        if isinstance(v, dict)
    }
    levels = {}
    for code, spec in _need(data, "levels", dict, "", source).items():
        where = f"levels.{code}."
        if not isinstance(spec, dict):
            raise RecordError(source, None, _("levels.{code} is not a mapping").format(code=code))
        coverage = str(_need(spec, "coverage", str, where, source))
        if coverage not in calendars:
            raise RecordError(source, None, _("{where}coverage {coverage!r} is not a calendar under calendars").format(where=where, coverage=coverage))
        ladder = spec.get("ladder")
        if ladder is not None and ladder not in (data.get("ladders") or {}):
            raise RecordError(source, None, _("{where}ladder {ladder!r} is not defined under ladders").format(where=where, ladder=ladder))
        targets = spec.get("targets") or {}
        if not isinstance(targets, dict):
            raise RecordError(source, None, _("{where}targets is not a mapping").format(where=where))
        levels[str(code)] = Level(
            code=str(code),
            name=str(spec.get("name", code)),
            name_zh=str(spec.get("name_zh", spec.get("name", code))),
            meaning=str(spec.get("meaning", "")),
            coverage=coverage,
            ladder=str(ladder) if ladder else None,
            targets={str(k): str(v) for k, v in targets.items()},
        )
    if not levels:
        raise RecordError(source, None, _("the policy defines no levels"))
    try:
        sla = parse_sla(data, list(roles), countries)
    except PolicyError as error:
        raise RecordError(source, _line_of(text, error.where), error.message) from None
    reminder = _reminder(desk.get("next_year_reminder", "12-01"), source, text)
    return Policy(
        desk_name=str(desk.get("name") or "Service desk"),
        timezone=timezone,
        language=language,
        levels=levels,
        roles=roles,
        source=source,
        sla=sla,
        next_year_reminder=reminder,
        _data=data,
    )


def _reminder(value: object, source: str, text: str) -> tuple[int, int] | None:
    """`desk.next_year_reminder`: a day of the year as MM-DD (default 12-01), or none."""
    if value is None or value is False or (isinstance(value, str) and value.strip().lower() == "none"):
        return None
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
    try:
        if match is None:
            raise ValueError
        month, day = int(match[1]), int(match[2])
        date(2000, month, day)  # a leap year: 02-29 is a day of the year
    except ValueError:
        raise RecordError(source, _line_of(text, "desk.next_year_reminder"),
                          _("desk.next_year_reminder: {value!r} is not a day of the year").format(value=value),
                          _("write it as month-day in quotes, e.g. \"12-01\", or none")) from None
    return month, day


def _line_of(text: str, where: str) -> int | None:
    """The line of a dotted key (`levels.A.targets.restore`, `ladders.x.steps[1]`) in the policy."""
    try:
        node: Any = load_editable(text, POLICY_FILE)
    except RecordError:
        return None
    line = None
    for part in where.replace("[", ".").replace("]", "").split("."):
        key: Any = int(part) if part.isdigit() and isinstance(node, list) else part
        try:
            line = node.lc.item(key)[0] if isinstance(node, list) else node.lc.key(key)[0]  # type: ignore[attr-defined]
            node = node[key]
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    return None if line is None else line + 1
