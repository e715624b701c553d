"""A case's description: what people wrote (the body), and what casefile wrote for them, kept without words.

A complaint opened from a survey's answers (`surveys.complaints`) is described by casefile: which survey, what
was answered, the ratings, the case it concerns.  Those lines are kept in the front matter under `described` as
engine texts (`text_key`/`text_values`, as the activity log keeps them; `i18n.stored_text`), so a Chinese reader
reads them in Chinese and an English reader in English, whatever the desk's language when it was opened.  The
body is a person's words and stays as written, after them.  A record without `described` (every case before
issue 18, every case a person opened) is described by its body alone, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.i18n import _, stored_text

DESCRIBED = "described"


def described_lines(data: Mapping[str, Any], lang: str | None = None) -> list[str]:
    """The lines casefile wrote, in `lang` (the reader's by default); none for a hand-edited value it cannot read."""
    lines = data.get(DESCRIBED)
    if not isinstance(lines, list):
        return []
    return [stored_text(line, lang) if isinstance(line, Mapping) else str(line) for line in lines]


def description_of(data: Mapping[str, Any], body: str, lang: str | None = None) -> str:
    """The whole description as a reader reads it: casefile's lines in `lang`, then the body (a blank line
    between)."""
    written = body.strip("\n")
    said = "\n".join(described_lines(data, lang)).strip("\n")
    return "\n\n".join(part for part in (said, written) if part)


def described_problems(data: Mapping[str, Any]) -> list[str]:
    """What is wrong with `described` as a hand edit may leave it (the schema's check)."""
    lines = data.get(DESCRIBED)
    if lines is None:
        return []
    if not isinstance(lines, list):
        return [_("{key} must be a list of lines (text_key and text_values, or text)").format(key=DESCRIBED)]
    wrong = []
    for index, line in enumerate(lines):
        if not isinstance(line, Mapping) or not isinstance(line.get("text_key", line.get("text", "")), str):
            wrong.append(_("{key}[{index}] must be a mapping with text_key (and text_values), or text").format(
                key=DESCRIBED, index=index))
        elif "text_values" in line and not isinstance(line["text_values"], Mapping):
            wrong.append(_("{key}[{index}].text_values must be a mapping").format(key=DESCRIBED, index=index))
    return wrong
