"""The one package that runs git; `GitRepo` is what the rest of casefile holds.

GitPython is used where it does the job better than plumbing: talking to
remotes (see `remote.py`); it is imported only there.
"""

from __future__ import annotations

from pathlib import Path

from casefile.errors import Busy, NotFound
from casefile.git.history import History
from casefile.git.process import GitProcess, find_worktree
from casefile.git.scan import Scan
from casefile.i18n import _


class GitRepo(History, Scan):
    """A non-bare repository with a work tree (or, through `bare`, a bare one)."""

    @staticmethod
    def init(path: Path, branch: str = "main") -> GitRepo:
        GitProcess.init(path, branch)
        return GitRepo(path)

    @classmethod
    def bare(cls, git_dir: Path, in_hook: bool = False) -> GitRepo:
        """A bare repository (the shared one on a server); `in_hook` sees a push's quarantined objects."""
        repo = super().bare(git_dir, in_hook)
        assert isinstance(repo, GitRepo)
        return repo


def require_repo(path: Path) -> GitRepo:
    top = find_worktree(path)
    if top is None:
        raise NotFound(
            _("not a case repository: {path} is not inside a git repository").format(path=path),
            _("run `casefile init {path}` to make one").format(path=path),
        )
    return GitRepo(top)


def assert_writable(repo: GitRepo) -> str:
    """The branch to commit to, or why we must not commit now."""
    busy = repo.operation_in_progress()
    if busy:
        raise Busy(_("{busy} is in progress in {worktree}").format(busy=busy, worktree=repo.worktree), _("finish or abort it first, then try again"))
    ref = repo.head_ref()
    for lock in repo.lock_files():
        raise Busy(_("git is busy: {lock} exists").format(lock=lock),
                   _("wait for the other git command; if none is running (a killed one left it), run `casefile doctor` or remove {lock}").format(lock=lock))
    if ref is None:
        raise Busy(_("HEAD is detached (an older commit is checked out)"), _("check out your branch: git switch main"))
    return ref
