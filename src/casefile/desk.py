"""The context every command works in: the case repository, the clock, the actor.

One `Desk` is built per command from `--repo`, `--now` and `--as` (or their
environment variables) and passed down; nothing below the CLI reads the
environment, the wall clock or the current directory.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from casefile.records import transaction as store
from casefile.clock import Clock, format_instant
from casefile.errors import CasefileError, NotFound
from casefile.git.repo import GitRepo, Identity, require_repo
from casefile.policy.people import PEOPLE_FILE, People, Person, check_handle, parse_people
from casefile.policy.model import POLICY_FILE, Policy, parse_policy

if TYPE_CHECKING:
    from casefile.index.catalog import Catalog

T = TypeVar("T")


def blob_id(content: bytes) -> str:
    """Git's name for a file's content (`git hash-object`), computed here."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _to_stderr(message: str) -> None:
    print(f"casefile: {message}", file=sys.stderr)


@dataclass
class Desk:
    repo: GitRepo
    clock: Clock
    actor_handle: str | None = None
    notes: Callable[[str], None] = _to_stderr
    _policies: dict[str, Policy] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        now: str | None = None,
        actor: str | None = None,
        notes: Callable[[str], None] = _to_stderr,
    ) -> Desk:
        start = Path(path) if path else Path.cwd()
        if not start.exists():
            raise NotFound(f"not a case repository: {start} does not exist", "check --repo or CASEFILE_REPO")
        repo = require_repo(start)
        if not (repo.worktree / POLICY_FILE).is_file():
            raise NotFound(
                f"not a case repository: {repo.worktree} has no {POLICY_FILE}",
                f"run `casefile init {repo.worktree}` to make it one",
            )
        desk = cls(repo, Clock(), actor, notes)
        desk.clock = Clock.from_option(now, desk.policy.zone)
        if store.pending_repair(desk.state_dir):
            with store.write_lock(desk.state_dir):
                note = store.repair(repo, desk.state_dir)
            if note:
                notes(note)
        return desk

    # -- places --------------------------------------------------------------

    @property
    def root(self) -> Path:
        return self.repo.worktree

    @property
    def state_dir(self) -> Path:
        """Per-clone state that is never committed: lock, journal, station, index."""
        return self.repo.common_dir / "casefile"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # -- time ----------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.policy.zone)

    def stamp(self, value: datetime | None = None) -> str:
        return format_instant(value or self.clock.now(), self.policy.zone)

    # -- configuration -------------------------------------------------------

    @cached_property
    def policy(self) -> Policy:
        return parse_policy(self._read(POLICY_FILE), POLICY_FILE)

    @cached_property
    def people(self) -> People:
        path = self.root / PEOPLE_FILE
        return parse_people(path.read_text(encoding="utf-8")) if path.exists() else People({})

    def policy_version(self, oid: str | None) -> Policy:
        """The policy a case was opened under (by blob id); the current one if unknown."""
        if not oid:
            return self.policy
        if oid not in self._policies:
            content = self.repo.read_blob(oid)
            if content is None:
                self.notes(f"policy version {oid[:12]} is not in this clone; using the current policy")
                self._policies[oid] = self.policy  # said once, not once per case
            else:
                self._policies[oid] = parse_policy(content.decode("utf-8"), f"{POLICY_FILE}@{oid[:12]}")
        return self._policies[oid]

    def _read(self, name: str) -> str:
        try:
            return (self.root / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise NotFound(f"{name} is missing from {self.root}", "run `casefile init` again to restore it") from None

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
                f"git user {name} <{email}> is not in {PEOPLE_FILE}",
                "add yourself there, or pass --as HANDLE",
            )
        raise CasefileError(
            "who is acting? no --as given and git has no user",
            f"pass --as HANDLE (a person in {PEOPLE_FILE}) or set CASEFILE_ACTOR",
        )

    def author(self, person: Person | None = None) -> Identity:
        person = person or self.actor
        return Identity(person.name, person.email or f"{person.handle}@casefile.invalid")

    # -- writing -------------------------------------------------------------

    @cached_property
    def catalog(self) -> Catalog:
        """The command's one view of the records: whole-folder reads share one look at the work tree."""
        from casefile.index.catalog import Catalog

        return Catalog(self.root)

    def mutate(self, body: Callable[[store.Transaction], T]) -> T:
        try:
            return store.run_mutation(self.repo, self.state_dir, body, self.notes)
        finally:
            if "catalog" in self.__dict__:
                self.catalog.forget()  # the work tree changed: read it afresh
