"""`casefile report monthly --issue`: commit the bulletin as issued, so issuing is audited.

The bulletin of a month is issued once the month is over: its record
`reports/YYYY-MM/monthly.md` (see `reportrecords`) gets `status: issued`, who
and when, and the bulletin's Markdown as its body, in one commit
(`Casefile-Action: issue-bulletin`).  A corrected bulletin needs `--reissue`
and is one more commit with a `reissued` event, so the history keeps both.
`casefile check` stops reminding once the record says issued.
"""

from __future__ import annotations

from collections.abc import Callable

from casefile.cases.model import CaseDoc
from casefile.errors import CasefileError
from casefile.records.change import Change
from casefile.records.file import EditableRecord
from casefile.records.kinds import REPORTS
from casefile.reports.kinds.monthly import Bulletin
from casefile.reports.model import Report
from casefile.reports.records import Issue, bulletin_path, issue_of, new_bulletin_record
from casefile.session import Edit, Session
from casefile.i18n import N_, _
from casefile.said import Said
from casefile.values import Struct, replace


class Issued(Struct, frozen=True):
    report: Report  # the bulletin as issued (it says so)
    path: str
    commit: str
    reissued: bool


def issue_bulletin(session: Session, report: Report, lang: str, reissue: bool, render: Callable[[Report], str]) -> Issued:
    """Record `report` (a whole month's bulletin) as issued now by the person acting."""
    head, body = report.header, report.body
    month = head.period.month
    if not isinstance(body, Bulletin) or month is None or head.customer is not None:
        raise CasefileError(_("only a whole month's bulletin for every customer can be issued"),
                            _("drop --from/--to and --customer: casefile report monthly --month 2026-11 --issue"))
    now = session.now()
    if now < head.period.end:
        raise CasefileError(_("{month} is not over yet; its bulletin covers the whole month").format(month=month),
                            _("issue it from {end:%Y-%m-%d} on").format(end=head.period.end))
    path = bulletin_path(month)
    issued: list[Issued] = []

    def issue(edit: Edit) -> Change:
        record = edit.record
        earlier = issue_of(path, record.data)
        if earlier is not None and not reissue:
            raise CasefileError(
                _("the bulletin for {month} was issued at {stamp} by {issued_by}").format(month=month, stamp=session.stamp(earlier.issued_at), issued_by=earlier.issued_by),
                _("add --reissue to issue a corrected one; the history keeps both"),
            )
        report_now = replace(report, body=replace(body, issued=Issue(edit.when, edit.by, path)))
        doc = CaseDoc(record.data)
        for key, value in (("status", "issued"), ("due_on", body.due_on.isoformat() if body.due_on else None),
                           ("issued_at", edit.at), ("issued_by", edit.by), ("lang", lang),
                           ("cases", body.totals.received)):
            doc.set(key, value)
        kind = "reissued" if earlier is not None else "issued"
        late = body.due_on is not None and edit.when.date() > body.due_on
        doc.add_event(edit.at, edit.by, kind, Said.of(N_("{count} cases, late") if late else N_("{count} cases"),
                                                      count=body.totals.received))
        record.body = render(report_now)
        issued.append(Issued(report_now, path, "", earlier is not None))
        return Change("issue-bulletin", f"{'reissue' if earlier else 'issue'} the monthly bulletin for {month}",
                      scope=REPORTS.folder)

    fresh = EditableRecord.new(path, new_bulletin_record(month, None), "")
    done = session.change(REPORTS, REPORTS.id_of(path), issue, fresh=fresh)
    return replace(issued[0], commit=done.commit)
