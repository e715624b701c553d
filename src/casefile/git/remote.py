"""Talking to the shared remote — fetch, push, clone: the one place GitPython is used.

GitPython reports a push per ref (`PushInfo` flags), which is how casefile
tells a push the remote *rejected* (someone pushed first: fetch, merge and
try again — or a server hook refused it: say why) from a remote that could not
be reached at all.  It is imported inside the functions, so `casefile --help`
does not pay for it.

Network commands never prompt (no password or host-key questions in cron or
CI) and are stopped after `NETWORK_TIMEOUT` seconds.  GitPython passes the
environment on to git, so the repository's own locations are set explicitly:
a `GIT_DIR` leaking from a hook that called casefile cannot point it elsewhere.
"""

from __future__ import annotations

import logging
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.errors import RemoteFailed
from casefile.git.process import NETWORK_TIMEOUT
from casefile.git.repo import GitRepo
from casefile.i18n import _
from casefile.values import Struct

if TYPE_CHECKING:
    import git


class PushStatus(StrEnum):
    PUSHED = "pushed"
    UP_TO_DATE = "up to date"
    BEHIND = "behind"  # not a fast-forward: the remote has commits this clone has not merged
    REFUSED = "refused"  # the remote refused it (a server hook, a protected branch)


class PushOutcome(Struct, frozen=True):
    status: PushStatus
    detail: str = ""


class Unreachable(RemoteFailed):
    """The remote could not be reached (network, address, permissions)."""

    def __init__(self, remote: str, reason: str) -> None:
        super().__init__(_("could not reach the remote {remote}: {reason}").format(remote=remote, reason=reason))
        self.remote = remote
        self.reason = reason


def network_env() -> dict[str, str]:
    return {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=10"),
    }


def _repo_env(repo: GitRepo) -> dict[str, str]:
    return {
        **network_env(),
        "GIT_DIR": str(repo.git_dir),
        "GIT_WORK_TREE": str(repo.worktree),
        "GIT_INDEX_FILE": str(repo.git_dir / "index"),
        "GIT_OBJECT_DIRECTORY": str(repo.common_dir / "objects"),
    }


def _open(repo: GitRepo) -> git.Repo:
    import git

    logging.getLogger("git").addHandler(logging.NullHandler())  # its warnings are reported by us, in words
    handle = git.Repo(str(repo.worktree))
    handle.git.update_environment(**_repo_env(repo))
    return handle


def _reason(error: Exception) -> str:
    stderr = str(getattr(error, "stderr", "") or error).strip().strip("'\"")
    lines = [line.strip().strip("'\"") for line in stderr.splitlines() if line.strip()]
    lines = [line.removeprefix("stderr: ").strip("'\"") for line in lines]
    useful = [line for line in lines if line.startswith(("fatal:", "error:", "ERROR:", "ssh:"))] or lines
    return useful[0].removeprefix("fatal: ").strip() if useful else "no answer"


def fetch(repo: GitRepo, remote: str, refspecs: list[str]) -> None:
    """Fetch `refspecs` from `remote`, or raise Unreachable."""
    from git import GitCommandError

    try:
        _open(repo).remote(remote).fetch(refspec=refspecs, kill_after_timeout=NETWORK_TIMEOUT)
    except (GitCommandError, ValueError) as error:
        raise Unreachable(remote, _reason(error)) from None


def push(repo: GitRepo, remote: str, refspecs: list[str], lease: str | None = None) -> PushOutcome:
    """Push `refspecs` (never forced; `lease` is a --force-with-lease condition); raise Unreachable
    if the remote did not answer.  Sources must be ref names: GitPython cannot report on a bare oid."""
    from git import GitCommandError, PushInfo, RemoteProgress

    progress = RemoteProgress()
    options: dict[str, Any] = {"force_with_lease": lease} if lease else {}
    try:
        results = _open(repo).remote(remote).push(refspec=refspecs, progress=progress,
                                                  kill_after_timeout=NETWORK_TIMEOUT, **options)
    except (GitCommandError, ValueError) as error:
        raise Unreachable(remote, _reason(error)) from None
    remote_lines = _remote_lines(progress)
    if not results:
        raise Unreachable(remote, "; ".join(progress.error_lines) or "the push did not complete")
    flags = 0
    for info in results:
        flags |= info.flags
    if flags & (PushInfo.REMOTE_REJECTED | PushInfo.REMOTE_FAILURE) and _lost_race(results, remote_lines):
        return PushOutcome(PushStatus.BEHIND, "\n".join(remote_lines))
    if flags & (PushInfo.REMOTE_REJECTED | PushInfo.REMOTE_FAILURE):
        summaries = "; ".join(_summary(info) for info in results if info.flags & PushInfo.ERROR)
        return PushOutcome(PushStatus.REFUSED, "\n".join(remote_lines) or summaries)
    if flags & PushInfo.REJECTED:
        return PushOutcome(PushStatus.BEHIND, "; ".join(_summary(info) for info in results))
    if flags & PushInfo.ERROR:
        raise Unreachable(remote, "; ".join(_summary(info) for info in results))
    if all(info.flags & PushInfo.UP_TO_DATE for info in results):
        return PushOutcome(PushStatus.UP_TO_DATE)
    return PushOutcome(PushStatus.PUSHED)


class RefCreation(StrEnum):
    CREATED = "created"  # (or it was there already, pointing at this very commit)
    EXISTS = "exists"  # someone else created it first
    REFUSED = "refused"  # the server takes no such ref (a hook, a host that allows only branches and tags)


def create_ref(repo: GitRepo, remote: str, oid: str, ref: str) -> RefCreation:
    """Create `ref` on the remote only if it does not exist there (`--force-with-lease=REF:`)."""
    outgoing = "refs/casefile/outgoing/" + ref.removeprefix("refs/")
    repo.run("update-ref", outgoing, oid)
    try:
        outcome = push(repo, remote, [f"{outgoing}:{ref}"], lease=f"{ref}:")
    finally:
        repo.run("update-ref", "-d", outgoing)
    if outcome.status is PushStatus.BEHIND:
        return RefCreation.EXISTS
    if outcome.status is PushStatus.REFUSED:
        return RefCreation.REFUSED
    return RefCreation.CREATED


def _lost_race(results: list[Any], remote_lines: list[str]) -> bool:
    """A push the remote accepted but could not apply because another push moved (or was moving) the
    branch meanwhile: its hook passed, then updating the ref found it `is at X but expected Y`, or locked.
    That is the same as being behind (fetch, merge, try again), not a refusal."""
    from git import PushInfo

    failed = [info for info in results if info.flags & (PushInfo.REMOTE_REJECTED | PushInfo.REMOTE_FAILURE)]
    if not all("failed to update ref" in str(info.summary) or "failed to lock" in str(info.summary)
               for info in failed):
        return False
    said = " ".join([*remote_lines, *(str(info.summary) for info in failed)]).lower()
    return "cannot lock ref" in said or "failed to lock" in said


def _summary(info: Any) -> str:
    return f"{info.remote_ref_string}: {str(info.summary).strip()}"


def _remote_lines(progress: Any) -> list[str]:
    lines = [*progress.other_lines, *progress.error_lines]
    return [line[len("remote:"):].strip() for line in lines if line.startswith("remote:") and line[7:].strip()]


def clone(url: str, target: Path) -> None:
    """Clone `url` into `target` (which must not exist or be empty), or raise Unreachable."""
    import git

    logging.getLogger("git").addHandler(logging.NullHandler())
    try:
        git.Repo.clone_from(url, str(target), env=network_env())
    except git.GitCommandError as error:
        raise Unreachable(url, _reason(error)) from None
