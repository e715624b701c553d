"""What a satisfaction survey (`客户满意度调查`) record is.

    ---
    id: SV-KMT-00417
    kind: case                 # case: issued when the case closed; scheduled: per customer and period
    case: KMT-00417
    customer: acme-sz
    status: pending            # pending -> (queued ->) sent -> answered, or expired
    issued_at: '2026-11-19T16:00:00+08:00'
    send_after: '2026-11-19T16:00:00+08:00'
    expires_at: '2026-12-19T16:00:00+08:00'
    contact: {name: Zhang Wei, phone: 0755-86001234, email: zhang.wei@acme.example}
    questions: [attitude, quality, technical, speed]
    answered_at: '2026-11-19T17:10:00+08:00'
    answered_by: Zhang Wei
    via: phone                 # phone, form, email, onsite
    recorded_by: wang.fang
    ratings: {attitude: very-satisfied, quality: satisfied, technical: satisfied, speed: dissatisfied}
    score: 2.75
    opinions: ...
    complaint: KMT-00432       # the complaint its answers opened
    ---

Ids: `SV-<case>` (then `SV-<case>-2` after a reopened case closes again),
`SV-<customer>-<period>` for a scheduled survey.  Files are sharded by the
month they were issued: `surveys/2026/11/SV-KMT-00417.md`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from casefile.errors import NotFound
from casefile.records.kinds import SURVEYS
from casefile.records.problems import Checker, Problem
from casefile.worktime.clock import parse_stored
from casefile.i18n import _

SURVEYS_DIR = SURVEYS.folder
SURVEY_ID = SURVEYS.id_pattern

FIELD_ORDER = (
    "id",
    "kind",
    "case",
    "customer",
    "period",
    "status",
    "issued_at",
    "send_after",
    "expires_at",
    "queued_at",
    "sent_at",
    "contact",
    "questions",
    "answered_at",
    "answered_by",
    "via",
    "recorded_by",
    "ratings",
    "score",
    "opinions",
    "complaint",
)


class SurveyKind(StrEnum):
    CASE = "case"
    SCHEDULED = "scheduled"


class SurveyStatus(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"  # `check --notify` put its letter in the outbox; `sent` once the mail server took it
    SENT = "sent"
    ANSWERED = "answered"
    EXPIRED = "expired"


class Via(StrEnum):
    PHONE = "phone"
    FORM = "form"  # a returned paper or web form
    EMAIL = "email"
    ONSITE = "onsite"  # collected by our staff on site (seed 004)


OUTSTANDING = frozenset({SurveyStatus.PENDING, SurveyStatus.QUEUED, SurveyStatus.SENT})


class SurveyNotFound(NotFound):
    def __init__(self, survey_id: str) -> None:
        super().__init__(_("no survey {survey_id!r}").format(survey_id=survey_id), _("`casefile survey list` shows them"))


def case_survey_id(case_id: str, nth: int) -> str:
    return f"SV-{case_id}" if nth <= 1 else f"SV-{case_id}-{nth}"


def customer_survey_id(customer: str, when: str) -> str:
    return f"SV-{customer}-{when}"


def survey_path(survey_id: str, issued_at: datetime) -> str:
    return SURVEYS.path(survey_id, issued_at)


def find_survey_file(root: Path, survey_id: str) -> str | None:
    """The path of a survey by id (a few dozen month folders to look in), or None."""
    return SURVEYS.find(root, survey_id)


def effective_status(data: Mapping[str, Any], now: datetime) -> SurveyStatus:
    """The status as of `now`: an outstanding survey past its expiry is expired, recorded or not."""
    status = SurveyStatus(str(data.get("status")))
    expires = data.get("expires_at")
    if status in OUTSTANDING and expires and now >= parse_stored(str(expires)):
        return SurveyStatus.EXPIRED
    return status


def to_send(data: Mapping[str, Any], now: datetime) -> bool:
    """Whether `check` should mail this survey's letter now: pending, past its delay, not expired, with an e-mail."""
    contact = data.get("contact") or {}
    return (
        data.get("status") == SurveyStatus.PENDING
        and effective_status(data, now) is SurveyStatus.PENDING
        and now >= parse_stored(str(data.get("send_after") or data.get("issued_at")))
        and isinstance(contact, Mapping)
        and bool(contact.get("email"))
    )


def survey_problems(
    data: Mapping[str, Any], file_stem: str | None, scale: Collection[str] = ()
) -> list[Problem]:
    """What is wrong with a survey record (empty when it is valid)."""
    c = Checker()
    ident = data.get("id")
    if not isinstance(ident, str) or not SURVEY_ID.match(ident):
        c.add(("id",), _("id {ident!r} is not a survey id like SV-KMT-00417").format(ident=ident))
    elif file_stem is not None and file_stem != ident:
        c.add(("id",), _("id {ident} does not match the file name {file_stem}.md").format(ident=ident, file_stem=file_stem))
    c.choice(data, "kind", [str(k) for k in SurveyKind])
    c.choice(data, "status", [str(s) for s in SurveyStatus])
    c.choice(data, "via", [str(v) for v in Via], required=False)
    for key in ("case", "customer", "period", "answered_by", "recorded_by", "opinions", "complaint"):
        c.text(data, key)
    for key in ("issued_at", "send_after", "expires_at", "queued_at", "sent_at", "answered_at"):
        c.instant(data, key, required=key == "issued_at")
    if data.get("kind") == SurveyKind.CASE and not data.get("case"):
        c.add(("case",), _("a case survey names its case"))
    if data.get("kind") == SurveyKind.SCHEDULED and not data.get("customer"):
        c.add(("customer",), _("a scheduled survey names its customer"))
    questions = data.get("questions")
    if questions is not None and (not isinstance(questions, list) or not all(isinstance(q, str) for q in questions)):
        c.add(("questions",), _("questions must be a list of question keys (attitude, quality, ...)"))
    contact = data.get("contact")
    if contact is not None and not isinstance(contact, dict):
        c.add(("contact",), _("contact must be a mapping (name, company, phone, email)"))
    elif contact:
        for key in ("name", "company", "phone", "email"):
            c.line(contact, key, ("contact",))
    ratings = data.get("ratings")
    if ratings is not None and not isinstance(ratings, dict):
        c.add(("ratings",), _("ratings must map questions to answers"))
    elif ratings and any(not isinstance(answer, str) for answer in ratings.values()):
        c.add(("ratings",), _("each rating is an answer of the scale (satisfied, neutral, ...)"))
    elif ratings and scale:
        for question, answer in ratings.items():
            if answer not in scale:
                c.add(
                    ("ratings", question),
                    _("ratings.{question} {answer!r} is not on the scale ({choices})").format(question=question, answer=answer, choices=', '.join(scale)),
                )
    if data.get("status") == SurveyStatus.ANSWERED and not data.get("answered_at"):
        c.add(("status",), _("an answered survey needs answered_at"))
    score = data.get("score")
    if score is not None and (not isinstance(score, (int, float)) or isinstance(score, bool)):
        c.add(("score",), _("score must be a number"))
    return c.problems
