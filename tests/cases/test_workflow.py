"""The lifecycle rules as pure functions: no repository, no clock, values in and out."""

from __future__ import annotations

import pytest

from casefile.cases import ops as workflow
from casefile.cases.model import CaseDoc, NoteKind, Tier, WaitingOn, new_case_data
from casefile.cases.ops import WorkflowError

AT = "2026-11-02T09:00:00+08:00"


def fresh() -> CaseDoc:
    doc = CaseDoc(new_case_data({"id": "KMT-00001", "title": "Printer", "type": "incident", "level": "C",
                                 "status": "open", "opened_at": AT}))
    doc.add_event(AT, "wang.fang", "opened")
    return doc


def test_every_status_level_and_assignment_change_is_in_the_log() -> None:
    doc = fresh()
    workflow.assign(doc, AT, "wang.fang", "li.na", Tier.L2)
    workflow.change_fields(doc, AT, "li.na", {"level": "B"}, "whole floor")
    workflow.pend(doc, AT, "li.na", "password", WaitingOn.CUSTOMER)
    workflow.resume(doc, "2026-11-02T10:00:00+08:00", "li.na", None)
    workflow.resolve(doc, "2026-11-02T11:00:00+08:00", "li.na", "done")
    workflow.close(doc, "2026-11-02T12:00:00+08:00", "wang.fang", "Zhang Wei")
    workflow.reopen(doc, "2026-11-02T13:00:00+08:00", "wang.fang", "back")
    fields = [e.get("fields") or {} for e in doc.events]
    assert fields[1] == {"assignee": {"from": None, "to": "li.na"}, "tier": {"from": None, "to": "L2"}}
    assert fields[2] == {"level": {"from": "C", "to": "B"}}
    statuses = [f["status"] for f in fields if "status" in f]
    assert statuses == [{"from": "open", "to": "pending"}, {"from": "pending", "to": "open"},
                        {"from": "open", "to": "resolved"}, {"from": "resolved", "to": "closed"},
                        {"from": "closed", "to": "open"}]
    assert doc.get("pauses")[0]["until"] == "2026-11-02T10:00:00+08:00"
    assert doc.get("closed_at") is None and doc.get("resolved_at") is None  # reopened


def test_resolving_or_closing_a_pending_case_ends_its_pause() -> None:
    doc = fresh()
    workflow.pend(doc, AT, "li.na", "vendor part", WaitingOn.VENDOR)
    workflow.close(doc, "2026-11-02T10:00:00+08:00", "li.na", "Zhang Wei", "customer asked", early=True)
    assert doc.open_pause() is None
    assert doc.events[-1]["fields"]["early"] is True


@pytest.mark.parametrize("step, message", [
    (lambda d: workflow.resume(d, AT, "x", None), "not pending"),
    (lambda d: workflow.reopen(d, AT, "x", "why"), "only resolved or closed"),
    (lambda d: workflow.close(d, AT, "x", "Zhang Wei"), "not resolved"),
    (lambda d: workflow.close(d, AT, "x", " "), "confirmation"),
    (lambda d: workflow.respond(d, AT, "x", ""), "the response is empty"),
    (lambda d: workflow.note(d, AT, "x", "x", NoteKind.REMOTE), "authorisation"),
    (lambda d: workflow.note(d, AT, "x", "x", NoteKind.CALL, arrived_at=AT), "for on-site visits"),
    (lambda d: workflow.change_fields(d, AT, "x", {"level": "C"}, None), "nothing to change"),
    (lambda d: workflow.assign(d, AT, "x", "li.na", None) and workflow.assign(d, AT, "x", "li.na", None),
     "already assigned"),
])
def test_refused_steps_change_nothing(step, message: str) -> None:  # type: ignore[no-untyped-def]
    doc = fresh()
    events_before = len(doc.events) if "already" not in message else len(doc.events) + 1
    with pytest.raises(WorkflowError, match=message):
        step(doc)
    assert len(doc.events) == events_before
