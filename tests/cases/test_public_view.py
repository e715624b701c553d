"""What the customer sees of a case (cases/public.py): an allow-list of its log, tested with plain mappings."""

from __future__ import annotations

from casefile.cases.public import customer_entries, status_view

AT = "2026-10-03T02:{:02d}:00+08:00"


def test_only_replies_mails_and_milestones_are_shown_and_milestones_without_their_reasons() -> None:
    data = {"id": "KMT-00417", "title": "Core switch down", "level": "A", "status": "open", "events": [
        {"at": AT.format(0), "by": "wang.fang", "kind": "opened", "text": "Opened via phone"},
        {"at": AT.format(1), "by": "wang.fang", "kind": "assigned", "fields": {"assignee": {"from": None, "to": "ma.qiang"}}},
        {"at": AT.format(30), "by": "check", "kind": "ladder", "text": "escalate to general-manager",
         "fields": {"notified": ["chen.jie"]}},
        {"at": AT.format(31), "by": "check", "kind": "breach", "text": "onsite breached"},
        {"at": AT.format(35), "by": "ma.qiang", "kind": "note", "visibility": "internal", "text": "Paged Chen Jie"},
        {"at": AT.format(36), "by": "ma.qiang", "kind": "progress", "text": "a progress note of old (no visibility)"},
        {"at": AT.format(40), "by": "ma.qiang", "kind": "paused", "text": "RMA from Cisco, case 69xxxx",
         "fields": {"waiting_on": "vendor"}},
        {"at": AT.format(45), "by": "ma.qiang", "kind": "resumed"},
        {"at": AT.format(50), "by": "ma.qiang", "kind": "progress", "visibility": "customer", "text": "On site."},
        {"at": AT.format(55), "by": "intake", "kind": "mail", "visibility": "customer", "text": "谢谢！"},
        {"at": AT.format(59), "by": "ma.qiang", "kind": "reopened", "text": "Tech error: wrong module"},
    ]}
    entries = customer_entries(data)
    assert [(e.kind, e.text) for e in entries] == [
        ("opened", ""), ("paused", ""), ("resumed", ""), ("progress", "On site."), ("mail", "谢谢！"), ("reopened", "")]
    assert [e.from_customer for e in entries] == [False, False, False, False, True, False]
    assert entries[3].label_zh == "进展报告"


def test_the_status_view_names_the_status_and_level_in_words_and_the_resolution_once_restored() -> None:
    data = {"id": "KMT-00417", "title": "t", "level": "A", "status": "resolved", "resolved_at": AT.format(50),
            "resolution": "Module replaced.", "events": []}
    view = status_view(data, ("critical", "重大"))
    assert (view["status_words_zh"], view["level_words_zh"], view["resolution"]) == (
        "服务已恢复，待您确认", "重大", "Module replaced.")
    assert status_view({**data, "status": "open", "resolved_at": None})["resolution"] is None
