"""Survey results: response rate, answers per question, mean normalised score, follow-ups.

Pure.  Over the surveys issued in the period (seed 001: "统计、分析、处理、
解答、反馈，直至客户满意为止"):

* response rate = answered / issued; how many are still pending or expired;
* per question: how many gave each answer, and the mean normalised score
  (0 = the lowest answer, 1 = the highest; README "Scoring");
* a survey *needs a follow-up* when an answer is in the policy's
  `surveys.follow_up.answers` (default: the lowest answer, 不满意); its
  follow-up is the complaint case it names (`complaint`), whose status is its
  state: done when resolved or closed, open while open or pending, and
  *missing* when no complaint was opened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from casefile.policy.surveys import SurveyScale
from casefile.reports.facts import DONE
from casefile.reports.model import Share
from casefile.reports.surveyfacts import SurveyFacts
from casefile.values import Struct


class AnswerCount(Struct, frozen=True):
    rating: str
    label: str
    label_zh: str
    count: int


class QuestionResult(Struct, frozen=True):
    question: str
    label: str
    label_zh: str
    answered: int
    answers: tuple[AnswerCount, ...]
    mean_normalised: float | None


class FollowUp(Struct, frozen=True):
    survey: str
    customer: str | None
    case: str | None
    reasons: tuple[str, ...]  # the questions answered with a follow-up answer
    reason_labels: tuple[str, ...]
    reason_labels_zh: tuple[str, ...]
    complaint: str | None
    state: str  # done | open | missing


class SurveyRow(Struct, frozen=True):
    id: str
    kind: str
    case: str | None
    customer: str | None
    status: str
    issued_at: datetime | None
    answered_at: datetime | None
    ratings: dict[str, str]
    mean_normalised: float | None
    complaint: str | None
    opinions: str | None


class SurveyResults(Struct, frozen=True):
    issued: int
    answered: int
    pending: int
    expired: int
    response_rate: Share
    mean_normalised: float | None
    questions: tuple[QuestionResult, ...]
    follow_ups: tuple[FollowUp, ...]
    follow_ups_done: int
    follow_ups_open: int
    follow_ups_missing: int
    surveys: tuple[SurveyRow, ...]


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _question_keys(surveys: Sequence[SurveyFacts], scale: SurveyScale) -> list[str]:
    keys = [q.key for q in scale.questions]
    for survey in surveys:
        keys += [q for q, _r in survey.ratings if q not in keys]
    return keys


def build(
    surveys: Sequence[SurveyFacts],
    scale: SurveyScale,
    follow_on: Collection[str],
    case_status: Callable[[str], str | None],
) -> SurveyResults:
    """`surveys`: issued in the period, oldest first; `case_status`: a case's status by number (None: no case)."""
    answered = [s for s in surveys if s.answered]
    questions = []
    for key in _question_keys(surveys, scale):
        given = [r for s in answered for q, r in s.ratings if q == key]
        counts = Counter(r.key for r in given)
        question = scale.question(key)
        questions.append(QuestionResult(
            key, question.label, question.label_zh, len(given),
            tuple(AnswerCount(r.key, r.label, r.label_zh, counts[r.key]) for r in scale.ratings),
            _mean([scale.normalised(r) for r in given]),
        ))
    follow_ups = []
    for survey in answered:
        reasons = tuple(q for q, r in survey.ratings if r.key in follow_on)
        if not reasons:
            continue
        status = case_status(survey.complaint) if survey.complaint else None
        state = "missing" if status is None else ("done" if status in DONE else "open")
        questions_of = [scale.question(key) for key in reasons]
        follow_ups.append(FollowUp(survey.id, survey.customer, survey.case, reasons,
                                   tuple(q.label for q in questions_of), tuple(q.label_zh for q in questions_of),
                                   survey.complaint, state))
    states = Counter(f.state for f in follow_ups)
    return SurveyResults(
        issued=len(surveys),
        answered=len(answered),
        pending=sum(1 for s in surveys if s.status in ("pending", "sent")),
        expired=sum(1 for s in surveys if s.status == "expired"),
        response_rate=Share(len(answered), len(surveys)),
        mean_normalised=_mean([scale.normalised(r) for s in answered for _q, r in s.ratings]),
        questions=tuple(questions),
        follow_ups=tuple(follow_ups),
        follow_ups_done=states["done"],
        follow_ups_open=states["open"],
        follow_ups_missing=states["missing"],
        surveys=tuple(
            SurveyRow(s.id, s.kind, s.case, s.customer, s.status, s.issued_at, s.answered_at,
                      {q: r.key for q, r in s.ratings}, _mean([scale.normalised(r) for _q, r in s.ratings]),
                      s.complaint, s.opinions)
            for s in surveys
        ),
    )
