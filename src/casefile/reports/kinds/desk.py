"""Service-desk KPIs (seed 004, chapter 12): answered in time, handover, first contact, courtesy.

Pure.  Over the cases received in the period and the surveys issued in it:

* answered within target = response clocks met / decided (the same outcomes
  as the SLA report), overall and per level;
* time to hand over to second line = working time, on the case's coverage
  calendar, from the report to the first move to L2, L3 or vendor; mean,
  median and worst over the cases handed over;
* first-contact resolution = cases flagged `first_contact` / cases received;
* resolved at the desk = resolved cases never handed over / resolved cases
  (the desk as a filter, seed 004 chapter 2);
* all SLA targets = every clock met / decided;
* courtesy = the answers to the `attitude` question (seed 004: "电话回答是否有
  礼貌"): how many of each, and their mean normalised score; satisfaction =
  every answer's mean; survey response = answered / issued.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from casefile.policy.surveys import SurveyScale
from casefile.reports import facts
from casefile.reports.kinds.sla import Outcome, outcome_of
from casefile.reports.model import CaseWithSla, Share, mean, median
from casefile.reports.surveyfacts import SurveyFacts
from casefile.sla.engine import CaseSla
from casefile.values import Struct
from casefile.worktime.calendar import WorkCalendar


class LevelShare(Struct, frozen=True):
    level: str
    answered_in_time: Share


class Handover(Struct, frozen=True):
    handed_over: Share  # cases handed over / received
    mean: timedelta | None
    median: timedelta | None
    worst: timedelta | None


class RatingCount(Struct, frozen=True):
    rating: str
    label: str
    label_zh: str
    count: int


class Answers(Struct, frozen=True):
    count: int
    mean_normalised: float | None
    ratings: tuple[RatingCount, ...]


class DeskKpis(Struct, frozen=True):
    received: int
    answered_in_time: Share
    per_level: tuple[LevelShare, ...]
    handover: Handover
    first_contact: Share
    resolved_at_desk: Share
    all_targets: Share
    courtesy: Answers
    satisfaction: Answers
    survey_response: Share


def _outcomes(sla: CaseSla | None, clocks: Sequence[str] | None) -> list[Outcome]:
    if sla is None:
        return []
    found = [outcome_of(run) for run in sla.clocks if clocks is None or run.name in clocks]
    return [o for o in found if o in (Outcome.MET, Outcome.BREACHED)]


def _share(outcomes: Sequence[Outcome]) -> Share:
    return Share(sum(1 for o in outcomes if o is Outcome.MET), len(outcomes))


def answers(surveys: Sequence[SurveyFacts], scale: SurveyScale, question: str | None) -> Answers:
    ratings = [r for s in surveys if s.answered for q, r in s.ratings if question is None or q == question]
    counts = Counter(r.key for r in ratings)
    total = sum(scale.normalised(r) for r in ratings)
    return Answers(
        count=len(ratings),
        mean_normalised=round(total / len(ratings), 4) if ratings else None,
        ratings=tuple(RatingCount(r.key, r.label, r.label_zh, counts[r.key]) for r in scale.ratings),
    )


def build(
    cases: Sequence[CaseWithSla],
    surveys: Sequence[SurveyFacts],
    levels: Sequence[str],
    response_clocks: Sequence[str],
    coverage_of: Callable[[Mapping[str, Any]], WorkCalendar | None],
    scale: SurveyScale,
) -> DeskKpis:
    handovers: list[timedelta] = []
    resolved = at_desk = 0
    for case in cases:
        data = case.data
        moved = facts.handover_at(data)
        calendar = coverage_of(data) if moved else None
        if moved and calendar is not None:
            handovers.append(calendar.working_time(facts.opened_at(data), moved))
        if facts.is_resolved(data):
            resolved += 1
            at_desk += moved is None
    per_level = []
    for level in levels:
        of_level = [o for c in cases if str(c.data.get("level")) == level for o in _outcomes(c.sla, response_clocks)]
        if of_level:
            per_level.append(LevelShare(level, _share(of_level)))
    return DeskKpis(
        received=len(cases),
        answered_in_time=_share([o for c in cases for o in _outcomes(c.sla, response_clocks)]),
        per_level=tuple(per_level),
        handover=Handover(Share(len(handovers), len(cases)), mean(handovers), median(handovers),
                          max(handovers, default=None)),
        first_contact=Share(sum(1 for c in cases if facts.first_contact(c.data)), len(cases)),
        resolved_at_desk=Share(at_desk, resolved),
        all_targets=_share([o for c in cases for o in _outcomes(c.sla, None)]),
        courtesy=answers(surveys, scale, "attitude"),
        satisfaction=answers(surveys, scale, None),
        survey_response=Share(sum(1 for s in surveys if s.answered), len(surveys)),
    )
