"""`casefile report monthly --issue`: commit the bulletin as issued, so issuing is audited.

The bulletin of a month is issued once the month is over: its record
`reports/YYYY-MM/monthly.md` (see `reportrecords`) gets `status: issued`, who
and when, and the bulletin's Markdown as its body, in one commit
(`Casefile-Action: issue-bulletin`).  A corrected bulletin needs `--reissue`
and is one more commit with a `reissued` event, so the history keeps both.
`casefile check` stops reminding once the record says issued.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from casefile.reports.kinds.monthly import Bulletin, Issue
from casefile.cases.model import CaseDoc
from casefile.desk import Desk
from casefile.errors import CasefileError
from casefile.records.file import EditableRecord
from casefile.reports.model import Report
from casefile.reports.records import bulletin_path, issue_of, new_bulletin_record
from casefile.records.transaction import Transaction


@dataclass(frozen=True)
class Issued:
    report: Report  # the bulletin as issued (it says so)
    path: str
    commit: str
    reissued: bool


def issue_bulletin(desk: Desk, report: Report, lang: str, reissue: bool, render: Callable[[Report], str]) -> Issued:
    """Record `report` (a whole month's bulletin) as issued now by the person acting."""
    head, body = report.header, report.body
    month = head.period.month
    if not isinstance(body, Bulletin) or month is None or head.customer is not None:
        raise CasefileError("only a whole month's bulletin for every customer can be issued",
                            "drop --from/--to and --customer: casefile report monthly --month 2026-11 --issue")
    now = desk.now()
    if now < head.period.end:
        raise CasefileError(f"{month} is not over yet; its bulletin covers the whole month",
                            f"issue it from {head.period.end:%Y-%m-%d} on")
    actor = desk.actor
    path = bulletin_path(month)

    def change(txn: Transaction) -> Issued:
        committed = txn.committed(path)
        record = (EditableRecord.parse(committed.decode("utf-8"), path) if committed is not None
                  else EditableRecord.new(path, new_bulletin_record(month, None), ""))
        earlier = issue_of(path, record.data)
        if earlier is not None and not reissue:
            raise CasefileError(
                f"the bulletin for {month} was issued at {desk.stamp(earlier.issued_at)} by {earlier.issued_by}",
                "add --reissue to issue a corrected one; the history keeps both",
            )
        issued = dataclasses.replace(report, body=dataclasses.replace(body, issued=Issue(now, actor.handle, path)))
        stamp = desk.stamp(now)
        doc = CaseDoc(record.data)
        for key, value in (("status", "issued"), ("due_on", body.due_on.isoformat() if body.due_on else None),
                           ("issued_at", stamp), ("issued_by", actor.handle), ("lang", lang),
                           ("cases", body.totals.received)):
            doc.set(key, value)
        kind = "reissued" if earlier is not None else "issued"
        late = body.due_on is not None and now.date() > body.due_on
        doc.add_event(stamp, actor.handle, kind, f"{body.totals.received} cases" + (", late" if late else ""))
        record.body = render(issued)
        txn.write(path, record.render())
        subject = f"reports: {'reissue' if earlier else 'issue'} the monthly bulletin for {month}"
        message = f"{subject}\n\nCasefile-Action: issue-bulletin\nCasefile-Report: monthly/{month}\n"
        commit = txn.commit(message, desk.author(actor), now)
        return Issued(issued, path, commit, earlier is not None)

    return desk.mutate(change)
