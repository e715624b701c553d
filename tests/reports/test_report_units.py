"""The pure parts of the reports, without a repository: periods, the bulletin's due day, scores, words."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from casefile.policy.surveys import SurveyScale, survey_scale
from casefile.reports.kinds.engineers import rounded
from casefile.reports.kinds.monthly import due_on
from casefile.reports.period import BadPeriod, period_of, quarter_of
from casefile.reports.render.labels import LABELS
from casefile.worktime.config import calendar_from_policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN_5X8 = calendar_from_policy("5x8", {"timezone": "Asia/Shanghai", "holidays": "CN",
                                      "hours": ["09:00-12:00", "13:00-18:00"]})


def test_periods() -> None:
    today = date(2026, 12, 7)
    november = period_of(None, None, None, SHANGHAI, today)  # default: last month
    assert (november.label, november.start, november.end) == (
        "2026-11", datetime(2026, 11, 1, tzinfo=SHANGHAI), datetime(2026, 12, 1, tzinfo=SHANGHAI))
    assert period_of("2026-02", None, None, SHANGHAI, today).last_day == date(2026, 2, 28)
    assert period_of("2026-01", None, None, SHANGHAI, today).previous().label == "2025-12"
    weeks = period_of(None, "2026-11-01", "2026-11-14", SHANGHAI, today)
    assert (weeks.label, weeks.month, weeks.previous().label) == (
        "2026-11-01..2026-11-14", None, "2026-10-18..2026-10-31")
    assert period_of(None, "2026-10-01", "2026-12-31", SHANGHAI, today).months() == [(2026, 10), (2026, 11),
                                                                                      (2026, 12)]
    assert period_of(None, "2026-11-01", "2026-11-30", SHANGHAI, today).month == "2026-11"
    for bad in (("2026-00", None, None), ("2026-1", None, None), (None, "2026-11-01", None)):
        with pytest.raises(BadPeriod):
            period_of(*bad, SHANGHAI, today)
    assert [quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 12)] == ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q4"]


@pytest.mark.parametrize("month, due", [
    ("2026-11", date(2026, 12, 7)),  # 12-05 is a Saturday
    ("2026-09", date(2026, 10, 8)),  # 10-05..07 are National Day holidays
    ("2026-01", date(2026, 2, 5)),  # a Thursday
    ("2026-04", date(2026, 5, 6)),  # Labour Day: 05-01, 05-04, 05-05 off (05-09 is a make-up Saturday)
    ("2025-12", date(2026, 1, 5)),  # a Monday
])
def test_the_bulletin_is_due_on_the_fifth_or_the_next_working_day(month: str, due: date) -> None:
    assert due_on(month, 5, CN_5X8) == due


def test_scores_round_half_up_to_one_decimal() -> None:
    assert [rounded(v) for v in (10 * 2 / 3, 10 * 5 / 6, 7.25, 7.35, 0.05, 10.0)] == [6.7, 8.3, 7.3, 7.4, 0.1, 10.0]


def test_the_survey_scale_reads_keys_labels_chinese_and_scores() -> None:
    scale = SurveyScale()
    assert [scale.rating(a).key for a in ("很满意", "Satisfied", "neutral", "1")] == [  # type: ignore[union-attr]
        "very-satisfied", "satisfied", "neutral", "dissatisfied"]
    assert scale.rating("excellent") is None
    assert [round(scale.normalised(r), 4) for r in scale.ratings] == [1.0, 0.6667, 0.3333, 0.0]
    five = survey_scale({"surveys": {"scale": [{"key": k, "score": s} for k, s in
                                               (("top", 5), ("good", 4), ("ok", 3), ("poor", 2), ("bad", 1))]}})
    assert five.normalised(five.rating("good")) == 0.75  # type: ignore[arg-type]


def test_both_languages_have_the_same_words() -> None:
    def keys(value: object, prefix: str = "") -> set[str]:
        if isinstance(value, dict):
            return {k for key, v in value.items() for k in keys(v, f"{prefix}.{key}")} | {prefix}
        return {prefix}

    assert keys(LABELS["en"]) == keys(LABELS["zh"])
