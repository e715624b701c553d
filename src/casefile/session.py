"""What every service works in: the case repository, the one clock, the actor, the policy and the people.

One `Session` is opened per command (by `Desk.open`, from `--repo`, `--now`
and `--as` or their environment variables) and handed to every service;
nothing below the CLI reads the environment, the wall clock or the current
directory.

`change()` is the one way a record changes: open the committed record
(refusing uncommitted hand edits), apply an operation, validate the result
against its kind's schema, write it, and make one commit named by
`CommitMessage` and authored by the person acting — or leave no trace.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from casefile.errors import CasefileError, NotFound
from casefile.git.objects import blob_id
from casefile.git.process import Identity
from casefile.git.repo import GitRepo, require_repo
from casefile.policy.model import POLICY_FILE, Policy, parse_policy
from casefile.policy.people import PEOPLE_FILE, People, Person, check_handle, parse_people
from casefile.records.change import Change, CommitMessage, Done, done, open_committed, raise_problems
from casefile.records.journal import pending_repair
from casefile.records.file import RecordEntry, read_plain, set_screen
from casefile.render.printable import printable
from casefile.records.kinds import (
    ARTICLES,
    CASES,
    CHANGES,
    CUSTOMERS,
    INCIDENT_REPORTS,
    INSPECTIONS,
    PROBLEMS,
    STATEMENTS,
    SURVEYS,
    VENDORS,
    RecordKind,
)
from casefile.records.yamlio import RecordError
from casefile.values import Struct, field
from casefile.worktime.clock import Clock, format_instant
from casefile import i18n
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.index.catalog import Catalog
    from casefile.records.transaction import Transaction
    from casefile.policy.official import OfficialData
    from casefile.records.file import EditableRecord
    from casefile.records.problems import Problem

T = TypeVar("T")


def to_stderr(message: str) -> None:
    # A note can name what a record holds (a skipped file's key): shown escaped, like errors are.
    print(f"casefile: {printable(message)}", file=sys.stderr)


class Session(Struct, dict=True):
    repo: GitRepo
    clock: Clock
    actor_handle: str | None = None
    notes: Callable[[str], None] = to_stderr
    _policies: dict[str, Policy] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        now: str | None = None,
        actor: str | None = None,
        notes: Callable[[str], None] = to_stderr,
    ) -> Session:
        start = Path(path) if path else Path.cwd()
        if not start.exists():
            raise NotFound(_("not a case repository: {start} does not exist").format(start=start), _("check --repo or CASEFILE_REPO"))
        repo = require_repo(start)
        if not (repo.worktree / POLICY_FILE).is_file():
            raise NotFound(
                _("not a case repository: {worktree} has no {POLICY_FILE}").format(worktree=repo.worktree, POLICY_FILE=POLICY_FILE),
                _("run `casefile init {worktree}` to make it one").format(worktree=repo.worktree),
            )
        session = cls(repo, Clock(), actor, notes)
        session.clock = Clock.from_option(now, session.policy.zone)
        i18n.use(i18n.choose(session.policy.language))  # the desk's language, unless CASEFILE_LANG says another
        if pending_repair(session.state_dir):
            from casefile.records import transaction as store  # most commands find no journal and write nothing

            with store.write_lock(session.state_dir):
                note = store.repair(repo, session.state_dir)
            if note:
                notes(note)
        return session

    # -- places --------------------------------------------------------------

    @property
    def root(self) -> Path:
        return self.repo.worktree

    @property
    def state_dir(self) -> Path:
        """Per-clone state that is never committed: lock, journal, station, index."""
        return self.repo.state_dir


    # -- time ----------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.policy.zone)

    def stamp(self, value: datetime | None = None) -> str:
        return format_instant(value or self.clock.now(), self.policy.zone)

    # -- configuration -------------------------------------------------------

    @cached_property
    def official(self) -> OfficialData:
        """The official days the repository adds to the package's (`calendars/official/*.yaml`): facts, read
        for every case whatever policy version it was opened under."""
        from casefile.policy.official import load_official

        return load_official(self.root)

    @cached_property
    def policy(self) -> Policy:
        text = self._read(POLICY_FILE)
        policy = parse_policy(text, POLICY_FILE, self.official.countries, self._kept)
        # Most cases were opened under the policy as it is now: that version is this one, parsed once.
        self._policies[blob_id(text.encode("utf-8"))] = policy
        return policy

    @cached_property
    def people(self) -> People:
        path = self.root / PEOPLE_FILE
        return parse_people(path.read_text(encoding="utf-8"), PEOPLE_FILE, self._kept) if path.exists() else People({})

    def _kept(self, text: str, source: str) -> Any:
        """A hand-written file's YAML as read before, if it was (`keptplain`: ruamel reads comments slowly)."""
        from casefile.records.keptplain import load_kept

        return load_kept(text, source, self.state_dir)

    def policy_version(self, oid: str | None) -> Policy:
        """The policy a case was opened under (by blob id); the current one if unknown."""
        if not oid:
            return self.policy
        if oid not in self._policies:
            content = self.repo.read_blob(oid)
            if content is None:
                self.notes(_("policy version {value} is not in this clone; using the current policy").format(value=oid[:12]))
                self._policies[oid] = self.policy  # said once, not once per case
            else:
                self._policies[oid] = parse_policy(content.decode("utf-8"), f"{POLICY_FILE}@{oid[:12]}",
                                                   self.official.countries, self._kept)
        return self._policies[oid]

    def _read(self, name: str) -> str:
        try:
            return (self.root / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise NotFound(_("{name} is missing from {root}").format(name=name, root=self.root), _("run `casefile init` again to restore it")) from None

    # -- who -----------------------------------------------------------------

    @cached_property
    def actor(self) -> Person:
        """The person acting: --as / CASEFILE_ACTOR, else git's user, found in people.yaml."""
        if self.actor_handle:
            return self.people.get(check_handle(self.actor_handle))
        email, name = self.repo.config("user.email"), self.repo.config("user.name")
        person = (self.people.by_email(email) if email else None) or (
            self.people.persons.get(name) if name else None
        )
        if person:
            return person
        if email or name:
            raise CasefileError(
                _("git user {name} <{email}> is not in {PEOPLE_FILE}").format(name=name, email=email, PEOPLE_FILE=PEOPLE_FILE),
                _("add yourself there, or pass --as HANDLE"),
            )
        raise CasefileError(
            _("who is acting? no --as given and git has no user"),
            _("pass --as HANDLE (a person in {PEOPLE_FILE}) or set CASEFILE_ACTOR").format(PEOPLE_FILE=PEOPLE_FILE),
        )

    def act_as_system(self, person: Person) -> None:
        """Act as a system identity that people.yaml need not list (`intake`, like `check`'s author)."""
        self.__dict__["actor"] = person
        self.__dict__["people"] = People({**self.people.persons, person.handle: person})

    def author(self, person: Person | None = None) -> Identity:
        person = person or self.actor
        return Identity(person.name, person.email or f"{person.handle}@casefile.invalid")

    # -- writing -------------------------------------------------------------

    @cached_property
    def catalog(self) -> Catalog:
        """The command's one view of the records: whole-folder reads share one look at the work tree.
        A record that does not have its kind's shape is read as broken (`shape_error`)."""
        from casefile.index.catalog import Catalog

        return Catalog(self.root, state_dir=self.state_dir)

    def change(
        self,
        kind: RecordKind,
        ident: str,
        op: Callable[[Edit], Change],
        *,
        path: str | None = None,
        missing: CasefileError | None = None,
        new: EditableRecord | Callable[[Transaction, datetime], EditableRecord] | None = None,
        clash: CasefileError | None = None,
        fresh: EditableRecord | None = None,
        refuse_broken: str | None = None,
    ) -> Done:
        """Apply `op` to the record `ident` of `kind` and commit it: the one path by which a record changes.

        With `new` (a record, or a function that makes it inside the commit, when its id is known
        only there) the record is created instead, and `clash` is raised if it exists already.
        `missing` is raised when there is no such record (unless `fresh` is given: the record to start
        from when there is none yet); with `refuse_broken` (a hint), a record that does not validate is
        refused before `op` runs.
        """
        missing = missing or NotFound(f"no {kind.name} {ident}")
        if new is None:
            path = path or (fresh.source if fresh is not None else None) or kind.find(self.root, ident)
            if path is None:
                raise missing
        actor = self.actor

        def body(txn: Transaction) -> Done:
            when = self.now()
            if new is not None:
                record = new(txn, when) if callable(new) else new
                if txn.committed(record.source) is not None:
                    raise clash or CasefileError(f"{kind.name} {kind.id_of(record.source)} exists already")
            elif fresh is not None and txn.committed(fresh.source) is None:
                record = fresh
            else:
                assert path is not None
                record = open_committed(txn, path, missing)
                if refuse_broken is not None:
                    self.validate(kind, record, refuse_broken)
            change = op(Edit(self, txn, record, when, self.stamp(when), actor.handle))
            self.validate(kind, record)
            text = record.render()
            txn.write(record.source, text)
            message = CommitMessage.for_record(kind, kind.id_of(record.source), change.words, change.action,
                                               change.trailers, change.detail, change.scope)
            return done(record.source, text, message, txn.commit(message.text(), self.author(actor), when),
                        change.notes)

        return self.mutate(body)

    def change_many(
        self,
        kind: RecordKind,
        items: Sequence[tuple[str, str, Callable[[Edit], Change]]],
        message: Callable[[Sequence[tuple[str, Change]]], CommitMessage],
        *,
        refuse_broken: str | None = None,
        dry_run: bool = False,
    ) -> ManyDone:
        """`change` for several records in ONE commit: each `(ident, path, op)` is opened, changed and
        validated in turn, then `message` (given what every op did) names the commit.  A refusal of any
        record (its op, its schema, a hand edit not committed) stops the whole command before anything is
        committed, naming the record; with `dry_run` everything runs but the commit, and nothing is written.
        A record an earlier op changed already (through `edit.also`: a major incident closes its callers) is
        not changed again: it is listed as changed `with` that record."""
        actor = self.actor

        def body(txn: Transaction) -> ManyDone:
            when = self.now()
            txn.read_ahead([path for _ident, path, _op in items])
            changes: list[tuple[str, Change]] = []
            written_by: dict[str, str] = {}
            for ident, path, op in items:
                if path in written_by:
                    changes.append((ident, Change("", f"with {written_by[path]}")))
                    continue
                try:
                    record = open_committed(txn, path, NotFound(f"no {kind.name} {ident}"))
                    if refuse_broken is not None:
                        self.validate(kind, record, refuse_broken)
                    change = op(Edit(self, txn, record, when, self.stamp(when), actor.handle))
                    self.validate(kind, record)
                except CasefileError as error:
                    raise _naming(error, ident) from None
                txn.write(record.source, record.render())
                changes.append((ident, change))
                written_by.update({written: ident for written in txn.writes if written not in written_by})
            built = message(changes)
            notes = tuple(note for _ident, change in changes for note in change.notes)
            entries = tuple(RecordEntry(path, *read_plain(txn.writes[path].decode("utf-8"), path))  # type: ignore[union-attr]
                            for _ident, path, _op in items)
            if dry_run:
                return ManyDone(entries, tuple(changes), built.subject, None, notes)
            return ManyDone(entries, tuple(changes), built.subject, txn.commit(built.text(), self.author(actor), when),
                            notes)

        return self.mutate(body)

    def also(self, txn: Transaction, kind: RecordKind, path: str,
             change: Callable[[EditableRecord], object], missing: CasefileError) -> EditableRecord:
        """Change another committed record in the same commit (a case links its article, a survey its
        complaint); it is validated like the first."""
        record = open_committed(txn, path, missing)
        change(record)
        self.validate(kind, record)
        txn.write(path, record.render())
        return record

    def validate(self, kind: RecordKind, record: EditableRecord, hint: str | None = None) -> None:
        """Refuse a record of `kind` that does not validate, naming the first problem and its line."""
        raise_problems(record, record_problems(kind, record.data, record.source, self.policy), hint)

    def mutate(self, body: Callable[[Transaction], T]) -> T:
        from casefile.records.transaction import run_mutation

        try:
            return run_mutation(self.repo, self.state_dir, body, self.notes)
        finally:
            if "catalog" in self.__dict__:
                self.catalog.forget()  # the work tree changed: read it afresh


def record_problems(
    kind: RecordKind, data: Mapping[str, Any], path: str, policy: Policy | None, shape_only: bool = False
) -> list[Problem]:
    """What is wrong with the front matter of a record of `kind` at `path`: its kind's schema, read
    with what the policy says (levels, calendars, the survey scale); without a policy, the rest.
    `shape_only`: what the record is by itself (any level, any file name), see `shape_error`."""
    stem = None if shape_only else kind.id_of(path)
    if kind is CASES:
        from casefile.cases.schema import case_problems

        levels = None if shape_only else list(policy.levels) if policy else []
        return case_problems(data, levels, stem)
    if kind is CUSTOMERS:
        from casefile.customers.model import customer_problems
        from casefile.inspections.plan import plan_problems

        problems = customer_problems(data, stem, list(policy.calendars) if policy else [])
        if data.get("inspection_plan") is not None:
            problems += plan_problems(data["inspection_plan"])
        return problems
    if kind is INSPECTIONS:
        from casefile.inspections.model import inspection_problems

        return inspection_problems(data, stem)
    if kind is SURVEYS:
        from casefile.surveys.model import survey_problems

        return survey_problems(data, stem, _scale_keys(policy))
    if kind is ARTICLES:
        from casefile.kb.model import article_problems

        return article_problems(data, stem)
    if kind is VENDORS:
        from casefile.vendors.model import vendor_problems

        return vendor_problems(data, stem, list(policy.calendars) if policy else [])
    if kind is INCIDENT_REPORTS:
        from casefile.incidents.model import report_problems

        return report_problems(data, stem)
    if kind is PROBLEMS:
        from casefile.problems.model import problem_problems

        return problem_problems(data, stem)
    if kind is CHANGES:
        from casefile.changes.model import change_problems

        return change_problems(data, stem)
    if kind is STATEMENTS:
        from casefile.reports.evidence import statement_problems

        return statement_problems(data, stem)
    return []


def shape_error(path: str, data: Mapping[str, Any], text: Callable[[], str]) -> RecordError | None:
    """Why every reader must skip the record at `path` (the first problem, with its line), or None: its
    kind's schema judged without the policy and the file's name (a level is any text, a rating any
    answer, a draft copy may have another name), so the verdict depends on the content alone.  A record that fails it would crash the code that lists, checks and
    reports (`events: just a string`, `id: 42`); skipped, it is named in a note and `validate` says more."""
    from casefile.records.kinds import kind_of
    from casefile.records.problems import record_error

    kind = kind_of(path)
    if kind is None or kind not in (CASES, CUSTOMERS, INSPECTIONS, SURVEYS, ARTICLES, PROBLEMS, CHANGES, STATEMENTS):
        return None
    problems = record_problems(kind, data, path, None, shape_only=True)
    if not problems:
        return None
    error = record_error(text(), path, problems[0])
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return RecordError(path, error.line, error.problem + more, "fix it by hand; casefile validate lists every problem")


set_screen(shape_error)  # every record a service reads is screened (records.file.read_record_file, the index)


def _scale_keys(policy: Policy | None) -> list[str]:
    if policy is None:
        return []
    try:
        return [answer.key for answer in policy.surveys.scale]
    except RecordError:
        return []  # the policy's own finding says what is wrong with it


class ManyDone(Struct, frozen=True):
    """A change of several records in one commit (`change_many`): each record as it is now, what was done
    to each, the commit's subject and id (None: a dry run, nothing written), notes for the user."""

    entries: tuple[RecordEntry, ...]
    changes: tuple[tuple[str, Change], ...]
    subject: str
    commit: str | None
    notes: tuple[str, ...] = ()


def _naming(error: CasefileError, ident: str) -> CasefileError:
    """A refusal inside a change of several records says which record refused, and that none changed."""
    if ident not in error.message:
        error.message = f"{ident}: {error.message}"
    error.message += "; nothing was changed"
    error.args = (error.message,)
    return error


class Edit(Struct):
    """A record opened for one change, inside the commit that will hold it."""

    session: Session
    txn: Transaction
    record: EditableRecord
    when: datetime
    at: str  # `when` as stored
    by: str  # the handle of the person acting

    @property
    def data(self) -> Any:
        return self.record.data

    def also(self, kind: RecordKind, path: str, change: Callable[[EditableRecord], object],
             missing: CasefileError) -> EditableRecord:
        """Change another committed record in the same commit (see `Session.also`)."""
        return self.session.also(self.txn, kind, path, change, missing)
