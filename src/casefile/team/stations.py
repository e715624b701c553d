"""Settling this clone's station with the shared remote (`casefile sync`, `casefile setup`).

A station claimed while the remote could not be reached (`stations.py`) is
registered at the next sync: `refs/casefile/stations/KMT` is created on the
remote, only if it does not exist yet.  The station record committed with the
clone's first case names the clone (`clone:`, a random id this clone keeps in
`.git/casefile/station.json`), so casefile can tell whose a station is.

Two clones that claimed the same code while both were offline: the one whose
claim reached the shared remote first — its registration ref, or its station
record in the shared branch — keeps the code, and its numbers stay as they
are.  The other one, at its next sync, before it merges anything:

1. claims a new station (registered on the remote, which it can reach now);
2. renumbers its own cases of the lost code — only those the remote has never
   seen, which is all of them, since they could not have been pushed — in one
   new commit: the files get their new names, `id` changes, and each case
   gets a `renumbered` event naming its old number (history is never
   rewritten: the old commits stay, the rename is a commit of its own);
3. replaces its station record of the lost code by the new one in that commit.

So no two cases ever share a number in the shared repository, and a number a
customer heard on the phone is still found in the case's activity log.
"""

from __future__ import annotations

from enum import StrEnum

from casefile.cases.model import CaseDoc
from casefile.errors import CasefileError
from casefile.git.process import Identity
from casefile.git.remote import RefCreation, Unreachable, create_ref
from casefile.git.repo import GitRepo
from casefile.records.change import CommitMessage
from casefile.records.file import EditableRecord
from casefile.records.kinds import CASES, STATIONS
from casefile.records.numbers import format_case_number
from casefile.records.stations import REF_PREFIX, StationState, claim_station, station_record
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError, load_plain
from casefile.session import Session
from casefile.i18n import N_, _
from casefile.said import Said
from casefile.values import Struct, field

RENUMBERED = "renumbered"


class StationStatus(StrEnum):
    NONE = "none"  # this clone has not claimed a station yet
    REGISTERED = "registered"  # the remote knows it is this clone's
    UNREGISTERED = "unregistered"  # claimed offline; nobody else has it (yet)
    TAKEN = "taken"  # another clone's claim reached the remote first


class StationCheck(Struct, frozen=True):
    station: str | None
    status: StationStatus
    why: str = ""


class Renumbered(Struct):
    old_station: str
    new_station: str | None
    cases: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    commit: str | None = None

    def summary(self) -> str:
        if not self.cases:
            return f"station {self.old_station} belongs to another clone; this clone claims a new one at its next case"
        first, last = self.cases[0], self.cases[-1]
        span = first[0] if len(self.cases) == 1 else f"{first[0]}..{last[0]}"
        new_span = first[1] if len(self.cases) == 1 else f"{first[1]}..{last[1]}"
        return (f"station {self.old_station} was claimed by another clone while both were offline: "
                f"renumbered this clone's {len(self.cases)} unpublished case(s) {span} as {new_span}")


def station_refspec(remote: str) -> str:
    """Where `casefile sync` keeps the remote's station registrations it has seen."""
    return f"+{REF_PREFIX}*:{seen_prefix(remote)}*"


def seen_prefix(remote: str) -> str:
    return f"refs/casefile/remotes/{remote}/stations/"


def owner_at(repo: GitRepo, rev: str, station: str) -> str | None:
    """The clone id in `stations/<station>.yaml` at `rev`; '' if the file names none."""
    blob = repo.read_blob(f"{rev}:{STATIONS.folder}/{station}.yaml")
    if blob is None:
        return None
    try:
        data = load_plain(blob.decode("utf-8"), f"{STATIONS.folder}/{station}.yaml")
    except (RecordError, UnicodeDecodeError):
        return ""
    return str(data.get("clone") or "") if isinstance(data, dict) else ""


def check_station(session: Session, remote: str, remote_tip: str | None) -> StationCheck:
    """Whether this clone's station is registered, unregistered, or another clone's (after a fetch)."""
    state = StationState.load(session.state_dir)
    if state is None:
        return StationCheck(None, StationStatus.NONE)
    code, repo = state.station, session.repo
    registration = repo.resolve(seen_prefix(remote) + code)
    if registration is not None:
        if owner_at(repo, registration, code) == state.clone:
            return StationCheck(code, StationStatus.REGISTERED)
        return StationCheck(code, StationStatus.TAKEN, f"another clone registered {code} on {remote} first")
    published = owner_at(repo, remote_tip, code) if remote_tip else None
    if published is not None and published != state.clone:
        return StationCheck(code, StationStatus.TAKEN, f"another clone's record of {code} is in {remote} already")
    return StationCheck(code, StationStatus.UNREGISTERED)


class Registration(StrEnum):
    REGISTERED = "registered"
    TAKEN = "taken"  # another clone registered the code first
    REFUSED = "refused"  # the server does not accept refs/casefile/* (the branch's station record stands)
    UNREACHABLE = "unreachable"


def register(session: Session, remote: str, author: Identity) -> Registration:
    """Register this clone's station on the remote (create its ref only if it does not exist)."""
    state = StationState.load(session.state_dir)
    if state is None:
        return Registration.REGISTERED
    repo = session.repo
    path = f"{STATIONS.folder}/{state.station}.yaml"
    head = repo.resolve("HEAD")
    committed = repo.read_blob(f"{head}:{path}") if head else None
    content = committed or station_record(state, "casefile", session.stamp()).encode("utf-8")
    tree = repo.new_tree(None, {path: repo.write_blob(content)})
    commit = repo.commit_tree(tree, [], f"Claim station {state.station}\n", author, session.now())
    try:
        created = create_ref(repo, remote, commit, REF_PREFIX + state.station)
    except Unreachable:
        return Registration.UNREACHABLE
    if created is RefCreation.EXISTS:
        return Registration.TAKEN
    if created is RefCreation.REFUSED:
        return Registration.REFUSED
    repo.run("update-ref", seen_prefix(remote) + state.station, commit)
    return Registration.REGISTERED


def renumber_lost_station(session: Session, remote_tip: str | None, by: str, author: Identity) -> Renumbered:
    """Move this clone's unpublished cases of a lost station to a new station, in one commit."""
    repo = session.repo
    state = StationState.load(session.state_dir)
    if state is None:
        raise CasefileError(_("this clone has no station to renumber"))
    head = repo.resolve("HEAD")
    mine = _unpublished_cases(repo, head, remote_tip, state.station)
    own_record = head is not None and owner_at(repo, head, state.station) == state.clone
    result = Renumbered(state.station, None)
    if not mine:
        (session.state_dir / "station.json").unlink(missing_ok=True)
        if own_record:
            result.commit = _give_up_station(session, state.station, author)
        return result
    when = session.now()
    taken = _known_stations(repo, [head, remote_tip]) | {state.station}
    new_state, note = claim_station(session.repo, taken, by, session.stamp(when), author, when)
    if note:
        session.notes(note)
    result.new_station = new_state.station
    result.cases = [(old, format_case_number(new_state.station, n)) for n, old in enumerate(sorted(mine), start=1)]

    def body(txn: Transaction) -> str:
        at = session.stamp(when)
        for old_id, new_id in result.cases:
            _move_case(txn, mine[old_id], old_id, new_id, at, by)
        if own_record:
            txn.delete(f"{STATIONS.folder}/{state.station}.yaml")
        txn.write(f"{STATIONS.folder}/{new_state.station}.yaml", station_record(new_state, by, at))
        after = StationState(new_state.station, new_state.clone, len(result.cases) + 1)
        txn.on_commit.append(lambda: after.save(session.state_dir))
        return txn.commit(_message(result), author, when)

    result.commit = session.mutate(body)
    return result


def _unpublished_cases(repo: GitRepo, head: str | None, remote_tip: str | None, station: str) -> dict[str, str]:
    """case id -> path of this station's cases in HEAD that the remote's history does not have."""
    if head is None:
        return {}
    base = repo.merge_base(head, remote_tip) if remote_tip else None
    published = {CASES.id_of(p) for p in repo.list_blobs(base, CASES.folder)} if base else set()
    found = {}
    for path in repo.list_blobs(head, CASES.folder):
        ident = CASES.id_of(path)
        if CASES.owns(path) and ident.startswith(f"{station}-") and ident not in published:
            found[ident] = path
    return found


def _known_stations(repo: GitRepo, revs: list[str | None]) -> set[str]:
    codes = set()
    for rev in revs:
        if rev:
            codes |= {name.removesuffix(".yaml") for name in repo.tree_names(rev, STATIONS.folder)}
    return codes


def _move_case(txn: Transaction, path: str, old_id: str, new_id: str, at: str, by: str) -> None:
    content = txn.committed(path)
    if content is None:
        raise CasefileError(_("{path} vanished while renumbering").format(path=path), _("run casefile sync again"))
    record = EditableRecord.parse(content.decode("utf-8"), path)
    doc = CaseDoc(record.data, record.body)
    doc.set("id", new_id)
    links = record.data.get("links")
    if isinstance(links, list):
        for index, link in enumerate(links):
            if str(link) == old_id:
                links[index] = new_id
    doc.add_event(at, by, RENUMBERED,
                  Said.of(N_("Renumbered from {case}: station {station} was claimed by another clone while both "
                             "were offline"), case=old_id, station=old_id[:3]),
                  {"id": {"from": old_id, "to": new_id}})
    new_path = path.rsplit("/", 1)[0] + f"/{new_id}.md"
    txn.write(new_path, record.render())
    txn.delete(path)


def _give_up_station(session: Session, old: str, author: Identity) -> str:
    def body(txn: Transaction) -> str:
        txn.delete(f"{STATIONS.folder}/{old}.yaml")
        message = CommitMessage(f"Give up station {old}", "renumber", detail=(
            _("Another clone claimed {old} first; this clone had no cases under it and claims a new station at its next case.").format(old=old)))
        return txn.commit(message.text(), author, session.now())

    return session.mutate(body)


def _message(result: Renumbered) -> str:
    detail = "\n".join([
        f"Station {result.old_station} was claimed by another clone while both were offline, and its",
        "claim reached the shared repository first.  These cases were never pushed, so no",
        "published number changes; each case's log keeps its old number.",
        "",
        *(f"{old} -> {new}" for old, new in result.cases),
    ])
    subject = f"Renumber {len(result.cases)} case(s) of station {result.old_station} as {result.new_station}"
    return CommitMessage(subject, "renumber", tuple((CASES.trailer, new) for _old, new in result.cases), detail).text()
