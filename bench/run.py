"""Benchmark casefile on realistic case repositories — one command.

    python bench/run.py                          # 10,000 cases
    python bench/run.py --cases 100 --cases 100000
    python bench/run.py --cases 100000 --runs 5 --cold-runs 3 --out bench/out/results.md

For each size it builds (once; later runs reuse it) a case repository under
`bench/out/` — levels, types, customers, engineers, notes, pauses, three years
of cases, about 5% still open — with casefile's own record model (see
`casegen.py`, `repobuild.py`).  Then it times every command of `commands.py`
as a whole process: the median of `--runs` runs with the record index in
place ("warm") and of `--cold-runs` runs with `.git/casefile/index.sqlite`
deleted before each ("cold": what the first command after a clone, an
upgrade or a deleted cache pays; the operating system's file cache stays
warm), and the peak memory of any run.  The table goes to standard output
and to `--out` as Markdown.

Every run sees the same clock (CASEFILE_NOW) and actor (CASEFILE_ACTOR), and
no GIT_* or CASEFILE_* variable of your shell, nor PYTHONDONTWRITEBYTECODE: the
package is compiled to bytecode first, as an installed package is, so no run
pays for compiling.  Wall and CPU time (casefile's and its git processes') are
both given; the load average is sampled before every row.  The repository is reset to
the state it was built in before each size is timed, so runs are repeatable.
Other busy processes on the machine inflate the numbers: the load average
before and after is printed with the table.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from casefile.cli import COMMANDS as CASEFILE_COMMANDS
from casegen import BENCH_NOW, ENGINEERS
from commands import COMMANDS, BenchCommand
from repobuild import Manifest, ensure_repository
from timing import Sample, Summary, run_once, summarise

HERE = Path(__file__).resolve().parent
FRESH = "fresh clone: first check, no index"
IMPORT = "fresh clone: index import (exported 20 commits back)"
RESTORED = "fresh clone: first check, index imported from 20 commits back"
ACTOR = "wang.fang"


@dataclass
class Row:
    label: str
    cells: dict[int, tuple[Summary | None, Summary | None] | str]
    load: dict[int, float]
    git: dict[int, int] = field(default_factory=dict)  # git processes of one warm run


class Bench:
    def __init__(self, root: Path, manifest: Manifest, runs: int, cold_runs: int) -> None:
        self.root, self.manifest = root, manifest
        self.runs, self.cold_runs = runs, cold_runs
        self.counter = 0
        self.git_processes: dict[str, int] = {}
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("GIT_", "CASEFILE_")) and k != "PYTHONDONTWRITEBYTECODE"}
        self.env.update(CASEFILE_NOW=BENCH_NOW.isoformat(), CASEFILE_ACTOR=ACTOR, CASEFILE_REPO=str(root))

    def reset(self) -> None:
        """Back to the repository as built: drop the commits and files of earlier runs."""
        for args in (("reset", "-q", "--hard", self.manifest.built_commit), ("clean", "-q", "-fdx", "cases", "stations")):
            subprocess.run(["git", "-C", str(self.root), *args], check=True, env=self.env)

    def catch_up(self) -> None:
        """The first `check` over the built history, timed once and kept as part of the build.

        The generated cases were never checked, so the first run records every
        warning, breach and ladder step of three years at once (one commit);
        a desk adopting casefile for an existing history pays this once.  The
        timed `check` row then measures what cron sees every few minutes.
        """
        if self.manifest.caught_up is not None:
            return
        sys.stderr.write(f"  first check over the built history of {self.manifest.cases:,} cases ...")
        sys.stderr.flush()
        sample = run_once(["check"], self.env, self.root)
        if sample.code != 0:
            raise SystemExit(f"the first check failed: exit {sample.code}: {sample.error}")
        subject = subprocess.run(["git", "-C", str(self.root), "log", "-1", "--format=%s"], env=self.env,
                                 check=True, capture_output=True, text=True).stdout.strip()
        head = subprocess.run(["git", "-C", str(self.root), "rev-parse", "HEAD"], env=self.env,
                              check=True, capture_output=True, text=True).stdout.strip()
        self.manifest.caught_up = {"seconds": round(sample.seconds, 1), "peak_mb": round(sample.peak_kb / 1024),
                                   "commit": subject}
        self.manifest.built_commit = head
        self.manifest.save(self.root)
        sys.stderr.write(f" {sample.seconds:.0f}s\n")

    def drop_index(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.root}/.git/casefile/index.sqlite{suffix}").unlink(missing_ok=True)

    def _values(self) -> dict[str, str]:
        pool = self.manifest.open_pool
        self.counter += 1
        case = pool[self.counter % len(pool)]
        current = self.manifest.assignees.get(case)
        others = [handle for handle, _tier in ENGINEERS if handle != current]
        return {"open_case": case, "engineer": others[(self.counter // len(pool)) % 2], "n": str(self.counter)}

    def _run(self, command: BenchCommand) -> Sample:
        values = self._values()
        for step in command.prepare:
            done = subprocess.run([sys.executable, "-m", "casefile", *(a.format(**values) for a in step)],
                                  cwd=self.root, env=self.env, capture_output=True, text=True)
            if done.returncode != 0:
                return Sample(0.0, 0, done.returncode, f"prepare {step[0]}: {done.stderr.strip()}")
            if step[0] == "open":
                values["new_case"] = done.stdout.strip()
        return run_once([a.format(**values) for a in command.args], self.env, self.root)

    def time(self, command: BenchCommand) -> tuple[Summary | None, Summary]:
        cold = []
        for _ in range(self.cold_runs):
            self.drop_index()
            cold.append(self._run(command))
        self._run(command)  # warm-up: index, station and file cache in place
        warm = [self._run(command) for _ in range(self.runs)]
        self.git_processes[command.label] = self.count_git(command)
        return (summarise(cold) if cold else None), summarise(warm)

    def count_git(self, command: BenchCommand) -> int:
        """The git processes one warm run starts, counted by a `git` first on PATH (an extra, untimed run)."""
        with tempfile.TemporaryDirectory() as folder:
            shim, log = Path(folder) / "git", Path(folder) / "started"
            real = shutil.which("git") or "git"
            shim.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
            shim.chmod(0o755)
            saved = dict(self.env)
            self.env["PATH"] = f"{folder}{os.pathsep}{self.env.get('PATH', '')}"
            try:
                self._run(command)
            finally:
                self.env = saved
            return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0

    def fresh_clones(self, rows: dict[str, Row], cases: int, only: set[str]) -> None:
        """A fresh clone's first `check`: with no index, and with one exported 20 commits earlier.

        The clone is made once (untimed); before each run its `.git/casefile/` is removed, which is
        what a fresh clone has.  "20 commits back": the index of a clone at the built state is exported,
        twenty `note` commits are made on top (what a desk adds between two scheduled runs), and the
        clone that times the check starts from that commit with the older index imported.
        """
        wanted = [label for label in (FRESH, IMPORT, RESTORED) if not only or label in only]
        if not wanted:
            return
        with tempfile.TemporaryDirectory(dir=self.root.parent) as folder:
            older, clone = Path(folder) / "older", Path(folder) / "clone"
            subprocess.run(["git", "clone", "-q", "--no-local", str(self.root), str(older)], check=True, env=self.env)
            env = {**self.env, "CASEFILE_REPO": str(older)}
            exported = Path(folder) / "index.gz"
            # As the CI examples do (examples/ci: import, `check`, export): the exported index holds the
            # rows `check` keeps, not only `list`'s (an export after `list` made the restored check evaluate
            # all 100,000 cases again: 6.4 s instead of ~1 s).
            for argv in (["check"], ["index", "export", str(exported)]):
                subprocess.run([sys.executable, "-m", "casefile", *argv], cwd=older, env=env, check=True,
                               capture_output=True)
            pool = self.manifest.open_pool
            for number in range(20):
                subprocess.run([sys.executable, "-m", "casefile", "note", pool[number % len(pool)], "-m",
                                f"Called the customer back ({number + 1}).", "--now",
                                (BENCH_NOW + timedelta(minutes=number + 1)).isoformat()],
                               cwd=older, env=env, check=True, capture_output=True)
            subprocess.run(["git", "clone", "-q", "--no-local", str(older), str(clone)], check=True, env=self.env)
            # The scheduled run after those twenty commits, half an hour on.
            env = {**self.env, "CASEFILE_REPO": str(clone), "CASEFILE_NOW": (BENCH_NOW + timedelta(minutes=30)).isoformat()}
            state = clone / ".git" / "casefile"
            for label in wanted:
                row = rows.setdefault(label, Row(label, {}, {}))
                row.load[cases] = os.getloadavg()[0]
                sys.stderr.write(f"  {cases:,} cases: {label} ...")
                sys.stderr.flush()
                started = time.monotonic()
                samples = []
                head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], env=self.env, check=True,
                                      capture_output=True, text=True).stdout.strip()
                for _ in range(max(1, self.cold_runs)):
                    subprocess.run(["git", "-C", str(clone), "reset", "-q", "--hard", head], env=self.env, check=True)
                    shutil.rmtree(state, ignore_errors=True)
                    if label != FRESH:
                        subprocess.run([sys.executable, "-m", "casefile", "index", "import", str(exported)],
                                       cwd=clone, env=env, check=label == RESTORED, capture_output=True)
                    argv = ["index", "import", str(exported)] if label == IMPORT else ["check"]
                    if label == IMPORT:
                        shutil.rmtree(state, ignore_errors=True)
                    samples.append(run_once(argv, env, clone))
                row.cells[cases] = (None, summarise(samples))
                sys.stderr.write(f" {time.monotonic() - started:.0f}s\n")


def open_count(cases: int) -> int:
    return max(5, round(cases * 0.05))


def availability(command: BenchCommand, include: set[str], only: set[str]) -> str | None:
    if only and command.label not in only:
        return "not timed in this run"
    if command.optional and command.label not in include | only:
        return "skipped (add --include '" + command.label + "')"
    if command.command is not None and command.command not in CASEFILE_COMMANDS:
        return "not available in this build"
    return None


def bench_size(cases: int, args: argparse.Namespace, rows: dict[str, Row]) -> Manifest:
    root = args.workdir / f"cases-{cases}"
    manifest = ensure_repository(root, cases, open_count(cases), args.rebuild)
    bench = Bench(root, manifest, args.runs, args.cold_runs)
    bench.reset()
    bench.catch_up()
    ordered = [c for c in COMMANDS if not c.changes] + [c for c in COMMANDS if c.changes]
    for command in ordered:
        row = rows.setdefault(command.label, Row(command.label, {}, {}))
        absent = availability(command, set(args.include), set(args.only))
        if absent:
            row.cells[cases] = absent
            continue
        sys.stderr.write(f"  {cases:,} cases: {command.label} ...")
        sys.stderr.flush()
        started = time.monotonic()
        row.load[cases] = os.getloadavg()[0]
        row.cells[cases] = bench.time(command)
        sys.stderr.write(f" {time.monotonic() - started:.0f}s\n")
    if availability(BenchCommand("check", ("check",)), set(), set()) is None:
        bench.fresh_clones(rows, cases, set(args.only))
    for label, count in bench.git_processes.items():
        rows[label].git[cases] = count
    return manifest


def _cell(summary: Summary | None) -> str:
    return summary.cell() if summary else "—"


def table(sizes: list[int], rows: dict[str, Row], manifests: dict[int, Manifest], args: argparse.Namespace) -> str:
    header = ["command"]
    for size in sizes:
        header += [f"{size:,}: cold ms", f"{size:,}: warm ms", f"{size:,}: warm CPU ms", f"{size:,}: peak MB",
                   f"{size:,}: git", f"{size:,}: load"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows.values():
        cells = [f"`{row.label}`"]
        for size in sizes:
            value = row.cells.get(size, "—")
            if isinstance(value, str):
                cells += [value, "", "", "", "", ""]
            else:
                cold, warm = value
                peak = max(s.peak_mb for s in (cold, warm) if s is not None and s.runs)
                cpu = f"{warm.median_cpu_ms:,.0f}" if warm is not None and warm.runs and not warm.failed else "—"
                git = str(row.git[size]) if size in row.git else "—"
                cells += [_cell(cold), _cell(warm), cpu, f"{peak:,.0f}", git, f"{row.load.get(size, 0.0):.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    facts = [
        f"Medians of {args.runs} warm runs (index in place) and {args.cold_runs} cold runs "
        "(`.git/casefile/index.sqlite` deleted before each); peak = largest resident size of any run; "
        "git = git processes one warm run starts (counted in an extra run); a fresh clone's rows are the "
        f"median of {max(1, args.cold_runs)} runs, each after removing the clone's `.git/casefile/`.",
    ]
    for size in sizes:
        m = manifests[size]
        opened = m.statuses.get("open", 0) + m.statuses.get("pending", 0)
        facts.append(f"{size:,} cases: {opened:,} open or pending; statuses {m.statuses}; "
                     f"repository built in {m.build_seconds:,.0f} s.")
        if m.caught_up:
            facts.append(f"{size:,} cases: the first `check` over the built history took {m.caught_up['seconds']:,} s "
                         f"and {m.caught_up['peak_mb']:,} MB ({m.caught_up['commit']}).")
    return "\n".join(lines) + "\n\n" + "\n".join(f"- {f}" for f in facts) + "\n"


def compile_catalogs(locale: Path) -> None:
    """Compile the message catalogs in place, as an installed copy has them (a checkout reads the `.po`
    with Babel otherwise, ~140 ms of every command that no installed copy pays)."""
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "compile", "-i", str(po),
                        "-o", str(po.with_suffix(".mo")), "-l", po.parts[-3]], check=True)


def machine() -> str:
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{git}, SQLite {sqlite3.sqlite_version}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, action="append", help="repository size (repeatable; default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per command (default 5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs without the index (default 3; 0: none, e.g. at 100,000 cases)")
    parser.add_argument("--include", action="append", default=[], help="also time this optional command")
    parser.add_argument("--only", action="append", default=[], metavar="LABEL",
                        help="time only this row (repeatable), e.g. --only 'search WORD'")
    parser.add_argument("--workdir", type=Path, default=HERE / "out", help="where repositories are built")
    parser.add_argument("--out", type=Path, help="write the table here too (default: WORKDIR/results.md)")
    parser.add_argument("--rebuild", action="store_true", help="build the repositories again")
    args = parser.parse_args()
    sizes = sorted(set(args.cases or [10_000]))
    args.workdir.mkdir(parents=True, exist_ok=True)
    import casefile

    package = Path(casefile.__file__).parent
    compileall.compile_dir(str(package), quiet=1)
    compile_catalogs(package / "locale")
    load_before = os.getloadavg()
    rows: dict[str, Row] = {}
    manifests = {size: bench_size(size, args, rows) for size in sizes}
    load_after = os.getloadavg()
    text = (f"## casefile benchmark\n\n{machine()}.\n"
            f"Load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
            f"(above ~0.5 means other work shared the cores).\n\n"
            + table(sizes, rows, manifests, args))
    out = args.out or args.workdir / "results.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
