"""`casefile report explain-score`: the written explanation a score under 8 needs (seed 002).

One commit adds the explanation to `reports/YYYY-MM/explanations/HANDLE.md`
(`Casefile-Action: explain-score`); the engineers report of that month shows
the latest explanation of each score beside it and stops flagging the score.
Anyone may write it (the engineer, or the supervisor after talking to them);
the commit's author is who did.
"""

from __future__ import annotations


from casefile.cases.model import CaseDoc
from casefile.errors import CasefileError
from casefile.policy.people import check_handle
from casefile.records.change import Change
from casefile.records.file import EditableRecord
from casefile.records.kinds import REPORTS
from casefile.records.yamlio import append_block, new_map
from casefile.reports.kinds.engineers import SCORE_KEYS
from casefile.reports.period import month_period
from casefile.reports.records import EXPLANATIONS_KIND, explanations_path
from casefile.session import Edit, Session
from casefile.i18n import _
from casefile.values import Struct


class Explained(Struct, frozen=True):
    path: str
    commit: str
    subject: str


def explain_score(session: Session, engineer: str, month: str, score: str, text: str | None) -> Explained:
    period = month_period(month, session.policy.zone)
    month = period.month or month
    session.people.get(check_handle(engineer))
    if score not in SCORE_KEYS:
        raise CasefileError(_("{score!r} is not a score").format(score=score), _("use one of: {names}").format(names=', '.join(SCORE_KEYS)))
    if not text or not text.strip():
        raise CasefileError(_("the explanation is empty"), _("write it with -m TEXT"))
    path = explanations_path(month, engineer)

    def explain(edit: Edit) -> Change:
        doc = CaseDoc(edit.data)
        if doc.data.get("explanations") is None:
            doc.set("explanations", [])
        append_block(doc.data["explanations"],
                     new_map({"score": score, "text": text.strip(), "by": edit.by, "at": edit.at}))
        return Change("explain-score", f"explain the {score} score of {month}", scope=engineer)

    fresh = EditableRecord.new(path, {"kind": EXPLANATIONS_KIND, "month": month, "engineer": engineer,
                                      "explanations": []}, "")
    done = session.change(REPORTS, REPORTS.id_of(path), explain, fresh=fresh)
    return Explained(path, done.commit, done.subject)
