"""Text measured in terminal columns: a Chinese character takes two, a combining mark none.

The only importer of wcwidth.  Tables pad and cut by display width (`pad`, `fit`), so a
title in Chinese keeps the columns after it in line, and a row fitted to the terminal
never wraps.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

ELLIPSIS = "…"

# Characters whose width wcwidth gives as two columns (CJK ideographs, Chinese punctuation, fullwidth
# forms) and as one (the middle dot, dash, ellipsis and arrow casefile's own texts use), so a Chinese label
# or title is measured without loading wcwidth: 58 M of `show`'s 828 M instructions on a Chinese desk.
# `tests/render/test_width.py` checks every one of them against wcwidth.
WIDE_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xFF01, 0xFF60), (0x3001, 0x3003), (0x3008, 0x3011))
NARROW_EXTRA = (0x00B7, 0x2014, 0x2026, 0x2192)
_WIDE = tuple((chr(low), chr(high)) for low, high in WIDE_RANGES)
_NARROW = frozenset(map(chr, NARROW_EXTRA))
_IDEOGRAPHS = _WIDE[0]  # most of a Chinese text: tested first


def _known_char(char: str) -> int | None:
    """The columns of one of those characters or of printable ASCII, else None."""
    if " " <= char <= "~" or char in _NARROW:
        return 1
    if _IDEOGRAPHS[0] <= char <= _IDEOGRAPHS[1] or any(low <= char <= high for low, high in _WIDE):
        return 2
    return None


def _known_width(text: str) -> int | None:
    """The columns of a text of those characters only, else None.  (A regular expression of these ranges
    costs 3 ms to compile, every run; this loop, microseconds a title.)"""
    columns = 0
    for char in text:
        known = _known_char(char)
        if known is None:
            return None
        columns += known
    return columns


def _plain(text: str) -> bool:
    """Printable ASCII only (U+0020-U+007E): one column a character, as wcwidth says of every one of
    them, so wcwidth (~9 ms to import) is loaded only for a text that needs it."""
    return text.isascii() and text.isprintable()


@lru_cache(maxsize=4096)
def width(text: str) -> int:
    """Columns `text` takes on a terminal (a control character counts as none).  Kept for the texts seen
    last: a listing measures each cell twice, and most are a level, status or name seen many times."""
    if _plain(text):
        return len(text)
    known = _known_width(text)
    if known is not None:
        return known
    from wcwidth import wcswidth, wcwidth

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
    if _plain(text):
        return text[: columns - 1] + ELLIPSIS
    widths = [_known_char(char) or 0 for char in text]  # 0: a character the table does not know
    if 0 in widths:
        from wcwidth import wcwidth

        widths = [max(wcwidth(char), 0) for char in text]
    kept, used = [], 0
    for char, char_width in zip(text, widths):
        if used + char_width > columns - 1:
            break
        kept.append(char)
        used += char_width
    return "".join(kept) + ELLIPSIS


def table(rows: Sequence[Sequence[str]], columns: int | None = None, shrink: Sequence[int] = (),
          gap: int = 2, narrowest: int = 8) -> list[str]:
    """Rows of cells as lines, each column as wide as its widest cell in display columns (a Chinese name
    counts two a character).  Given the terminal's `columns`, the columns in `shrink` give up width, in that
    order and down to `narrowest`, their cells cut with `…`, until a line fits; a line still too long is cut
    at the edge.  The last column is not padded."""
    if not rows:
        return []
    count = max(len(row) for row in rows)
    cells = [[*row, *([""] * (count - len(row)))] for row in rows]
    widths = [max(width(row[index]) for row in cells) for index in range(count)]
    if columns:
        over = sum(widths) + gap * (count - 1) - columns
        for index in shrink:
            if over <= 0:
                break
            given = min(over, max(widths[index] - narrowest, 0))
            widths[index] -= given
            over -= given
    lines = []
    for row in cells:
        shown = [fit(cell, widths[index]) for index, cell in enumerate(row)]
        line = (" " * gap).join([*(pad(cell, widths[index]) for index, cell in enumerate(shown[:-1])), shown[-1]])
        lines.append(fit(line.rstrip(), columns) if columns else line.rstrip())
    return lines
