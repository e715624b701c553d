"""What a change (变更, a request for change — RFC) is: planned work on customers' systems, reviewed first.

Seed 000's change management: major maintenance plans go through the expert
review (专家审核评估制度).  One file per change, numbered like cases under this
clone's station, sharded by the month it was requested,
`changes/2026/11/CHG-KMT-00001.md`:

    ---
    id: CHG-KMT-00001
    title: Upgrade the MPU firmware of SW-FT-01 and SW-FT-02
    status: approved      # planned, approved, rejected, in-progress, completed
    risk: high            # one of the policy's changes.risks
    why: PRB-KMT-00001 — the firmware leaks memory
    plan: Upgrade the standby MPU, switch over, upgrade the other.
    backout: Boot the previous image from flash.
    window: {start: '2026-11-28T01:00:00+08:00', end: '2026-11-28T04:00:00+08:00'}
    customers: [sz-metro]
    assets: [FOC2345X0AB]
    problems: [PRB-KMT-00001]
    incidents: [KMT-00001]
    requested_by: li.na
    requested_at: '2026-11-21T10:00:00+08:00'
    review: {risk: high, approvals: 2, role: expert-group}   # what the policy asked at the request
    reviews:
      - {at: ..., by: zhou.min, verdict: approve, text: ...}
    started_at:
    completed_at:
    result:               # successful, failed, backed-out
    events: [...]
    ---
    The implementation report (Markdown), written at `rfc complete`.

A change whose risk the policy names under `changes.review.risks` needs
`approvals` approvals from different holders of the review role (not its
requester) before it can start; one rejection stops it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from casefile.errors import CasefileError, NotFound
from casefile.records.kinds import CHANGES
from casefile.records.numbers import ALPHABET
from casefile.records.problems import Checker, Problem
from casefile.worktime.clock import parse_stored
from casefile.i18n import _


class ChangeStatus(StrEnum):
    PLANNED = "planned"
    APPROVED = "approved"
    REJECTED = "rejected"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"


class Verdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class Result(StrEnum):
    SUCCESSFUL = "successful"
    FAILED = "failed"
    BACKED_OUT = "backed-out"


# `notice`: the affected customer told of the window (check, N days before it); `reminder`/`breach`: what
# check reminded (a pending review, a window that starts soon, one that ran over).
EVENT_KINDS = ("requested", "reviewed", "approved", "rejected", "started", "completed", "merged", "notice",
               "reminder", "breach")
FIELD_ORDER = (
    "id", "title", "status", "risk", "why", "plan", "backout", "window", "customers", "assets", "problems",
    "incidents", "requested_by", "requested_at", "review", "reviews", "started_at", "completed_at", "result", "events",
)
_TYPED = re.compile(rf"^(?:CHG-?)?([{ALPHABET}]{{3}})-?(\d{{1,5}})$")


class ChangeNotFound(NotFound):
    def __init__(self, ident: str) -> None:
        super().__init__(_("no change {ident}").format(ident=ident), _("`casefile rfc list --all` shows them"))


def parse_change_id(text: str) -> str:
    match = _TYPED.match(text.strip().upper())
    if not match or int(match[2]) == 0:
        raise CasefileError(_("{text!r} is not a change number").format(text=text),
                            _("change numbers look like CHG-KMT-00001; `casefile rfc list --all` shows them"))
    return f"CHG-{match[1]}-{int(match[2]):05d}"


def next_change_id(station: str, taken: set[str]) -> str:
    used = [int(ident[-5:]) for ident in taken if ident.startswith(f"CHG-{station}-")]
    sequence = max(used, default=0) + 1
    if sequence > 99_999:
        raise CasefileError(_("station {station} has no change numbers left").format(station=station), _("request it from another clone"))
    return f"CHG-{station}-{sequence:05d}"


def approvals_of(data: Mapping[str, Any]) -> list[str]:
    return [str(r.get("by")) for r in data.get("reviews") or []
            if isinstance(r, Mapping) and r.get("verdict") == Verdict.APPROVE]


def needed_of(data: Mapping[str, Any]) -> int:
    review = data.get("review")
    return int(review.get("approvals") or 0) if isinstance(review, Mapping) else 0


def change_problems(data: Mapping[str, Any], file_stem: str | None) -> list[Problem]:
    c = Checker()
    ident = data.get("id")
    if not isinstance(ident, str) or not CHANGES.id_pattern.match(ident):
        c.add(("id",), _("id {ident!r} is not a change number like CHG-KMT-00001").format(ident=ident))
    elif file_stem is not None and file_stem != ident:
        c.add(("id",), _("id {ident} does not match the file name {file_stem}.md").format(ident=ident, file_stem=file_stem))
    c.choice(data, "status", [str(s) for s in ChangeStatus])
    c.line(data, "title", required=True)
    for key in ("risk", "plan", "backout", "why", "requested_by"):
        c.text(data, key, required=key in ("risk", "plan", "backout", "requested_by"))
    for key in ("requested_at", "started_at", "completed_at"):
        c.instant(data, key, required=key == "requested_at")
    window = data.get("window")
    if not isinstance(window, dict):
        c.add(("window",), _("window must be a mapping with start and end"))
    else:
        c.instant(window, "start", ("window",), required=True)
        c.instant(window, "end", ("window",), required=True)
        try:
            if parse_stored(str(window.get("end"))) <= parse_stored(str(window.get("start"))):
                c.add(("window", "end"), _("the window ends before it starts"))
        except ValueError:
            pass  # said above
    for key in ("customers", "assets", "problems", "incidents"):
        value = data.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            c.add((key,), _("{key} must be a list of ids").format(key=key))
    c.choice(data, "result", [str(r) for r in Result], required=False)
    status = data.get("status")
    if status in (ChangeStatus.IN_PROGRESS, ChangeStatus.COMPLETED):
        if not data.get("started_at"):
            c.add(("started_at",), _("a change {status} needs started_at").format(status=status))
        if len(set(approvals_of(data))) < needed_of(data):
            c.add(("status",), _("a change {status} needs {needed_of} approvals").format(status=status, needed_of=needed_of(data)))
    if status == ChangeStatus.COMPLETED and not (data.get("completed_at") and data.get("result")):
        c.add(("status",), _("a completed change needs completed_at and its result"))
    for index, review in enumerate(data.get("reviews") or []):
        where = ("reviews", index)
        if not isinstance(review, dict):
            c.add(where, _("reviews[{index}] must be a mapping with at, by, verdict").format(index=index))
            continue
        c.instant(review, "at", where, required=True)
        c.text(review, "by", where, required=True)
        if review.get("verdict") not in [str(v) for v in Verdict]:
            c.add((*where, "verdict"), _("reviews[{index}].verdict must be approve or reject").format(index=index))
    events = data.get("events")
    if not isinstance(events, list) or not events:
        c.add(("events",), _("events must be a list with at least the 'requested' event"))
    else:
        for index, event in enumerate(events):
            if not isinstance(event, dict) or event.get("kind") not in EVENT_KINDS:
                c.add(("events", index), _("events[{index}] must be a mapping whose kind is one of {choices}").format(index=index, choices=', '.join(EVENT_KINDS)))
                continue
            c.instant(event, "at", ("events", index), required=True)
    return c.problems


def notices_of(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The customers told of the change's window (the `notice` events `check` recorded), oldest first:
    customer, when, by mail (to whom) or letter, and how many days before the window's start."""
    found = []
    for event in data.get("events") or []:
        fields = event.get("fields") if isinstance(event, Mapping) else None
        if not isinstance(fields, Mapping) or event.get("kind") != "notice":
            continue
        ahead = None
        try:
            ahead = round((parse_stored(str(fields.get("window_start"))) - parse_stored(str(event.get("at"))))
                          .total_seconds() / 86400, 1)
        except (TypeError, ValueError):
            pass
        mailed = [str(m) for m in fields.get("mailed_to") or []]
        found.append({"customer": str(fields.get("customer")), "at": str(event.get("at")),
                      "by": "mail" if mailed else "letter", "to": mailed, "days_before": ahead})
    return found


def told_customers(data: Mapping[str, Any]) -> set[str]:
    """The affected customers told before the window they were told of began."""
    return {n["customer"] for n in notices_of(data) if n["days_before"] is not None and n["days_before"] > 0}
