"""Running git: the scrubbed environment, one process per call, and the repository's state.

Every git process runs with a scrubbed environment: `GIT_DIR`, `GIT_INDEX_FILE`
and friends leaking from a hook that called us would point git somewhere else.
`GitProcess` is what the other parts of `GitRepo` (objects, history, the record
index's reads) call to run git.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct

ZERO_OID = "0" * 40

# Variables a user or CI sets on purpose; everything else named GIT_* is dropped.
_KEEP_GIT_VARS = {
    "GIT_EXEC_PATH",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_SSL_CAINFO",
    "GIT_SSL_NO_VERIFY",
    "GIT_ASKPASS",
    "GIT_TERMINAL_PROMPT",
    "GIT_HTTP_PROXY_AUTHMETHOD",
    "GIT_ALLOW_PROTOCOL",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_CONFIG_COUNT",
}
# In a server-side hook the pushed objects sit in a quarantine directory that
# git names only through these variables; without them the hook cannot read them.
_QUARANTINE_VARS = {"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH"}


NETWORK_TIMEOUT = 20.0
ONE_BY_ONE = 8  # blobs written with one `hash-object --stdin` each; more go through files
# Never prompt for a password or a host key in a command or in cron.
_NETWORK_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_SSH_COMMAND": os.environ.get(
    "GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=10")}


class GitFailed(CasefileError):
    pass


class Identity(Struct, frozen=True):
    name: str
    email: str


def scrubbed_env(keep_index: bool = False, keep_quarantine: bool = False) -> dict[str, str]:
    env = {}
    for key, value in os.environ.items():
        if not key.startswith("GIT_"):
            env[key] = value
        elif key in _KEEP_GIT_VARS or key.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_", "GIT_TRACE")):
            env[key] = value
        elif keep_index and key == "GIT_INDEX_FILE":
            env[key] = value
        elif keep_quarantine and key in _QUARANTINE_VARS:
            env[key] = value
    env.setdefault("GIT_TERMINAL_PROMPT", "0")
    return env


def _git_dir_of(dot_git: Path) -> Path:
    if dot_git.is_dir():
        return dot_git
    text = dot_git.read_text(encoding="utf-8").strip()
    if not text.startswith("gitdir:"):
        raise GitFailed(_("{dot_git} is not a git directory pointer").format(dot_git=dot_git))
    target = Path(text[len("gitdir:") :].strip())
    return target if target.is_absolute() else (dot_git.parent / target).resolve()


def find_worktree(start: Path) -> Path | None:
    """The top of the git work tree that contains `start`, without running git."""
    here = start.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class GitProcess:
    """A repository and how git is run in it; `GitRepo` adds what casefile asks of it."""

    _config_cache: dict[str, str] | None = None  # `config --list`, read on first use

    def __init__(self, worktree: Path, keep_index: bool = False) -> None:
        self.worktree = worktree
        self.git_dir = _git_dir_of(worktree / ".git")
        common = self.git_dir / "commondir"
        self.common_dir = (
            (self.git_dir / common.read_text().strip()).resolve() if common.exists() else self.git_dir
        )
        self._env = scrubbed_env(keep_index)

    @classmethod
    def bare(cls, git_dir: Path, in_hook: bool = False) -> GitProcess:
        """A bare repository (the shared one on a server); `in_hook` sees a push's quarantined objects."""
        repo = cls.__new__(cls)
        repo.worktree = repo.git_dir = repo.common_dir = git_dir
        repo._env = {**scrubbed_env(keep_quarantine=in_hook), "GIT_DIR": str(git_dir)}
        return repo

    # -- running -------------------------------------------------------------

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
        ok: Sequence[int] = (0,),
        timeout: float | None = None,
    ) -> bytes:
        done = self._complete(args, input, env, timeout)
        if done.returncode not in ok:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitFailed(_("git {value} failed: {value2}").format(value=args[0], value2=message[-1] if message else done.returncode))
        return done.stdout

    def exit_code(self, *args: str) -> int:
        """Run a git command that answers with its exit status (e.g. merge-base --is-ancestor)."""
        return self._complete(args, None, None, None).returncode

    def _complete(
        self, args: Sequence[str], input: bytes | None, env: Mapping[str, str] | None, timeout: float | None
    ) -> subprocess.CompletedProcess[bytes]:
        full_env = dict(self._env)
        if env:
            full_env.update(env)
        try:
            return subprocess.run(
                ["git", *args],
                cwd=self.worktree,
                input=input,
                env=full_env,
                capture_output=True,
                check=False,
                timeout=timeout,
            )
        except FileNotFoundError:
            raise GitFailed(_("git is not installed or not on PATH")) from None
        except subprocess.TimeoutExpired:
            raise GitFailed(_("git {value} did not answer within {timeout:.0f} s").format(value=args[0], timeout=timeout)) from None

    def text(self, *args: str, ok: Sequence[int] = (0,)) -> str:
        return self.run(*args, ok=ok).decode("utf-8").strip()

    @property
    def state_dir(self) -> Path:
        """Per-clone state that is never committed: lock, journal, station, index, outbox."""
        return self.common_dir / "casefile"

    @staticmethod
    def init(path: Path, branch: str = "main") -> GitProcess:
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "init", "-q", "-b", branch, str(path)],
            env=scrubbed_env(),
            check=True,
            capture_output=True,
        )
        return GitProcess(path)

    # -- state ---------------------------------------------------------------

    def head_ref(self) -> str | None:
        """The branch HEAD points at (`refs/heads/main`), None when detached."""
        head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if head.startswith("ref: "):
            return head[5:]
        return None

    def head_mark(self) -> str:
        """What HEAD stands at, read from files without running git (cheap enough to poll every second):
        it changes when a commit lands, a merge or pull moves the branch, or another branch is checked out."""
        head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head  # detached: the commit itself
        ref = head[5:]
        for folder in (self.git_dir, self.common_dir):
            loose = folder / ref
            if loose.is_file():
                return f"{ref} {loose.read_text(encoding='utf-8').strip()}"
        packed = self.common_dir / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                if line.endswith(f" {ref}"):
                    return f"{ref} {line.split(' ', 1)[0]}"
        return f"{ref} (no commit)"

    def resolve(self, rev: str) -> str | None:
        out = self.run("rev-parse", "-q", "--verify", f"{rev}^{{commit}}", ok=(0, 1)).strip()
        return out.decode() or None

    def config(self, key: str) -> str | None:
        """A configuration value as `git config --get` gives it (the last one set), or None.

        The whole configuration is read once per command (`config --list -z`, one
        process instead of one per key); `set_config` reads it again.
        """
        parts = key.split(".")
        name = ".".join([parts[0].lower(), *parts[1:-1], parts[-1].lower()])
        return self._configuration().get(name) or None

    def config_names(self, prefix: str) -> list[str]:
        """Every configuration key under `prefix` (lower-case section and name)."""
        return [name for name in self._configuration() if name.startswith(prefix)]

    def _configuration(self) -> dict[str, str]:
        cached = self._config_cache
        if cached is None:
            cached = {}
            for item in self.run("config", "--list", "-z", ok=(0, 1)).split(b"\0"):
                if item:
                    name, _newline, value = item.partition(b"\n")
                    cached[name.decode("utf-8", "replace")] = value.decode("utf-8", "replace").strip()
            self._config_cache = cached
        return cached

    def set_config(self, key: str, value: str) -> None:
        self.run("config", key, value)
        self._config_cache = None

    def operation_in_progress(self) -> str | None:
        """A merge, rebase, cherry-pick or revert that is not finished."""
        for marker, name in (
            ("MERGE_HEAD", "a merge"),
            ("rebase-merge", "a rebase"),
            ("rebase-apply", "a rebase"),
            ("CHERRY_PICK_HEAD", "a cherry-pick"),
            ("REVERT_HEAD", "a revert"),
        ):
            if (self.git_dir / marker).exists():
                return name
        return None

    def index_locked(self) -> bool:
        return (self.git_dir / "index.lock").exists()

    def lock_files(self) -> list[Path]:
        """git's own lock files in this repository (`index.lock`, `HEAD.lock`, `refs/heads/main.lock`, ...):
        each exists while a git process changes that file, and stays behind when one is killed."""
        common = self.common_dir
        found = [self.git_dir / name for name in ("index.lock", "HEAD.lock", "config.lock")]
        found += [common / "packed-refs.lock", common / "config.lock"]
        refs = common / "refs"
        if refs.is_dir():
            found += sorted(refs.rglob("*.lock"))
        seen: list[Path] = []
        for path in found:
            if path.is_file() and path not in seen:
                seen.append(path)
        return seen

    def git_processes(self) -> list[int]:
        """Running git processes working in this repository (read from /proc; empty where there is none)."""
        places = {self.worktree.resolve(), self.git_dir.resolve(), self.common_dir.resolve()}
        found = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if (entry / "comm").read_text().strip() not in ("git", "git-remote-http", "git-upload-pack",
                                                                  "git-receive-pack"):
                    continue
                cwd = (entry / "cwd").resolve()
            except OSError:
                continue
            if any(cwd == place or place in cwd.parents for place in places):
                found.append(int(entry.name))
        return found

    # -- remotes -------------------------------------------------------------

    def default_remote(self) -> str | None:
        """The remote of the current branch, else `origin`, else the only remote."""
        ref = self.head_ref()
        if ref and ref.startswith("refs/heads/"):
            upstream = self.config(f"branch.{ref[len('refs/heads/'):]}.remote")
            if upstream and upstream != ".":
                return upstream
        remotes = sorted({name[len("remote."):].rsplit(".", 1)[0] for name in self.config_names("remote.") if name.count(".") >= 2})
        if "origin" in remotes:
            return "origin"
        return remotes[0] if len(remotes) == 1 else None

    def remote_refs(self, remote: str, pattern: str) -> dict[str, str] | None:
        """ref -> oid on the remote, or None when it cannot be reached."""
        try:
            out = self.run("ls-remote", remote, pattern, env=_NETWORK_ENV, timeout=NETWORK_TIMEOUT)
        except GitFailed:
            return None
        refs = {}
        for line in out.decode().splitlines():
            oid, _tab, name = line.partition("\t")
            refs[name] = oid
        return refs


def identity_env(author: Identity, when: datetime) -> dict[str, str]:
    stamp = when.isoformat(timespec="seconds")
    return {
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": author.name,
        "GIT_COMMITTER_EMAIL": author.email,
        "GIT_COMMITTER_DATE": stamp,
    }
