"""Text measured in terminal columns: a Chinese character takes two, a combining mark none.

The only importer of wcwidth.  Tables pad and cut by display width (`pad`, `fit`), so a
title in Chinese keeps the columns after it in line, and a row fitted to the terminal
never wraps.
"""

from __future__ import annotations

from wcwidth import wcswidth, wcwidth

ELLIPSIS = "…"


def width(text: str) -> int:
    """Columns `text` takes on a terminal (a control character counts as none)."""
    measured = wcswidth(text)
    if measured >= 0:
        return int(measured)
    return sum(max(wcwidth(char), 0) for char in text)


def pad(text: str, columns: int) -> str:
    """`text` followed by spaces up to `columns` display columns (never cut)."""
    return text + " " * max(columns - width(text), 0)


def fit(text: str, columns: int) -> str:
    """`text` cut to at most `columns` display columns, ending in `…` when cut."""
    if columns <= 0:
        return ""
    if width(text) <= columns:
        return text
    kept, used = [], 0
    for char in text:
        char_width = max(wcwidth(char), 0)
        if used + char_width > columns - 1:
            break
        kept.append(char)
        used += char_width
    return "".join(kept) + ELLIPSIS
