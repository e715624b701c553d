"""`casefile validate`: every record against its schema, with file and line; the policy, people.yaml and the
official-days files (`calendars/official/CN.yaml`) too.  It also warns (without failing) when a year's
official days are missing (`year_warnings`).

Also the pre-commit hook (`validate --staged`), which checks what is about to
be committed: the staged versions of records, unresolved merge conflicts,
deleted cases (cases are closed, never deleted), text that is not UTF-8, records
over the limits of `yamlio`, the desk's templates (they must compile in the
sandbox), and the activity logs (`records.auditlog`: they only grow).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from casefile.cases.phrases import REPLIES
from casefile.cases.savedviews import VIEWS_FILE
from casefile.cases.schema import case_problems
from casefile.errors import Invalid
from casefile.git.repo import GitRepo, require_repo
from casefile.policy.model import POLICY_FILE, Policy, parse_policy
from casefile.policy.official import OFFICIAL_FOLDER, is_official_path, load_official, missing_years, parse_official
from casefile.policy.people import PEOPLE_FILE, parse_people
from casefile.policy.rota import ROTA_FILE, parse_rota
from casefile.records.auditlog import log_rewrites
from casefile.records.file import read_plain
from casefile.records.kinds import (
    ARTICLES,
    CASES,
    CHANGES,
    CUSTOMERS,
    INCIDENT_REPORTS,
    INSPECTIONS,
    PROBLEMS,
    STATEMENTS,
    STATIONS,
    SURVEYS,
    VENDORS,
    kind_of,
)
from casefile.records.problems import locate
from casefile.records.journal import pending_repair
from casefile.records.yamlio import RecordError, load_plain
from casefile.session import record_problems
from casefile.i18n import N_, _
from casefile.values import Struct

# The kinds validated (the reports' own records have no schema to check).
VALIDATED = (STATIONS, CASES, CUSTOMERS, INSPECTIONS, SURVEYS, ARTICLES, VENDORS, INCIDENT_REPORTS, PROBLEMS,
             CHANGES, STATEMENTS)
CONFLICT_MARKERS = ("<<<<<<< ", "=======\n", ">>>>>>> ")


class Finding(Struct, frozen=True):
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
        elif is_official_path(path):
            parse_official(text, path)
        elif path == VIEWS_FILE or is_phrase_path(path):
            return _desk_text_findings(path, text, levels, policy)
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


TEMPLATES_DIR = "templates/"
UTF8_HINT = N_("re-save it as UTF-8 (in Notepad: Save as, Encoding UTF-8; iconv -f GBK -t UTF-8)")


def check_blob(path: str, content: bytes, levels: Collection[str], policy: Policy | None = None,
               handles: Collection[str] | None = None) -> list[Finding]:
    """Problems of a file about to be committed or pushed: a record (see `check_text`) or a desk template
    (it must compile in the sandbox and use nothing it forbids); neither may be anything but UTF-8."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return [Finding(path, line, _("the file is not UTF-8 text ({hint})").format(hint=_(UTF8_HINT)))]
    if is_template_path(path):
        return template_findings(path, text)
    return check_text(path, text, levels, policy, handles)


def is_template_path(path: str) -> bool:
    return path.startswith(TEMPLATES_DIR) and not path.endswith("/")


def template_findings(path: str, text: str) -> list[Finding]:
    from casefile.render.templates import template_problems

    return [Finding(path, line, _("template {message}").format(message=message)) for line, message in
            template_problems(path[len(TEMPLATES_DIR):], text)]


def is_phrase_path(path: str) -> bool:
    return path.startswith(f"{REPLIES}/") and path.endswith(".md") and path.count("/") == 1


def _desk_text_findings(path: str, text: str, levels: Collection[str], policy: Policy | None) -> list[Finding]:
    """views.yaml (every view's filter parses) and replies/*.md (known placeholders, a language zh or en)."""
    from zoneinfo import ZoneInfo

    from casefile.cases.phrases import read_phrase
    from casefile.cases.savedviews import parse_views
    from casefile.errors import CasefileError

    try:
        if path == VIEWS_FILE:
            parse_views(text, policy.zone if policy else ZoneInfo("UTC"), levels if policy else None)
        else:
            read_phrase(text, path, path)
    except RecordError as error:
        return [_from_error(error)]
    except CasefileError as error:
        return [Finding(path, None, error.message.removeprefix(f"{path}: "))]
    return []


def is_record_path(path: str) -> bool:
    kind = kind_of(path)
    return path in (POLICY_FILE, PEOPLE_FILE, ROTA_FILE, VIEWS_FILE) or is_official_path(path) or is_phrase_path(path) or (
        kind in VALIDATED and (kind is CASES or "/" in path))


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
            _("a casefile command was interrupted and the work tree is behind its commit"),
            _("run any casefile command (e.g. casefile list) to finish it, then commit"),
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
    if (root / ROTA_FILE).exists():
        people_path = root / PEOPLE_FILE
        handles = _handles(people_path.read_text(encoding="utf-8") if people_path.exists() else None)
        yield from check_text(ROTA_FILE, (root / ROTA_FILE).read_text(encoding="utf-8"), levels, policy, handles)
    if (root / VIEWS_FILE).is_file():
        yield from check_blob(VIEWS_FILE, (root / VIEWS_FILE).read_bytes(), levels, policy)
    for phrase in sorted((root / REPLIES).glob("*.md")) if (root / REPLIES).is_dir() else ():
        yield from check_blob(phrase.relative_to(root).as_posix(), phrase.read_bytes(), levels, policy)
    for path in (path for kind in VALIDATED for path in kind.files(root)):
        rel = path.relative_to(root).as_posix()
        yield from check_blob(rel, path.read_bytes(), levels, policy)
    templates = root / TEMPLATES_DIR
    if templates.is_dir():
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            yield from check_blob(path.relative_to(root).as_posix(), path.read_bytes(), levels, policy)
    yield from _worktree_attachments(root, policy)


def _attachment_limit(policy: Policy | None) -> int:
    from casefile.policy.attachments import DEFAULT_MAX_SIZE

    try:
        return policy.attachments.max_size if policy is not None else DEFAULT_MAX_SIZE
    except RecordError:
        return DEFAULT_MAX_SIZE  # the policy's own finding says what is wrong with it


def attachment_findings(path: str, size: int | None, limit: int) -> list[Finding]:
    """What is wrong with a file under `attachments/`: a path casefile never writes, or over the size limit."""
    from casefile.cases.attachments import path_problem
    from casefile.policy.attachments import size_text

    found = []
    problem = path_problem(path)
    if problem:
        found.append(Finding(path, None, problem))
    if size is not None and size > limit:
        found.append(Finding(path, None, _("{size} is over the attachment limit of {limit} (attachments.max_size in policy.yaml)").format(
            size=size_text(size), limit=size_text(limit))))
    return found


def _worktree_attachments(root: Path, policy: Policy | None) -> Iterator[Finding]:
    from casefile.cases.attachments import FOLDER
    from casefile.git.lfs import is_pointer, pointer_size

    folder = root / FOLDER
    if not folder.is_dir():
        return
    limit = _attachment_limit(policy)
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            yield Finding(rel, None, "an attachment must be a plain file, not a link")
            continue
        if not path.is_file():
            continue
        size = path.stat().st_size
        if size < 1024:
            head = path.read_bytes()
            size = (pointer_size(head) or size) if is_pointer(head) else size
        yield from attachment_findings(rel, size, limit)


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
    findings += _staged_attachments(repo, [raw.decode("utf-8") for status, raw in changed if status != b"D"], policy)
    for status, raw_path in changed:
        path = raw_path.decode("utf-8")
        if not is_record_path(path) and not is_template_path(path):
            continue
        if status == b"D":
            if kind_of(path) is CASES:
                findings.append(Finding(path, None, "cases are never deleted; close the case instead"))
            elif kind_of(path) is STATEMENTS:
                findings.append(Finding(path, None, "an issued SLA statement is never deleted"))
            continue
        if status == b"M" and kind_of(path) is STATEMENTS:
            findings.append(Finding(path, None, "an issued SLA statement is never changed; issue the next "
                                                "month's, or say what is wrong in a case note"))
            continue
        blob = repo.read_blob(f":{path}")
        if blob is None:
            continue
        findings.extend(check_blob(path, blob, levels, policy, handles))
    if any(raw.decode("utf-8") == PEOPLE_FILE for _status, raw in changed) and not any(
            raw.decode("utf-8") == ROTA_FILE for _status, raw in changed):
        rota = repo.read_blob(f":{ROTA_FILE}")  # people.yaml changed: the rota must still name only its people
        if rota is not None:
            findings.extend(check_text(ROTA_FILE, rota.decode("utf-8", "replace"), levels, policy, handles))
    findings += _log_rewrites(repo, head, [path.decode("utf-8") for status, path in changed if status == b"M"])
    return _unique(findings)


def _staged_attachments(repo: GitRepo, paths: list[str], policy: Policy | None) -> list[Finding]:
    from casefile.cases.attachments import is_attachment_path
    from casefile.git.lfs import stored_sizes

    kept = [p for p in paths if is_attachment_path(p)]
    limit = _attachment_limit(policy)
    return [f for path, size in zip(kept, stored_sizes(repo, [f":{p}" for p in kept]))
            for f in attachment_findings(path, size, limit)]


def _log_rewrites(repo: GitRepo, head: str | None, paths: list[str]) -> list[Finding]:
    """Staged changes that rewrite an activity log (against HEAD, and the branch being merged)."""
    if head is None or not paths:
        return []
    merging = repo.resolve("MERGE_HEAD")
    parents = [head, *([merging] if merging else [])]
    findings = []
    for path in paths:
        if not path.endswith(".md") or kind_of(path) is None:
            continue
        after = _plain_at(repo, f":{path}", path)
        befores = [b for b in (_plain_at(repo, f"{rev}:{path}", path) for rev in parents) if b is not None]
        if after is not None and befores:
            findings += [Finding(path, None, problem) for problem in log_rewrites(befores, after)]
    return findings


def _plain_at(repo: GitRepo, spec: str, path: str) -> dict[str, object] | None:
    blob = repo.read_blob(spec)
    if blob is None:
        return None
    try:
        return read_plain(blob.decode("utf-8"), path)[0]
    except (RecordError, UnicodeDecodeError):
        return None


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
