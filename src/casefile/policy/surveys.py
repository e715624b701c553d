"""The `surveys:` section of the policy: the form, the scale and when surveys go out.

Defaults follow seed 004 annex 1 (客户满意度调查表): four questions — attitude
and manner, service quality, technical ability, response speed — on the
four-point scale 很满意/较满意/一般/不满意, plus opinions and suggestions; and
seed 002: after a case is closed, a letter asks the customer to evaluate it.
Every key may be overridden in policy.yaml:

    surveys:
      questions: [{key: attitude, label: ..., label_zh: ...}, ...]
      scale: [{key: very-satisfied, label: ..., label_zh: 很满意, score: 4}, ...]
      sample_percent: 100      # share of closed cases that get a survey
      delay_hours: 0           # wait this long after the close before sending
      throttle_days: 0         # at most one case survey per customer in this many days
      expire_days: 30          # unanswered surveys expire
      schedule: quarterly      # scheduled surveys per customer (not those with on-site staff)
      follow_up:
        answers: [dissatisfied]  # any of these opens a complaint
        average_below: null      # or an average score below this
        level: C                 # the level of that complaint
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from casefile.errors import CasefileError
from casefile.records.yamlio import RecordError
from casefile.values import Struct
from casefile.worktime.cadence import BadCadence, Cadence
from casefile.i18n import _


class Question(Struct, frozen=True):
    key: str
    label: str
    label_zh: str


class Answer(Struct, frozen=True):
    key: str
    label: str
    label_zh: str
    score: int


DEFAULT_QUESTIONS = (
    Question("attitude", "Attitude and manner", "仪态、服务态度"),
    Question("quality", "Service quality", "服务质量"),
    Question("technical", "Technical ability", "技术能力"),
    Question("speed", "Response speed", "响应速度"),
)
DEFAULT_SCALE = (
    Answer("very-satisfied", "Very satisfied", "很满意", 4),
    Answer("satisfied", "Satisfied", "较满意", 3),
    Answer("neutral", "Neutral", "一般", 2),
    Answer("dissatisfied", "Dissatisfied", "不满意", 1),
)


class SurveyPolicy(Struct, frozen=True):
    questions: tuple[Question, ...] = DEFAULT_QUESTIONS
    scale: tuple[Answer, ...] = DEFAULT_SCALE
    sample_percent: int = 100
    delay_hours: int = 0
    throttle_days: int = 0
    expire_days: int = 30
    schedule: Cadence | None = None
    follow_up_answers: frozenset[str] = frozenset({"dissatisfied"})
    average_below: float | None = None
    complaint_level: str = "C"

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise CasefileError(
            _("{key!r} is not a question of the survey").format(key=key),
            _("questions: {names}").format(names=', '.join(q.key for q in self.questions)),
        )

    def answer(self, text: str) -> Answer:
        """An answer on the scale, by key, label, Chinese label or score."""
        wanted = text.strip()
        for answer in self.scale:
            if wanted.lower() in (answer.key, answer.label.lower()) or wanted in (
                answer.label_zh,
                str(answer.score),
            ):
                return answer
        raise CasefileError(
            _("rating {text!r} is not on the scale").format(text=text),
            "use one of: " + ", ".join(f"{a.key} ({a.label_zh}, {a.score})" for a in self.scale),
        )

    def answer_by_key(self, key: str) -> Answer | None:
        return next((a for a in self.scale if a.key == key), None)

    def needs_follow_up(self, ratings: Mapping[str, str], language: str = "en") -> list[str]:
        """Why these ratings open a complaint (empty: they do not), in English or (`zh`) Chinese."""
        reasons = []
        for key, answer_key in ratings.items():
            answer = self.answer_by_key(answer_key)
            if answer is not None and answer.key in self.follow_up_answers:
                question = self.question(key)
                reasons.append(f"{question.label_zh}{answer.label_zh}" if language == "zh"
                               else f"{question.label.lower()}: {answer.label.lower()}")
        scores = [answer.score for key in ratings.values() if (answer := self.answer_by_key(key))]
        if self.average_below is not None and scores and sum(scores) / len(scores) < self.average_below:
            average = sum(scores) / len(scores)
            reasons.append(f"平均分 {average:.2f} 低于 {self.average_below:g}" if language == "zh"
                           else f"average score {average:.2f} below {self.average_below:g}")
        return reasons


def sampled(case_id: str, percent: int) -> bool:
    """Whether a case is in the sample: decided by its number, so every clone decides alike."""
    if percent >= 100:
        return True
    if percent <= 0:
        return False
    bucket = int.from_bytes(hashlib.sha256(case_id.encode("utf-8")).digest()[:4], "big") % 100
    return bucket < percent


def _whole(section: Mapping[str, Any], key: str, default: int, source: str, most: int | None = None) -> int:
    value = section.get(key, default)
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < 0
        or (most is not None and value > most)
    ):
        limit = f" between 0 and {most}" if most is not None else ", 0 or more"
        raise RecordError(source, None, _("surveys.{key} must be a whole number{limit}").format(key=key, limit=limit))
    return value


def _labelled(items: Any, key: str, source: str) -> Sequence[Mapping[str, Any]]:
    if not isinstance(items, list) or not items:
        raise RecordError(source, None, _("surveys.{key} must be a list with key and label").format(key=key))
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise RecordError(source, None, _("surveys.{key}[{index}] needs a key and a label").format(key=key, index=index))
    if len({item["key"] for item in items}) != len(items):
        raise RecordError(source, None, _("surveys.{key} lists a key twice").format(key=key))
    return items


def questions_of(section: Mapping[str, Any], source: str) -> tuple[Question, ...]:
    if section.get("questions") is None:
        return DEFAULT_QUESTIONS
    return tuple(
        Question(
            item["key"],
            str(item.get("label") or item["key"]),
            str(item.get("label_zh") or item.get("label") or item["key"]),
        )
        for item in _labelled(section["questions"], "questions", source)
    )


def scale_of(section: Mapping[str, Any], source: str) -> tuple[Answer, ...]:
    if section.get("scale") is None:
        return DEFAULT_SCALE
    result = []
    for index, item in enumerate(_labelled(section["scale"], "scale", source)):
        score = item.get("score")
        if not isinstance(score, int) or isinstance(score, bool):
            raise RecordError(source, None, _("surveys.scale[{index}].score must be a whole number").format(index=index))
        label = str(item.get("label") or item["key"])
        result.append(Answer(item["key"], label, str(item.get("label_zh") or label), score))
    return tuple(result)


def survey_policy(
    raw: Mapping[str, Any], levels: Sequence[str] = (), source: str = "policy.yaml"
) -> SurveyPolicy:
    """The survey policy, with the defaults for what the policy does not say."""
    section = raw.get("surveys") or {}
    if not isinstance(section, dict):
        raise RecordError(source, None, _("surveys must be a mapping"))
    follow = section.get("follow_up") or {}
    if not isinstance(follow, dict):
        raise RecordError(source, None, _("surveys.follow_up must be a mapping"))
    scale = scale_of(section, source)
    answers = follow.get("answers", ["dissatisfied"])
    if not isinstance(answers, list) or any(a not in {s.key for s in scale} for a in answers):
        raise RecordError(source, None, _("surveys.follow_up.answers must list keys of surveys.scale"))
    average = follow.get("average_below")
    if average is not None and (not isinstance(average, (int, float)) or isinstance(average, bool)):
        raise RecordError(source, None, _("surveys.follow_up.average_below must be a number (or null)"))
    level = str(follow.get("level") or "C")
    if levels and level not in levels:
        raise RecordError(source, None, _("surveys.follow_up.level {level!r} is not a level of the policy").format(level=level))
    schedule = None
    if section.get("schedule"):
        try:
            schedule = Cadence.parse(str(section["schedule"]))
        except BadCadence as error:
            raise RecordError(source, None, _("surveys.schedule: {message}").format(message=error.message), error.hint) from None
    return SurveyPolicy(
        questions=questions_of(section, source),
        scale=scale,
        sample_percent=_whole(section, "sample_percent", 100, source, most=100),
        delay_hours=_whole(section, "delay_hours", 0, source),
        throttle_days=_whole(section, "throttle_days", 0, source),
        expire_days=_whole(section, "expire_days", 30, source),
        schedule=schedule,
        follow_up_answers=frozenset(str(a) for a in answers),
        average_below=float(average) if average is not None else None,
        complaint_level=level,
    )


class SurveyScale(Struct, frozen=True):
    """The form of `surveypolicy`, read leniently: reports name unknown answers, never refuse them."""

    questions: tuple[Question, ...] = DEFAULT_QUESTIONS
    ratings: tuple[Answer, ...] = DEFAULT_SCALE
    follow_up: frozenset[str] = frozenset({"dissatisfied"})  # the answers that call for a follow-up

    def rating(self, value: Any) -> Answer | None:
        """The rating an answer names: its key, label, Chinese label or score."""
        text = str(value).strip()
        for rating in self.ratings:
            if text.lower() in (rating.key, rating.label.lower()) or text in (rating.label_zh, str(rating.score)):
                return rating
        return None

    def normalised(self, rating: Answer) -> float:
        scores = [r.score for r in self.ratings]
        low, high = min(scores), max(scores)
        return 1.0 if high == low else (rating.score - low) / (high - low)

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        return Question(key, key, key)


def survey_scale(raw: Mapping[str, Any]) -> SurveyScale:
    section = raw.get("surveys")
    if not isinstance(section, Mapping):
        return SurveyScale()
    ratings = scale_of(section, "policy.yaml")
    return SurveyScale(questions_of(section, "policy.yaml"), ratings, _follow_up_answers(raw, ratings))


def _follow_up_answers(raw: Mapping[str, Any], ratings: Sequence[Answer]) -> frozenset[str]:
    """`surveys.follow_up.answers` of the policy, else the lowest answer of the scale."""
    section = raw.get("surveys")
    follow = section.get("follow_up") if isinstance(section, Mapping) else None
    answers = follow.get("answers") if isinstance(follow, Mapping) else None
    if isinstance(answers, list) and answers:
        return frozenset(str(a) for a in answers)
    lowest = min(ratings, key=lambda r: r.score)
    return frozenset({lowest.key})
