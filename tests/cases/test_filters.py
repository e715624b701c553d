"""The filter language of `list --where`, `bulk --where` and saved views, without a repository."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from casefile.cases.filters import Context, FilterError, both, parse_filter, widened
from casefile.cases.listing import CaseFilter

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=CST)  # a level-A network outage at 02:00
LEVELS = ["A", "B", "C", "D"]


def row(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "KMT-00001", "title": "Core switch down", "type": "incident", "level": "A",
                               "status": "open", "customer": "acme-sz", "assignee": "li.na", "tier": "L2",
                               "category": "network/switch", "caller": "Zhang Wei", "tags": [],
                               "opened_at": "2026-12-02T01:40:00+08:00", "updated_at": "2026-12-02T01:50:00+08:00",
                               "sla": {"next_due_at": "2026-12-02T02:10:00+08:00", "breached": [], "paused": False}}
    base.update(fields)
    return base


def matches(text: str, data: dict[str, object], me: str | None = None) -> bool:
    return parse_filter(text, CST, LEVELS).matches(data, Context(NOW, me))


def test_the_issue_example_matches_field_by_field() -> None:
    text = "level in (A,B) and customer = acme-sz and due < 2h"
    assert matches(text, row())
    assert not matches(text, row(level="C"))
    assert not matches(text, row(customer="sz-metro"))
    assert not matches(text, row(sla={"next_due_at": "2026-12-02T05:00:00+08:00", "breached": [], "paused": False}))
    assert not matches(text, row(sla=None))  # closed: no running clock, so nothing is due


def test_and_binds_tighter_than_or_and_parentheses_and_not_change_it() -> None:
    assert matches("level = C and status = pending or tag = vip", row(tags=["vip"]))
    assert not matches("level = C and (status = pending or tag = vip)", row(tags=["vip"]))
    assert matches("not (level = C or level = D)", row())
    assert matches("not tag = vip", row()) and not matches("not tag = vip", row(tags=["vip"]))
    assert matches("tag not in (vip, network)", row(tags=["site/3f"]))


def test_me_none_contains_and_case_insensitive_ids() -> None:
    assert matches("assignee = me and status = open", row(), me="li.na")
    assert not matches("assignee = me", row(), me="wang.fang")
    assert matches("assignee = none", row(assignee=None)) and not matches("assignee = none", row())
    assert matches('assignee = "none"', row(assignee="none"))  # quoted: the text itself
    assert matches("title ~ SWITCH", row()) and matches('caller ~ "zhang w"', row())
    assert matches("id = kmt-00001 and level = a", row())


def test_times_ages_and_flags() -> None:
    assert matches("opened >= 2026-12-02 and opened < 2026-12-02T02:00", row())
    assert matches("age > 15m and age < 1h and idle <= 10m", row())
    assert matches("due < 2026-12-02T02:30", row()) and not matches("due > 1h", row())
    assert matches("due = none", row(sla=None))
    late = row(sla={"next_due_at": "2026-12-02T01:30:00+08:00", "breached": ["onsite"], "paused": False})
    assert matches("breached and due < 0m", late) and matches("breached = onsite", late)
    assert not matches("breached = restore", late) and not matches("breached", row())
    assert matches("not paused", row())


def test_what_a_filter_says_about_statuses() -> None:
    assert parse_filter("assignee = li.na and status = open", CST, LEVELS).statuses == {"open"}
    assert parse_filter("status in (open, pending) and tag = vip", CST, LEVELS).statuses == {"open", "pending"}
    assert parse_filter("status = open or tag = vip", CST, LEVELS).statuses is None
    assert parse_filter("not status = closed", CST, LEVELS).statuses is None
    query = parse_filter("status = closed", CST, LEVELS)
    assert widened(CaseFilter(), query).statuses == {"closed"}  # not list's default of open and pending
    assert widened(CaseFilter(), parse_filter("not status = closed", CST, LEVELS)).everything
    assert widened(CaseFilter(), parse_filter("tag = vip", CST, LEVELS)) == CaseFilter()
    joined = both(parse_filter("assignee = me", CST, LEVELS), parse_filter("status = pending", CST, LEVELS))
    assert joined is not None and joined.uses_me and joined.statuses == {"pending"}


@pytest.mark.parametrize("text, column, says", [
    ("lvl = A", 1, "unknown field 'lvl'"),
    ("level = Z", 9, "level 'Z' is not one of A, B, C, D"),
    ("status = opne", 10, "status 'opne' is not one of"),
    ("level in (A,B and", 15, "expected ')'"),
    ("level = A and", 14, "expected a field, found the end"),
    ("level = A customer = x", 11, "expected 'and', 'or' or the end"),
    ("due < soon", 7, "'soon' is not a time"),
    ("age = 2h", 5, "age is a duration"),
    ("title < x", 7, "title is text"),
    ("tag = VIP!", 10, "unexpected '!'"),
    ("tag = -vip", 7, "'-vip' is not a tag"),
    ("level = A & x", 11, "found '&'"),
    ("", 1, "the filter is empty"),
    ("opened in (1, 2)", 1, "'in' is for text fields"),
])
def test_every_mistake_is_one_line_naming_the_column(text: str, column: int, says: str) -> None:
    with pytest.raises(FilterError) as raised:
        parse_filter(text, CST, LEVELS)
    message = str(raised.value)
    assert says in message and f"at column {column} " in message and "\n" not in message, message
