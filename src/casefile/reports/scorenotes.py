"""`casefile report explain-score`: the written explanation a score under 8 needs (seed 002).

One commit adds the explanation to `reports/YYYY-MM/explanations/HANDLE.md`
(`Casefile-Action: explain-score`); the engineers report of that month shows
the latest explanation of each score beside it and stops flagging the score.
Anyone may write it (the engineer, or the supervisor after talking to them);
the commit's author is who did.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefile.cases.model import CaseDoc
from casefile.desk import Desk
from casefile.errors import CasefileError
from casefile.policy.people import check_handle
from casefile.records.file import EditableRecord
from casefile.reports.period import month_period
from casefile.reports.records import EXPLANATIONS_KIND, explanations_path
from casefile.reports.kinds.engineers import SCORE_KEYS
from casefile.records.transaction import Transaction
from casefile.records.yamlio import append_block, new_map


@dataclass(frozen=True)
class Explained:
    path: str
    commit: str
    subject: str


def explain_score(desk: Desk, engineer: str, month: str, score: str, text: str | None) -> Explained:
    period = month_period(month, desk.policy.zone)
    month = period.month or month
    desk.people.get(check_handle(engineer))
    if score not in SCORE_KEYS:
        raise CasefileError(f"{score!r} is not a score", f"use one of: {', '.join(SCORE_KEYS)}")
    if not text or not text.strip():
        raise CasefileError("the explanation is empty", "write it with -m TEXT")
    actor = desk.actor
    path = explanations_path(month, engineer)

    def change(txn: Transaction) -> Explained:
        committed = txn.committed(path)
        record = (EditableRecord.parse(committed.decode("utf-8"), path) if committed is not None
                  else EditableRecord.new(path, {"kind": EXPLANATIONS_KIND, "month": month, "engineer": engineer,
                                                 "explanations": []}, ""))
        now = desk.now()
        doc = CaseDoc(record.data)
        if doc.data.get("explanations") is None:
            doc.set("explanations", [])
        append_block(doc.data["explanations"],
                     new_map({"score": score, "text": text.strip(), "by": actor.handle, "at": desk.stamp(now)}))
        txn.write(path, record.render())
        subject = f"{engineer}: explain the {score} score of {month}"
        message = f"{subject}\n\nCasefile-Action: explain-score\nCasefile-Report: engineers/{month}\n"
        return Explained(path, txn.commit(message, desk.author(actor), now), subject)

    return desk.mutate(change)
