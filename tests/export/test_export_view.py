"""What a customer sees of a case in an export (export/view.py): chosen fields, never the desk's bookkeeping."""

from __future__ import annotations

from casefile.export.view import case_view


def test_a_case_shows_its_customer_visible_history_without_keys_roles_or_whom_the_desk_paged() -> None:
    data = {
        "id": "KMT-00417", "title": "Printer offline", "type": "incident", "level": "C", "status": "closed",
        "policy": "f2402f5d", "caller": {"name": "Zhang Wei", "verified": True},
        "links": [{"rel": "survey", "to": "SV-KMT-00417"}, "KMT-00418"],
        "events": [{"at": "2026-11-19T11:00:00+08:00", "by": "check", "kind": "breach", "text": "restore breached",
                    "fields": {"key": "breach/restore", "roles": ["general-manager"], "notified": ["chen.jie"],
                               "clock": "restore", "due_at": "2026-11-19T10:45:00+08:00"}},
                   {"at": "2026-11-19T11:05:00+08:00", "by": "li.na", "kind": "note", "visibility": "internal",
                    "text": "Paged Chen Jie"},
                   {"at": "2026-11-19T11:10:00+08:00", "by": "li.na", "kind": "progress", "visibility": "customer",
                    "text": "The fuser unit is on its way.",
                    "fields": {"key": "mail/KMT-00417/progress/1", "mailed_to": ["zhang.wei@acme.example"],
                               "clock": "progress"}}],
    }
    view = case_view(data, "HP M607 shows E-04.\n", exported={"KMT-00418"})
    assert view["caller"] == [("name", "Zhang Wei")]
    assert view["links"] == ["KMT-00418"]  # only records that are in the export
    # Issue 15: the breach and the internal note are not the customer's; the progress report is.
    assert [e["text"] for e in view["events"]] == ["The fuser unit is on its way."]
    assert "f2402f5d" not in repr(view) and "chen.jie" not in repr(view) and "Chen Jie" not in repr(view)
    assert view["description"] == "HP M607 shows E-04."
