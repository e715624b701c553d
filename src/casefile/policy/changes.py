"""`changes:` of the policy: the risk levels of a change (RFC) and which of them need expert review.

    changes:
      risks: [low, medium, high]
      review:
        risks: [medium, high]   # these need the expert review (专家审核评估制度) before they start
        approvals: 2            # approvals needed, from different reviewers
        role: expert-group      # who reviews
      notice_days: 3            # the affected customers' contacts are told this many days before the window
      remind_hours: 24          # `check` reminds the requester and the desk this long before a window starts
"""

from __future__ import annotations

from typing import Any

from casefile.records.yamlio import RecordError
from casefile.i18n import _
from casefile.values import Struct

DEFAULT_RISKS = ("low", "medium", "high")


class ChangePolicy(Struct, frozen=True):
    risks: tuple[str, ...] = DEFAULT_RISKS
    review_risks: tuple[str, ...] = ("medium", "high")
    approvals: int = 2
    role: str = "expert-group"
    notice_days: int = 3
    remind_hours: int = 24

    def needs_review(self, risk: str) -> bool:
        return risk in self.review_risks


def change_policy(value: Any, roles: list[str], source: str) -> ChangePolicy:
    if value is None:
        return ChangePolicy()
    if not isinstance(value, dict) or set(value) - {"risks", "review", "notice_days", "remind_hours"}:
        raise RecordError(source, None, _("changes must be a mapping with risks, review, notice_days, remind_hours"))
    counts = {}
    for key, default in (("notice_days", 3), ("remind_hours", 24)):
        count = value.get(key, default)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise RecordError(source, None, _("changes.{key} {count!r} must be a whole number of 0 or more").format(key=key, count=count))
        counts[key] = count
    risks = value.get("risks", list(DEFAULT_RISKS))
    if not isinstance(risks, list) or not risks or not all(isinstance(r, str) and r for r in risks):
        raise RecordError(source, None, _("changes.risks must be a list of risk levels, like [low, medium, high]"))
    review = value.get("review") or {}
    if not isinstance(review, dict) or set(review) - {"risks", "approvals", "role"}:
        raise RecordError(source, None, _("changes.review must be a mapping with risks, approvals and role"))
    review_risks = review.get("risks", [r for r in ("medium", "high") if r in risks])
    if not isinstance(review_risks, list) or any(r not in risks for r in review_risks):
        raise RecordError(source, None, _("changes.review.risks must be some of changes.risks ({names})").format(names=', '.join(risks)))
    approvals = review.get("approvals", 2)
    if isinstance(approvals, bool) or not isinstance(approvals, int) or approvals < 1:
        raise RecordError(source, None, _("changes.review.approvals {approvals!r} must be a whole number of 1 or more").format(approvals=approvals))
    role = str(review.get("role", "expert-group"))
    if roles and role not in roles:
        raise RecordError(source, None, _("changes.review.role {role!r} is not a role under roles").format(role=role))
    return ChangePolicy(tuple(risks), tuple(review_risks), approvals, role, counts["notice_days"],
                        counts["remind_hours"])
