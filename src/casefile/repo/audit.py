"""`casefile audit`: replay the history and name every commit that rewrote an activity log.

The server hook refuses such a push (`team.hook`); a repository that never had
the hook — a desk on a plain file share, or history from before it was
installed — is checked here, commit by commit, with the same rule
(`records.auditlog`).
"""

from __future__ import annotations

from typing import Any

from casefile.errors import NotFound
from casefile.records.auditlog import Rewrite, history_rewrites
from casefile.session import Session
from casefile.i18n import _
from casefile.values import Struct, field


class AuditReport(Struct):
    since: str | None
    commits: int
    rewrites: list[Rewrite] = field(default_factory=list)

    def lines(self) -> list[str]:
        scope = f"since {self.since}" if self.since else "in the whole history"
        if not self.rewrites:
            return [f"audit: {self.commits} commit(s) {scope}; every activity log only grew"]
        head = f"audit: {len(self.rewrites)} rewrite(s) of activity logs in {self.commits} commit(s) {scope}:"
        return [head, *(f"  {r}" for r in self.rewrites),
                "  (`git show COMMIT -- PATH` shows each; the history is kept as it is, never rewritten)"]

    def as_json(self) -> dict[str, Any]:
        return {"since": self.since, "commits": self.commits, "rewrites": [r.as_json() for r in self.rewrites]}


def audit(session: Session, since: str | None = None) -> AuditReport:
    repo = session.repo
    head = repo.resolve("HEAD")
    if head is None:
        return AuditReport(since, 0)
    revs = [head]
    if since:
        base = repo.resolve(since)
        if base is None:
            raise NotFound(_("no revision {since!r} in this clone").format(since=since), _("give a commit, tag or branch: --since v1.0"))
        revs = [f"{base}..{head}"]
    commits = repo.count_commits(revs[0])
    return AuditReport(since, commits, history_rewrites(repo, revs))
