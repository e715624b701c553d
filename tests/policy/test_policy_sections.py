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


def test_the_attachment_limit_and_handling_time_scoring_are_read_and_checked() -> None:
    from datetime import timedelta

    assert parse_policy(default_policy_text()).attachments.max_size == 10 * 1024**2
    assert parse_policy(default_policy_text() + "attachments:\n  max_size: 2.5MB\n").attachments.max_size == 2621440
    for bad, says in (("attachments:\n  max_size: big\n", "attachments.max_size 'big' is not a size"),
                      ("attachments:\n  max_size: 0\n", "attachments.max_size must be larger than zero"),
                      ("attachments:\n  limit: 1MB\n", "attachments must be a mapping with max_size")):
        with pytest.raises(RecordError, match=says):
            parse_policy(default_policy_text() + bad).check_sections()
    assert parse_policy(default_policy_text()).reports.scores.solve == "clocks"
    def engineers(lines: str) -> str:
        return default_policy_text().replace("  engineers:\n", "  engineers:\n" + lines, 1)

    text = engineers("    solve: handling\n    handling_targets: {A: 2h, B: 4h}\n")
    scores = parse_policy(text).reports.scores
    assert (scores.solve, scores.handling_target("A"), scores.handling_target("C")) == (
        "handling", timedelta(hours=2), None)
    one = engineers("    solve: handling\n    handling_targets: 4h\n")
    assert parse_policy(one).reports.scores.handling_target("D") == timedelta(hours=4)
    for bad, says in (("    solve: handling\n", "solve: handling needs"),
                      ("    solve: fast\n", "expected clocks or handling"),
                      ("    solve: handling\n    handling_targets: {Z: 2h}\n", "not a level of the policy"),
                      ("    solve: handling\n    handling_targets: {A: 2d}\n", "time spent is hours and minutes"),
                      ("    handling_targets: {A: 2h}\n", "is used with solve: handling")):
        with pytest.raises(RecordError, match=says):
            parse_policy(engineers(bad)).reports
