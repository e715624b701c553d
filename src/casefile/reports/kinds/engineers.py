"""The monthly engineer evaluation of seed 002: six scores out of 10, each by a written formula.

Pure.  For each engineer E, over the cases received in the month, the
surveys issued in it and the complaints opened in it (README "Scoring"):

* response time (响应时间) = 10 × met / decided, over the response clocks
  (`reports.engineers.response_clocks`, default `response`) of the cases E
  gave the first response to;
* time to solve (解决问题用时) = 10 × met / decided, over the resolved cases E
  resolved last; a case is met when every solve clock that applies and is
  decided (`solve_clocks`, default `restore` and `reply`) was met — or, with
  `solve: handling`, when the time spent on it (`--spent`, every entry) is
  within its level's `handling_targets` (a case with no time recorded is not
  judged);
* solution quality (解决问题质量) = 10 × (resolutions by E not undone by a
  reopen) / (resolutions by E);
* service attitude (服务态度) = 10 × the mean normalised answer to the
  `attitude` question, over the answered surveys of E's cases;
* customer satisfaction (客户满意度) = 10 × the mean normalised answer to every
  question of those surveys;
* complaints (客户投诉) = 10 − penalty × substantiated complaints against E (a
  complaint case opened in the month whose recorded verdict is `substantiated`
  against E: `resolve --verdict substantiated --against E`), at least 0.

Beside the scores, each card gives the time E spent on those cases (`--spent` on notes, replies and
work orders; a work order's time is its engineer's).

Only people who hold an engineer role (`reports.engineers.roles`, default
`engineer` and `expert-group`) get a scorecard: the managers who handle a
complaint and the service desk are not scored here.
A survey is about the case's assignee (its owner; else who resolved it).
Scores are rounded half up to one decimal; a score below the pass mark (8)
needs a written explanation, unless one was recorded.  A score with nothing to
go on (no such clocks, resolutions or surveys) is not given ("—").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from casefile.cases.timespent import spent_by, total_spent
from casefile.policy.reports import ScoreRule
from casefile.policy.surveys import SurveyScale
from casefile.reports import facts
from casefile.reports.kinds.sla import Outcome, outcome_of
from casefile.reports.model import CaseWithSla
from casefile.reports.records import Explanation
from casefile.reports.surveyfacts import SurveyFacts
from casefile.sla.engine import CaseSla
from casefile.values import Struct
from casefile.worktime.duration import format_duration


class ScoreKey(StrEnum):
    ATTITUDE = "attitude"
    RESPONSE = "response"
    QUALITY = "quality"
    SOLVE = "solve"
    SATISFACTION = "satisfaction"
    COMPLAINTS = "complaints"


SCORE_KEYS = tuple(ScoreKey)


class Score(Struct, frozen=True):
    key: ScoreKey
    score: float | None
    basis: int  # how many clocks, cases, resolutions, answers or complaints it rests on
    good: float | None  # of those, how many count for E (met, not undone; survey: summed normalised answers)
    needs_explanation: bool
    explanation: Explanation | None


class Scorecard(Struct, frozen=True):
    engineer: str
    name: str
    cases: int  # cases of the month E answered, resolved or is assigned
    scores: tuple[Score, ...]
    flagged: int  # scores that need an explanation
    spent: str = "0m"  # time E spent on the month's cases (`--spent` on notes, replies, work orders)


class Bin(Struct, frozen=True):
    low: int
    high: int
    count: int


class Scorecards(Struct, frozen=True):
    pass_mark: float
    complaint_penalty: float
    cards: tuple[Scorecard, ...]
    distribution: tuple[Bin, ...]


def rounded(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _decided(sla: CaseSla | None, clocks: Sequence[str]) -> list[Outcome]:
    if sla is None:
        return []
    found = [outcome_of(run) for run in sla.clocks if run.name in clocks]
    return [o for o in found if o in (Outcome.MET, Outcome.BREACHED)]


class _Tally:
    """Counts per engineer for each score while the records are read."""

    def __init__(self) -> None:
        self.basis: Counter[tuple[str, ScoreKey]] = Counter()
        self.good: dict[tuple[str, ScoreKey], float] = {}
        self.cases: dict[str, set[str]] = {}
        self.spent: dict[str, timedelta] = {}

    def add(self, engineer: str, key: ScoreKey, good: float) -> None:
        self.basis[(engineer, key)] += 1
        self.good[(engineer, key)] = self.good.get((engineer, key), 0.0) + good

    def touch(self, engineer: str | None, case_id: str) -> None:
        if engineer:
            self.cases.setdefault(engineer, set()).add(case_id)


def _from_cases(tally: _Tally, cases: Iterable[CaseWithSla], rule: ScoreRule) -> None:
    for case in cases:
        data, case_id = case.data, str(case.data.get("id"))
        for who in (data.get("assignee"), facts.responder(data), facts.resolver(data)):
            tally.touch(str(who) if who else None, case_id)
        responder = facts.responder(data)
        if responder:
            for outcome in _decided(case.sla, rule.response_clocks):
                tally.add(responder, ScoreKey.RESPONSE, outcome is Outcome.MET)
        resolver = facts.resolver(data)
        if resolver and facts.is_resolved(data) and rule.solve == "handling":
            target, spent = rule.handling_target(str(data.get("level"))), total_spent(data)
            if target is not None and spent:  # a case with no time recorded has nothing to go on
                tally.add(resolver, ScoreKey.SOLVE, spent <= target)
        elif resolver and facts.is_resolved(data):
            solve = _decided(case.sla, rule.solve_clocks)
            if solve:
                tally.add(resolver, ScoreKey.SOLVE, all(o is Outcome.MET for o in solve))
        for who, undone in facts.resolutions(data):
            tally.add(who, ScoreKey.QUALITY, not undone)
        for who, took in spent_by(data.get("events") or []).items():
            tally.touch(who, case_id)
            tally.spent[who] = tally.spent.get(who, timedelta(0)) + took


def _from_surveys(tally: _Tally, surveys: Iterable[tuple[SurveyFacts, str | None]], scale: SurveyScale) -> None:
    for survey, engineer in surveys:
        if engineer is None or not survey.answered:
            continue
        for question, rating in survey.ratings:
            tally.add(engineer, ScoreKey.SATISFACTION, scale.normalised(rating))
            if question == ScoreKey.ATTITUDE:
                tally.add(engineer, ScoreKey.ATTITUDE, scale.normalised(rating))


def _score(tally: _Tally, engineer: str, key: ScoreKey, rule: ScoreRule,
           explanation: Explanation | None) -> Score:
    basis, good = tally.basis[(engineer, key)], tally.good.get((engineer, key), 0.0)
    value: float | None
    if key is ScoreKey.COMPLAINTS:
        value = max(0.0, 10 - rule.complaint_penalty * basis)
        good_value: float | None = None
    elif basis:
        value = 10 * good / basis
        good_value = round(good, 4)
    else:
        value, good_value = None, None
    score = rounded(value) if value is not None else None
    needs = score is not None and score < rule.pass_mark and explanation is None
    return Score(key, score, basis, good_value, needs, explanation)


def build(
    cases: Sequence[CaseWithSla],
    surveys: Sequence[tuple[SurveyFacts, str | None]],
    complaints: Sequence[tuple[str, str]],
    explanations: Mapping[str, Mapping[str, Explanation]],
    name_of: Callable[[str], str],
    rule: ScoreRule,
    scale: SurveyScale,
    scored: Callable[[str], bool] = lambda _handle: True,
) -> Scorecards:
    """`surveys`: (survey, the engineer it is about); `complaints`: (complaint case, engineer it is about)."""
    tally = _Tally()
    _from_cases(tally, cases, rule)
    _from_surveys(tally, surveys, scale)
    for complaint, engineer in complaints:
        tally.add(engineer, ScoreKey.COMPLAINTS, 0)
    engineers = sorted(who for who in set(tally.cases) | {who for who, _key in tally.basis} if scored(who))
    cards = []
    for engineer in engineers:
        notes = explanations.get(engineer, {})
        scores = tuple(_score(tally, engineer, key, rule, notes.get(str(key))) for key in SCORE_KEYS)
        cards.append(Scorecard(engineer, name_of(engineer), len(tally.cases.get(engineer, ())), scores,
                               sum(1 for s in scores if s.needs_explanation),
                               format_duration(tally.spent.get(engineer, timedelta(0)))))
    given = [s.score for card in cards for s in card.scores if s.score is not None]
    bins = tuple(Bin(low, low + 1, sum(1 for s in given if low <= s < low + 1 or (low == 9 and s == 10)))
                 for low in range(10))
    return Scorecards(rule.pass_mark, rule.complaint_penalty, tuple(cards), bins)


def engineer_of(case: Mapping[str, Any] | None) -> str | None:
    """Whom a survey or complaint about `case` is about: its assignee, else who resolved it."""
    if case is None:
        return None
    assignee = case.get("assignee")
    return str(assignee) if assignee else facts.resolver(case)
