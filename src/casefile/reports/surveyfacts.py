"""What reports read from one satisfaction-survey record (`surveys/...`).

Pure.  The fields read, as issue 4 writes them (README "Satisfaction
survey"): `id`, `kind` (case | scheduled), `case`, `customer`, `status`
(pending | sent | answered | expired), `issued_at`, `expires_at`,
`answered_at`, `ratings` (question key -> answer; `answers` is read too), and
`complaint` (the complaint case the answers opened).  An answer may be the
scale's key (`very-satisfied`), label, Chinese label (`很满意`) or score.

A survey is *answered* when it has `answered_at` or ratings; an unanswered one
whose `expires_at` has passed is *expired*; otherwise its stored status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casefile.policy.surveys import Answer as Rating
from casefile.policy.surveys import SurveyScale
from casefile.records.kinds import SURVEYS
from casefile.reports.facts import when
from casefile.values import Struct


class SurveyFacts(Struct, frozen=True):
    id: str
    path: str
    kind: str
    case: str | None
    customer: str | None
    status: str
    issued_at: datetime | None
    answered_at: datetime | None
    ratings: tuple[tuple[str, Rating], ...]  # (question key, rating), in the record's order
    unreadable: tuple[str, ...]  # questions whose answer is not on the scale
    complaint: str | None
    opinions: str | None

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    def rating(self, question: str) -> Rating | None:
        return next((rating for key, rating in self.ratings if key == question), None)


def _time(value: Any) -> datetime | None:
    try:
        return when(value)
    except ValueError:
        return None


def survey_facts(path: str, data: Mapping[str, Any], scale: SurveyScale, now: datetime) -> SurveyFacts:
    raw = data.get("ratings") or data.get("answers") or {}
    ratings: list[tuple[str, Rating]] = []
    unreadable: list[str] = []
    if isinstance(raw, Mapping):
        for question, answer in raw.items():
            rating = scale.rating(answer) if answer not in (None, "") else None
            if rating is not None:
                ratings.append((str(question), rating))
            elif answer not in (None, ""):
                unreadable.append(str(question))
    answered_at = _time(data.get("answered_at"))
    expires_at = _time(data.get("expires_at"))
    stored = str(data.get("status") or "pending")
    if answered_at is not None or ratings:
        status = "answered"
    elif stored == "expired" or (expires_at is not None and expires_at <= now):
        status = "expired"
    else:
        status = stored if stored in ("pending", "sent") else "pending"
    ident = data.get("id") or SURVEYS.id_of(path)
    return SurveyFacts(
        id=str(ident),
        path=path,
        kind=str(data.get("kind") or ("case" if data.get("case") else "scheduled")),
        case=str(data["case"]) if data.get("case") else None,
        customer=str(data["customer"]) if data.get("customer") else None,
        status=status,
        issued_at=_time(data.get("issued_at")),
        answered_at=answered_at,
        ratings=tuple(ratings),
        unreadable=tuple(unreadable),
        complaint=str(data["complaint"]) if data.get("complaint") else None,
        opinions=str(data["opinions"]) if data.get("opinions") else None,
    )
