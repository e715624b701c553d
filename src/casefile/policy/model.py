"""The desk's service policy (`policy.yaml`): levels, calendars, clocks, ladders, roles.

A case records the git blob id of the policy it was opened under; `Policy` is
built from that version's text, so later edits do not move past deadlines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from casefile.policy.sla import PolicyError, SlaPolicy, parse_sla
from casefile.worktime.calendar import WorkCalendar

if TYPE_CHECKING:
    from casefile.policy.customermail import IntakePolicy, NotifyPolicy
    from casefile.policy.inspections import InspectionPolicy
    from casefile.policy.reports import ReportPolicy
    from casefile.policy.surveys import SurveyPolicy, SurveyScale
from casefile.records.yamlio import RecordError, load_editable, load_plain

POLICY_FILE = "policy.yaml"
LANGUAGES = ("zh", "en")


def default_policy_text() -> str:
    return (resources.files("casefile.templates") / "init" / "policy.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    name_zh: str
    meaning: str
    coverage: str
    ladder: str | None
    targets: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    name_zh: str


@dataclass(frozen=True)
class Policy:
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
    _data: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

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

    def check_sections(self) -> None:
        """Read every section, so a mistake in any of them is found now (`validate`, the hooks)."""
        for name in ("surveys", "inspections", "reports", "notify", "mail_intake"):
            getattr(self, name)


def _need(mapping: Any, key: str, kind: type, where: str, source: str) -> Any:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kind):
        raise RecordError(source, None, f"{where}{key} is missing or not a {kind.__name__}")
    return value


def parse_policy(text: str, source: str = POLICY_FILE) -> Policy:
    data = load_plain(text, source)
    if not isinstance(data, dict):
        raise RecordError(source, 1, "the policy is not a mapping")
    desk = _need(data, "desk", dict, "", source)
    timezone = str(desk.get("timezone") or "Asia/Shanghai")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RecordError(source, None, f"desk.timezone {timezone!r} is not a known time zone",
                          "use an IANA name such as Asia/Shanghai") from None
    language = str(desk.get("language") or "zh")
    if language not in LANGUAGES:
        raise RecordError(source, None, f"desk.language must be one of {', '.join(LANGUAGES)}")
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
            raise RecordError(source, None, f"levels.{code} is not a mapping")
        coverage = str(_need(spec, "coverage", str, where, source))
        if coverage not in calendars:
            raise RecordError(source, None, f"{where}coverage {coverage!r} is not a calendar under calendars")
        ladder = spec.get("ladder")
        if ladder is not None and ladder not in (data.get("ladders") or {}):
            raise RecordError(source, None, f"{where}ladder {ladder!r} is not defined under ladders")
        targets = spec.get("targets") or {}
        if not isinstance(targets, dict):
            raise RecordError(source, None, f"{where}targets is not a mapping")
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
        raise RecordError(source, None, "the policy defines no levels")
    try:
        sla = parse_sla(data, list(roles))
    except PolicyError as error:
        raise RecordError(source, _line_of(text, error.where), error.message) from None
    return Policy(
        desk_name=str(desk.get("name") or "Service desk"),
        timezone=timezone,
        language=language,
        levels=levels,
        roles=roles,
        source=source,
        sla=sla,
        _data=data,
    )


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
