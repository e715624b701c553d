"""`casefile check`: record every newly reached warning, breach and ladder step once.

A run holds the repository's write lock from the first read to the commit, so
two overlapping runs take turns and the second sees what the first recorded:
nothing fires twice.  Records come from *providers* (`DueProvider`): cases
now; inspections and surveys plug in the same way (append to `providers`).
A provider yields, per record, the alerts that are due and pageable by now
and not yet recorded, and knows how to record fired ones in its file.

Everything fired in a run is one commit (or none) — unless it writes more
than `BATCH` records (the first run over an adopted archive fires on tens of
thousands of old cases): then each batch of at most `BATCH` records is a
commit of its own, with its mail and pages staged in it, and the next batch
goes on from the committed state where the last stopped (the cases provider
reads on from the last path; what came before is not read again, so ten
batches read 100,000 cases once, not ten times).  A run killed between batches
leaves whole batches behind; the next run fires exactly what is still
unrecorded, so nothing fires twice and nothing is lost, and memory is that
of one batch (plus what the run reports).  Alerts carry a stable `key` in
the event's `fields`, built from the record alone, so every clone computes
the same key for the same step.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import cast

from casefile.check.cases import CaseAlerts
from casefile.check.reminders import OfficialDaysReminder
from casefile.check.model import (
    CHECK_AUTHOR,
    Broken,
    CheckResult,
    Due,
    DueProvider,
    Fired,
    LetterSource,
    RecordOwner,
    ResumableProvider,
    Upkeep,
)
from casefile.check.paging import Pager
from casefile.mail.outbox import Message, Outbox
from casefile.mail.pages import PageMessage, PageOutbox
from casefile.policy.people import People
from casefile.policy.rota import ROTA_FILE
from casefile.policy.sla import ASSIGNEE, GROUP, OWNER, SERVICE_DESK
from casefile.records.change import CommitMessage
from casefile.records.file import ParsedText
from casefile.records.kinds import CASES, KINDS, REPORTS, SURVEYS
from casefile.records.transaction import DirtyRecord, Transaction, crash_point
from casefile.session import Session
from casefile.sla.engine import Alert, AlertKind
from casefile.sla.work import SlaUnavailable
from casefile.worktime.clock import format_instant, parse_stored
from casefile.i18n import _

def _windows(items: Iterator[Due], size: int) -> Iterator[list[Due]]:
    """`items` in lists of at most `size`."""
    window: list[Due] = []
    for item in items:
        window.append(item)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


READ_AHEAD = 500  # records whose committed text one git process reads before they are changed
BATCH = 2000  # records a commit of one run writes at most; more go in further commits
BATCH_VARIABLE = "CASEFILE_CHECK_BATCH"  # overrides BATCH (records per commit), e.g. for a small machine


def batch_size() -> int:
    """Records per commit: `CASEFILE_CHECK_BATCH` if it is a positive number, else BATCH."""
    value = os.environ.get(BATCH_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else BATCH


# -- whom to tell ----------------------------------------------------------------


def recipients(people: People, roles: Sequence[str], assignee: str | None,
               group: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(handles, roles nobody holds) for a list of roles; `assignee` is the case's owner, `group` the role of
    its working group (the pseudo-roles `owner`/`assignee` and `group`)."""
    handles: list[str] = []
    unheld: list[str] = []
    for role in roles:
        if role in (ASSIGNEE, OWNER) and assignee and assignee in people.persons:
            found = [assignee]
        elif role == GROUP and not group:
            continue  # a case in no group: its owner and the desk hear of it
        else:
            wanted = SERVICE_DESK if role in (ASSIGNEE, OWNER) else (group or "") if role == GROUP else role
            found = [p.handle for p in people.holders(wanted)]
            if not found:
                unheld.append(wanted)
        handles.extend(h for h in found if h not in handles)
    return tuple(handles), tuple(unheld)


# -- the run ------------------------------------------------------------------------


class Check:
    def __init__(
        self,
        session: Session,
        providers: Sequence[DueProvider] | None = None,
        upkeep: Sequence[Upkeep] = (),
        letters: Sequence[LetterSource] = (),
        reminders: OfficialDaysReminder | None = None,
        pager: Pager | None = None,
    ) -> None:
        self.session = session
        self.reminders = reminders
        self.pager = pager or Pager(session)  # pages the holder on duty (rota.yaml), if the desk has a rota
        self.page_outbox = PageOutbox(session.state_dir)
        self.providers: list[DueProvider] = list(providers) if providers is not None else [CaseAlerts(session)]
        self.upkeep = list(upkeep)
        self.letter_sources = list(letters)
        self.outbox = Outbox(session.state_dir)
        self._shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._seen: dict[int, set[str]] = {}  # per provider that cannot resume: the paths a run evaluated
        self._known: dict[str, tuple[bytes, ParsedText]] = {}  # the window's committed texts the index has parsed

    def run(self, dry_run: bool = False, send: Callable[[Message], None] | None = None,
            page: Callable[[PageMessage], None] | None = None) -> CheckResult:
        """Evaluate every record at now; record (unless dry_run), mail (if `send`) and page (if `page`) what
        is new."""
        self._seen = {}
        if dry_run:
            result = CheckResult(self.session.now(), True)
            result.created = [line for keeper in self.upkeep for line in keeper.prepare(None, result.now)]
            self._evaluate(result, None)
            result.notices = self.reminders.due(result.now) if self.reminders else []
            result.rota = self.pager.rota_ahead(result.now, remember=False)
            result.paging = dict(self.pager.seen)
            self._rota_broken(result)
            return result
        result = self._batches(send is not None or page is not None)
        if self.reminders is not None:
            result.notices = self.reminders.due(result.now)
            self.reminders.said(result.notices, result.now)
        if send is not None:
            result.mail = self.outbox.flush(send, self.session.stamp(result.now))
            self._confirm_letters(result)
        if page is not None:
            result.pages = self.page_outbox.flush(page, result.now)
        result.rota = self.pager.rota_ahead(result.now, remember=True)
        result.paging = dict(self.pager.seen)
        self._rota_broken(result)
        return result

    def _batches(self, notify: bool) -> CheckResult:
        """Run in commits of at most `batch_size()` records; what they fired, as one result."""
        limit = batch_size()
        whole = CheckResult(self.session.now(), False)  # what every batch found, as one result
        start: tuple[int, str | None] = (0, None)
        first = True
        while True:
            result = self.session.mutate(lambda txn: self._in_lock(txn, notify, limit, upkeep=first, start=start))
            first, start = False, result.resume
            whole.no_email += [handle for handle in result.no_email if handle not in whole.no_email]
            whole.broken += [item for item in result.broken if item not in whole.broken]
            whole.fired += result.fired
            whole.created += result.created
            whole.letters += result.letters
            whole.breached += result.breached
            whole.deferred += result.deferred
            whole.evaluated += result.evaluated
            if result.commit:
                whole.commits.append(result.commit)
            if not result.more:
                break
            crash_point("check-batch")  # testing aid: a run killed between two batches
        result.fired, result.created, result.letters, result.commits = (whole.fired, whole.created, whole.letters,
                                                                        whole.commits)
        result.no_email, result.broken, result.breached, result.deferred, result.evaluated = (
            whole.no_email, whole.broken, whole.breached, whole.deferred, whole.evaluated)
        return result

    def _rota_broken(self, result: CheckResult) -> None:
        if self.pager.error:  # nobody was paged; every holder was mailed, as without a rota
            result.broken.append(Broken(ROTA_FILE, f"{self.pager.error}; nobody paged, every holder mailed"))

    def _confirm_letters(self, result: CheckResult) -> None:
        """A survey letter is `sent` only once the mail server took it: record those, in a commit of their own."""
        if not self.letter_sources:
            return

        def delivered(message_id: str) -> datetime | None:
            found = self.outbox.delivered(message_id)
            return parse_stored(found.sent_at) if found is not None and found.sent_at else None

        def body(txn: Transaction) -> None:
            ids = [ident for source in self.letter_sources for ident in source.confirm(txn, delivered)]
            if not ids:
                return
            result.delivered = ids
            words = f"{len(ids)} survey letter{'s' * (len(ids) != 1)} sent"
            message = CommitMessage(f"check: {words}", "check", tuple((SURVEYS.trailer, i) for i in ids),
                                    "\n".join(f"survey letter accepted by the mail server: {i}" for i in ids))
            result.delivered_commit = txn.commit(message.text(), CHECK_AUTHOR, self.session.now())

        self.session.mutate(body)

    def _in_lock(self, txn: Transaction, notify: bool, limit: int | None = None, upkeep: bool = True,
                 start: tuple[int, str | None] = (0, None)) -> CheckResult:
        """One commit's work; `upkeep` (the first batch of a run only: what it plans is committed by then,
        so later batches would only read every plan again to find nothing to do) plans inspections and
        surveys."""
        now = self.session.now()
        result = CheckResult(now, False)
        if notify and upkeep:
            self.outbox.recover(lambda path, key: self._recorded(txn, path, key))
            self.page_outbox.recover(lambda path, key: self._recorded(txn, path, key))
        if upkeep:
            result.created = [line for keeper in self.upkeep for line in keeper.prepare(txn, now)]
        self._evaluate(result, txn, limit, start)
        letters = [letter for source in self.letter_sources for letter in source.letters(txn, now)] if notify else []
        result.letters = [letter.survey for letter in letters]
        result.broken += [item for source in self.letter_sources for item in getattr(source, "unsent", [])]
        if not txn.writes:
            return result
        staged: list[str] = []
        paged: list[str] = []
        if notify:
            for message in [*self._messages(result), *(letter.message for letter in letters)]:
                self.outbox.stage(message)
                staged.append(message.id)
            for page in self.pager.messages(result.fired, now):
                self.page_outbox.stage(page)
                paged.append(page.id)
            txn.on_commit.append(lambda: self.outbox.promote(staged))
            txn.on_commit.append(lambda: self.page_outbox.promote(paged))
        try:
            result.commit = txn.commit(self._commit_message(result), CHECK_AUTHOR, now)
        except BaseException:
            self.outbox.discard(staged)
            self.page_outbox.discard(paged)
            raise
        self.session.catalog.learn(txn.parsed())  # the next batch reads them without parsing them again
        return result

    def _recorded(self, txn: Transaction, path: str, key: str) -> bool:
        text = self.session.repo.read_blob(f"{txn.head}:{path}") if txn.head else None
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

    def _evaluate(self, result: CheckResult, txn: Transaction | None, limit: int | None = None,
                  start: tuple[int, str | None] = (0, None)) -> None:
        """Evaluate every record from `start` (provider, the last path a batch before evaluated); with `limit`,
        write at most that many (`result.more` says some are left, `result.resume` from where)."""
        people = self.session.people
        written = 0
        for number, provider in enumerate(self.providers):
            if result.more:
                break
            if number < start[0]:
                continue  # evaluated whole by the batches before
            # A window of READ_AHEAD records at a time, never every record at once (an adopted archive of
            # 100,000 cases is 100,000 of them): their texts are read with one git process, then evaluated.
            # A resumable provider goes on after the last record the batch before evaluated (its `collect`
            # reads from there); another is read again, passing over the records evaluated before.
            resumable = getattr(provider, "resumable", False)
            after = start[1] if number == start[0] else None
            collected = cast(ResumableProvider, provider).collect(result.now, result.broken.append, after=after) \
                if resumable and after is not None else provider.collect(result.now, result.broken.append)
            seen = None if resumable else self._seen.setdefault(number, set())
            result.resume = (number, after if resumable else None)
            try:
                for dues in _windows(collected, READ_AHEAD):
                    if txn is not None:
                        paths = [d.path for d in dues if d.new]
                        txn.read_ahead(paths)
                        # their texts with the parse the index keeps: appending to them does not parse them again
                        ahead = dict(txn.ahead(paths))
                        self._known = {path: (ahead[path], text) for path, text in
                                       self.session.catalog.known_texts(ahead.items()).items()} if ahead else {}
                    written = self._evaluate_window(result, txn, provider, people, dues, limit, written, seen)
                    if result.more:
                        break
            finally:  # left early at the limit: the index keeps the rows made so far
                close = getattr(collected, "close", None)
                if close is not None:
                    close()
        for item in result.fired:
            for handle in item.notified:
                if not people.get(handle).email and handle not in result.no_email:
                    result.no_email.append(handle)

    def _evaluate_window(self, result: CheckResult, txn: Transaction | None, provider: DueProvider, people: People,
                         dues: list[Due], limit: int | None, written: int, seen: set[str] | None = None) -> int:
        """Evaluate `dues` (but those in `seen`: evaluated by a batch before); the count of records written so
        far after them (`result.more`: the limit was hit)."""
        for due in dues:
            if limit is not None and due.new and written >= limit:
                result.more = True  # the rest in the next batch, after this commit
                break
            if seen is not None:
                if due.path in seen:
                    continue
                seen.add(due.path)
            result.resume = (result.resume[0], due.path)
            result.evaluated += 1
            result.breached.extend((due, name) for name in due.breached)
            result.deferred.extend((due, alert) for alert in due.deferred)
            if not due.new:
                continue
            fired = [self._fire(people, due, alert, result.now) for alert in due.new]
            if txn is not None and not self._write(txn, provider, due, fired, result):
                continue
            written += 1
            result.fired.extend(fired)
        return written

    def _fire(self, people: People, due: Due, alert: Alert, now: datetime) -> Fired:
        pages = self.pager.plan(due, alert, now)
        if alert.kind is AlertKind.PAGE:  # a re-page goes to the one person paged, not to the role's mail
            return Fired(due, alert, (), (), now, pages)
        handles, unheld = recipients(people, alert.roles, due.assignee, due.group)
        handles = self._shared.setdefault(handles, handles)  # a few dozen lists of people for 137,000 alerts
        return Fired(due, alert, handles, self._shared.setdefault(unheld, unheld), now, pages)

    def _write(self, txn: Transaction, provider: DueProvider, due: Due, fired: list[Fired], result: CheckResult) -> bool:
        try:
            written = txn.writes.get(due.path)  # made earlier in this run (a planned inspection)
            committed = written if written is not None else txn.committed(due.path)
            if committed is None and not getattr(provider, "creates_records", False):
                raise DirtyRecord(_("{path} is not committed").format(path=due.path), _("commit it first"))
            old = committed.decode("utf-8") if committed is not None else ""
            known = self._known.get(due.path)
            if known is not None and known[0] == committed:
                old = known[1]  # the same text, with its parse
            text = provider.record(old, due, fired, self.session.stamp)
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
                parts.append(f"{len(result.letters)} survey letter{'s' * (len(result.letters) != 1)} queued")
            subject = "check: " + ", ".join(parts)
        lines = [f"{item.due.record_id} {item.alert.key} (due {self.session.stamp(item.alert.due_at)})"
                 for item in result.fired]
        lines += [*result.created, *(f"survey letter queued: {ident}" for ident in result.letters)]
        by_folder = {kind.folder: kind.trailer for kind in KINDS if kind is not REPORTS}
        named = {(by_folder[item.due.provider], item.due.record_id)  # each record once, by its kind's trailer
                 for item in result.fired if item.due.provider in by_folder}
        trailers = sorted(named, key=lambda pair: (pair[0] != CASES.trailer, pair[1], pair[0]))
        trailers += [(SURVEYS.trailer, ident) for ident in result.letters]
        return CommitMessage(subject, "check", tuple(trailers), "\n".join(lines)).text()

    def _messages(self, result: CheckResult) -> list[Message]:
        from casefile.check.mail import mail_body

        people = self.session.people
        by_handle: dict[str, list[Fired]] = {}
        for item in result.fired:
            paged = {plan.to for plan in item.pages}  # the holder on duty is paged instead
            for handle in item.notified:
                if handle not in paged:
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
                    body=mail_body(person, items, self.session.policy.zone),
                    alerts=tuple(keys),
                    created_at=format_instant(result.now, self.session.policy.zone),
                )
            )
        return messages
