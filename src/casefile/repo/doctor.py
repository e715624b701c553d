"""`casefile doctor`: put a clone right after a crash, a kill or a power cut.

* git lock files (`index.lock`, `HEAD.lock`, `refs/heads/main.lock`, ...) that
  a killed git process left behind block every write; the doctor removes the
  ones older than `STALE_AFTER` while no git process works in the repository
  (a younger one, or one while git runs, may be in use: it is named, not
  touched);
* a casefile command cut off after its commit is finished (the journal);
* `git gc --auto` packs loose objects when git thinks it is time;
* after a merge made by hand (`git merge`, `git pull`), a survey that opened two
  complaints keeps the first (`Desk.doctor` settles them, `surveys/onecomplaint`).
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from casefile.records import transaction as store
from casefile.records.journal import pending_repair
from casefile.session import Session
from casefile.values import Struct, field

STALE_AFTER = timedelta(minutes=1)


class DoctorReport(Struct):
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    gc: str = ""
    complaints: list[str] = field(default_factory=list)  # surveys whose later complaints became duplicates

    def lines(self) -> list[str]:
        lines = [f"removed stale lock {path}" for path in self.removed]
        lines += [f"kept {path}: {why}" for path, why in (item.split("\t", 1) for item in self.kept)]
        lines += self.finished
        lines += self.complaints
        lines.append(self.gc)
        if not self.removed and not self.kept and not self.finished:
            lines.insert(0, "no stale locks, no interrupted command")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {"removed": self.removed, "kept": [item.split("\t", 1)[0] for item in self.kept],
                "finished": self.finished, "gc": self.gc, "complaints": self.complaints}


def doctor(session: Session) -> DoctorReport:
    repo = session.repo
    report = DoctorReport()
    busy = repo.git_processes()
    now = time.time()
    for lock in repo.lock_files():
        age = now - _mtime(lock)
        if busy:
            report.kept.append(f"{lock}\tgit is running here (process {', '.join(map(str, busy))})")
        elif age < STALE_AFTER.total_seconds():
            report.kept.append(f"{lock}\tonly {age:.0f} s old; a git command may be using it, run doctor again later")
        else:
            lock.unlink(missing_ok=True)
            report.removed.append(str(lock))
    with store.write_lock(session.state_dir):
        if pending_repair(session.state_dir):
            note = store.repair(repo, session.state_dir)
            if note:
                report.finished.append(note)
    if not busy and not report.kept:
        repo.run("gc", "--auto", "--quiet")
        report.gc = "ran git gc --auto"
    else:
        report.gc = "git gc --auto not run: a lock is still held"
    return report


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()
