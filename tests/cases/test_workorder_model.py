"""The work order, time spent and attachment models on plain mappings (no repository)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from casefile.cases.attachments import attachments_of, files_problems, free_path, path_problem
from casefile.cases.timespent import spent_by, spent_problems, total_spent
from casefile.cases.workorders import find, next_number, orders_of, unsigned_visits
from casefile.worktime.duration import DurationError, parse_spent

T = "2026-11-03T{}:00+08:00"


def onsite(at: str, number: str | None = None, by: str = "wang.fang", **fields: Any) -> dict[str, Any]:
    extra = {"workorder": number, "engineer": "li.na"} if number else {}
    return {"at": T.format(at), "by": by, "kind": "onsite", "text": "On site.",
            "fields": {"dispatched_at": T.format("10:05"), "arrived_at": T.format("10:40"), **extra, **fields}}


def signed(at: str, number: str, name: str) -> dict[str, Any]:
    return {"at": T.format(at), "by": "wang.fang", "kind": "workorder-signed",
            "fields": {"workorder": number, "signed_by": name, "signed_at": T.format(at)}}


def test_orders_fold_later_sign_offs_and_two_clones_numbering_alike_keep_both() -> None:
    case = {"id": "KMT-00417", "events": [onsite("12:00", "KMT-00417-W1"), onsite("12:01", "KMT-00417-W1"),
                                          signed("13:00", "KMT-00417-W1", "Zhang Wei")]}
    orders = orders_of(case)
    assert [(o.number, o.signed_by) for o in orders] == [("KMT-00417-W1", "Zhang Wei"), ("KMT-00417-W1", None)]
    assert find(case, "w1").recorded_at == T.format("12:01")  # the one still to sign
    assert next_number(case) == "KMT-00417-W2"
    assert [u.number for u in unsigned_visits(case)] == ["KMT-00417-W1"]


def test_an_onsite_note_is_covered_by_a_work_order_recorded_after_it_only() -> None:
    order_first = {"id": "KMT-00417", "events": [onsite("09:00", "KMT-00417-W1", signed_by="Zhang Wei"),
                                                 onsite("15:00")]}
    assert [(u.number, u.reason) for u in unsigned_visits(order_first)] == [(None, "no work order")]
    note_first = {"id": "KMT-00417", "events": [onsite("09:00"), onsite("15:00", "KMT-00417-W1", signed_by="Z")]}
    assert unsigned_visits(note_first) == []


def test_time_spent_counts_a_work_order_for_its_engineer_and_skips_what_it_cannot_read() -> None:
    events = [onsite("12:00", "KMT-00417-W1", spent="2h"),
              {"at": T.format("12:30"), "by": "wang.fang", "kind": "note", "fields": {"spent": "15m"}},
              {"at": T.format("12:40"), "by": "wang.fang", "kind": "note", "fields": {"spent": "soon"}},
              {"at": T.format("12:50"), "by": "wang.fang", "kind": "note", "fields": {"spent": "2d"}}]
    assert spent_by(events) == {"li.na": timedelta(hours=2), "wang.fang": timedelta(minutes=15)}
    assert total_spent({"events": events}) == timedelta(hours=2, minutes=15)
    assert [index for index, _message in spent_problems(events)] == [2, 3]


@pytest.mark.parametrize("text", ["0m", "2d", "25h", "1d4h", "45", "soon", ""])
def test_spent_is_hours_and_minutes_of_one_entry(text: str) -> None:
    with pytest.raises(DurationError):
        parse_spent(text)


def test_parse_spent_reads_the_usual_spellings() -> None:
    assert [parse_spent(t) for t in ("45m", "1h30m", "24h", "90s")] == [
        timedelta(minutes=45), timedelta(hours=1, minutes=30), timedelta(hours=24), timedelta(seconds=90)]


def test_attachment_entries_are_checked_and_listed() -> None:
    ok = {"path": "attachments/KMT-00417/log.txt", "name": "log.txt", "size": 12, "public": False}
    events = [{"at": T.format("10:00"), "by": "li.na", "kind": "attached", "fields": {"files": [ok]}},
              {"at": T.format("10:01"), "by": "li.na", "kind": "attached",
               "fields": {"files": [{"path": "attachments/KMT-00418/../x", "public": "yes", "size": -1}]}},
              {"at": T.format("10:02"), "by": "intake", "kind": "mail",
               "fields": {"attachments": ["attachments/KMT-00417/photo.jpg"]}}]
    assert [(a.name, a.public, a.source) for a in attachments_of({"events": events})] == [
        ("log.txt", False, "attach"), ("x", False, "attach"), ("photo.jpg", False, "mail")]
    problems = [message for _index, message in files_problems(events, "KMT-00417")]
    assert len(problems) == 3 and "belongs in attachments/<case>/<name>" in problems[0]
    assert path_problem("attachments/KMT-00417/.hidden") and path_problem("attachments/../x")
    taken = {"attachments/KMT-00417/log.txt", "attachments/KMT-00417/log-2.txt"}
    assert free_path("KMT-00417", "log.txt", taken.__contains__) == "attachments/KMT-00417/log-3.txt"
