"""History and merging: `git log` with trailers, ancestry, and the porcelain merge that runs the record
merge driver (`casefile sync`); `merge_texts` is `git merge-file` for the driver's 3-way merge of a body.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from casefile.git.objects import Objects
from casefile.git.process import GitFailed, Identity, identity_env, scrubbed_env
from casefile.i18n import _
from casefile.values import Struct


class LogEntry(Struct, frozen=True):
    commit: str
    author: Identity
    authored_at: str  # ISO 8601 with offset, as git stores it
    subject: str
    body: str
    trailers: dict[str, str]


class History(Objects):
    # -- merging -------------------------------------------------------------

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        code = self.exit_code("merge-base", "--is-ancestor", ancestor, descendant)
        if code not in (0, 1):
            raise GitFailed(_("git merge-base failed for {value} and {value2}").format(value=ancestor[:10], value2=descendant[:10]))
        return code == 0

    def merge_base(self, one: str, other: str) -> str | None:
        return self.run("merge-base", one, other, ok=(0, 1)).decode().strip() or None

    def count_commits(self, spec: str) -> int:
        return int(self.text("rev-list", "--count", spec) or 0)

    def commits_with_parents(self, *revs: str) -> list[tuple[str, list[str]]]:
        """(commit, its parents) of `git rev-list REVS`, oldest first."""
        out = self.text("rev-list", "--reverse", "--topo-order", "--parents", *revs)
        return [(line.split()[0], line.split()[1:]) for line in out.splitlines() if line.strip()]

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
                              None, identity_env(author, when), None)
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
                 env=identity_env(author, when))
        return self.text("rev-parse", "HEAD")

    def fast_forward(self, rev: str) -> None:
        done = self._complete(("merge", "--ff-only", "-q", rev), None, None, None)
        if done.returncode != 0:
            raise GitFailed(_merge_refusal(done.stderr))

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


    def version_at(self, path: str, until: datetime, rev: str = "HEAD") -> tuple[LogEntry, bytes] | None:
        """The last commit at or before `until` (by its author time: the desk's clock when it was made) that
        touched `path`, and the file's content in it; None when the file did not exist yet."""
        chosen: tuple[datetime, LogEntry] | None = None
        for entry in self.log([path], rev):  # newest first: of equal times, the later commit wins
            when = datetime.fromisoformat(entry.authored_at)
            if when <= until and (chosen is None or when > chosen[0]):
                chosen = (when, entry)
        if chosen is None:
            return None
        content = self.read_blob(f"{chosen[1].commit}:{path}")
        return (chosen[1], content) if content is not None else None


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


class TextMerge(Struct, frozen=True):
    text: str
    conflicts: int  # hunks changed differently on both sides, left between markers


def merge_texts(base: str, ours: str, theirs: str, labels: tuple[str, str, str], marker_size: int = 7) -> TextMerge:
    """A 3-way merge of three texts with `git merge-file` (no repository needed)."""
    import tempfile  # here: only a merge needs it

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
        raise GitFailed(_("git merge-file failed: {decode}").format(decode=done.stderr.decode('utf-8', 'replace').strip()))
    return TextMerge(done.stdout.decode("utf-8", "replace"), done.returncode)
