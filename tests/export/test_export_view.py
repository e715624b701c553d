"""What a customer sees of a case in an export (export/view.py): an allow-list, never the desk's bookkeeping."""

from __future__ import annotations

from casefile.export.view import case_view


def test_a_case_shows_its_history_without_internal_events_keys_roles_or_whom_the_desk_paged() -> None:
    data = {
        "id": "KMT-00417", "title": "Printer offline", "type": "incident", "level": "C", "status": "closed",
        "channel": "phone", "tier": "L2",
        "policy": "f2402f5d", "caller": {"name": "Zhang Wei", "verified": True},
        "links": [{"rel": "survey", "to": "SV-KMT-00417"}, "KMT-00418"],
        "events": [
            {"at": "2026-11-19T09:00:00+08:00", "by": "wang.fang", "kind": "opened", "text": "Printer offline"},
            {"at": "2026-11-19T10:00:00+08:00", "by": "wang.fang", "kind": "paused", "text": "toner on order",
             "fields": {"status": {"from": "open", "to": "pending"}, "waiting_on": "vendor"}},
            {"at": "2026-11-19T11:00:00+08:00", "by": "check", "kind": "breach", "text": "restore breached",
             "fields": {"key": "breach/restore", "roles": ["general-manager"], "notified": ["chen.jie"]}},
            {"at": "2026-11-19T11:00:00+08:00", "by": "check", "kind": "ladder", "text": "to the general manager"},
            {"at": "2026-11-19T11:05:00+08:00", "by": "li.na", "kind": "merged", "text": "kept level C"},
            {"at": "2026-11-19T11:06:00+08:00", "by": "li.na", "kind": "edited", "text": "by hand"},
            {"at": "2026-11-19T11:07:00+08:00", "by": "li.na", "kind": "escalated", "text": "to chen.jie"},
        ],
    }
    view = case_view(data, "HP M607 shows E-04.\n", exported={"KMT-00418"}, lang="en", minute=lambda v: str(v)[:16])
    assert view["caller"] == [("name", "Zhang Wei")]
    assert view["links"] == ["KMT-00418"]  # only records that are in the export
    assert [e["kind"] for e in view["events"]] == ["Case opened", "Waiting"]
    assert view["events"][1]["details"] == "Waiting for: the vendor"
    assert ("Channel", "Phone") in view["fields"] and not any(label == "Tier" for label, _ in view["fields"])
    for internal in ("f2402f5d", "chen.jie", "general-manager", "breach", "ladder", "merged", "by hand"):
        assert internal not in repr(view)
    assert view["description"] == "HP M607 shows E-04."
    zh = case_view(data, "", exported=(), lang="zh", minute=str)
    assert ("受理渠道", "电话") in zh["fields"] and zh["events"][0]["kind"] == "受理"
