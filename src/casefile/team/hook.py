"""The server side: what the shared repository accepts (the pre-receive hook).

Every clone's pre-commit hook checks records, but `git commit --no-verify`,
`git push --force` and a clone without casefile skip it; the shared
repository is where the rules hold for everyone.  A push is refused, with one
line per reason, if it would:

* rewrite a branch's history — an update that is not a fast-forward (a forced
  push of amended, rebased or reset commits);
* delete the repository's default branch (other branches — merge-request
  branches — may be deleted);
* leave a changed record that does not validate at the new tip of a branch
  (the checks of `casefile validate`: schema, file and line, unresolved
  conflict markers; for record kinds it does not know yet, readable front
  matter);
* delete a record — cases, customers, inspections, surveys, kb articles,
  station records, `policy.yaml`, `people.yaml`: cases are closed, never
  deleted (renaming a published case is deleting it);
* change or delete a station registration (`refs/casefile/stations/*`).
  Creating one is what `casefile open` and `sync` do, and is let through;
* rewrite an activity log in any pushed commit (`records.auditlog`): change,
  insert before the last or remove an event, change a record's `id` or
  `opened_at` — a merge's union of two logs passes;
* carry a file that is not UTF-8, a record over the limits, or a desk template
  that does not compile in the sandbox or reaches for what it forbids.

Tags and other refs pass unchecked.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from casefile.git.process import ZERO_OID
from casefile.git.repo import GitRepo
from casefile.policy.model import POLICY_FILE, parse_policy
from casefile.records.file import read_plain
from casefile.records.kinds import CASES, STATEMENTS, STATIONS, kind_of
from casefile.records.stations import REF_PREFIX
from casefile.records.yamlio import RecordError
from casefile.records.auditlog import history_rewrites
from casefile.repo.validate import check_blob, is_record_path, is_template_path
from casefile.i18n import _
from casefile.values import Struct

# Folders whose *.md files are records (issue 4 adds customers, inspections, surveys, kb).
RECORD_FOLDERS = ("cases", "customers", "inspections", "surveys", "kb")
HOOK_MARK = "casefile pre-receive hook"


class RefUpdate(Struct, frozen=True):
    old: str | None
    new: str | None
    ref: str


def parse_updates(text: str) -> list[RefUpdate]:
    """The lines git gives a pre-receive hook: `OLD NEW REF`, zeros for none."""
    updates = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            old, new, ref = parts
            updates.append(RefUpdate(None if old == ZERO_OID else old, None if new == ZERO_OID else new, ref))
    return updates


def is_record(path: str) -> bool:
    if is_record_path(path) or path.startswith(f"{STATIONS.folder}/"):
        return True
    return path.endswith(".md") and path.split("/", 1)[0] in RECORD_FOLDERS


def check_updates(git_dir: Path, updates: str) -> list[str]:
    """What `server-hook run` checks: the ref updates git gives the hook (`OLD NEW REF` lines) in the
    bare repository at `git_dir`, reading the pushed objects from git's quarantine."""
    return check_push(GitRepo.bare(git_dir, in_hook=True), parse_updates(updates))


def check_push(repo: GitRepo, updates: Iterable[RefUpdate]) -> list[str]:
    """Why the push must be refused (nothing: it is accepted)."""
    default = _default_branch(repo)
    problems: list[str] = []
    for update in updates:
        if update.ref.startswith(REF_PREFIX):
            if update.old is not None:
                problems.append(f"{update.ref}: station registrations are permanent; create new ones only")
        elif update.ref.startswith("refs/heads/"):
            problems += [f"{update.ref}: {p}" for p in _check_branch(repo, update, default)]
    return problems


def _default_branch(repo: GitRepo) -> str | None:
    out = repo.run("symbolic-ref", "-q", "HEAD", ok=(0, 1)).decode().strip()
    return out or None


def _check_branch(repo: GitRepo, update: RefUpdate, default: str | None) -> list[str]:
    if update.new is None:
        return ["the shared branch cannot be deleted"] if update.ref == default else []
    if update.old is not None and not repo.is_ancestor(update.old, update.new):
        return ["rewrites history (not a fast-forward); sync and push again, never force-push"]
    base = update.old or _base_for_new_branch(repo, update.new, default)
    changed = repo.changed_paths(base, update.new)
    problems = [f"{path}: records are never deleted (close a case instead)"
                for status, path in changed if status == "D" and is_record(path)]
    problems += [f"{path}: an issued SLA statement is never changed; issue the next month's"
                 for status, path in changed if status == "M" and kind_of(path) is STATEMENTS]
    paths = [path for status, path in changed if status != "D" and (is_record(path) or is_template_path(path))]
    rewrites = [str(r) for r in history_rewrites(repo, [update.new, "--not", "--all"])]
    files = _attachments(repo, update.new, [path for status, path in changed if status != "D"])
    return problems + _invalid(repo, update.new, paths) + files + rewrites


def _attachments(repo: GitRepo, tip: str, paths: list[str]) -> list[str]:
    """Files under `attachments/` over the size limit of the pushed policy (an LFS pointer counts the size it
    stands for), or at a path casefile never writes."""
    from casefile.cases.attachments import is_attachment_path
    from casefile.git.lfs import stored_sizes
    from casefile.policy.attachments import DEFAULT_MAX_SIZE
    from casefile.repo.validate import attachment_findings

    kept = [p for p in paths if is_attachment_path(p)]
    if not kept:
        return []
    policy = repo.read_blob(f"{tip}:{POLICY_FILE}")
    try:
        limit = parse_policy(policy.decode("utf-8")).attachments.max_size if policy else DEFAULT_MAX_SIZE
    except RecordError as error:
        return [str(error)]
    return [str(f) for path, size in zip(kept, stored_sizes(repo, [f"{tip}:{p}" for p in kept]))
            for f in attachment_findings(path, size, limit)]


def _base_for_new_branch(repo: GitRepo, new: str, default: str | None) -> str | None:
    tip = repo.resolve(default) if default else None
    return repo.merge_base(tip, new) if tip else None


def _invalid(repo: GitRepo, tip: str, paths: list[str]) -> list[str]:
    if not paths:
        return []
    policy = repo.read_blob(f"{tip}:{POLICY_FILE}")
    try:
        levels = parse_policy(policy.decode("utf-8")).levels if policy else {}
    except RecordError as error:
        return [str(error)]
    problems = []
    for path, found in zip(paths, repo.read_objects([f"{tip}:{p}" for p in paths])):
        if found is None:
            continue
        findings = [str(f) for f in check_blob(path, found[1], levels)]
        if not findings and path.endswith(".md") and kind_of(path) is not CASES and not is_template_path(path):
            findings = _readable(path, found[1].decode("utf-8"))
        problems += findings
    return problems


def _readable(path: str, text: str) -> list[str]:
    try:
        read_plain(text, path)
    except RecordError as error:
        return [str(error)]
    return []


def hook_text(python: str) -> str:
    template = (resources.files("casefile.hooks") / "pre-receive").read_text(encoding="utf-8")
    return template.replace("@PYTHON@", python)


def install_server_hook(repository: Path, python: str) -> str:
    """Install the pre-receive hook into a bare repository (or a non-bare one's .git)."""
    git_dir = repository / ".git" if (repository / ".git").is_dir() else repository
    if not (git_dir / "HEAD").is_file() or not (git_dir / "objects").is_dir():
        from casefile.errors import NotFound

        raise NotFound(_("{repository} is not a git repository").format(repository=repository), _("give the path of the shared (bare) repository"))
    hooks = git_dir / "hooks"
    hooks.mkdir(exist_ok=True)
    target = hooks / "pre-receive"
    if target.exists() and HOOK_MARK not in target.read_text(encoding="utf-8", errors="replace"):
        return f"kept your own {target}: make it run `casefile server-hook run` with the same input"
    target.write_text(hook_text(python), encoding="utf-8")
    target.chmod(0o755)
    return f"installed {target}"
