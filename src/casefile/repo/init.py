"""`casefile init`: make (or adopt) a git repository as a case repository.

Writes what is missing — policy.yaml with the default service levels,
people.yaml with the person setting it up holding every role, .gitattributes —
in one commit, and installs the pre-commit hook.  Running it again changes
nothing that is there already, so it is safe.
"""

from __future__ import annotations

import re
import shlex
import uuid
import sys
from datetime import datetime
from importlib import resources
from pathlib import Path

from casefile.cases.model import Tier
from casefile.errors import CasefileError
from casefile.git.process import Identity, find_worktree
from casefile.git.repo import GitRepo, assert_writable
from casefile.policy.model import POLICY_FILE, default_policy_text, parse_policy
from casefile.policy.people import PEOPLE_FILE, Person, render_people
from casefile.records.change import CommitMessage
from casefile.records.transaction import Transaction, write_lock
from casefile.i18n import _
from casefile.values import Struct, field

ATTRIBUTES_FILE = ".gitattributes"
MERGE_ATTRIBUTE = "*.md merge=casefile"
DRIVER = "casefile"
ATTRIBUTE_LINES = (
    "# casefile records are text with LF line ends, whatever the platform",
    "*.md text eol=lf",
    "*.yaml text eol=lf",
    "# records merge with casefile's record merge driver (`casefile setup` configures it)",
    MERGE_ATTRIBUTE,
)
HOOK_MARK = "casefile pre-commit hook"


class InitResult(Struct):
    root: Path
    created_repo: bool
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    hook: str = ""
    commit: str | None = None
    merge_driver: str = ""
    station: str | None = None


def _identity(repo: GitRepo, handle: str | None) -> tuple[str, Identity]:
    name, email = repo.config("user.name"), repo.config("user.email")
    if handle:
        return handle, Identity(name or handle, email or f"{handle}@casefile.invalid")
    if not (name or email):
        raise CasefileError(
            _("who is setting up this desk? git has no user and no --as was given"),
            _("pass --as HANDLE (e.g. --as wang.fang), or set git config user.name and user.email"),
        )
    local = (email or name or "desk").split("@")[0].lower()
    derived = re.sub(r"[^a-z0-9._-]+", ".", local).strip(".-_") or "desk"
    return derived, Identity(name or derived, email or f"{derived}@casefile.invalid")


def _first_person(handle: str, who: Identity, roles: list[str]) -> Person:
    return Person(handle=handle, name=who.name, email=who.email, tier=str(Tier.L1), roles=tuple(roles))


def _hook_text() -> str:
    template = (resources.files("casefile.hooks") / "pre-commit").read_text(encoding="utf-8")
    return template.replace("@PYTHON@", sys.executable)


def install_hook(repo: GitRepo) -> str:
    hooks = repo.common_dir / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    target = hooks / "pre-commit"
    if target.exists() and HOOK_MARK not in target.read_text(encoding="utf-8", errors="replace"):
        return f"kept your own {target} (add `casefile validate --staged` to it to check records)"
    target.write_text(_hook_text(), encoding="utf-8")
    target.chmod(0o755)
    return f"installed {target.relative_to(repo.worktree) if target.is_relative_to(repo.worktree) else target}"


def init_repository(
    path: Path, handle: str | None, when: datetime, nested: bool = False, station: str | None = None,
    desk_name: str | None = None,
) -> InitResult:
    """Make `path` a case repository; `nested` allows it inside another repository (the demo); `station`
    claims this clone's case-number prefix in the same commit; `desk_name` is the policy's `desk.name`
    (the demo's: Jinqiao IT Services)."""
    code = _station_code(station) if station is not None else None
    path = path.expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise CasefileError(_("{path} is a file, not a folder").format(path=path))
    existing = path
    while not existing.exists():
        existing = existing.parent
    top = find_worktree(existing)
    if nested and top != path:
        top = None
    if top is not None and top != path:
        raise CasefileError(
            _("{path} is inside the git repository {top}").format(path=path, top=top),
            _("run `casefile init {top}` to make that repository a case repository, or pick another folder").format(top=top),
        )
    created = top is None
    repo = GitRepo.init(path) if created else GitRepo(path)
    result = InitResult(path, created)
    ref = assert_writable(repo)
    who_handle, who = _identity(repo, handle)
    policy_text = default_policy_text()
    if desk_name is not None:
        named = policy_text.replace("\ndesk:\n  name: IT Service Desk\n", f"\ndesk:\n  name: {desk_name}\n", 1)
        assert named != policy_text, "templates/init/policy.yaml: desk.name is no longer the second line of desk:"
        policy_text = named
    roles = list(parse_policy(policy_text).roles)
    files = {
        POLICY_FILE: policy_text,
        PEOPLE_FILE: render_people([_first_person(who_handle, who, roles)]),
    }
    state_dir = repo.common_dir / "casefile"
    with write_lock(state_dir):
        head = repo.resolve(ref)
        txn = Transaction(repo, state_dir, ref, head)
        for name, text in files.items():
            if (path / name).exists():
                result.kept.append(name)
            else:
                txn.write(name, text)
                result.added.append(name)
        if code is not None:
            _claim_station(repo, txn, head, code, who_handle, when, result)
        attributes = _attributes(path)
        if attributes is not None:
            txn.write(ATTRIBUTES_FILE, attributes)
            result.added.append(ATTRIBUTES_FILE)
        else:
            result.kept.append(ATTRIBUTES_FILE)
        if txn.writes:
            message = CommitMessage("Set up case repository", "init", detail=f"Added {', '.join(result.added)}.")
            result.commit = txn.commit(message.text(), who, when)
    result.hook = install_hook(repo)
    result.merge_driver = configure_merge_driver(repo)  # the founding clone merges like every other
    return result


def _station_code(text: str) -> str:
    from casefile.records.numbers import ALPHABET

    code = text.strip().upper()
    if not re.fullmatch(f"[{ALPHABET}]{{3}}", code):
        raise CasefileError(
            _("station {text!r} is not three letters of {ALPHABET}").format(text=text, ALPHABET=ALPHABET),
            _("no vowels, L, O or I (read out on the phone without doubt), e.g. --station KMT"),
        )
    return code


def _claim_station(
    repo: GitRepo, txn: Transaction, head: str | None, code: str, by: str, when: datetime, result: InitResult
) -> None:
    """This clone numbers its cases under `code`: refused when another clone holds it or this one numbers
    under another; its record `stations/CODE.yaml` goes into the init commit."""
    from casefile.records.kinds import STATIONS
    from casefile.records.stations import REF_PREFIX, StationState, station_record
    from casefile.worktime.clock import format_instant

    state = StationState.load(repo.state_dir)
    committed = {name.removesuffix(".yaml") for name in repo.tree_names(head, STATIONS.folder)} if head else set()
    if state is not None and state.station != code:
        raise CasefileError(
            _("this clone numbers its cases as {station} already").format(station=state.station), _("a clone keeps its station; leave out --station")
        )
    if state is None:
        remote = repo.default_remote()
        registered = repo.remote_refs(remote, f"{REF_PREFIX}*") if remote else None
        taken = committed | {ref.removeprefix(REF_PREFIX) for ref in (registered or {})}
        if code in taken:
            raise CasefileError(
                _("station {code} is held by another clone of this repository").format(code=code),
                _("pick another code (`ls stations/` shows the taken ones), or leave out --station"),
            )
        state = StationState(code, uuid.uuid4().hex, 1)
    result.station = code
    if code not in committed:
        zone = parse_policy(default_policy_text()).zone
        txn.write(STATIONS.path(code), station_record(state, by, format_instant(when, zone)))
        result.added.append(STATIONS.path(code))
    state.save(repo.state_dir)


def _attributes(root: Path) -> str | None:
    """The .gitattributes text with our lines added, or None if all are there."""
    target = root / ATTRIBUTES_FILE
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    missing = [line for line in ATTRIBUTE_LINES if line not in current.splitlines()]
    if not missing:
        return None
    prefix = current if not current or current.endswith("\n") else current + "\n"
    return prefix + "\n".join(missing) + "\n"


def driver_command() -> str:
    """What git runs to merge a record: this interpreter, so the driver is the casefile installed here."""
    return f"{shlex.quote(sys.executable)} -m casefile merge-driver %O %A %B %P"


def configure_merge_driver(repo: GitRepo) -> str:
    """Configure the record merge driver for this clone; say where `*.md` is sent to it from."""
    if repo.config(f"merge.{DRIVER}.driver") != driver_command():
        repo.set_config(f"merge.{DRIVER}.name", "casefile record merge (events kept from both sides)")
        repo.set_config(f"merge.{DRIVER}.driver", driver_command())
    committed = repo.worktree / ATTRIBUTES_FILE
    if committed.exists() and MERGE_ATTRIBUTE in committed.read_text(encoding="utf-8").splitlines():
        return f"merge driver configured; {ATTRIBUTES_FILE} sends records to it"
    info = repo.common_dir / "info" / "attributes"
    lines = info.read_text(encoding="utf-8").splitlines() if info.exists() else []
    if MERGE_ATTRIBUTE not in lines:
        info.parent.mkdir(parents=True, exist_ok=True)
        info.write_text("\n".join([*lines, MERGE_ATTRIBUTE]) + "\n", encoding="utf-8")
    return (f"merge driver configured; records are sent to it by .git/info/attributes "
            f"(run `casefile init` to commit the line to {ATTRIBUTES_FILE} for every clone)")
