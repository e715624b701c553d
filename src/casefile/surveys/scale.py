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

from casefile.policy.model import POLICY_FILE
from casefile.policy.surveys import DEFAULT_QUESTIONS, DEFAULT_SCALE, Question, questions_of, scale_of
from casefile.policy.surveys import Answer as Rating


@dataclass(frozen=True)
class SurveyScale:
    """The form of `surveypolicy`, read leniently: reports name unknown answers, never refuse them."""

    questions: tuple[Question, ...] = DEFAULT_QUESTIONS
    ratings: tuple[Rating, ...] = DEFAULT_SCALE

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


def survey_scale(raw: Mapping[str, Any]) -> SurveyScale:
    section = raw.get("surveys")
    if not isinstance(section, Mapping):
        return SurveyScale()
    return SurveyScale(questions_of(section, POLICY_FILE), scale_of(section, POLICY_FILE))
