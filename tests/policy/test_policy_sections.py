"""The policy is parsed once, into typed sections (policy/model.py); the other sections on first use."""

from __future__ import annotations

import pytest

from casefile.policy.model import default_policy_text, parse_policy
from casefile.policy.people import UnknownPerson, check_handle, parse_people
from casefile.records.yamlio import RecordError


def test_the_default_policy_has_every_section_typed() -> None:
    policy = parse_policy(default_policy_text())
    assert list(policy.levels) == ["A", "B", "C", "D"]
    assert set(policy.calendars) == {"7x24", "5x24", "5x8"}
    assert policy.surveys.scale[0].label_zh == "很满意"
    assert policy.inspections.defaults.cadence.text == "quarterly"
    assert policy.inspections.checklist(None).name == "default"
    assert (policy.reports.bulletin.day, policy.reports.scores.pass_mark) == (5, 8.0)
    assert policy.survey_scale.follow_up == frozenset({"dissatisfied"})
    policy.check_sections()


def test_a_mistake_in_a_section_refuses_only_what_reads_it() -> None:
    text = default_policy_text().replace("    day: 5\n", "    day: 40\n")
    assert "    day: 40\n" in text
    policy = parse_policy(text)  # a command that never reads `reports:` still works
    assert policy.levels["A"].coverage == "7x24"
    with pytest.raises(RecordError, match="reports.monthly.day: expected a day of the month from 1 to 28"):
        policy.reports
    with pytest.raises(RecordError, match="reports.monthly.day"):
        policy.check_sections()


def test_an_unknown_inspection_checklist_is_named_with_the_known_ones() -> None:
    with pytest.raises(Exception, match="no checklist 'network' in the policy"):
        parse_policy(default_policy_text()).inspections.checklist("network")


def test_people_and_their_roles() -> None:
    people = parse_people("people:\n  li.na:\n    name: Li Na\n    email: Li.Na@Example.com\n"
                          "    roles: [service-desk]\n  zhao.lei: {name: Zhao Lei}\n")
    assert people.by_email("li.na@example.com").handle == "li.na"  # type: ignore[union-attr]
    assert [p.handle for p in people.holders("service-desk")] == ["li.na"]
    with pytest.raises(UnknownPerson, match="known: li.na, zhao.lei"):
        people.get("wang.fang")
    with pytest.raises(RecordError, match="must be lower case"):
        parse_people("people:\n  Li.Na: {name: x}\n")
    assert check_handle("wang-fang") == "wang-fang"
