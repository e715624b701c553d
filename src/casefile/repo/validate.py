"""`casefile validate`: every record against its schema, with file and line; the policy, people.yaml and the
official-days files (`calendars/official/CN.yaml`) too.  It also warns (without failing) when a year's
official days are missing (`year_warnings`).

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
from casefile.policy.official import OFFICIAL_FOLDER, is_official_path, load_official, missing_years, parse_official
from casefile.policy.people import PEOPLE_FILE, parse_people
from casefile.records.file import read_plain
from casefile.records.kinds import (
    ARTICLES,
    CASES,
    CHANGES,
    CUSTOMERS,
    INCIDENT_REPORTS,
    INSPECTIONS,
    PROBLEMS,
    STATIONS,
    SURVEYS,
    VENDORS,
    kind_of,
)
from casefile.records.problems import locate
from casefile.records.transaction import pending_repair
from casefile.records.yamlio import RecordError, load_plain
from casefile.session import record_problems

# The kinds validated (the reports' own records have no schema to check).
VALIDATED = (STATIONS, CASES, CUSTOMERS, INSPECTIONS, SURVEYS, ARTICLES, VENDORS, INCIDENT_REPORTS, PROBLEMS,
             CHANGES)
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


def check_text(path: str, text: str, levels: Collection[str], policy: Policy | None = None) -> list[Finding]:
    """Problems of one record file, given its path and content (and the policy, for the other kinds)."""
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
        elif is_official_path(path):
            parse_official(text, path)
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
    return path in (POLICY_FILE, PEOPLE_FILE) or is_official_path(path) or (
        kind in VALIDATED and (kind is CASES or "/" in path))


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
    for official in sorted((root / OFFICIAL_FOLDER).glob("*.yaml")) if (root / OFFICIAL_FOLDER).is_dir() else ():
        rel = official.relative_to(root).as_posix()
        try:
            yield from check_text(rel, official.read_text(encoding="utf-8"), levels)
        except UnicodeDecodeError:
            yield Finding(rel, None, "the file is not UTF-8 text")
    policy = _policy(policy_text)
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
        findings.extend(check_text(path, blob.decode("utf-8", "replace"), levels, policy))
    return _unique(findings)


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    result = []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            result.append(finding)
    return result


def year_warnings(start: Path, now: str | None) -> list[str]:
    """The years whose official days the desk's calendars need and do not have (this year; next year from
    `desk.next_year_reminder`), each with its fix; nothing if the policy or the official files cannot be read
    (the findings say why)."""
    from casefile.worktime.clock import Clock

    root = require_repo(start).worktree
    try:
        official = load_official(root)
        policy = parse_policy((root / POLICY_FILE).read_text(encoding="utf-8"), POLICY_FILE, official.countries)
    except (RecordError, OSError):
        return []
    today = Clock.from_option(now, policy.zone).now().astimezone(policy.zone).date()
    return [f"{found.text()} ({found.fix})" for found in missing_years(policy, today)]
