"""Escalation as a pure step (cases/escalation.py): functional up the tiers, to a person, or to a role."""

from __future__ import annotations

import pytest

from casefile.cases.escalation import EscalationTarget, escalate, target_of
from casefile.cases.links import LinkRel, add_link, linked
from casefile.cases.model import CaseDoc, new_case_data
from casefile.cases.ops import WorkflowError
from casefile.cases.vocabulary import Tier
from casefile.errors import CasefileError
from casefile.policy.people import People, Person

AT = "2026-11-19T02:50:00+08:00"
PEOPLE = People({
    "zhao.lei": Person("zhao.lei", "Zhao Lei", "zhao.lei@x", tier="L2", roles=("engineer",)),
    "sun.li": Person("sun.li", "Sun Li", "sun.li@x", tier="L3", roles=("expert-group",)),
    "chen.jie": Person("chen.jie", "Chen Jie", "chen.jie@x", roles=("technical-support-supervisor",)),
})
ROLES = ("engineer", "expert-group", "technical-support-supervisor")


def case(tier: str | None = "L1", assignee: str | None = "wang.fang") -> CaseDoc:
    return CaseDoc(new_case_data({"id": "KMT-00417", "title": "Core switch down", "type": "incident", "level": "A",
                                  "status": "open", "assignee": assignee, "tier": tier, "opened_at": AT}))


def test_to_reads_a_tier_a_person_or_a_role() -> None:
    assert target_of(None, PEOPLE, ROLES) == EscalationTarget()
    assert target_of("l3", PEOPLE, ROLES) == EscalationTarget(tier=Tier.L3)
    assert target_of("sun.li", PEOPLE, ROLES) == EscalationTarget(person="sun.li")
    assert target_of("technical-support-supervisor", PEOPLE, ROLES).role == "technical-support-supervisor"
    with pytest.raises(CasefileError, match="is not a tier, a person"):
        target_of("boss", PEOPLE, ROLES)


def test_the_next_tier_keeps_the_owner_and_tells_the_owner_and_the_group() -> None:
    # Issue 14: owner and group are separate; a move to another group keeps the owner.
    doc = case()
    change = escalate(doc, AT, "wang.fang", EscalationTarget(), "Needs an engineer", PEOPLE)
    assert (change.action, change.words) == ("escalate", "escalate to L2 (engineers)")
    event = doc.events[-1]
    assert event["fields"]["notified"] == ["wang.fang", "zhao.lei"] and doc.get("tier") == "L2"
    assert doc.get("assignee") == "wang.fang" and "assignee" not in event["fields"]


def test_a_new_owner_is_named_with_the_move() -> None:
    doc = case(tier="L2", assignee="zhao.lei")
    escalate(doc, AT, "zhao.lei", EscalationTarget(tier=Tier.L3), "Expert takes it", PEOPLE, owner="sun.li")
    assert (doc.get("assignee"), doc.get("tier")) == ("sun.li", "L3")
    assert doc.events[-1]["fields"]["assignee"] == {"from": "zhao.lei", "to": "sun.li"}
    assert doc.events[-1]["fields"]["notified"] == ["sun.li"]


def test_to_the_vendor_names_it_its_ticket_and_its_commitments() -> None:
    from casefile.cases.escalation import VendorHandover

    doc = case(tier="L3", assignee="zhao.lei")
    handover = VendorHandover("huawei", "Huawei", "HW-1", ("Huawei TAC <tac@huawei.example>",),
                              {"response": "30m"}, "7x24")
    change = escalate(doc, AT, "zhao.lei", EscalationTarget(tier=Tier.VENDOR), "Line card", PEOPLE, vendor=handover)
    assert change.words == "escalate to vendor huawei, ticket HW-1"
    assert (doc.get("assignee"), doc.get("tier"), doc.get("vendor"), doc.get("vendor_ticket")) == \
        ("zhao.lei", "vendor", "huawei", "HW-1")
    fields = doc.events[-1]["fields"]
    # The group that hands it over (the expert group) keeps following it up with the owner.
    assert fields["notified"] == ["zhao.lei", "sun.li"]
    assert fields["vendor_contacts"] == ["Huawei TAC <tac@huawei.example>"]
    assert (fields["vendor"], fields["ticket"], fields["commitments"], fields["calendar"]) == \
        ("huawei", "HW-1", {"response": "30m"}, "7x24")


def test_to_a_person_assigns_them_at_their_tier_and_to_a_role_keeps_the_case_where_it_is() -> None:
    doc = case()
    escalate(doc, AT, "wang.fang", EscalationTarget(person="sun.li"), "Database expert", PEOPLE)
    assert (doc.get("assignee"), doc.get("tier")) == ("sun.li", "L3")
    escalate(doc, AT, "wang.fang", EscalationTarget(role="technical-support-supervisor"), "CIO called", PEOPLE)
    assert (doc.get("assignee"), doc.get("tier")) == ("sun.li", "L3")
    assert doc.events[-1]["fields"] == {"role": "technical-support-supervisor", "notified": ["chen.jie"]}


def test_escalation_goes_up_never_down_and_needs_a_reason() -> None:
    with pytest.raises(WorkflowError, match="escalation goes up"):
        escalate(case(tier="L3"), AT, "x", EscalationTarget(tier=Tier.L2), "down", PEOPLE)
    with pytest.raises(WorkflowError, match="already with the vendor"):
        escalate(case(tier="vendor"), AT, "x", EscalationTarget(), "more", PEOPLE)
    with pytest.raises(WorkflowError, match="the reason is empty"):
        escalate(case(), AT, "x", EscalationTarget(), " ", PEOPLE)


def test_a_link_is_added_once() -> None:
    doc = case()
    assert add_link(doc, LinkRel.KB, "printer-e04") and not add_link(doc, LinkRel.KB, "printer-e04")
    assert linked(doc.data, LinkRel.KB) == ["printer-e04"] and linked(doc.data, LinkRel.SURVEY) == []
