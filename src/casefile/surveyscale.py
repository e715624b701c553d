"""The survey form as reports read it: the questions and the rating scale.

Defaults are seed 004, annex 1 (客户满意度调查表): attitude and manner, service
quality, technical ability, response speed, each rated 很满意 / 较满意 / 一般 /
不满意 (4 / 3 / 2 / 1).  A policy may name its own under `surveys.questions`
and `surveys.scale` (`{key, label, label_zh, score}` items), as the survey
records do.

A rating's *normalised* score runs from 0 (the lowest answer) to 1 (the
highest): `(score - lowest) / (highest - lowest)`; on the default scale
很满意 1, 较满意 2/3, 一般 1/3, 不满意 0.  Reports show it as a percentage and
scorecards as points out of 10.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .policy import POLICY_FILE
from .yamlio import RecordError


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    label_zh: str


@dataclass(frozen=True)
class Rating:
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
DEFAULT_RATINGS = (
    Rating("very-satisfied", "Very satisfied", "很满意", 4),
    Rating("satisfied", "Satisfied", "较满意", 3),
    Rating("neutral", "Neutral", "一般", 2),
    Rating("dissatisfied", "Dissatisfied", "不满意", 1),
)


@dataclass(frozen=True)
class SurveyScale:
    questions: tuple[Question, ...] = DEFAULT_QUESTIONS
    ratings: tuple[Rating, ...] = DEFAULT_RATINGS

    def rating(self, value: Any) -> Rating | None:
        """The rating an answer names: its key, label, Chinese label or score."""
        text = str(value).strip()
        for rating in self.ratings:
            if text.lower() in (rating.key, rating.label.lower()) or text in (rating.label_zh, str(rating.score)):
                return rating
        return None

    def normalised(self, rating: Rating) -> float:
        scores = [r.score for r in self.ratings]
        low, high = min(scores), max(scores)
        return 1.0 if high == low else (rating.score - low) / (high - low)

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        return Question(key, key, key)


def _items(value: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not value or not all(
        isinstance(item, Mapping) and isinstance(item.get("key"), str) for item in value
    ):
        raise RecordError(POLICY_FILE, None, f"surveys.{where} must be a list of {{key, label, label_zh}} items")
    return value


def survey_scale(raw: Mapping[str, Any]) -> SurveyScale:
    section = raw.get("surveys")
    if not isinstance(section, Mapping):
        return SurveyScale()
    questions: tuple[Question, ...] = DEFAULT_QUESTIONS
    if section.get("questions") is not None:
        questions = tuple(
            Question(item["key"], str(item.get("label") or item["key"]),
                     str(item.get("label_zh") or item.get("label") or item["key"]))
            for item in _items(section["questions"], "questions")
        )
    ratings: tuple[Rating, ...] = DEFAULT_RATINGS
    if section.get("scale") is not None:
        found = []
        for index, item in enumerate(_items(section["scale"], "scale")):
            score = item.get("score")
            if isinstance(score, bool) or not isinstance(score, int):
                raise RecordError(POLICY_FILE, None, f"surveys.scale[{index}].score must be a whole number")
            label = str(item.get("label") or item["key"])
            found.append(Rating(item["key"], label, str(item.get("label_zh") or label), score))
        ratings = tuple(found)
    return SurveyScale(questions, ratings)
