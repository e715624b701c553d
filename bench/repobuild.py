"""Build a case repository of N realistic cases, fast enough for 100,000.

The desk is set up with `casefile init` (through the library) and the demo
team; then the cases of `casegen` are written month by month and each month is
committed in one batch with plain git (`git add`, `git commit --no-verify`):
the pre-commit hook would validate every staged record, which is what
`casefile validate` is for, not what a bulk import should wait on.  Case
records are rendered in two worker processes.

A manifest next to the repository names cases the timed commands can work on
(open ones for `note` and `assign`, resolved ones for `close`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from casefile.git.objects import blob_id
from casefile.policy.model import POLICY_FILE
from casefile.records.kinds import STATIONS as STATION_KIND
from casefile.records.stations import StationState, station_record
from casefile.repo.demo import create_desk
from casegen import BENCH_NOW, STATIONS, YEARS, BuiltCase, CaseFactory

GENERATOR_VERSION = 5  # bump when casegen changes, so old repositories are rebuilt


@dataclass
class Manifest:
    cases: int
    open_cases: int
    generator: int
    statuses: dict[str, int]
    open_pool: list[str]  # open, assigned: for show, note, assign
    resolved_pool: list[str]  # resolved: for close
    assignees: dict[str, str]
    build_seconds: float
    built_commit: str
    caught_up: dict[str, object] | None = None  # the first `casefile check` over the built history

    @staticmethod
    def path_for(root: Path) -> Path:
        return root.with_name(root.name + ".manifest.json")

    def save(self, root: Path) -> None:
        Manifest.path_for(root).write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, root: Path) -> Manifest | None:
        try:
            return cls(**json.loads(Manifest.path_for(root).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None


def _git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="Bench Import", GIT_AUTHOR_EMAIL="bench@casefile.invalid",
               GIT_COMMITTER_NAME="Bench Import", GIT_COMMITTER_EMAIL="bench@casefile.invalid")
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


_factory: CaseFactory | None = None


def _init_worker(count: int, open_count: int, policy: str) -> None:
    global _factory
    _factory = CaseFactory(count, open_count, policy)


def _build(index: int) -> BuiltCase:
    assert _factory is not None
    return _factory.build(index)


def _cases(count: int, open_count: int, policy: str) -> Iterator[BuiltCase]:
    workers = max(1, min(2, os.cpu_count() or 1))
    if workers == 1 or count < 2000:
        _init_worker(count, open_count, policy)
        yield from (_build(i) for i in range(count))
        return
    with multiprocessing.get_context("fork").Pool(workers, _init_worker, (count, open_count, policy)) as pool:
        yield from pool.imap(_build, range(count), chunksize=200)


def _progress(done: int, total: int, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(f"\r  built {done:,}/{total:,} cases ({rate:,.0f}/s)   ")
    sys.stderr.flush()


def build_repository(root: Path, count: int, open_count: int) -> Manifest:
    """A fresh case repository at `root` with `count` cases, `open_count` of them still open."""
    started = time.monotonic()
    if root.exists():
        shutil.rmtree(root)
    create_desk(root, BENCH_NOW - timedelta(days=365 * YEARS + 1))
    for station in STATIONS:
        state = StationState(station, f"bench-clone-{station.lower()}", 1)
        (root / STATION_KIND.folder).mkdir(exist_ok=True)
        (root / STATION_KIND.folder / f"{station}.yaml").write_text(
            station_record(state, "wang.fang", "2023-11-01T09:00:00+08:00"), encoding="utf-8")
    statuses: dict[str, int] = {}
    open_pool: list[str] = []
    resolved_pool: list[str] = []
    assignees: dict[str, str] = {}
    month, batch = "", 0
    policy = blob_id((root / POLICY_FILE).read_bytes())
    for done, case in enumerate(_cases(count, open_count, policy), start=1):
        case_month = case.path.rsplit("/", 1)[0].removeprefix("cases/")
        if month and case_month != month:
            _commit_batch(root, month, batch)
            batch = 0
        month = case_month
        target = root / case.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case.text, encoding="utf-8")
        batch += 1
        statuses[case.status] = statuses.get(case.status, 0) + 1
        if case.status == "open" and case.assignee:
            open_pool.append(case.case_id)
            assignees[case.case_id] = case.assignee
        elif case.status == "resolved":
            resolved_pool.append(case.case_id)
        if done % 1000 == 0:
            _progress(done, count, started)
    if batch:
        _commit_batch(root, month, batch)
    sys.stderr.write("\n")
    manifest = Manifest(count, open_count, GENERATOR_VERSION, statuses, open_pool[-200:], resolved_pool[-200:],
                        {c: assignees[c] for c in open_pool[-200:]}, round(time.monotonic() - started, 1),
                        _git(root, "rev-parse", "HEAD").strip())
    manifest.save(root)
    return manifest


def _commit_batch(root: Path, month: str, cases: int) -> None:
    _git(root, "add", "-A", "cases", STATION_KIND.folder)
    when = BENCH_NOW.isoformat()
    # gc in the foreground: a detached `gc --auto` pruning empty object folders races the next batch's `add`
    _git(root, "-c", "gc.autoDetach=false", "commit", "-q", "--no-verify", "--date", when,
         "-m", f"Import {month} ({cases:,} cases)\n\nCasefile-Action: import")


def ensure_repository(root: Path, count: int, open_count: int, rebuild: bool) -> Manifest:
    """The repository at `root`, built now unless an identical one is there."""
    manifest = Manifest.load(root)
    fresh = (manifest is not None and manifest.cases == count and manifest.open_cases == open_count
             and manifest.generator == GENERATOR_VERSION and (root / ".git").is_dir())
    if fresh and not rebuild:
        assert manifest is not None
        return manifest
    sys.stderr.write(f"building {root} with {count:,} cases ({open_count:,} open)...\n")
    return build_repository(root, count, open_count)
