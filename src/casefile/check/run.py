"""`casefile check`: record every newly reached warning, breach and ladder step once.

A run holds the repository's write lock from the first read to the commit, so
two overlapping runs take turns and the second sees what the first recorded:
nothing fires twice.  Records come from *providers* (`DueProvider`): cases
now; inspections and surveys plug in the same way (append to `providers`).
A provider yields, per record, the alerts that are due and pageable by now
and not yet recorded, and knows how to record fired ones in its file.

Everything fired in a run is one commit (or none).  Alerts carry a stable
`key` in the event's `fields`, built from the record alone, so every clone
computes the same key for the same step.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from casefile.cases.model import CaseDoc, Status, new_event
from casefile.clock import format_instant
from casefile.desk import Desk
from casefile.errors import ExitCode
from casefile.records.append import append_events
from casefile.git.repo import Identity
from casefile.records.numbers import CASES_DIR
from casefile.mail.outbox import FlushResult, Message, Outbox
from casefile.policy.people import People
from casefile.records.file import EditableRecord, read_plain
from casefile.records.problems import case_problems
from casefile.sla.engine import UNDOABLE, Alert, AlertKind
from casefile.policy.sla import ASSIGNEE, SERVICE_DESK
from casefile.sla.work import ServiceLevels, SlaUnavailable
from casefile.records.transaction import DirtyRecord, Transaction

CHECK_ACTOR = "check"  # `by:` of the events a run records
HOST = socket.gethostname() or "unknown"
CHECK_AUTHOR = Identity("casefile check", "check@casefile.invalid")
READ_AHEAD = 500  # records whose committed text one git process reads before they are changed


@dataclass(frozen=True)
class Due:
    """One record's alerts at a check: new ones, deferred ones, and its breaches."""

    provider: str
    path: str
    record_id: str
    title: str
    level: str
    assignee: str | None
    new: tuple[Alert, ...]
    deferred: tuple[Alert, ...] = ()
    breached: tuple[str, ...] = ()  # names of commitments breached now


@dataclass(frozen=True)
class Broken:
    path: str
    reason: str


@dataclass(frozen=True)
class Fired:
    due: Due
    alert: Alert
    notified: tuple[str, ...]  # handles
    unheld: tuple[str, ...]  # roles that nobody holds
    fired_at: datetime

    def text(self) -> str:
        return self.alert.label


class DueProvider(Protocol):
    name: str

    def collect(self, now: datetime, broken: Callable[[Broken], None]) -> Iterator[Due]:
        """Every record with something due or breached at `now`; unreadable ones go to `broken`."""
        ...

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        """The record's new text with the fired alerts written into it."""
        ...

    def recorded(self, text: str, key: str) -> bool:
        """Whether an alert key is recorded in this record text."""
        ...


class RecordOwner(Protocol):
    name: str  # the folder of its records

    def recorded(self, text: str, key: str) -> bool:
        ...


class Upkeep(Protocol):
    """Records a run creates before it evaluates (planned inspections, scheduled surveys)."""

    name: str  # the folder of its records

    def prepare(self, txn: Transaction | None, now: datetime) -> list[str]:
        """Write them into `txn` (or, without one, only say what would be written); one line each."""
        ...

    def recorded(self, text: str, key: str) -> bool:
        ...


class LetterSource(Protocol):
    """Mail to customers that a run sends and records (survey letters)."""

    name: str

    def letters(self, txn: Transaction, now: datetime) -> list[Any]:
        """Record each letter as sent in `txn`; objects with `.message` (an outbox Message)."""
        ...

    def recorded(self, text: str, key: str) -> bool:
        ...


@dataclass
class CheckResult:
    now: datetime
    dry_run: bool
    fired: list[Fired] = field(default_factory=list)
    deferred: list[tuple[Due, Alert]] = field(default_factory=list)
    breached: list[tuple[Due, str]] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    evaluated: int = 0
    created: list[str] = field(default_factory=list)  # planned inspections, scheduled surveys
    letters: list[str] = field(default_factory=list)  # survey letters mailed to customers
    commit: str | None = None
    mail: FlushResult | None = None
    no_email: list[str] = field(default_factory=list)  # handles to notify that have no address

    def exit_code(self, fail_on_breach: bool) -> ExitCode:
        """5 broken records, else 7 mail not delivered, else 6 breaches (if asked), else 0."""
        if self.broken:
            return ExitCode.INVALID
        if self.mail is not None and self.mail.failed:
            return ExitCode.REMOTE
        if fail_on_breach and self.breached:
            return ExitCode.BREACH
        return ExitCode.OK

    @property
    def quiet(self) -> bool:
        """Nothing to say: cron mails whatever a job prints."""
        mail_news = self.mail is not None and (self.mail.sent or self.mail.failed)
        return not (self.fired or self.broken or mail_news or self.no_email or self.created or self.letters)


# -- whom to tell ----------------------------------------------------------------


def recipients(people: People, roles: Sequence[str], assignee: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(handles, roles nobody holds) for a list of roles; `assignee` is the case's."""
    handles: list[str] = []
    unheld: list[str] = []
    for role in roles:
        if role == ASSIGNEE and assignee and assignee in people.persons:
            found = [assignee]
        else:
            wanted = SERVICE_DESK if role == ASSIGNEE else role
            found = [p.handle for p in people.holders(wanted)]
            if not found:
                unheld.append(wanted)
        handles.extend(h for h in found if h not in handles)
    return tuple(handles), tuple(unheld)


# -- cases --------------------------------------------------------------------------


class CaseAlerts:
    """The case provider: open, pending and resolved cases, and closed ones that still owe a report.

    What each case has due is kept in the record index as a timed row (see
    `TimedView`), so a run looks again only at the cases whose next deadline,
    ladder step or paging time has come, or whose file changed.
    """

    name = "cases"

    def __init__(self, desk: Desk) -> None:
        self.levels = ServiceLevels(desk)
        self.catalog = desk.catalog

    def collect(self, now: datetime, broken: Callable[[Broken], None]) -> Iterator[Due]:
        view = self.levels.clocks_view(DUE_VIEW, now, lambda data, _body: self._due_row(data, now), IDLE)
        for path, row in self.catalog.timed_rows(
            CASES_DIR, view, lambda error: broken(Broken(error.source, error.problem))
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
                    new=tuple(_alert(a) for a in row["new"]),
                    deferred=tuple(_alert(a) for a in row["deferred"]),
                    breached=tuple(row["breached"]),
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
            "new": [_alert_row(a) for a in sla.new_alerts()],
            "deferred": [_alert_row(a) for a in sla.deferred_alerts()],
            "breached": [c.name for c in sla.breached],
        }
        return row, sla.next_change()

    def _live(self, data: Mapping[str, Any]) -> bool:
        """Cases not closed; closed ones only while a clock that starts at the restore is owed."""
        if data.get("status") != Status.CLOSED:
            return True
        try:
            sla = self.levels.policy_of(data).sla
            level = sla.level(str(data.get("level")))
        except Exception as error:  # noqa: BLE001 - reported as a broken record
            raise SlaUnavailable(str(error)) from None
        kinds = {str(event.get("kind")) for event in data.get("events") or [] if isinstance(event, Mapping)}
        keys = {
            str((event.get("fields") or {}).get("key"))
            for event in data.get("events") or []
            if isinstance(event, Mapping) and isinstance(event.get("fields"), Mapping)
        }
        return any(
            target.clock.start in UNDOABLE
            and not kinds & set(target.clock.stop)
            and f"breach/{target.clock.name}" not in keys
            for target in level.targets
        )

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        events = [
            new_event(stamp(item.fired_at), CHECK_ACTOR, str(item.alert.kind), item.text(), alert_fields(item, stamp))
            for item in fired
        ]
        stem = due.path.rsplit("/", 1)[-1].removesuffix(".md")
        appended = append_events(text, due.path, events)
        if appended is not None:
            new_text, data = appended
        else:
            record = EditableRecord.parse(text, due.path)
            doc = CaseDoc(record.data, record.body)
            for event in events:
                doc.add_event(**event)
            new_text, data = record.render(), record.data
        problems = case_problems(data, [str(data.get("level"))], stem)
        if problems:
            raise SlaUnavailable(problems[0].message)
        return new_text

    def recorded(self, text: str, key: str) -> bool:
        data, _body = read_plain(text, "record")
        return key in recorded_keys(data)


DUE_VIEW = "case-due/1"  # raise when `CaseAlerts._due_row` changes
IDLE = {"idle": True}  # a closed case that owes nothing: kept until it changes, skipped in SQL


def _alert_row(alert: Alert) -> dict[str, Any]:
    return {
        "key": alert.key, "kind": str(alert.kind), "subject": alert.subject, "label": alert.label,
        "due_at": alert.due_at.isoformat(), "page_at": alert.page_at.isoformat(),
        "roles": list(alert.roles), "step": alert.step,
    }


def _alert(row: Mapping[str, Any]) -> Alert:
    return Alert(
        str(row["key"]), AlertKind(row["kind"]), str(row["subject"]), str(row["label"]),
        datetime.fromisoformat(row["due_at"]), datetime.fromisoformat(row["page_at"]),
        tuple(row["roles"]), str(row["step"]),
    )


def recorded_keys(data: Mapping[str, Any]) -> set[str]:
    """The keys of the alerts recorded in a record's events."""
    return {
        str(event["fields"]["key"])
        for event in data.get("events") or []
        if isinstance(event, Mapping) and isinstance(event.get("fields"), Mapping) and event["fields"].get("key")
    }


def alert_fields(item: Fired, stamp: Callable[[datetime], str]) -> dict[str, Any]:
    alert = item.alert
    fields: dict[str, Any] = {"key": alert.key}
    if alert.kind is AlertKind.LADDER:
        fields["ladder"] = alert.subject
    else:
        fields["clock"] = alert.subject
    if alert.step:
        fields["step"] = alert.step
    fields["roles"] = list(alert.roles)
    fields["notified"] = list(item.notified)
    if item.unheld:
        fields["nobody_holds"] = list(item.unheld)
    fields["due_at"] = stamp(alert.due_at)
    if alert.deferred:
        fields["deferred_to"] = stamp(alert.page_at)
    fields["fired_at"] = stamp(item.fired_at)
    fields["host"] = HOST  # two hosts that fire the same step merge into one event that names both
    return fields


# -- the run ------------------------------------------------------------------------


class Check:
    def __init__(
        self,
        desk: Desk,
        providers: Sequence[DueProvider] | None = None,
        upkeep: Sequence[Upkeep] = (),
        letters: Sequence[LetterSource] = (),
    ) -> None:
        self.desk = desk
        self.providers: list[DueProvider] = list(providers) if providers is not None else [CaseAlerts(desk)]
        self.upkeep = list(upkeep)
        self.letter_sources = list(letters)
        self.outbox = Outbox(desk.state_dir)

    def run(self, dry_run: bool = False, send: Callable[[Message], None] | None = None) -> CheckResult:
        """Evaluate every record at now; record (unless dry_run) and mail (if `send`) what is new."""
        if dry_run:
            result = CheckResult(self.desk.now(), True)
            result.created = [line for keeper in self.upkeep for line in keeper.prepare(None, result.now)]
            self._evaluate(result, None)
            return result
        result = self.desk.mutate(lambda txn: self._in_lock(txn, send is not None))
        if send is not None:
            result.mail = self.outbox.flush(send)
        return result

    def _in_lock(self, txn: Transaction, notify: bool) -> CheckResult:
        now = self.desk.now()
        result = CheckResult(now, False)
        if notify:
            self.outbox.recover(lambda path, key: self._recorded(txn, path, key))
        result.created = [line for keeper in self.upkeep for line in keeper.prepare(txn, now)]
        self._evaluate(result, txn)
        letters = [letter for source in self.letter_sources for letter in source.letters(txn, now)] if notify else []
        result.letters = [letter.survey for letter in letters]
        if not txn.writes:
            return result
        staged: list[str] = []
        if notify:
            for message in [*self._messages(result), *(letter.message for letter in letters)]:
                self.outbox.stage(message)
                staged.append(message.id)
            txn.on_commit.append(lambda: self.outbox.promote(staged))
        try:
            result.commit = txn.commit(self._commit_message(result), CHECK_AUTHOR, now)
        except BaseException:
            self.outbox.discard(staged)
            raise
        return result

    def _recorded(self, txn: Transaction, path: str, key: str) -> bool:
        text = self.desk.repo.read_blob(f"{txn.head}:{path}") if txn.head else None
        if text is None:
            return False
        folder = path.split("/", 1)[0]
        owners: list[RecordOwner] = [*self.providers, *self.upkeep, *self.letter_sources]
        owner = next((p for p in owners if p.name == folder), None)
        if owner is None:
            return False
        try:
            return owner.recorded(text.decode("utf-8"), key)
        except Exception:  # noqa: BLE001 - an unreadable record has nothing recorded
            return False

    def _evaluate(self, result: CheckResult, txn: Transaction | None) -> None:
        people = self.desk.people
        for provider in self.providers:
            dues = list(provider.collect(result.now, result.broken.append))
            for number, due in enumerate(dues):
                if txn is not None and number % READ_AHEAD == 0:
                    txn.read_ahead([d.path for d in dues[number : number + READ_AHEAD] if d.new])
                result.evaluated += 1
                result.breached.extend((due, name) for name in due.breached)
                result.deferred.extend((due, alert) for alert in due.deferred)
                if not due.new:
                    continue
                fired = [self._fire(people, due, alert, result.now) for alert in due.new]
                if txn is not None and not self._write(txn, provider, due, fired, result):
                    continue
                result.fired.extend(fired)
        for item in result.fired:
            for handle in item.notified:
                if not people.get(handle).email and handle not in result.no_email:
                    result.no_email.append(handle)

    def _fire(self, people: People, due: Due, alert: Alert, now: datetime) -> Fired:
        handles, unheld = recipients(people, alert.roles, due.assignee)
        return Fired(due, alert, handles, unheld, now)

    def _write(self, txn: Transaction, provider: DueProvider, due: Due, fired: list[Fired], result: CheckResult) -> bool:
        try:
            written = txn.writes.get(due.path)  # made earlier in this run (a planned inspection)
            committed = written if written is not None else txn.committed(due.path)
            if committed is None and not getattr(provider, "creates_records", False):
                raise DirtyRecord(f"{due.path} is not committed", "commit it first")
            old = committed.decode("utf-8") if committed is not None else ""
            text = provider.record(old, due, fired, self.desk.stamp)
        except (DirtyRecord, SlaUnavailable) as error:
            result.broken.append(Broken(due.path, str(error)))
            return False
        txn.write(due.path, text)
        return True

    def _commit_message(self, result: CheckResult) -> str:
        records = sorted({item.due.record_id for item in result.fired})
        count = len(result.fired)
        if len(records) == 1 and not (result.created or result.letters):
            subject = f"{records[0]}: check: {count} alert{'s' * (count != 1)}"
        else:
            parts = [f"{count} alert{'s' * (count != 1)} on {len(records)} record{'s' * (len(records) != 1)}"] \
                if count else []
            parts += [line for line in result.created]
            if result.letters:
                parts.append(f"{len(result.letters)} survey letter{'s' * (len(result.letters) != 1)} sent")
            subject = "check: " + ", ".join(parts)
        lines = [subject, ""]
        for item in result.fired:
            lines.append(f"{item.due.record_id} {item.alert.key} (due {self.desk.stamp(item.alert.due_at)})")
        lines += [*result.created, *(f"survey letter sent: {ident}" for ident in result.letters)]
        cases = [record for record in records if any(i.due.record_id == record and i.due.provider == "cases"
                                                      for i in result.fired)]
        lines += ["", "Casefile-Action: check", *(f"Casefile-Case: {record}" for record in cases)]
        return "\n".join(lines) + "\n"

    def _messages(self, result: CheckResult) -> list[Message]:
        from casefile.check.views import mail_body

        people = self.desk.people
        by_handle: dict[str, list[Fired]] = {}
        for item in result.fired:
            for handle in item.notified:
                by_handle.setdefault(handle, []).append(item)
        messages = []
        for handle, items in by_handle.items():
            person = people.get(handle)
            if not person.email:
                continue
            keys = sorted((item.due.path, item.alert.key) for item in items)
            digest = hashlib.sha1(repr((handle, keys)).encode("utf-8")).hexdigest()[:20]
            records = sorted({item.due.record_id for item in items})
            subject = f"[casefile] {len(items)} alert{'s' * (len(items) != 1)}: {', '.join(records)}"
            messages.append(
                Message(
                    id=f"check-{digest}",
                    to=(person.email,),
                    subject=subject,
                    body=mail_body(person, items, self.desk.policy.zone),
                    alerts=tuple(keys),
                    created_at=format_instant(result.now, self.desk.policy.zone),
                )
            )
        return messages
