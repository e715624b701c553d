"""The one module that runs git.

Writes use git plumbing: the new blob and the trees along its path are written
with `hash-object` and `mktree`, the commit with `commit-tree`, and the branch
moves with `update-ref NEW OLD`, an atomic compare-and-swap.  No step reads or
writes the whole index or stats the whole work tree, so one commit costs the
same in a repository of 100 cases as of 100,000 (the case tree is sharded by
month, so no directory grows without bound).

Every git process runs with a scrubbed environment: `GIT_DIR`, `GIT_INDEX_FILE`
and friends leaking from a hook that called us would point git somewhere else.
GitPython is used where it does the job better than plumbing: talking to
remotes (see `remote.py`); it is imported only there.

Merging (`casefile sync`) uses porcelain `git merge`, because that is what
runs the record merge driver configured for `*.md` files; `merge_texts` runs
`git merge-file` for the driver's own 3-way merge of a record's Markdown body.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from casefile.errors import Busy, CasefileError, NotFound

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
_ONE_BY_ONE = 8  # blobs written with one `hash-object --stdin` each; more go through files
# Never prompt for a password or a host key in a command or in cron.
_NETWORK_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_SSH_COMMAND": os.environ.get(
    "GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=10")}


class GitFailed(CasefileError):
    pass


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


@dataclass(frozen=True)
class TreeEntry:
    mode: str  # six digits, as ls-tree prints it
    oid: str

    @property
    def kind(self) -> str:
        if self.mode == "040000":
            return "tree"
        if self.mode == "160000":
            return "commit"
        return "blob"


@dataclass(frozen=True)
class WorktreeState:
    """What `git status` says about one folder: the commit checked out, and the
    paths whose work-tree file differs from that commit (changed, staged,
    deleted, untracked or ignored).  Every other path is as committed."""

    head: str | None  # None on a branch with no commit yet
    changed: tuple[str, ...]


@dataclass(frozen=True)
class TreeChange:
    """One file that differs between two commits; `oid` None when it is gone."""

    path: str
    oid: str | None


REGULAR_FILE_MODES = ("100644", "100755")


@dataclass(frozen=True)
class LogEntry:
    commit: str
    author: Identity
    authored_at: str  # ISO 8601 with offset, as git stores it
    subject: str
    body: str
    trailers: dict[str, str]


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
        raise GitFailed(f"{dot_git} is not a git directory pointer")
    target = Path(text[len("gitdir:") :].strip())
    return target if target.is_absolute() else (dot_git.parent / target).resolve()


def find_worktree(start: Path) -> Path | None:
    """The top of the git work tree that contains `start`, without running git."""
    here = start.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class GitRepo:
    """A non-bare repository with a work tree (or, through `bare`, a bare one)."""

    def __init__(self, worktree: Path, keep_index: bool = False) -> None:
        self.worktree = worktree
        self.git_dir = _git_dir_of(worktree / ".git")
        common = self.git_dir / "commondir"
        self.common_dir = (
            (self.git_dir / common.read_text().strip()).resolve() if common.exists() else self.git_dir
        )
        self._env = scrubbed_env(keep_index)

    @classmethod
    def bare(cls, git_dir: Path, in_hook: bool = False) -> GitRepo:
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
            raise GitFailed(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
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
            raise GitFailed("git is not installed or not on PATH") from None
        except subprocess.TimeoutExpired:
            raise GitFailed(f"git {args[0]} did not answer within {timeout:.0f} s") from None

    def text(self, *args: str, ok: Sequence[int] = (0,)) -> str:
        return self.run(*args, ok=ok).decode("utf-8").strip()

    @property
    def state_dir(self) -> Path:
        """Per-clone state that is never committed: lock, journal, station, index, outbox."""
        return self.common_dir / "casefile"

    @staticmethod
    def init(path: Path, branch: str = "main") -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "init", "-q", "-b", branch, str(path)],
            env=scrubbed_env(),
            check=True,
            capture_output=True,
        )
        return GitRepo(path)

    # -- state ---------------------------------------------------------------

    def head_ref(self) -> str | None:
        """The branch HEAD points at (`refs/heads/main`), None when detached."""
        head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if head.startswith("ref: "):
            return head[5:]
        return None

    def resolve(self, rev: str) -> str | None:
        out = self.run("rev-parse", "-q", "--verify", f"{rev}^{{commit}}", ok=(0, 1)).strip()
        return out.decode() or None

    def config(self, key: str) -> str | None:
        out = self.run("config", "--get", key, ok=(0, 1)).strip()
        return out.decode("utf-8") or None

    def set_config(self, key: str, value: str) -> None:
        self.run("config", key, value)

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

    # -- objects -------------------------------------------------------------

    def read_objects(self, specs: Sequence[str]) -> list[tuple[str, bytes] | None]:
        """(type, content) for each `rev:path` or oid; None where missing."""
        if not specs:
            return []
        out = self.run("cat-file", "--batch", input="".join(f"{s}\n" for s in specs).encode())
        results: list[tuple[str, bytes] | None] = []
        pos = 0
        for _ in specs:
            line_end = out.index(b"\n", pos)
            header = out[pos:line_end].decode()
            pos = line_end + 1
            if header.endswith(" missing") or header.endswith(" ambiguous"):
                results.append(None)
                continue
            _oid, kind, size = header.rsplit(" ", 2)
            content = out[pos : pos + int(size)]
            pos += int(size) + 1
            results.append((kind, content))
        return results

    def read_blob(self, spec: str) -> bytes | None:
        found = self.read_objects([spec])[0]
        return found[1] if found and found[0] == "blob" else None

    def write_blob(self, content: bytes) -> str:
        return self.run("hash-object", "-w", "--stdin", input=content).decode().strip()

    def write_blobs(self, contents: Sequence[bytes], scratch: Path) -> list[str]:
        """Write many blobs with one git process; their ids, in order.

        `hash-object` reads content from stdin one object at a time, so a run
        that changes thousands of records (the first `check` over years of
        history) hands it files in `scratch` instead of starting git once per blob.
        """
        if len(contents) <= _ONE_BY_ONE or "\n" in str(scratch):
            return [self.write_blob(content) for content in contents]
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch, prefix="blobs-") as folder:
            names = []
            for number, content in enumerate(contents):
                name = os.path.join(folder, str(number))
                with open(name, "wb") as handle:
                    handle.write(content)
                names.append(name)
            out = self.run("hash-object", "-w", "--no-filters", "--stdin-paths", input="".join(
                f"{name}\n" for name in names).encode())
        oids = out.decode().split()
        if len(oids) != len(contents):
            raise GitFailed(f"git hash-object wrote {len(oids)} of {len(contents)} blobs")
        return oids

    def write_tree(self, entries: Mapping[str, TreeEntry]) -> str:
        # The tree object is built here and written with hash-object, which checks
        # its format but, unlike mktree, does not look up every entry: in a month
        # of a 100,000-case repository whose blobs are still loose objects that
        # is ~2,000 file reads, ~20 ms, on every commit.
        return self.run("hash-object", "-w", "-t", "tree", "--stdin", input=tree_content(entries)).decode().strip()

    def commit_tree(
        self, tree: str, parents: Iterable[str], message: str, author: Identity, when: datetime
    ) -> str:
        env = _identity_env(author, when)
        args = ["commit-tree", tree]
        for parent in parents:
            args += ["-p", parent]
        return self.run(*args, input=message.encode("utf-8"), env=env).decode().strip()

    def update_ref(self, ref: str, new: str, old: str | None, reason: str) -> bool:
        """Move `ref` from `old` to `new` atomically; False if it had moved."""
        try:
            self.run("update-ref", "-m", reason, ref, new, old or ZERO_OID)
        except GitFailed:
            current = self.resolve(ref)
            if current != (old or None):
                return False
            raise
        return True

    def update_index(self, paths: Iterable[str]) -> None:
        """Record the work-tree state of `paths` (added, changed or removed)."""
        data = "".join(f"{p}\0" for p in paths).encode("utf-8")
        if data:
            self.run("update-index", "--add", "--remove", "-z", "--stdin", input=data)

    # -- trees ---------------------------------------------------------------

    def new_tree(self, base_commit: str | None, blobs: Mapping[str, str | None]) -> str:
        """The root tree of `base_commit` with `blobs` (path -> oid, or None to delete)."""
        dirs = sorted({str(parent) for path in blobs for parent in PurePosixPath(path).parents})
        trees: dict[str, dict[str, TreeEntry]] = {}
        if base_commit:
            specs = [f"{base_commit}^{{tree}}" if d == "." else f"{base_commit}:{d}" for d in dirs]
            for directory, found in zip(dirs, self.read_objects(specs)):
                trees[directory] = _parse_tree(found[1]) if found and found[0] == "tree" else {}
        for directory in dirs:
            trees.setdefault(directory, {})
        for path, oid in blobs.items():
            parent, name = str(PurePosixPath(path).parent), PurePosixPath(path).name
            if oid is None:
                trees[parent].pop(name, None)
            else:
                trees[parent][name] = TreeEntry("100644", oid)
        # Write the deepest directories first; each parent then takes its child's oid.
        for directory in sorted(dirs, key=lambda d: d.count("/") + (d != "."), reverse=True):
            if directory == ".":
                continue
            entries = trees[directory]
            parent, name = str(PurePosixPath(directory).parent), PurePosixPath(directory).name
            if entries:
                trees[parent][name] = TreeEntry("040000", self.write_tree(entries))
            else:
                trees[parent].pop(name, None)
        return self.write_tree(trees["."])

    def tree_names(self, rev: str, directory: str) -> dict[str, TreeEntry]:
        found = self.read_objects([f"{rev}:{directory}"])[0]
        return _parse_tree(found[1]) if found and found[0] == "tree" else {}

    def list_blobs(self, rev: str, prefix: str) -> dict[str, str]:
        """path -> blob oid for every file under `prefix` at `rev` (ls-tree -r)."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", rev, "--", prefix, ok=(0, 128))
        result = {}
        for item in out.split(b"\0"):
            if not item:
                continue
            meta, path = item.split(b"\t", 1)
            _mode, kind, oid = meta.split(b" ")
            if kind == b"blob":
                result[path.decode("utf-8")] = oid.decode()
        return result

    # -- remotes -------------------------------------------------------------

    def default_remote(self) -> str | None:
        """The remote of the current branch, else `origin`, else the only remote."""
        ref = self.head_ref()
        if ref and ref.startswith("refs/heads/"):
            upstream = self.config(f"branch.{ref[len('refs/heads/'):]}.remote")
            if upstream and upstream != ".":
                return upstream
        remotes = self.run("remote").decode().split()
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

    # -- merging -------------------------------------------------------------

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        code = self.exit_code("merge-base", "--is-ancestor", ancestor, descendant)
        if code not in (0, 1):
            raise GitFailed(f"git merge-base failed for {ancestor[:10]} and {descendant[:10]}")
        return code == 0

    def merge_base(self, one: str, other: str) -> str | None:
        return self.run("merge-base", one, other, ok=(0, 1)).decode().strip() or None

    def count_commits(self, spec: str) -> int:
        return int(self.text("rev-list", "--count", spec) or 0)

    def changed_paths(self, old: str | None, new: str) -> list[tuple[str, str]]:
        """(status letter, path) for every file that differs from `old` to `new` (no rename detection)."""
        if old is None:
            return [("A", path) for path in self.list_blobs(new, ".")]
        out = self.run("diff-tree", "-r", "-z", "--no-renames", "--name-status", old, new)
        parts = out.split(b"\0")
        return [(parts[i].decode(), parts[i + 1].decode("utf-8")) for i in range(0, len(parts) - 1, 2)]

    def uncommitted(self) -> list[str]:
        """Tracked files whose work-tree or staged content differs from HEAD."""
        out = self.run("status", "--porcelain", "-z", "--untracked-files=no")
        return [item[3:].decode("utf-8") for item in out.split(b"\0") if len(item) > 3]

    def merge(self, rev: str, message: str, author: Identity, when: datetime) -> list[str]:
        """Start merging `rev` into the current branch (no commit yet); the paths left in conflict."""
        done = self._complete(("merge", "--no-ff", "--no-commit", "--no-edit", "-m", message, rev),
                              None, _identity_env(author, when), None)
        if done.returncode not in (0, 1):
            raise GitFailed(_merge_refusal(done.stderr))
        conflicted = self.run("diff", "--name-only", "-z", "--diff-filter=U")
        return [p.decode("utf-8") for p in conflicted.split(b"\0") if p]

    def abort_merge(self) -> None:
        self.run("merge", "--abort")

    def commit_merge(self, message: str, author: Identity, when: datetime) -> str:
        # The staged result was validated by casefile just before (the same check
        # as the pre-commit hook), so the hook is not run a second time.
        self.run("commit", "--no-verify", "-q", "-F", "-", input=message.encode("utf-8"),
                 env=_identity_env(author, when))
        return self.text("rev-parse", "HEAD")

    def fast_forward(self, rev: str) -> None:
        done = self._complete(("merge", "--ff-only", "-q", rev), None, None, None)
        if done.returncode != 0:
            raise GitFailed(_merge_refusal(done.stderr))

    # -- reading for the record index ------------------------------------------

    def files_at(self, rev: str, prefix: str) -> dict[str, str]:
        """path -> blob oid of every regular file under `prefix` at `rev` (no symlinks)."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", rev, "--", prefix)
        result = {}
        for item in out.split(b"\0"):
            if item[:6] in (b"100644", b"100755"):  # "100644 blob OID\tPATH"
                tab = item.index(b"\t")
                result[item[tab + 1 :].decode("utf-8", "surrogateescape")] = item[12:tab].decode()
        return result

    def changed_files(self, old: str, new: str, prefix: str) -> list[TreeChange] | None:
        """Files under `prefix` that differ between two commits; None if `old` is gone."""
        if not self.run("cat-file", "-t", old, ok=(0, 1, 128)).startswith(b"commit"):
            return None
        out = self.run("diff-tree", "-r", "-z", "--no-renames", "--no-commit-id", old, new, "--", prefix)
        parts = out.split(b"\0")
        changes = []
        for meta, raw_path in zip(parts[0::2], parts[1::2]):
            # ":OLDMODE NEWMODE OLDOID NEWOID STATUS"
            _old_mode, new_mode, _old_oid, new_oid, _status = meta[1:].decode().split(" ")
            regular = new_mode in REGULAR_FILE_MODES
            changes.append(TreeChange(raw_path.decode("utf-8", "surrogateescape"), new_oid if regular else None))
        return changes

    def worktree_state(self, prefix: str | None = None) -> WorktreeState:
        """The checked-out commit and every path (under `prefix`) that differs from it.

        One `git status`: git compares the work tree with its index by stat
        (hashing files whose stat looks racy) and the index with HEAD, and lists
        untracked and ignored files.  `--no-optional-locks` keeps a read from
        taking `.git/index.lock`, so it never gets in the way of a commit.
        """
        out = self.run(
            "--no-optional-locks", "status", "--porcelain=v2", "-z", "--branch", "--no-renames",
            "--untracked-files=all", "--ignored=traditional", *(("--", prefix) if prefix else ()),
        )
        head: str | None = None
        changed = []
        for item in out.split(b"\0"):
            if item.startswith(b"# branch.oid "):
                oid = item[13:].decode()
                head = None if oid == "(initial)" else oid
            elif item[:2] in (b"1 ", b"u ", b"? ", b"! "):
                # "1 XY SUB MH MI MW HH HI PATH", "u XY SUB M1 M2 M3 MW H1 H2 H3 PATH", "? PATH"
                fields = {b"1": 8, b"u": 10}.get(item[:1], 1)
                changed.append(item.split(b" ", fields)[fields].decode("utf-8", "surrogateescape"))
        return WorktreeState(head, tuple(changed))

    def blob_contents(self, oids: Iterable[str], batch: int = 256) -> Iterator[tuple[str, bytes]]:
        """(oid, content) of each blob, streamed from one `git cat-file --batch`.

        Requests go in batches small enough to fit the pipe, and each batch's
        answers are read before the next is sent, so neither side blocks and
        memory stays bounded however many blobs are asked for.
        """
        pending = list(oids)
        if not pending:
            return
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=self.worktree, env=self._env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            for start in range(0, len(pending), batch):
                chunk = pending[start : start + batch]
                process.stdin.write("".join(f"{oid}\n" for oid in chunk).encode())
                process.stdin.flush()
                for oid in chunk:
                    header = process.stdout.readline().split()
                    if len(header) != 3:
                        raise GitFailed(f"git cat-file: object {oid} is missing")
                    content = process.stdout.read(int(header[2]) + 1)[:-1]
                    yield oid, content
        finally:
            process.stdin.close()
            process.stdout.close()
            process.wait()

    # -- history -------------------------------------------------------------

    def log(self, paths: Sequence[str] = (), rev: str = "HEAD", limit: int | None = None) -> list[LogEntry]:
        sep, end = "\x1f", "\x1e"
        fmt = sep.join(["%H", "%an", "%ae", "%aI", "%s", "%b"]) + end
        args = ["log", f"--format={fmt}"]
        if limit:
            args.append(f"-n{limit}")
        args += [rev, "--", *paths]
        out = self.run(*args, ok=(0, 128)).decode("utf-8", "replace")
        entries = []
        for chunk in out.split(end):
            chunk = chunk.strip("\n")
            if not chunk:
                continue
            commit, name, email, when, subject, body = chunk.split(sep, 5)
            entries.append(LogEntry(commit, Identity(name, email), when, subject, body, _trailers(body)))
        return entries


def blob_id(content: bytes) -> str:
    """Git's name for a file's content (`git hash-object`), computed without running git."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def tree_content(entries: Mapping[str, TreeEntry]) -> bytes:
    """A tree object's bytes: entries in git's order (a folder sorts as if its name ended in '/')."""

    def order(name: str) -> bytes:
        return (name + "/" if entries[name].kind == "tree" else name).encode("utf-8", "surrogateescape")

    return b"".join(
        b"%s %s\0%s" % (entries[name].mode.lstrip("0").encode(), name.encode("utf-8", "surrogateescape"),
                         bytes.fromhex(entries[name].oid))
        for name in sorted(entries, key=order)
    )


def _parse_tree(content: bytes) -> dict[str, TreeEntry]:
    entries: dict[str, TreeEntry] = {}
    pos = 0
    while pos < len(content):
        space = content.index(b" ", pos)
        nul = content.index(b"\0", space)
        mode = content[pos:space].decode().zfill(6)
        name = content[space + 1 : nul].decode("utf-8")
        oid = content[nul + 1 : nul + 21].hex()
        entries[name] = TreeEntry(mode, oid)
        pos = nul + 21
    return entries


def _trailers(body: str) -> dict[str, str]:
    """Trailers of a commit message: `Key: value` lines of its last paragraph."""
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    if not paragraphs:
        return {}
    result = {}
    for line in paragraphs[-1].splitlines():
        key, sep, value = line.partition(": ")
        if not sep or " " in key:
            return {}
        result[key] = value.strip()
    return result


def _merge_refusal(stderr: bytes) -> str:
    """Why `git merge` would not start, in one line: its error and the files it names."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    said = [line for line in lines if line.startswith(("error:", "fatal:"))] or lines or ["no reason given"]
    files = [line.strip() for line in lines if line.startswith(("\t", "    "))]
    more = f" (and {len(files) - 3} more)" if len(files) > 3 else ""
    return " ".join([said[0].split(":", 1)[-1].strip(), *files[:3]]) + more


def _identity_env(author: Identity, when: datetime) -> dict[str, str]:
    stamp = when.isoformat(timespec="seconds")
    return {
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": author.name,
        "GIT_COMMITTER_EMAIL": author.email,
        "GIT_COMMITTER_DATE": stamp,
    }


@dataclass(frozen=True)
class TextMerge:
    text: str
    conflicts: int  # hunks changed differently on both sides, left between markers


def merge_texts(base: str, ours: str, theirs: str, labels: tuple[str, str, str], marker_size: int = 7) -> TextMerge:
    """A 3-way merge of three texts with `git merge-file` (no repository needed)."""
    with tempfile.TemporaryDirectory(prefix="casefile-merge-") as folder:
        paths = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_bytes(content.encode("utf-8"))
            paths.append(str(path))
        done = subprocess.run(
            ["git", "merge-file", "-p", f"--marker-size={marker_size}",
             "-L", labels[0], "-L", labels[1], "-L", labels[2], *paths],
            capture_output=True, env=scrubbed_env(), check=False, cwd=folder,
        )
    if done.returncode < 0 or done.returncode > 127:
        raise GitFailed(f"git merge-file failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return TextMerge(done.stdout.decode("utf-8", "replace"), done.returncode)


def require_repo(path: Path) -> GitRepo:
    top = find_worktree(path)
    if top is None:
        raise NotFound(
            f"not a case repository: {path} is not inside a git repository",
            f"run `casefile init {path}` to make one",
        )
    return GitRepo(top)


def assert_writable(repo: GitRepo) -> str:
    """The branch to commit to, or why we must not commit now."""
    busy = repo.operation_in_progress()
    if busy:
        raise Busy(f"{busy} is in progress in {repo.worktree}", "finish or abort it first, then try again")
    if repo.index_locked():
        raise Busy(
            "git is busy: .git/index.lock exists",
            "wait for the other git command; if none is running, remove .git/index.lock",
        )
    ref = repo.head_ref()
    if ref is None:
        raise Busy("HEAD is detached (an older commit is checked out)", "check out your branch: git switch main")
    return ref
