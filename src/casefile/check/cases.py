"""The cases provider of `casefile check`: what each open case has due, kept in the record index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.cases.model import Status
from casefile.cases.schema import case_problems
from casefile.check.model import Broken, Due, Fired
from casefile.check.writing import fired_events, is_recorded, with_events
from casefile.records.file import ParsedText
from casefile.records.kinds import CASES
from casefile.session import Session
from casefile.said import Said
from casefile.sla.engine import UNDOABLE, Alert, AlertKind
from casefile.sla.facts import service_of
from casefile.sla.work import ServiceLevels, SlaUnavailable

# -- cases --------------------------------------------------------------------------


class CaseAlerts:
    """The case provider: open, pending and resolved cases, and closed ones that still owe a report.

    What each case has due is kept in the record index as a timed row (see
    `TimedView`), so a run looks again only at the cases whose next deadline,
    ladder step or paging time has come, or whose file changed.
    """

    name = "cases"

    def __init__(self, session: Session) -> None:
        self.levels = ServiceLevels(session)
        self.catalog = session.catalog
        self._services: dict[tuple[str, str, str, str | None, str | None], tuple[tuple[frozenset[str], str], ...]] = {}

    resumable = True  # `collect(after=path)`: a run's next batch goes on where the last stopped

    def collect(self, now: datetime, broken: Callable[[Broken], None], after: str | None = None) -> Iterator[Due]:
        view = self.levels.clocks_view(DUE_VIEW, now, lambda data, _body: self._due_row(data, now), IDLE)
        shared: dict[Any, Any] = {}
        for path, row in self.catalog.timed_rows(
            CASES.folder, view, lambda error: broken(Broken(error.source, error.problem)), after=after
        ):
            if "error" in row:
                broken(Broken(path, str(row["error"])))
            elif not row.get("idle"):
                yield Due(
                    provider=self.name,
                    path=path,
                    record_id=str(row["id"]),
                    title=str(row["title"]),
                    level=str(row["level"]),
                    assignee=row["assignee"],
                    new=tuple(_alert(a, shared) for a in row["new"]),
                    deferred=tuple(_alert(a, shared) for a in row["deferred"]),
                    breached=tuple(row["breached"]),
                    group=row.get("group"),
                )

    def _due_row(self, data: Mapping[str, Any], now: datetime) -> tuple[dict[str, Any], datetime | None]:
        """What a case has due at `now`, and until when that holds (None: until the case changes)."""
        try:
            if not self._live(data):
                return IDLE, None
        except SlaUnavailable as error:
            return {"error": error.message}, now  # not kept: looked at again next time
        sla = self.levels.try_of(data, now)
        if isinstance(sla, SlaUnavailable):
            return {"error": str(sla)}, now
        row = {
            "id": sla.case_id,
            "title": str(data.get("title") or ""),
            "level": sla.level,
            "assignee": str(data["assignee"]) if data.get("assignee") else None,
            "group": group_role(data),
            "new": [_alert_row(a) for a in sla.new_alerts()],
            "deferred": [_alert_row(a) for a in sla.deferred_alerts()],
            "breached": [c.name for c in sla.breached],
        }
        return row, sla.next_change()

    def _live(self, data: Mapping[str, Any]) -> bool:
        """Cases not closed; closed ones only while a clock that starts at the restore is owed."""
        if data.get("status") != Status.CLOSED:
            return True
        owed = self._owed(data)
        events = data.get("events") or []
        if not owed and isinstance(events, (list, dict, str)):
            return False  # no clock of its service starts at the restore: nothing to read in its events
        kinds = {str(event.get("kind")) for event in events if isinstance(event, Mapping)}
        keys = {
            str((event.get("fields") or {}).get("key"))
            for event in events
            if isinstance(event, Mapping) and isinstance(event.get("fields"), Mapping)
        }
        return any(not kinds & stops and breach not in keys for stops, breach in owed)

    def _owed(self, data: Mapping[str, Any]) -> tuple[tuple[frozenset[str], str], ...]:
        """(stop events, breach key) of each clock of the case's service that starts at the restore.

        The same for every case of one policy version, level, type, rule and coverage: found once per run
        (at 100,000 cases the service was looked up 93,000 times for a handful of answers)."""
        try:
            rule, coverage = service_of(data)
            key = (str(data.get("policy") or ""), str(data.get("level")), str(data.get("type") or ""), rule, coverage)
            found = self._services.get(key)
            if found is None:
                service = self.levels.policy_of(data).sla.service(key[1], key[2], rule, coverage)
                found = tuple((frozenset(target.clock.stop), f"breach/{target.clock.name}")
                              for target in service.targets if target.clock.start in UNDOABLE)
                self._services[key] = found
        except Exception as error:  # noqa: BLE001 - reported as a broken record
            raise SlaUnavailable(str(error)) from None
        return found

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        stem = CASES.id_of(due.path)
        new_text, data = with_events(text, due.path, fired_events(fired, stamp))
        # The shape every reader screens a case for (any level that is text: the case was screened before,
        # so its level is one), and its file name: the index keeps the text as it is, not screened again.
        problems = case_problems(data, None, stem)
        if problems:
            raise SlaUnavailable(problems[0].message)
        if isinstance(new_text, ParsedText):
            return ParsedText(new_text, new_text.front, new_text.body, screened=True)
        return new_text

    def recorded(self, text: str, key: str) -> bool:
        return is_recorded(text, key)


DUE_VIEW = "case-due/3"  # raise when `CaseAlerts._due_row` changes
IDLE = {"idle": True}  # a closed case that owes nothing: kept until it changes, skipped in SQL


def group_role(data: Mapping[str, Any]) -> str | None:
    """The role of the case's working group: its tier's, or for the vendor the group that handed it over."""
    from casefile.cases.escalation import TIER_ROLES
    from casefile.cases.model import Tier

    tier = data.get("tier")
    if tier not in {str(t) for t in Tier}:
        return None
    role = TIER_ROLES[Tier(tier)]
    if role is not None:
        return role
    for event in reversed([e for e in data.get("events") or [] if isinstance(e, Mapping)]):
        moved = (event.get("fields") or {}).get("tier") if isinstance(event.get("fields"), Mapping) else None
        if isinstance(moved, Mapping) and moved.get("to") == Tier.VENDOR and moved.get("from") in {str(t) for t in Tier}:
            return TIER_ROLES[Tier(moved["from"])]
    return None


def _alert_row(alert: Alert) -> dict[str, Any]:
    return {
        "key": alert.key, "kind": str(alert.kind), "subject": alert.subject, "says": alert.says.stored(),
        "due_at": alert.due_at.isoformat(), "page_at": alert.page_at.isoformat(),
        "roles": list(alert.roles), "step": alert.step,
    }


def _alert(row: Mapping[str, Any], shared: dict[Any, Any] | None = None) -> Alert:
    """The alert of a kept row; `shared` (one per collection) makes equal words and roles one object: the first
    check over an archive holds 137,000 alerts saying a few dozen things."""
    says = Said.of(row["says"]["text_key"], **row["says"].get("text_values", {}))
    roles = tuple(row["roles"])
    due_at = datetime.fromisoformat(row["due_at"])
    page_at = due_at if row["page_at"] == row["due_at"] else datetime.fromisoformat(row["page_at"])
    if shared is not None:
        try:
            says = shared.setdefault(says, says)
            roles = shared.setdefault(roles, roles)
        except TypeError:  # a value that cannot be a key (a list in the words): not shared
            pass
    return Alert(str(row["key"]), AlertKind(row["kind"]), str(row["subject"]), says, due_at, page_at, roles,
                 str(row["step"]))
