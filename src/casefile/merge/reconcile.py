"""After a merge: a case's status and pauses agree again.

Each side of a merge kept its own case consistent, but the merged fields can
come from different sides (status from one, a pause from the other).  The
workflow's own rules settle it, as if the steps had happened in time order:

* a case that is not pending has no open pause: an open pause ends when the
  step that gave the case its status happened (that is what resolve, close and
  resume do), never before the pause began;
* a pending case has exactly one open pause: of several, the earliest stays
  open and the later ones end where they began (the case was already waiting,
  so the clocks are right); with none, the latest pause is open again.

Each change is returned as a sentence for the merge event (a `Said`: words in each reader's language).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from casefile.i18n import N_
from casefile.said import Said
from casefile.merge.events import instant
from casefile.records import yamlio

PENDING = "pending"
_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def _when(value: Any) -> datetime:
    return instant(value) or _NEVER


def status_time(data: Mapping[str, Any]) -> str | None:
    """When the case got its current status: the latest event that set it, else the latest event."""
    status = data.get("status")
    events = [e for e in data.get("events") or [] if isinstance(e, Mapping) and instant(e.get("at"))]
    setting = [
        e for e in events
        if isinstance(e.get("fields"), Mapping)
        and isinstance(e["fields"].get("status"), Mapping)
        and e["fields"]["status"].get("to") == status
    ]
    chosen = setting or events
    if not chosen:
        return None
    return str(max(chosen, key=lambda e: _when(e.get("at"))).get("at"))


def reconcile_case(data: Any) -> list[Said]:
    """Make status and pauses agree (changes `data` in place); what was changed, in words."""
    pauses = data.get("pauses")
    if "status" not in data or not isinstance(pauses, list):
        return []
    open_pauses = [p for p in pauses if isinstance(p, Mapping) and not p.get("until")]
    if data.get("status") != PENDING:
        return _end_all(data, open_pauses)
    if len(open_pauses) > 1:
        return _keep_earliest(open_pauses)
    if not open_pauses and pauses:
        return _reopen_latest(pauses)
    return []


def _end_all(data: Any, open_pauses: Sequence[Any]) -> list[Said]:
    ended = status_time(data)
    notes: list[Said] = []
    for pause in open_pauses:
        start = str(pause.get("from"))
        start_at, end_at = instant(start), instant(ended)
        until = ended if start_at and end_at and end_at >= start_at else start
        pause["until"] = until
        notes.append(Said.of(N_("the pause from {start} ended at {until}, when the case became {status}"),
                             start=start, until=until, status=str(data.get("status"))))
    return notes


def _keep_earliest(open_pauses: Sequence[Any]) -> list[Said]:
    ordered = sorted(open_pauses, key=lambda p: _when(p.get("from")))
    notes: list[Said] = []
    for pause in ordered[1:]:
        pause["until"] = pause.get("from")
        notes.append(Said.of(N_("the pause from {start} ended where it began: the case was already waiting since "
                                "{since}"), start=str(pause.get("from")), since=str(ordered[0].get("from"))))
    return notes


def _reopen_latest(pauses: Sequence[Any]) -> list[Said]:
    candidates: list[Any] = [p for p in pauses if isinstance(p, Mapping)]
    latest = max(candidates, key=lambda p: _when(p.get("from")))
    ended = latest.get("until")
    latest["until"] = None
    return [Said.of(N_("the pause from {start} is open again (it had ended at {ended}): the case is pending"),
                    start=str(latest.get("from")), ended=str(ended))]


# -- a change (RFC) after a merge ---------------------------------------------------


def reconcile_change(data: Any) -> list[Said]:
    """A change whose reviews were given on two clones: the reviews in time order, and a change planned on
    both sides that now has the approvals its review asks for, and no rejection, is approved."""
    reviews, review = data.get("reviews"), data.get("review")
    if not isinstance(reviews, list) or not isinstance(review, Mapping) or "requested_at" not in data:
        return []
    items = [r for r in reviews if isinstance(r, Mapping)]
    ordered = sorted(items, key=lambda r: _when(r.get("at")))
    if ordered != items and len(items) == len(reviews):
        yamlio.replace_items(reviews, ordered)
    needed = review.get("approvals")
    approvers = {str(r.get("by")) for r in items if r.get("verdict") == "approve"}
    rejected = any(r.get("verdict") == "reject" for r in items)
    if data.get("status") != "planned" or rejected or not isinstance(needed, int) or len(approvers) < needed:
        return []
    data["status"] = "approved"
    return [Said.of(N_("the change is approved: {count} of {needed} approvals, given on different clones"),
                    count=len(approvers), needed=needed)]
