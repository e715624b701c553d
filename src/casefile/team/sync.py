"""`casefile sync`: this clone and the shared remote end up with each other's work.

1. Take the write lock (no casefile command writes meanwhile), finish a
   command that was cut off, and refuse uncommitted hand edits (commit them
   first — a sync never sweeps them into a merge).
2. Make sure the record merge driver is configured for this clone.
3. Fetch the branch and the remote's station registrations.
4. Settle the station: register one claimed offline; if another clone's claim
   of the same code reached the remote first, renumber this clone's
   unpublished cases in a new commit (`stationsync`).
5. Integrate: fast-forward, or merge with the record merge driver — never a
   rebase, never rewritten history.  The merged records are validated before
   the merge commit is made; a conflict casefile cannot settle (a file that is
   not a record) stops the sync with the merge undone and says what to do.
   After the merge, a survey answered on both sides that opened two complaints
   keeps the first; the later is linked as its duplicate (`surveys/onecomplaint`).
6. Push, never forced.  If the remote moved meanwhile (someone pushed between
   our fetch and our push; or both pushes reached it together and ours lost the
   ref lock, `cannot lock ref ... is at X but expected Y`), go back to 3, up to `ATTEMPTS` times.  If the
   remote refuses the push (a server hook) or cannot be reached, stop with
   exit 7 and say so: every local commit stays here, the next sync sends it.
"""

from __future__ import annotations

from typing import Any

from casefile.errors import Busy, CasefileError, Invalid, RemoteFailed
from casefile.git.process import GitFailed
from casefile.git.remote import PushStatus, Unreachable, fetch, push
from casefile.git.repo import assert_writable
from casefile.records import transaction as store
from casefile.records.change import CommitMessage
from casefile.repo.init import configure_merge_driver
from casefile.repo.validate import validate_staged
from casefile.session import Session
from casefile.surveys.onecomplaint import settle_complaints
from casefile.team.setup import who_acts
from casefile.team.stations import (
    Registration,
    StationStatus,
    check_station,
    register,
    renumber_lost_station,
    station_refspec,
)
from casefile.i18n import _
from casefile.values import Struct, field

ATTEMPTS = 5


class MergeStopped(CasefileError):
    pass


class SyncReport(Struct):
    remote: str
    branch: str
    received: int = 0
    sent: int = 0
    merged: list[str] = field(default_factory=list)  # records changed on both sides
    merge_commit: str | None = None
    notes: list[str] = field(default_factory=list)
    attempts: int = 0

    def lines(self) -> list[str]:
        parts = [f"received {self.received} commit(s)"]
        if self.merged:
            parts.append(f"merged {len(self.merged)} record(s) changed on both sides")
        parts.append(f"sent {self.sent} commit(s)")
        return [f"synced with {self.remote}/{self.branch}: " + ", ".join(parts), *(f"  {n}" for n in self.notes)]

    def as_json(self) -> dict[str, Any]:
        return {"remote": self.remote, "branch": self.branch, "received": self.received, "sent": self.sent,
                "merged": self.merged, "merge_commit": self.merge_commit, "notes": self.notes,
                "attempts": self.attempts}


class Sync:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.repo = session.repo
        self.author, self.actor_handle = who_acts(session)

    def run(self) -> SyncReport:
        repo = self.repo
        remote = repo.default_remote()
        if remote is None:
            raise CasefileError(_("this clone has no remote to sync with"), _("add one: git remote add origin URL"))
        with store.write_lock(self.session.state_dir):
            note = store.repair(repo, self.session.state_dir)
            branch = assert_writable(repo).removeprefix("refs/heads/")
            _refuse_uncommitted(repo.uncommitted())
            configure_merge_driver(repo)
            report = SyncReport(remote, self._upstream(branch))
            if note:
                report.notes.append(note)
            for attempt in range(1, ATTEMPTS + 1):
                report.attempts = attempt
                if self._round(report, branch):
                    self._remember_upstream(branch, report)
                    return report
        raise Busy(_("{remote} kept moving: {ATTEMPTS} pushes in a row found new commits there").format(remote=remote, ATTEMPTS=ATTEMPTS),
                   _("your work is committed here; run casefile sync again in a moment"))

    # -- one round: fetch, settle the station, integrate, push --------------------------

    def _round(self, report: SyncReport, branch: str) -> bool:
        tracking = f"refs/remotes/{report.remote}/{report.branch}"
        try:
            fetch(self.repo, report.remote, [f"+refs/heads/*:refs/remotes/{report.remote}/*",
                                             station_refspec(report.remote)])
        except Unreachable as error:
            raise self._kept(_("could not fetch from {remote}: {reason}").format(remote=report.remote, reason=error.reason), tracking) from None
        remote_tip = self.repo.resolve(tracking)
        self._settle_station(report, remote_tip)
        head = self.repo.resolve("HEAD")
        if remote_tip and head and head != remote_tip:
            report.received += self.repo.count_commits(f"{head}..{remote_tip}")
        self._integrate(report, remote_tip)
        head = self.repo.resolve("HEAD")
        if head is None or head == remote_tip:
            return True
        ahead = self.repo.count_commits(f"{remote_tip}..{head}" if remote_tip else head)
        try:
            outcome = push(self.repo, report.remote, [f"refs/heads/{branch}:refs/heads/{report.branch}"])
        except Unreachable as error:
            raise self._kept(_("could not push to {remote}: {reason}").format(remote=report.remote, reason=error.reason), tracking) from None
        if outcome.status is PushStatus.BEHIND:
            return False
        if outcome.status is PushStatus.REFUSED:
            raise self._kept(_("{remote} refused the push: {one_line}").format(remote=report.remote, one_line=_one_line(outcome.detail)), tracking)
        report.sent += ahead
        return True

    def _kept(self, what: str, tracking: str) -> RemoteFailed:
        remote_tip = self.repo.resolve(tracking)
        head = self.repo.resolve("HEAD")
        ahead = self.repo.count_commits(f"{remote_tip}..{head}" if remote_tip else head) if head else 0
        return RemoteFailed(
            what,
            f"nothing here is lost: {ahead} commit(s) not yet on the remote are kept in this clone; "
            "run casefile sync again once that is fixed",
        )

    def _settle_station(self, report: SyncReport, remote_tip: str | None) -> None:
        check = check_station(self.session, report.remote, remote_tip)
        taken = check.status is StationStatus.TAKEN
        if check.status is StationStatus.UNREGISTERED:
            done = register(self.session, report.remote, self.author)
            if done is Registration.UNREACHABLE:
                raise self._kept(_("could not register station {station} on {remote}").format(station=check.station, remote=report.remote),
                                 "refs/remotes/{remote}/{branch}".format(remote=report.remote, branch=report.branch))
            if done is Registration.REGISTERED:
                report.notes.append(_("registered station {station} on {remote}").format(station=check.station, remote=report.remote))
            elif done is Registration.REFUSED:
                report.notes.append(_("{remote} does not take station registrations (refs/casefile/*); station {station} stands by its record in the branch").format(remote=report.remote, station=check.station))
            taken = done is Registration.TAKEN
        if taken:
            renumbered = renumber_lost_station(self.session, remote_tip, self.actor_handle, self.author)
            report.notes.append(renumbered.summary())

    def _integrate(self, report: SyncReport, remote_tip: str | None) -> None:
        repo = self.repo
        head = repo.resolve("HEAD")
        if remote_tip is None or head == remote_tip or (head and repo.is_ancestor(remote_tip, head)):
            return
        try:
            if head is None or repo.is_ancestor(head, remote_tip):
                repo.fast_forward(remote_tip)
                return
            base = repo.merge_base(head, remote_tip)
            both = _both_changed(repo.changed_paths(base, head), repo.changed_paths(base, remote_tip))
            when = self.session.now()
            message = _merge_message(report, repo.count_commits(f"{head}..{remote_tip}"), both)
            conflicts = repo.merge(remote_tip, message, self.author, when)
        except GitFailed as error:
            raise MergeStopped(_("git would not merge {remote}/{branch}: {error}").format(remote=report.remote, branch=report.branch, error=error),
                               _("nothing was changed here; fix that and run casefile sync again")) from None
        if conflicts:
            repo.abort_merge()
            raise MergeStopped(
                _("{names} changed on both sides and casefile cannot settle it (not a record)").format(names=', '.join(conflicts)),
                _("nothing was changed here; merge by hand: git merge {remote}/{branch}, resolve, git commit, then casefile sync").format(remote=report.remote, branch=report.branch),
            )
        findings = validate_staged(repo)
        if findings:
            repo.abort_merge()
            raise Invalid(_("the merged records do not validate: {value}").format(value=findings[0]),
                          _("nothing was changed here; fix the record on either side, then casefile sync"))
        report.merge_commit = repo.commit_merge(message, self.author, when)
        report.merged = both
        self._one_complaint_per_survey(report)

    def _one_complaint_per_survey(self, report: SyncReport) -> None:
        """Both sides answered one survey and each opened a complaint: the later is the first's duplicate
        (a commit of its own after the merge, pushed with it)."""
        self.session.catalog.forget()
        for settled in settle_complaints(self.session):
            report.notes.append(settled.line())

    # -- the upstream branch ----------------------------------------------------------

    def _upstream(self, branch: str) -> str:
        merge = self.repo.config(f"branch.{branch}.merge")
        return merge.removeprefix("refs/heads/") if merge else branch

    def _remember_upstream(self, branch: str, report: SyncReport) -> None:
        if self.repo.config(f"branch.{branch}.remote") is None:
            self.repo.set_config(f"branch.{branch}.remote", report.remote)
            self.repo.set_config(f"branch.{branch}.merge", f"refs/heads/{report.branch}")


def _refuse_uncommitted(paths: list[str]) -> None:
    if paths:
        more = f" (and {len(paths) - 1} more)" if paths[1:] else ""
        raise CasefileError(
            _("{value} has changes that are not committed{more}").format(value=paths[0], more=more),
            _("commit them (or discard them with git checkout) first; sync never merges uncommitted edits"),
        )


def _both_changed(ours: list[tuple[str, str]], theirs: list[tuple[str, str]]) -> list[str]:
    mine = {path for _status, path in ours}
    return sorted(path for _status, path in theirs if path in mine)


def _merge_message(report: SyncReport, count: int, both: list[str]) -> str:
    detail = "\n".join(["Changed on both sides, merged by the record rules (see each record's 'merged' event):",
                        *(f"  {path}" for path in both)]) if both else None
    return CommitMessage(f"Sync: merge {count} commit(s) from {report.remote}/{report.branch}", "sync",
                         detail=detail).text()


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "; ".join(lines) if lines else "no reason given"
