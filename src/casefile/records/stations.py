"""Claiming this clone's station (its case-number prefix).

A clone claims a station the first time it opens a case.  When the clone has a
remote it can reach, the claim is registered there first: a ref
`refs/casefile/stations/KMT` pushed with `--force-with-lease=REF:` (an empty
expected value means "only if it does not exist"), which the git server
creates atomically or refuses.  Two clones therefore never hold the same
station, and their case numbers can never collide, however long they then work
offline.  A clone with no reachable remote claims a code at random among those
it knows to be taken and says so; `casefile sync` registers it later.
"""

from __future__ import annotations

import json
import secrets
import socket
import uuid
from datetime import datetime
from pathlib import Path

from casefile.errors import CasefileError
from casefile.git.process import Identity
from casefile.git.repo import GitRepo
from casefile.records import yamlio
from casefile.records.kinds import STATIONS
from casefile.records.numbers import ALPHABET, MAX_SEQUENCE
from casefile.render.output import write_atomic
from casefile.i18n import _
from casefile.values import Struct


class StationState(Struct):
    """This clone's station and next number; kept in .git/casefile (never committed)."""

    station: str
    clone: str
    next: int

    @classmethod
    def load(cls, state_dir: Path) -> StationState | None:
        path = state_dir / "station.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(raw["station"]), str(raw["clone"]), int(raw["next"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        state = {"station": self.station, "clone": self.clone, "next": self.next}
        write_atomic(state_dir / "station.json", json.dumps(state).encode("utf-8"))


def pick_station(taken: set[str]) -> str:
    free = [a + b + c for a in ALPHABET for b in ALPHABET for c in ALPHABET if a + b + c not in taken]
    if not free:
        raise CasefileError(_("every station code is taken"), _("this cannot happen before 8,000 clones"))
    return secrets.choice(free)


def new_station(taken: set[str]) -> StationState:
    return StationState(pick_station(taken), uuid.uuid4().hex, 1)


def station_record(state: StationState, by: str, at: str) -> str:
    """The text of stations/KMT.yaml, the claim that goes into the history."""
    claim = {
        "station": state.station,
        "clone": state.clone,
        "claimed_by": by,
        "claimed_at": at,
        "host": socket.gethostname() or "unknown",
    }
    return "# A station: the case-number prefix of one clone of this repository.\n" + yamlio.dump(
        yamlio.new_map(claim)
    )


REF_PREFIX = "refs/casefile/stations/"
_ATTEMPTS = 8


class Claim(Struct, frozen=True):
    state: StationState
    record: str | None  # the text of stations/KMT.yaml to commit, if HEAD lacks it
    note: str | None = None


def station_for_open(repo: GitRepo, head: str | None, by: str, at: str, author: Identity, when: datetime) -> Claim:
    """This clone's station, claiming (and registering) one if it has none left."""
    committed = set(repo.tree_names(head, STATIONS.folder)) if head else set()
    state = StationState.load(repo.state_dir)
    note = None
    if state is None or state.next > MAX_SEQUENCE:
        taken = {name.removesuffix(".yaml") for name in committed}
        state, note = _claim(repo, taken, by, at, author, when)
        state.save(repo.state_dir)  # kept even if this command fails, so a retry reuses it
    record = None if f"{state.station}.yaml" in committed else station_record(state, by, at)
    return Claim(state, record, note)


def claim_station(
    repo: GitRepo, taken: set[str], by: str, at: str, author: Identity, when: datetime
) -> tuple[StationState, str | None]:
    """A new station for this clone (registered on the remote when it can be reached), and a note."""
    return _claim(repo, taken, by, at, author, when)


def _claim(
    repo: GitRepo, taken: set[str], by: str, at: str, author: Identity, when: datetime
) -> tuple[StationState, str | None]:
    remote = repo.default_remote()
    registered = repo.remote_refs(remote, f"{REF_PREFIX}*") if remote else None
    if remote is None:
        # A repository without a remote has no other clone yet; clones made from
        # it later see this claim in the history they copy.
        return new_station(taken), None
    if registered is None:
        state = new_station(taken)
        return state, (
            f"claimed case-number station {state.station} locally (remote {remote} could not be reached); "
            "`casefile sync` registers it with the shared repository"
        )
    from casefile.git.remote import RefCreation, Unreachable, create_ref  # GitPython: only to claim a station

    taken |= {ref.removeprefix(REF_PREFIX) for ref in registered}
    for _attempt in range(_ATTEMPTS):
        state = new_station(taken)
        path = STATIONS.path(state.station)
        blob = repo.write_blob(station_record(state, by, at).encode("utf-8"))
        tree = repo.new_tree(None, {path: blob})
        commit = repo.commit_tree(tree, [], f"Claim station {state.station}\n", author, when)
        try:
            created = create_ref(repo, remote, commit, REF_PREFIX + state.station)
        except Unreachable:
            return state, (
                f"claimed case-number station {state.station} locally (remote {remote} stopped answering); "
                "`casefile sync` registers it with the shared repository"
            )
        if created is RefCreation.CREATED:
            return state, None
        if created is RefCreation.REFUSED:
            return state, (f"claimed case-number station {state.station}; remote {remote} does not take station "
                           "registrations, so its record in the branch stands for it")
        taken.add(state.station)
    state = new_station(taken)
    return state, f"claimed case-number station {state.station} locally after {_ATTEMPTS} refused registrations"
