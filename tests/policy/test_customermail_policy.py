"""The `notify:` and `intake:` sections of the policy (issue 15): defaults, rules, and mistakes named."""

from __future__ import annotations

import pytest

from casefile.policy.customermail import intake_policy, notify_policy
from casefile.records.yamlio import RecordError

LEVELS = ["A", "B", "C", "D"]


def test_the_defaults_mail_a_and_b_always_and_c_and_d_on_open_reply_and_close() -> None:
    policy = notify_policy({}, LEVELS, "policy.yaml")
    assert policy.notifies("A", "progress", "sz-metro") and policy.notifies("B", "restored", None)
    assert not policy.notifies("C", "restored", "acme-sz") and policy.notifies("D", "closed", "acme-sz")
    assert policy.notifies("C", "reply", None)


def test_a_customer_can_opt_out_and_a_level_copy_contacts() -> None:
    policy = notify_policy({"notify": {"opt_out": ["beta-gz"], "contacts": {"A": ["IT manager"]}}}, LEVELS, "p")
    assert not policy.notifies("A", "opened", "beta-gz") and policy.notifies("A", "opened", "acme-sz")
    assert policy.copied_roles("A") == ("IT manager",) and policy.copied_roles("B") == ()


@pytest.mark.parametrize(("section", "words"), [
    ({"notify": {"events": {"A": ["opened", "paged"]}}}, "'paged' is not one of"),
    ({"notify": {"events": {"E": ["opened"]}}}, "'E' is not a level"),
    ({"notify": {"night": "sometimes"}}, "notify.night must be true or false"),
    ({"intake": {"level": "Z"}}, "intake.level 'Z' is not a level"),
    ({"intake": {"max_attachment": "big"}}, "intake.max_attachment 'big' is not a size"),
    ({"intake": {"rules": [{"subject": "(", "level": "A"}]}}, "intake.rules[0].subject is not a regular expression"),
    ({"intake": {"reopen_days": -1}}, "intake.reopen_days must be a whole number"),
])
def test_a_mistake_is_named(section: dict[str, object], words: str) -> None:
    with pytest.raises(RecordError) as raised:
        notify_policy(section, LEVELS, "policy.yaml")
        intake_policy(section, LEVELS, "policy.yaml")
    assert words in str(raised.value)


def test_intake_rules_choose_level_and_category_first_match_wins() -> None:
    policy = intake_policy({"intake": {"max_attachment": "512KB", "rules": [
        {"subject": "宕机|outage", "level": "A", "category": "network"},
        {"customer": "sz-metro", "level": "B"},
    ]}}, LEVELS, "policy.yaml")
    assert policy.max_attachment == 512 * 1024
    assert policy.classify("核心交换机宕机", "", "acme-sz") == ("A", "network")
    assert policy.classify("Printer offline", "", "sz-metro") == ("B", None)
    assert policy.classify("Printer offline", "", "acme-sz") == ("C", None)
