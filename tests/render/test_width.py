"""Tables by display width (`render.width.table`): CJK counts two columns, cells cut with … to fit."""

from __future__ import annotations

from casefile.render.width import table, width

ROWS = [["HANDLE", "NAME", "E-MAIL", "ROLES"],
        ["li.na", "Li Na 李娜", "li.na@jinqiao-it.example", "engineer"],
        ["zhou.min", "Zhou Min 周敏", "zhou.min@jinqiao-it.example", "expert-group, technical-support-supervisor"]]


def test_columns_line_up_by_display_width() -> None:
    lines = table(ROWS)
    before_email = [width(line[: line.index(mail)]) for line, mail in zip(lines, ("E-MAIL", "li.na@", "zhou.min@"))]
    assert len(set(before_email)) == 1  # the e-mail column starts at one display column on every line
    assert lines[0].startswith("HANDLE    NAME           E-MAIL")  # "Zhou Min 周敏" is 13 columns wide
    assert lines[2].endswith("technical-support-supervisor")


def test_a_narrow_terminal_shrinks_the_named_columns_first_then_cuts() -> None:
    lines = table(ROWS, columns=60, shrink=(3, 2))
    assert all(width(line) <= 60 for line in lines)
    assert "Zhou Min 周敏" in lines[2]  # the name was not cut: roles and e-mail gave up their width first
    assert "…" in lines[2]
    assert width(table(ROWS, columns=20, shrink=(3, 2, 1))[2]) <= 20  # never wider than the terminal


def test_no_rows_no_lines() -> None:
    assert table([]) == []


# The plain-ASCII shortcut (wcwidth is imported only for text that needs it) must say what wcwidth says.
from hypothesis import given, strategies as st  # noqa: E402

from casefile.render.width import fit  # noqa: E402


def _wcwidth_width(text: str) -> int:
    from wcwidth import wcswidth, wcwidth

    measured = wcswidth(text)
    return measured if measured >= 0 else sum(max(wcwidth(c), 0) for c in text)


def _wcwidth_fit(text: str, columns: int) -> str:
    from wcwidth import wcwidth

    if _wcwidth_width(text) <= columns:
        return text
    kept, used = [], 0
    for char in text:
        if used + max(wcwidth(char), 0) > columns - 1:
            break
        kept.append(char)
        used += max(wcwidth(char), 0)
    return "".join(kept) + "…"


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)) | st.text(max_size=12),
       st.integers(min_value=1, max_value=40))
def test_the_ascii_shortcut_measures_and_cuts_as_wcwidth_does(text: str, columns: int) -> None:
    assert width(text) == _wcwidth_width(text)
    assert fit(text, columns) == _wcwidth_fit(text, columns)


# Chinese text is measured without wcwidth too (`render.width._known_width`): each character of that
# shortcut must have the width wcwidth gives it, and mixed texts must measure and cut as wcwidth does.
from casefile.render.width import NARROW_EXTRA, WIDE_RANGES  # noqa: E402

_WIDE_KNOWN = [chr(code) for low, high in WIDE_RANGES for code in range(low, high + 1)]
_KNOWN_ALPHABET = st.sampled_from([chr(code) for code in range(0x20, 0x7F)] + [chr(c) for c in NARROW_EXTRA]) | \
    st.sampled_from(_WIDE_KNOWN)


def test_every_character_of_the_cjk_shortcut_has_the_width_wcwidth_gives() -> None:
    from wcwidth import wcwidth

    assert len(_WIDE_KNOWN) > 27_000
    assert [c for c in _WIDE_KNOWN if wcwidth(c) != 2] == []
    assert [chr(c) for c in NARROW_EXTRA if wcwidth(chr(c)) != 1] == []
    label = "首次响应（确认人 Wang Lei）· 已关闭 → 已解决…"
    assert (width(label), fit(label, 9)) == (_wcwidth_width(label), _wcwidth_fit(label, 9))


@given(st.text(alphabet=_KNOWN_ALPHABET, max_size=30), st.integers(min_value=1, max_value=40))
def test_the_cjk_shortcut_measures_and_cuts_as_wcwidth_does(text: str, columns: int) -> None:
    assert width(text) == _wcwidth_width(text)
    assert fit(text, columns) == _wcwidth_fit(text, columns)
