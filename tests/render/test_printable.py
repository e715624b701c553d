"""What reaches a terminal or a commit message from a record's values (issue 13: terminal hygiene)."""

from __future__ import annotations

import json

from casefile.render.printable import control_character, json_printable, one_line, printable


def test_escape_sequences_are_shown_not_sent() -> None:
    erase_and_clipboard = "Core switch down\x1b[2K\r\x1b]52;c;aGVsbG8=\x07"
    assert printable(erase_and_clipboard) == "Core switch down\\x1b[2K\\r\\x1b]52;c;aGVsbG8=\\x07"
    assert printable("C1 CSI \x9b31m, DEL \x7f, bidi \u202eexe.txt") == "C1 CSI \\x9b31m, DEL \\x7f, bidi \\u202eexe.txt"


def test_tabs_newlines_and_chinese_pass_unchanged() -> None:
    text = "打印机离线\n\t第二行 — E-04"
    assert printable(text) is text


def test_json_keeps_its_meaning_with_the_controls_escaped() -> None:
    value = {"title": "x\x9b2J \x7f \u202e y"}
    raw = json.dumps(value, ensure_ascii=False)
    safe = json_printable(raw)
    assert "\x9b" not in safe and "\x7f" not in safe and "\u202e" not in safe
    assert json.loads(safe) == value


def test_one_line_folds_line_breaks_and_escapes_the_rest() -> None:
    assert one_line("Printer offline\nFake-Trailer: yes\r\n\x1b[2K") == "Printer offline Fake-Trailer: yes \\x1b[2K"
    assert one_line("a\u2028b\x85c\td") == "a b c d"


def test_control_character_names_the_first_one() -> None:
    assert control_character("fine title") is None
    assert control_character("two\nlines") == "a newline"
    assert control_character("erase \x1b[2K") == "ESC"
    assert control_character("a note\nwith lines", newlines=True) is None
    assert control_character("a note\nbell \x07", newlines=True) == "BEL"
