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
