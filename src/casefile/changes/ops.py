"""The steps of a change's life, pure: the request, each review, the start, the completion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from casefile.changes.model import FIELD_ORDER, ChangeStatus, Result, Verdict, approvals_of, needed_of
from casefile.errors import CasefileError
from casefile.records import yamlio
from casefile.records.change import Change
from casefile.records.fieldorder import set_in_order
from casefile.i18n import _


class ChangeRefused(CasefileError):
    pass


def new_change_data(ident: str, at: str, by: str, *, title: str, risk: str, why: str | None, plan: str,
                    backout: str, start: str, end: str, customers: Sequence[str], assets: Sequence[str],
                    problems: Sequence[str], incidents: Sequence[str], approvals: int, role: str) -> dict[str, Any]:
    """A new change: `approvals` > 0 when its risk needs the expert review (it is `planned` until approved)."""
    for what, value, hint in (("title", title, '--title "Upgrade the MPU firmware of SW-FT-01"'),
                              ("plan", plan, '--plan "Upgrade the standby MPU, switch over, ..."'),
                              ("backout plan", backout, '--backout "Boot the previous image"')):
        if not value or not value.strip():
            raise ChangeRefused(_("the change's {what} is empty").format(what=what), _("give it: {hint}").format(hint=hint))
    status = ChangeStatus.PLANNED if approvals else ChangeStatus.APPROVED
    words = f"Requested; needs {approvals} approvals of {role}" if approvals else "Requested; no review needed"
    return {
        "id": ident, "title": title.strip(), "status": str(status), "risk": risk, "why": (why or "").strip() or None,
        "plan": plan.strip(), "backout": backout.strip(), "window": yamlio.new_map({"start": start, "end": end}),
        "customers": yamlio.new_seq(list(customers)), "assets": yamlio.new_seq(list(assets)),
        "problems": yamlio.new_seq(list(problems)), "incidents": yamlio.new_seq(list(incidents)),
        "requested_by": by, "requested_at": at,
        "review": yamlio.new_map({"risk": risk, "approvals": approvals, "role": role}),
        "reviews": yamlio.new_seq([]), "started_at": None, "completed_at": None, "result": None,
        "events": yamlio.to_block([{"at": at, "by": by, "kind": "requested", "text": words}]),
    }


def _event(data: Any, at: str, by: str, kind: str, text: str | None = None,
           fields: Mapping[str, Any] | None = None) -> None:
    event: dict[str, Any] = {"at": at, "by": by, "kind": kind}
    if text:
        event["text"] = text
    if fields:
        event["fields"] = yamlio.to_block(dict(fields))
    yamlio.append_block(data["events"], yamlio.new_map(event))


def _status(data: Any) -> ChangeStatus:
    return ChangeStatus(str(data.get("status")))


def _set_status(data: Any, at: str, by: str, to: ChangeStatus, kind: str, text: str | None) -> None:
    before = str(data.get("status"))
    set_in_order(data, "status", str(to), FIELD_ORDER)
    _event(data, at, by, kind, text, {"status": {"from": before, "to": str(to)}})


def review(data: Any, at: str, by: str, verdict: Verdict, text: str | None) -> Change:
    """One reviewer's approval or rejection; enough approvals approve the change, one rejection stops it."""
    ident = data.get("id")
    if _status(data) is not ChangeStatus.PLANNED:
        raise ChangeRefused(_("{ident} is {get}; only a planned change is reviewed").format(ident=ident, get=data.get('status')),
                            _("`casefile rfc show {ident}` shows its reviews").format(ident=ident))
    if by == data.get("requested_by"):
        raise ChangeRefused(_("{by} requested {ident} and cannot review it").format(by=by, ident=ident), _("another expert reviews it"))
    if any(isinstance(r, Mapping) and r.get("by") == by for r in data.get("reviews") or []):
        raise ChangeRefused(_("{by} has reviewed {ident} already").format(by=by, ident=ident), _("each reviewer gives one verdict"))
    if verdict is Verdict.REJECT and not (text and text.strip()):
        raise ChangeRefused(_("say why the change is rejected"), _("-m \"No backout for the second MPU\""))
    entry = {"at": at, "by": by, "verdict": str(verdict)}
    if text and text.strip():
        entry["text"] = text.strip()
    if not isinstance(data.get("reviews"), list):
        set_in_order(data, "reviews", yamlio.new_seq([]), FIELD_ORDER)
    yamlio.append_block(data["reviews"], yamlio.new_map(entry))
    _event(data, at, by, "reviewed", f"{verdict}: {text.strip()}" if text and text.strip() else str(verdict))
    have, needed = len(set(approvals_of(data))), needed_of(data)
    if verdict is Verdict.REJECT:
        _set_status(data, at, by, ChangeStatus.REJECTED, "rejected", f"Rejected by {by}")
        return Change("rfc-review", f"rejected by {by}")
    if have >= needed:
        _set_status(data, at, by, ChangeStatus.APPROVED, "approved", f"Approved ({have} of {needed})")
        return Change("rfc-review", f"approved by {by}; approved ({have} of {needed})")
    return Change("rfc-review", f"approved by {by} ({have} of {needed})")


def start(data: Any, at: str, by: str, text: str | None) -> Change:
    ident, status = data.get("id"), _status(data)
    have, needed = len(set(approvals_of(data))), needed_of(data)
    rejected = any(isinstance(r, Mapping) and r.get("verdict") == Verdict.REJECT for r in data.get("reviews") or [])
    if status is ChangeStatus.PLANNED and have >= needed and not rejected:
        status = ChangeStatus.APPROVED  # approvals given on two clones, merged: each side saw one
    if status is ChangeStatus.PLANNED:
        raise ChangeRefused(_("{ident} is not approved: {have} of {needed} approvals of the expert review").format(ident=ident, have=have, needed=needed),
                            _("reviewers: casefile rfc review {ident} --approve").format(ident=ident))
    if status is not ChangeStatus.APPROVED:
        raise ChangeRefused(_("{ident} is {status}; only an approved change starts").format(ident=ident, status=status), _("`casefile rfc show {ident}`").format(ident=ident))
    set_in_order(data, "started_at", at, FIELD_ORDER)
    _set_status(data, at, by, ChangeStatus.IN_PROGRESS, "started", (text or "").strip() or "Started")
    return Change("rfc-start", "start")


def complete(data: Any, at: str, by: str, result: Result, text: str | None) -> Change:
    ident, status = data.get("id"), _status(data)
    if status is not ChangeStatus.IN_PROGRESS:
        raise ChangeRefused(_("{ident} is {status}; a change is completed once started").format(ident=ident, status=status), _("casefile rfc start {ident}").format(ident=ident))
    if not (text and text.strip()):
        raise ChangeRefused(_("the implementation report is empty"), _("-m \"Both MPUs on 17.9.4; switchover 40 s\""))
    set_in_order(data, "completed_at", at, FIELD_ORDER)
    set_in_order(data, "result", str(result), FIELD_ORDER)
    _set_status(data, at, by, ChangeStatus.COMPLETED, "completed", f"{result}: {text.strip()}")
    return Change("rfc-complete", f"complete ({result})")
