"""The survey policy: defaults from seed 004, answers on the scale, sampling, follow-up (pure)."""

from __future__ import annotations

import pytest

from casefile.errors import CasefileError
from casefile.policy.surveys import sampled, survey_policy
from casefile.records.yamlio import RecordError


def test_the_default_form_is_the_seed_004_annex() -> None:
    policy = survey_policy({})
    assert [q.label_zh for q in policy.questions] == ["仪态、服务态度", "服务质量", "技术能力", "响应速度"]
    assert [a.label_zh for a in policy.scale] == ["很满意", "较满意", "一般", "不满意"]
    assert (policy.sample_percent, policy.delay_hours, policy.throttle_days, policy.expire_days) == (
        100,
        0,
        0,
        30,
    )


@pytest.mark.parametrize("text", ["dissatisfied", "Dissatisfied", "不满意", "1"])
def test_an_answer_by_key_label_chinese_label_or_score(text: str) -> None:
    assert survey_policy({}).answer(text).key == "dissatisfied"


def test_an_answer_outside_the_scale_is_refused_with_the_scale() -> None:
    with pytest.raises(CasefileError) as error:
        survey_policy({}).answer("excellent")
    assert "很满意" in str(error.value) and "not on the scale" in str(error.value)


def test_follow_up_on_a_dissatisfied_answer_or_a_low_average() -> None:
    policy = survey_policy({})
    assert policy.needs_follow_up({"attitude": "satisfied", "speed": "dissatisfied"}) == [
        "response speed: dissatisfied"
    ]
    assert policy.needs_follow_up({"attitude": "neutral", "speed": "neutral"}) == []
    strict = survey_policy({"surveys": {"follow_up": {"average_below": 2.5}}})
    # (2 + 2) / 2 = 2.00 < 2.5
    assert strict.needs_follow_up({"attitude": "neutral", "speed": "neutral"}) == [
        "average score 2.00 below 2.5"
    ]


def test_sampling_is_decided_by_the_case_number_alike_everywhere() -> None:
    ids = [f"SV-KMT-{n:05d}" for n in range(1, 401)]
    half = [i for i in ids if sampled(i, 50)]
    assert half == [i for i in ids if sampled(i, 50)]
    assert 150 < len(half) < 250
    assert all(sampled(i, 100) for i in ids) and not any(sampled(i, 0) for i in ids)


@pytest.mark.parametrize(
    "section",
    [
        {"sample_percent": 120},
        {"scale": [{"key": "good"}]},
        {"follow_up": {"answers": ["awful"]}},
        {"schedule": "fortnightly"},
        {"questions": [{"key": "a"}, {"key": "a"}]},
    ],
)
def test_a_bad_survey_policy_is_refused(section: dict[str, object]) -> None:
    with pytest.raises(RecordError):
        survey_policy({"surveys": section})
