"""The record merge rules, on record texts (the merge driver's core; git merge-file for bodies)."""

from __future__ import annotations

from functools import partial

import pytest

from casefile.cases.schema import case_problems
from casefile.git.history import merge_texts
from casefile.i18n import stored_text
from casefile.merge.body import MARKER_SIZE
from casefile.merge.record import DifferentRecords, NotARecord, merge_record
from casefile.records.file import read_plain

MERGE_TEXT = partial(merge_texts, labels=("ours", "base", "theirs"), marker_size=MARKER_SIZE)

BASE = """\
---
id: KMT-00417
title: Printer on 3F prints nothing
type: incident
level: C
status: open
channel: phone
category: hardware/printer   # from the caller's words
customer: acme-sz
caller:
  name: Zhang Wei
  phone: 0755-86001234
assignee: li.na
tier: L2
opened_at: 2026-11-19T08:45:00+08:00
responded_at:
onsite_at:
resolved_at:
closed_at:
confirmed_by:
resolution:
links: []
pauses: []
events:
  - at: 2026-11-19T08:45:00+08:00
    by: wang.fang
    kind: opened
    text: Opened via phone
---
HP M607 shows E-04 since 08:30.
"""


def event(at: str, by: str, kind: str, text: str | None = None, fields: str = "") -> str:
    lines = f"  - at: 2026-11-19T{at}:00+08:00\n    by: {by}\n    kind: {kind}\n"
    if text:
        lines += f"    text: {text}\n"
    if fields:
        lines += "    fields:\n" + "".join(f"      {line}\n" for line in fields.strip("\n").splitlines())
    return lines


def with_events(text: str, *events: str) -> str:
    head, sep, body = text.partition("\n---\n")
    return head + "\n" + "".join(events).rstrip("\n") + sep + body


def merge(base: str | None, ours: str, theirs: str):  # type: ignore[no-untyped-def]
    return merge_record(base, ours, theirs, "cases/2026/11/KMT-00417.md", MERGE_TEXT)


def data_of(text: str) -> dict:  # type: ignore[type-arg]
    return read_plain(text, "case")[0]


def valid(text: str) -> bool:
    return not case_problems(data_of(text), "ABCD", "KMT-00417")


def test_events_from_both_sides_are_kept_once_in_time_order() -> None:
    ours = with_events(BASE, event("09:10", "li.na", "call", "Called back"), event("09:30", "li.na", "note", "Queue"))
    theirs = with_events(BASE, event("09:20", "zhao.lei", "note", "Driver"), event("09:30", "li.na", "note", "Queue"))
    merged = merge(BASE, ours, theirs)
    events = data_of(merged.text)["events"]
    assert [(e["at"][11:16], e.get("text")) for e in events] == [
        ("08:45", "Opened via phone"), ("09:10", "Called back"), ("09:20", "Driver"), ("09:30", "Queue")]
    assert merged.resolutions == [] and merged.notes == []
    assert valid(merged.text)


def test_a_field_changed_on_one_side_only_takes_that_side() -> None:
    theirs = with_events(BASE.replace("level: C", "level: B"),
                         event("09:05", "zhao.lei", "changed", fields="level:\n  from: C\n  to: B"))
    ours = with_events(BASE, event("09:10", "li.na", "note", "Looking"))
    merged = merge(BASE, ours, theirs)
    assert data_of(merged.text)["level"] == "B"
    assert "# from the caller's words" in merged.text
    assert not merged.resolutions


def test_a_field_changed_on_both_sides_goes_to_the_later_change_and_the_loser_is_logged() -> None:
    ours = with_events(BASE.replace("category: hardware/printer", "category: network/print-server"),
                       event("10:30", "li.na", "changed", fields="category:\n  from: hardware/printer\n  to: network/print-server"))
    theirs = with_events(BASE.replace("category: hardware/printer", "category: hardware/fuser"),
                         event("10:45", "zhao.lei", "changed", fields="category:\n  from: hardware/printer\n  to: hardware/fuser"))
    merged = merge(BASE, ours, theirs)
    data = data_of(merged.text)
    assert data["category"] == "hardware/fuser"
    logged = data["events"][-1]
    assert (logged["by"], logged["kind"], logged["at"]) == ("merge", "merged", "2026-11-19T10:45:00+08:00")
    assert logged["fields"] == {"category": {"kept": "hardware/fuser", "lost": "network/print-server"}}
    # The same merge the other way round gives the same values (the rule does not depend on the side).
    assert data_of(merge(BASE, theirs, ours).text)["category"] == "hardware/fuser"


def test_without_a_time_to_compare_the_version_merged_in_wins() -> None:
    ours, theirs = BASE.replace("title: Printer", "title: Our printer"), BASE.replace("title: Printer", "title: The printer")
    merged = merge(BASE, ours, theirs)
    data = data_of(merged.text)
    assert data["title"] == "The printer on 3F prints nothing"
    assert data["events"][-1]["fields"] == {"title": {"kept": "The printer on 3F prints nothing",
                                                      "lost": "Our printer on 3F prints nothing"}}
    assert "version merged in wins" in stored_text(data["events"][-1], "en")


def test_the_first_response_is_the_first() -> None:
    ours = with_events(BASE.replace("responded_at:\n", "responded_at: 2026-11-19T09:12:00+08:00\n"),
                       event("09:12", "li.na", "responded", "Called back"))
    theirs = with_events(BASE.replace("responded_at:\n", "responded_at: 2026-11-19T09:05:00+08:00\n"),
                         event("09:05", "zhao.lei", "responded", "Mailed back"))
    data = data_of(merge(BASE, ours, theirs).text)
    assert data["responded_at"] == "2026-11-19T09:05:00+08:00"
    assert data["events"][-1]["fields"]["responded_at"]["lost"] == "2026-11-19T09:12:00+08:00"


def _closed(text: str, r: str, c: str, who: str, how: str, by: str) -> str:
    text = text.replace("status: open\n", "status: closed\n")
    for key, value in (("resolved_at", f"2026-11-19T{r}:00+08:00"), ("closed_at", f"2026-11-19T{c}:00+08:00"),
                       ("confirmed_by", who), ("resolution", how)):
        text = text.replace(f"\n{key}:\n", f"\n{key}: {value}\n")
    return with_events(
        text,
        event(r, by, "resolved", how, "status:\n  from: open\n  to: resolved"),
        event(c, by, "closed", None, f"status:\n  from: resolved\n  to: closed\nconfirmed_by: {who}"),
    )


def test_both_sides_closing_the_same_case_give_one_consistent_close() -> None:
    ours = _closed(BASE, "10:00", "10:30", "Zhang Wei", "Fuser replaced", "li.na")
    theirs = _closed(BASE, "10:05", "11:00", "Liu Min", "Toner replaced", "zhao.lei")
    merged = merge(BASE, ours, theirs)
    data = data_of(merged.text)
    assert (data["status"], data["closed_at"][11:16], data["confirmed_by"], data["resolution"],
            data["resolved_at"][11:16]) == ("closed", "11:00", "Liu Min", "Toner replaced", "10:05")
    lost = data["events"][-1]["fields"]
    assert lost["confirmed_by"] == {"kept": "Liu Min", "lost": "Zhang Wei"}
    assert lost["resolution"] == {"kept": "Toner replaced", "lost": "Fuser replaced"}
    assert sum(e["kind"] == "closed" for e in data["events"]) == 2
    assert valid(merged.text)


def test_both_sides_reopening_give_one_open_case() -> None:
    closed = _closed(BASE, "10:00", "10:30", "Zhang Wei", "Fuser replaced", "li.na")
    reopened = []
    for at, by in (("12:00", "li.na"), ("12:10", "zhao.lei")):
        text = closed.replace("status: closed", "status: open")
        for key in ("resolved_at", "closed_at", "confirmed_by"):
            text = "\n".join(f"{key}:" if line.startswith(f"{key}:") else line for line in text.split("\n"))
        reopened.append(with_events(text, event(at, by, "reopened", "E-04 again", "status:\n  from: closed\n  to: open")))
    merged = merge(closed, *reopened)
    data = data_of(merged.text)
    assert data["status"] == "open" and not data["closed_at"] and not data["confirmed_by"]
    assert [e["kind"] for e in data["events"]][-2:] == ["reopened", "reopened"]
    assert valid(merged.text)


def test_a_pend_that_lost_to_a_resolve_has_its_pause_ended() -> None:
    ours = with_events(BASE.replace("status: open", "status: pending").replace(
        "pauses: []", "pauses:\n  - from: 2026-11-19T10:00:00+08:00\n    until:\n    waiting_on: customer\n    reason: Password"),
        event("10:00", "li.na", "paused", "Password", "status:\n  from: open\n  to: pending\nwaiting_on: customer"))
    theirs = with_events(
        BASE.replace("status: open", "status: resolved").replace("resolved_at:\n", "resolved_at: 2026-11-19T10:20:00+08:00\n")
        .replace("resolution:\n", "resolution: Fuser replaced\n"),
        event("10:20", "zhao.lei", "resolved", "Fuser replaced", "status:\n  from: open\n  to: resolved"))
    merged = merge(BASE, ours, theirs)
    data = data_of(merged.text)
    assert data["status"] == "resolved"
    assert data["pauses"] == [{"from": "2026-11-19T10:00:00+08:00", "until": "2026-11-19T10:20:00+08:00",
                               "waiting_on": "customer", "reason": "Password"}]
    assert "ended at 2026-11-19T10:20:00+08:00" in stored_text(data["events"][-1], "en")
    assert valid(merged.text)


def _pended(at: str, by: str, reason: str) -> str:
    return with_events(BASE.replace("status: open", "status: pending").replace(
        "pauses: []", f"pauses:\n  - from: 2026-11-19T{at}:00+08:00\n    until:\n    waiting_on: customer\n    reason: {reason}"),
        event(at, by, "paused", reason, "status:\n  from: open\n  to: pending\nwaiting_on: customer"))


def test_both_sides_pending_the_case_leave_one_open_pause() -> None:
    merged = merge(BASE, _pended("10:00", "li.na", "Password"), _pended("10:05", "zhao.lei", "Part"))
    data = data_of(merged.text)
    assert data["status"] == "pending"
    assert [(p["from"][11:16], p["until"] and p["until"][11:16]) for p in data["pauses"]] == [
        ("10:00", None), ("10:05", "10:05")]
    assert "already waiting since 2026-11-19T10:00:00+08:00" in stored_text(data["events"][-1], "en")
    assert valid(merged.text)


def test_both_sides_ending_the_same_pause_end_it_at_the_first_resume() -> None:
    pending = with_events(BASE.replace("status: open", "status: pending").replace(
        "pauses: []", "pauses:\n  - from: 2026-11-19T10:00:00+08:00\n    until:\n    waiting_on: customer\n    reason: Password"),
        event("10:00", "li.na", "paused", "Password", "status:\n  from: open\n  to: pending\nwaiting_on: customer"))
    sides = []
    for at, by in (("10:40", "li.na"), ("10:25", "zhao.lei")):
        text = pending.replace("status: pending", "status: open").replace("    until:\n", f"    until: 2026-11-19T{at}:00+08:00\n")
        sides.append(with_events(text, event(at, by, "resumed", None, "status:\n  from: pending\n  to: open")))
    data = data_of(merge(pending, *sides).text)
    assert data["status"] == "open"
    assert data["pauses"][0]["until"] == "2026-11-19T10:25:00+08:00"
    assert data["events"][-1]["fields"]["pauses[2026-11-19T10:00:00+08:00].until"]["lost"] == "2026-11-19T10:40:00+08:00"


LADDER = "key: ladder/level-3/2h\nroles:\n  - customer-service-engineer\nhost: {host}"


def test_events_with_the_same_key_are_one_event_listing_every_host() -> None:
    ours = with_events(BASE, event("10:45", "check", "ladder", "2 h without restore", LADDER.format(host="cron-a")))
    theirs = with_events(BASE, event("10:46", "check", "ladder", "2 h without restore", LADDER.format(host="cron-b")),
                         event("10:50", "li.na", "note", "On it"))
    merged = merge(BASE, ours, theirs)
    events = data_of(merged.text)["events"]
    ladder = [e for e in events if e["kind"] == "ladder"]
    assert len(ladder) == 1 and ladder[0]["fields"]["host"] == "cron-a"
    assert ladder[0]["fields"]["also_fired"] == [{"at": "2026-11-19T10:46:00+08:00", "by": "check", "host": "cron-b"}]
    assert not merged.resolutions and valid(merged.text)
    # Merging the result again with either side changes nothing (a third clone, a repeated sync).
    assert merge(BASE, merged.text, theirs).text == merged.text
    assert merge(BASE, ours, merged.text).text == merged.text


def test_comments_and_hand_fields_from_both_sides_survive() -> None:
    ours = with_events(BASE.replace("customer: acme-sz\n", "customer: acme-sz\nsite_contact: Liu Min   # by hand\n"),
                       event("09:10", "li.na", "note", "Ours"))
    theirs = with_events(
        BASE.replace("# from the caller's words", "# checked on site").replace("links: []\n", "links: []\nasset: CNB1234567  # the serial\n"),
        event("09:20", "zhao.lei", "note", "Theirs"))
    merged = merge(BASE, ours, theirs)
    assert "site_contact: Liu Min   # by hand\n" in merged.text
    assert "asset: CNB1234567  # the serial\n" in merged.text
    assert "category: hardware/printer   # checked on site\n" in merged.text
    assert merged.text.index("asset:") > merged.text.index("links:")
    assert valid(merged.text)


def test_an_untouched_side_gives_the_other_side_byte_for_byte() -> None:
    theirs = with_events(BASE, event("09:20", "zhao.lei", "note", "Theirs"))
    assert merge(BASE, BASE, theirs).text == theirs
    assert merge(BASE, theirs, BASE).text == theirs


def test_the_body_merges_as_text_and_keeps_both_versions_where_both_changed_it() -> None:
    base = BASE.replace("HP M607 shows E-04 since 08:30.\n", "Line one.\n\nHP M607 shows E-04 since 08:30.\n\nLast line.\n")
    ours = base.replace("Line one.", "Line one, edited here.").replace("since 08:30.", "since 08:30 (ours).")
    theirs = base.replace("Last line.", "Last line, edited there.").replace("since 08:30.", "since 08:25 (theirs).")
    merged = merge(base, ours, theirs)
    body = merged.text.split("\n---\n", 1)[1]
    assert "Line one, edited here." in body and "Last line, edited there." in body
    assert "since 08:30 (ours)." in body and "since 08:25 (theirs)." in body
    assert "**casefile merge:**" in body and "<<<<<<<" not in body and ">>>>>>>" not in body
    assert "both versions are kept" in stored_text(data_of(merged.text)["events"][-1], "en")
    assert valid(merged.text)


def test_a_record_without_an_activity_log_keeps_the_losing_value_in_its_body() -> None:
    base = "---\nid: acme-sz\nname: ACME Shenzhen\ncontacts:\n  - name: Zhang Wei\n    phone: 0755-86001234\n---\nNotes.\n"
    ours = base.replace("name: ACME Shenzhen", "name: ACME Shenzhen Ltd").replace(
        "---\nNotes", "  - name: Liu Min\n    phone: 0755-86005678\n---\nNotes")
    theirs = base.replace("name: ACME Shenzhen", "name: ACME (Shenzhen) Co.").replace(
        "---\nNotes", "  - name: Chen Hui\n    email: chen.hui@acme.example\n---\nNotes")
    merged = merge_record(base, ours, theirs, "customers/acme-sz.md", MERGE_TEXT)
    data, body = read_plain(merged.text, "customer")
    assert data["name"] == "ACME (Shenzhen) Co."
    assert [c["name"] for c in data["contacts"]] == ["Zhang Wei", "Liu Min", "Chen Hui"]
    assert body.startswith("Notes.\n") and "ACME Shenzhen Ltd" in body and "casefile merge" in body


def test_two_different_records_created_on_both_sides_are_not_merged_into_one() -> None:
    ours = BASE
    theirs = BASE.replace("Opened via phone", "Opened via email").replace("08:45:00", "08:50:00")
    with pytest.raises(DifferentRecords):
        merge(None, ours, theirs)
    same_start = with_events(BASE, event("09:00", "check", "note", "Created by check"))
    assert data_of(merge(None, BASE, same_start).text)["events"][-1]["text"] == "Created by check"


def test_a_file_without_front_matter_is_not_a_record() -> None:
    with pytest.raises(NotARecord):
        merge("# Notes\n", "# Notes\nours\n", "# Notes\ntheirs\n")


def test_tags_added_and_removed_in_two_clones_are_all_kept() -> None:
    tagged = BASE.replace("customer: acme-sz\n", "tags:\n  - network\n  - printer\ncustomer: acme-sz\n")
    ours = with_events(tagged.replace("  - network\n", "  - network\n  - vip\n"),
                       event("09:10", "li.na", "tagged", fields="added:\n  - vip"))
    theirs = with_events(tagged.replace("  - printer\n", ""),
                         event("09:20", "zhao.lei", "tagged", fields="removed:\n  - printer"))
    merged = merge(tagged, ours, theirs)
    assert data_of(merged.text)["tags"] == ["network", "vip"]  # ours added vip, theirs removed printer
    assert [e["kind"] for e in data_of(merged.text)["events"]][-2:] == ["tagged", "tagged"]
    assert valid(merged.text)
