"""What one `casefile check` run finds and records: the records with something due, the alerts
fired, broken records, the result, and the seams providers plug into.

Alerts carry a stable `key` in the event's `fields`, built from the record alone, so every clone
computes the same key for the same step; `alert_fields` is what a fired alert writes into its record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from casefile.errors import ExitCode
from casefile.git.process import Identity
from casefile.oncall.model import PagePlan, Paged
from casefile.policy.rota import RotaProblem
from casefile.records.transaction import Transaction
from casefile.sla.engine import Alert, AlertKind
from casefile.values import Struct, field

if TYPE_CHECKING:  # what the mail and pager outboxes did: only named here, so a quiet check loads neither
    from casefile.mail.outbox import FlushResult
    from casefile.mail.pages import PageFlush

CHECK_ACTOR = "check"  # `by:` of the events a run records


@cache
def host() -> str:
    """This machine's name, as alerts record it (asked once, when an event is written)."""
    import socket

    return socket.gethostname() or "unknown"


CHECK_AUTHOR = Identity("casefile check", "check@casefile.invalid")


class Due(Struct, frozen=True):
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
    group: str | None = None  # the role of the case's working group (`group` in alerts)


class DeskNotice(Struct, frozen=True):
    """Something a run tells the desk that belongs to no record (a year's official days are missing)."""

    key: str
    text: str
    fix: str


class Broken(Struct, frozen=True):
    path: str
    reason: str


class Fired(Struct, frozen=True):
    due: Due
    alert: Alert
    notified: tuple[str, ...]  # handles
    unheld: tuple[str, ...]  # roles that nobody holds
    fired_at: datetime
    pages: tuple[PagePlan, ...] = ()  # the holders on duty paged (rota.yaml), who get no digest mail

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


class ResumableProvider(DueProvider, Protocol):
    """A provider whose records come in path order and that can start after a path (`resumable = True`):
    a run's next batch goes on where the last one stopped instead of reading them all again."""

    resumable: bool

    def collect(self, now: datetime, broken: Callable[[Broken], None], after: str | None = None) -> Iterator[Due]:
        """As `DueProvider.collect`, only the records whose path sorts after `after`."""
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
        """Record each letter as queued in `txn`; objects with `.message` (an outbox Message)."""
        ...

    def confirm(self, txn: Transaction, delivered: Callable[[str], datetime | None]) -> list[str]:
        """Record as sent, in `txn`, the letters the mail server accepted (`delivered`: message id -> when)."""
        ...

    def recorded(self, text: str, key: str) -> bool:
        ...


class CheckResult(Struct):
    now: datetime
    dry_run: bool
    fired: list[Fired] = field(default_factory=list)
    deferred: list[tuple[Due, Alert]] = field(default_factory=list)
    breached: list[tuple[Due, str]] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    evaluated: int = 0
    created: list[str] = field(default_factory=list)  # planned inspections, scheduled surveys
    letters: list[str] = field(default_factory=list)  # survey letters queued for the customers
    delivered: list[str] = field(default_factory=list)  # surveys whose letter the mail server accepted
    delivered_commit: str | None = None  # the commit that recorded them as sent
    commit: str | None = None  # the last commit of the run
    commits: list[str] = field(default_factory=list)  # every commit, one per batch (see `check.run.BATCH`)
    more: bool = False  # a batch stopped at its limit: records are left for the next
    resume: tuple[int, str | None] = (0, None)  # where the next batch goes on: provider, last path evaluated
    mail: FlushResult | None = None
    no_email: list[str] = field(default_factory=list)  # handles to notify that have no address
    notices: list[DeskNotice] = field(default_factory=list)  # said once per run-day (`check.reminders`)
    pages: PageFlush | None = None  # what the pager's outbox did (with --notify)
    rota: list[tuple[RotaProblem, bool]] = field(default_factory=list)  # gaps/overlaps ahead, new in this clone
    paging: dict[str, Paged] = field(default_factory=dict)  # open 7x24 cases' pages, and who acknowledged them

    @property
    def paging_failed(self) -> bool:
        return self.pages is not None and bool(self.pages.retrying or self.pages.refused)

    def exit_code(self, fail_on_breach: bool) -> ExitCode:
        """5 broken records, else 7 mail or pages not delivered (kept, or refused for good this run), else 6 breaches (if asked), else 0."""
        if self.broken:
            return ExitCode.INVALID
        if (self.mail is not None and (self.mail.failed or self.mail.dead)) or self.paging_failed:
            return ExitCode.REMOTE
        if fail_on_breach and self.breached:
            return ExitCode.BREACH
        return ExitCode.OK

    @property
    def quiet(self) -> bool:
        """Nothing to say: cron mails whatever a job prints."""
        mail_news = self.mail is not None and (self.mail.sent or self.mail.failed or self.mail.dead)
        page_news = self.pages is not None and bool(self.pages.sent or self.pages.refused or self.pages.retrying)
        rota_news = any(new for _problem, new in self.rota)
        return not (self.fired or self.broken or mail_news or self.no_email or self.created or self.letters
                    or self.notices or self.delivered or page_news or rota_news)

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
    if alert.kind is AlertKind.LADDER or alert.key.startswith(f"{AlertKind.UNCOMPUTABLE}/ladder/"):
        fields["ladder"] = alert.subject
    else:
        fields["clock"] = alert.subject
    if alert.kind is AlertKind.UNCOMPUTABLE:
        fields["year"] = int(alert.step)  # the year whose official days the clock needs
    elif alert.step:
        fields["step"] = alert.step
    fields["roles"] = list(alert.roles)
    fields["notified"] = list(item.notified)
    if item.unheld:
        fields["nobody_holds"] = list(item.unheld)
    if item.pages:
        fields["paged"] = [plan.fields() for plan in item.pages]
    fields["due_at"] = stamp(alert.due_at)
    if alert.deferred:
        fields["deferred_to"] = stamp(alert.page_at)
    fields["fired_at"] = stamp(item.fired_at)
    fields["host"] = host()  # two hosts that fire the same step merge into one event that names both
    return fields
