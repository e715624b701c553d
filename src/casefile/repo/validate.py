"""`casefile validate`: every record against its schema, with file and line.

Also the pre-commit hook (`validate --staged`), which checks what is about to
be committed: the staged versions of records, unresolved merge conflicts,
and deleted cases (cases are closed, never deleted).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casefile.cases.schema import case_problems
from casefile.errors import Invalid
from casefile.git.repo import GitRepo, require_repo
from casefile.policy.model import POLICY_FILE, Policy, parse_policy
from casefile.policy.people import PEOPLE_FILE, parse_people
from casefile.policy.rota import ROTA_FILE, parse_rota
from casefile.records.file import read_plain
from casefile.records.kinds import ARTICLES, CASES, CUSTOMERS, INSPECTIONS, STATIONS, SURVEYS, kind_of
from casefile.records.problems import locate
from casefile.records.transaction import pending_repair
from casefile.records.yamlio import RecordError, load_plain
from casefile.session import record_problems

# The kinds validated (the reports' own records have no schema to check).
VALIDATED = (STATIONS, CASES, CUSTOMERS, INSPECTIONS, SURVEYS, ARTICLES)
CONFLICT_MARKERS = ("<<<<<<< ", "=======\n", ">>>>>>> ")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message}


def _conflict_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.startswith(CONFLICT_MARKERS[0]) or line.startswith(CONFLICT_MARKERS[2]):
            return number
    return None


def _from_error(error: RecordError) -> Finding:
    return Finding(error.source, error.line, error.problem + (f" ({error.hint})" if error.hint else ""))


def check_text(path: str, text: str, levels: Collection[str], policy: Policy | None = None,
               handles: Collection[str] | None = None) -> list[Finding]:
    """Problems of one record file, given its path and content (and the policy, for the other kinds;
    the handles of people.yaml, for the rota)."""
    conflict = _conflict_line(text)
    if conflict:
        return [
            Finding(
                path,
                conflict,
                "unresolved merge conflict; resolve it by hand, or set up the record merge driver (casefile setup)",
            )
        ]
    kind = kind_of(path)
    try:
        if path == POLICY_FILE:
            parse_policy(text, path).check_sections()
        elif path == PEOPLE_FILE:
            parse_people(text, path)
        elif path == ROTA_FILE:
            from zoneinfo import ZoneInfo

            parse_rota(text, policy.zone if policy else ZoneInfo("UTC"), policy.calendars if policy else {},
                       policy.roles if policy else None, handles, path)
        elif kind is STATIONS:
            data = load_plain(text, path)
            if not isinstance(data, dict) or data.get("station") != STATIONS.id_of(path):
                return [Finding(path, None, "the station in the file does not match its name")]
        elif kind is CASES:
            data, _body = read_plain(text, path)
            return [Finding(path, locate(text, path, p.where), p.message)
                    for p in case_problems(data, levels, kind.id_of(path))]
        elif kind in VALIDATED:
            data, _body = read_plain(text, path)
            return [Finding(path, locate(text, path, p.where), p.message)
                    for p in record_problems(kind, data, path, policy)]
    except RecordError as error:
        return [_from_error(error)]
    return []


def is_record_path(path: str) -> bool:
    kind = kind_of(path)
    return path in (POLICY_FILE, PEOPLE_FILE, ROTA_FILE) or (kind in VALIDATED and (kind is CASES or "/" in path))


def _handles(people_text: str | None) -> Collection[str] | None:
    """The handles of people.yaml; None when it cannot be read (its own finding says why)."""
    if people_text is None:
        return ()
    try:
        return list(parse_people(people_text).persons)
    except RecordError:
        return None


def _levels(policy_text: str | None) -> Collection[str]:
    policy = _policy(policy_text)
    return policy.levels if policy else ()


def _policy(policy_text: str | None) -> Policy | None:
    if policy_text is None:
        return None
    try:
        return parse_policy(policy_text)
    except RecordError:
        return None


def validate(start: Path, staged: bool = False) -> list[Finding]:
    """`casefile validate` in the repository around `start`: its work tree, or (`staged`, the pre-commit
    hook) what is about to be committed."""
    top = require_repo(start)
    if not staged:
        return list(validate_worktree(top.worktree))
    git = GitRepo(top.worktree, keep_index=True)
    if pending_repair(git.state_dir):
        raise Invalid(
            "a casefile command was interrupted and the work tree is behind its commit",
            "run any casefile command (e.g. casefile list) to finish it, then commit",
        )
    return validate_staged(git)


def validate_worktree(root: Path) -> Iterator[Finding]:
    policy_path = root / POLICY_FILE
    policy_text = policy_path.read_text(encoding="utf-8") if policy_path.exists() else None
    levels = _levels(policy_text)
    if policy_text is None:
        yield Finding(POLICY_FILE, None, "missing; run `casefile init` to restore the default")
    for name in (POLICY_FILE, PEOPLE_FILE):
        if (root / name).exists():
            yield from check_text(name, (root / name).read_text(encoding="utf-8"), levels)
    policy = _policy(policy_text)
    if (root / ROTA_FILE).exists():
        people_path = root / PEOPLE_FILE
        handles = _handles(people_path.read_text(encoding="utf-8") if people_path.exists() else None)
        yield from check_text(ROTA_FILE, (root / ROTA_FILE).read_text(encoding="utf-8"), levels, policy, handles)
    for path in (path for kind in VALIDATED for path in kind.files(root)):
        rel = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            yield Finding(rel, None, "the file is not UTF-8 text")
            continue
        yield from check_text(rel, text, levels, policy)


def validate_staged(repo: GitRepo) -> list[Finding]:
    """What the pre-commit hook checks: the index against HEAD."""
    findings: list[Finding] = []
    head = repo.resolve("HEAD")
    if head:
        parts = repo.run("diff", "--cached", "--name-status", "-z", "--no-renames", head).split(b"\0")
        changed = [(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
    else:
        changed = [(b"A", p) for p in repo.run("ls-files", "-z").split(b"\0") if p]
    unmerged = repo.run("ls-files", "-u", "-z")
    for line in unmerged.split(b"\0"):
        if line:
            path = line.split(b"\t", 1)[1].decode("utf-8")
            findings.append(Finding(path, None, "unresolved merge conflict; resolve it before committing"))
    staged_policy = repo.read_blob(f":{POLICY_FILE}")
    policy = _policy(staged_policy.decode("utf-8") if staged_policy is not None else None)
    levels = policy.levels if policy else ()
    staged_people = repo.read_blob(f":{PEOPLE_FILE}")
    handles = _handles(staged_people.decode("utf-8") if staged_people is not None else None)
    for status, raw_path in changed:
        path = raw_path.decode("utf-8")
        if not is_record_path(path):
            continue
        if status == b"D":
            if kind_of(path) is CASES:
                findings.append(Finding(path, None, "cases are never deleted; close the case instead"))
            continue
        blob = repo.read_blob(f":{path}")
        if blob is None:
            continue
        findings.extend(check_text(path, blob.decode("utf-8", "replace"), levels, policy, handles))
    if any(raw.decode("utf-8") == PEOPLE_FILE for _status, raw in changed) and not any(
            raw.decode("utf-8") == ROTA_FILE for _status, raw in changed):
        rota = repo.read_blob(f":{ROTA_FILE}")  # people.yaml changed: the rota must still name only its people
        if rota is not None:
            findings.extend(check_text(ROTA_FILE, rota.decode("utf-8", "replace"), levels, policy, handles))
    return _unique(findings)


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    result = []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            result.append(finding)
    return result
