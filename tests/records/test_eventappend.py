"""`check` appends its events without the round-trip parser: the same bytes as the round-trip path."""

from __future__ import annotations

import pytest

from casefile.cases.model import CaseDoc, new_event
from casefile.records.append import append_events
from casefile.records.file import BoundedText, EditableRecord, read_plain
from casefile.records.yamlio import RecordError

HOUSE = """\
---
id: KMT-00417
title: Printer offline on 3F   # the customer's words
level: C
status: open
caller:
  name: Zhang Wei
  phone: 0755-86001234
opened_at: 2026-11-02T09:00:00+08:00
links: []
events:
  - at: 2026-11-02T09:00:00+08:00
    by: wang.fang
    kind: opened
    text: Opened via phone
---
Shows E-04 since 08:30.
"""

INDENTLESS = """\
---
id: KMT-00418
title: 核心交换机宕机
level: A
status: open
opened_at: 2026-11-02T02:00:00+08:00
events:
- at: 2026-11-02T02:00:00+08:00
  by: li.na
  kind: note
  text: 'no'
  fields:
    kind: call
---
"""

EVENTS = [
    new_event("2026-11-02T10:00:05+08:00", "check", "breach", "First response: target 1h breached",
              {"key": "breach/response", "clock": "response", "roles": ["assignee", "service-desk"],
               "notified": ["li.na"], "due_at": "2026-11-02T10:00:00+08:00", "host": "cron-1"}),
    new_event("2026-11-02T10:00:05+08:00", "check", "ladder", "no",
              {"key": "ladder/A/1", "step": "12:30", "roles": [], "notified": [], "phone": "0755-86001234"}),
    new_event("2026-11-02T10:00:05+08:00", "check", "warning", "客户：" + "很长的说明，" * 30),
]


def round_trip(text: str, events: list[dict[str, object]]) -> str:
    record = EditableRecord.parse(text, "case.md")
    doc = CaseDoc(record.data, record.body)
    for event in events:
        doc.add_event(**event)  # type: ignore[arg-type]
    return record.render()


@pytest.mark.parametrize("text", [HOUSE, INDENTLESS], ids=["house style", "indentless lists"])
@pytest.mark.parametrize("count", [1, 3])
def test_appended_events_are_what_the_round_trip_writes(text: str, count: int) -> None:
    appended = append_events(text, "case.md", EVENTS[:count])
    assert appended is not None
    new_text, data = appended
    assert new_text == round_trip(text, EVENTS[:count])
    assert data == read_plain(new_text, "case.md")[0]
    assert new_text.startswith(text.split("---\n")[0] + "---\n" + text.split("---\n")[1])  # old lines untouched


@pytest.mark.parametrize(
    "text",
    [
        HOUSE.replace("    text: Opened via phone\n", "    text: Opened via phone\n# checked by Li Na\n"),
        HOUSE.replace("links: []\n", "").replace("---\nShows", "links: []\n---\nShows"),
        HOUSE.replace("    text: Opened via phone\n", "    text: Opened via phone\n\n"),
        "---\nid: KMT-00419\nlevel: C\nevents: []\n---\n",
        "---\nid: KMT-00419\nlevel: C\n---\n",
    ],
    ids=["comment after the log", "key after the log", "blank line at the end", "empty flow list", "no log"],
)
def test_anything_unusual_is_left_to_the_round_trip_path(text: str) -> None:
    assert append_events(text, "case.md", EVENTS[:1]) is None


def test_a_block_text_at_the_end_of_the_log_is_closed_by_the_new_items() -> None:
    text = HOUSE.replace("    text: Opened via phone\n", "    text: |\n      Opened via phone\n      - at: not an item\n")
    appended = append_events(text, "case.md", EVENTS[:2])
    assert appended is not None
    new_text, data = appended
    assert new_text == round_trip(text, EVENTS[:2])
    assert data == read_plain(new_text, "case.md")[0]
    assert data["events"][0]["text"] == "Opened via phone\n- at: not an item\n"


def test_only_the_appended_text_itself_skips_the_second_reading() -> None:
    appended = append_events(HOUSE, "case.md", EVENTS[:1])
    assert appended is not None
    assert isinstance(appended[0], BoundedText)
    assert not isinstance(appended[0] + "x", BoundedText)  # anything made from it is read again
    assert not isinstance(appended[0].replace("a", "b"), BoundedText)


def test_a_record_the_events_would_take_over_the_size_limit_is_refused() -> None:
    big = [new_event("2026-11-02T10:00:05+08:00", "li.na", "note", "很长的说明" * 10_000) for _ in range(30)]
    with pytest.raises(RecordError, match="larger than"):
        append_events(HOUSE, "case.md", big)


def test_a_text_whose_parse_is_known_is_appended_to_without_reading_it_again() -> None:
    """`check` hands the index's parse of the committed text along (`ParsedText`): the same result, and
    the parse it was given is the one used."""
    from casefile.records.file import ParsedText

    data, body = read_plain(HOUSE, "case.md")
    known = append_events(ParsedText(HOUSE, data, body), "case.md", EVENTS[:2])
    assert known is not None and known == append_events(HOUSE, "case.md", EVENTS[:2])
    assert isinstance(known[0], ParsedText) and (known[0].front, known[0].body) == read_plain(known[0], "case.md")
    told = append_events(ParsedText(HOUSE, {**data, "title": "as the index has it"}, body), "case.md", EVENTS[:1])
    assert told is not None and told[1]["title"] == "as the index has it"
