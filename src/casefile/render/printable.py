"""Text from records made safe for a terminal and for a commit message.

A record's values are typed by people and edited by hand; an escape sequence in
a title (`ESC [2K` erases the line it is on, `ESC ] 52` writes the clipboard,
a carriage return writes over the start of the row) must never reach a terminal
raw, and a newline in a title must not fake a row of `list` or a line of a
commit message.  What the terminal would act on is shown escaped instead:
`\\x1b`, `\\r`, `\\u202e` — C0 controls but tab and newline, DEL, the C1 range
(U+0080–U+009F: a UTF-8 terminal reads U+009B as CSI) and the bidirectional
overrides and isolates, which reorder what is shown.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]+")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r":
        return "\\r"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with everything a terminal would act on, but tab and newline, shown escaped."""
    return _CONTROL.sub(_escaped, text) if _CONTROL.search(text) else text


def json_printable(text: str) -> str:
    """JSON text with the controls `json.dumps` leaves raw (DEL, C1, bidi) written as `\\u` escapes of four hex digits:
    they can only occur inside strings, where the escape means the same character."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _CONTROL.search(text) else text


def one_line(text: str) -> str:
    """`text` as one line (for a commit subject or trailer): line breaks become a space, other controls
    are shown escaped."""
    return _CONTROL_OR_NEWLINE.sub(_escaped, _LINE_BREAKS.sub(" ", text).replace("\t", " "))


def control_character(text: str, newlines: bool = False) -> str | None:
    """The first control character in `text` (newlines allowed if `newlines`), spelled for a message
    (`ESC (\\x1b)`), or None."""
    found = (_CONTROL if newlines else _CONTROL_OR_NEWLINE).search(text)
    if found is None:
        return None
    char = found.group()
    names = {"\n": "a newline", "\r": "a carriage return", "\t": "a tab", "\x1b": "ESC", "\x07": "BEL", "\x00": "NUL"}
    return names.get(char, _escaped(found))
