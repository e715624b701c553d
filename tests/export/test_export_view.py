"""What a customer sees of a case in an export (export/view.py): chosen fields, never the desk's bookkeeping."""

from __future__ import annotations

from casefile.export.view import case_view


def test_a_case_shows_its_history_without_keys_roles_or_whom_the_desk_paged() -> None:
    data = {
        "id": "KMT-00417", "title": "Printer offline", "type": "incident", "level": "C", "status": "closed",
        "policy": "f2402f5d", "caller": {"name": "Zhang Wei", "verified": True},
        "links": [{"rel": "survey", "to": "SV-KMT-00417"}, "KMT-00418"],
        "events": [{"at": "2026-11-19T11:00:00+08:00", "by": "check", "kind": "breach", "text": "restore breached",
                    "fields": {"key": "breach/restore", "roles": ["general-manager"], "notified": ["chen.jie"],
                               "clock": "restore", "due_at": "2026-11-19T10:45:00+08:00"}}],
    }
    view = case_view(data, "HP M607 shows E-04.\n", exported={"KMT-00418"})
    assert view["caller"] == [("name", "Zhang Wei")]
    assert view["links"] == ["KMT-00418"]  # only records that are in the export
    assert view["events"][0]["details"] == "clock: restore; due_at: 2026-11-19T10:45:00+08:00"
    assert "f2402f5d" not in repr(view) and "chen.jie" not in repr(view)
    assert view["description"] == "HP M607 shows E-04."
