"""One complaint per survey, whatever was merged (issue 13).

A dissatisfied answer opens one complaint case, and the survey then names it
(`complaint:`), so a second answer never opens another — on one clone.  Two
clones that record the same survey's answers offline each open their own
complaint; the record merge driver keeps one survey (the later answer), but
both complaint cases arrive.  The customer complained once.

So after a merge (`casefile sync` does this itself; after a merge by hand,
`casefile doctor`) the complaints that name the same survey are settled: the
first opened stays the complaint, every later one is linked as its duplicate
(`duplicate-of`, closed as a duplicate if it was still open, which takes it out
of every figure and stops its ladder), with a `merged` event on both cases
saying why, and the survey names the first.  Each survey is one commit; a
second run finds nothing to do.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from casefile.cases.links import LinkRel, add_link, counted_with, linked
from casefile.cases.linking import close_as_duplicate
from casefile.cases.model import CaseDoc, CaseType, Status
from casefile.errors import NotFound
from casefile.index.catalog import RecordView
from casefile.merge.events import instant
from casefile.merge.record import MERGE_ACTOR, MERGE_KIND
from casefile.records.change import Change
from casefile.records.kinds import CASES, SURVEYS
from casefile.records.numbers import CaseNotFound
from casefile.session import Edit, Session
from casefile.values import Struct


def _row(data: dict[str, Any], _body: str) -> dict[str, Any]:
    surveys = linked(data, LinkRel.SURVEY)
    return {
        "id": str(data.get("id") or ""),
        "type": str(data.get("type") or ""),
        "survey": surveys[0] if surveys else None,
        "opened_at": str(data.get("opened_at") or ""),
        "status": str(data.get("status") or ""),
        "counted_with": counted_with(data),
    }


COMPLAINT_VIEW = RecordView("complaint-survey/1", _row)  # raise the number when `_row` changes


class Settled(Struct, frozen=True):
    """A survey that had opened more than one complaint, and what became of them."""

    survey: str
    kept: str
    duplicates: tuple[str, ...]
    commit: str

    def line(self) -> str:
        return (f"{self.survey} had opened {len(self.duplicates) + 1} complaints: kept {self.kept}, "
                f"linked {', '.join(self.duplicates)} as its duplicate (one complaint per survey)")


def _complaints_by_survey(session: Session) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    found: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    rows = session.catalog.rows(CASES.folder, COMPLAINT_VIEW, lambda _error: None, contains=(str(CaseType.COMPLAINT),))
    for path, row in rows:
        if row.get("type") == CaseType.COMPLAINT and row.get("survey"):
            found[str(row["survey"])].append((path, row))
    return found


def _first(group: list[tuple[str, dict[str, Any]]]) -> tuple[str, dict[str, Any]]:
    """The complaint opened first (then the lower number): the one the customer's answer opened."""
    return min(group, key=lambda item: (instant(item[1]["opened_at"]) is None,
                                        instant(item[1]["opened_at"]) or 0, item[1]["id"]))


def settle_complaints(session: Session) -> list[Settled]:
    """Link every later complaint of a survey as the first one's duplicate; one commit per survey."""
    settled = []
    for survey, group in sorted(_complaints_by_survey(session).items()):
        if len(group) < 2:
            continue
        first_path, first = _first(group)
        later = [(path, row) for path, row in sorted(group, key=lambda item: item[1]["id"])
                 if row["id"] != first["id"] and row.get("counted_with") != first["id"]]
        if later:
            settled.append(_settle(session, survey, first_path, str(first["id"]), later))
    return settled


def _settle(session: Session, survey: str, first_path: str, first_id: str,
            later: list[tuple[str, dict[str, Any]]]) -> Settled:
    duplicates = tuple(str(row["id"]) for _path, row in later)
    lead_path, lead = later[0]

    def op(edit: Edit) -> Change:
        stamp, by = edit.at, MERGE_ACTOR
        _make_duplicate(CaseDoc(edit.record.data, edit.record.body), stamp, survey, first_id)
        for path, row in later[1:]:
            edit.also(CASES, path, lambda record: _make_duplicate(CaseDoc(record.data, record.body), stamp,
                                                                    survey, first_id), CaseNotFound(str(row["id"])))

        def keep(record: Any) -> None:
            doc = CaseDoc(record.data, record.body)
            for duplicate in duplicates:
                if duplicate not in linked(doc.data, LinkRel.DUPLICATE):
                    add_link(doc, LinkRel.DUPLICATE, duplicate)
            doc.add_event(stamp, by, MERGE_KIND,
                          f"Survey {survey} had also opened {', '.join(duplicates)} on another clone; "
                          f"this case stays the complaint (one complaint per survey).",
                          {"survey": survey, "duplicates": list(duplicates)})

        edit.also(CASES, first_path, keep, CaseNotFound(first_id))
        survey_path = SURVEYS.find(session.root, survey)
        if survey_path is not None:
            def name_first(record: Any) -> None:
                if record.data.get("complaint") != first_id:
                    record.data["complaint"] = first_id

            edit.also(SURVEYS, survey_path, name_first, NotFound(f"no survey {survey}"))
        trailers = (("Casefile-Survey", survey), ("Casefile-Complaint", first_id),
                    *(("Casefile-Case", d) for d in duplicates[1:]))
        return Change("merge", f"duplicate of {first_id}, the complaint survey {survey} opened first",
                      trailers, ())

    done = session.change(CASES, str(lead["id"]), op, path=lead_path, missing=CaseNotFound(str(lead["id"])))
    return Settled(survey, first_id, duplicates, done.commit)


def _make_duplicate(doc: CaseDoc, stamp: str, survey: str, first_id: str) -> None:
    doc.add_event(stamp, MERGE_ACTOR, MERGE_KIND,
                  f"Survey {survey} opened this complaint and {first_id} on two clones; the customer complained "
                  f"once, so this one is the duplicate of {first_id} (one complaint per survey).",
                  {"survey": survey, "duplicate_of": first_id})
    if doc.data.get("status") == Status.CLOSED:
        if first_id not in linked(doc.data, LinkRel.DUPLICATE_OF):
            add_link(doc, LinkRel.DUPLICATE_OF, first_id)
        return
    close_as_duplicate(doc, stamp, MERGE_ACTOR, first_id,
                       f"Closed as the duplicate of {first_id}: the same survey answer ({survey}).")

