"""Reports from kept rows give what reports from whole records give (a differential test).

`report stats` folds report rows (`reports/rows.py`) instead of holding the
period's records; `Reports.build(..., from_rows=False)` still reads whole
records, the way every report did before.  Both are built and rendered in
every format over the demo desk's day, over 600 generated bench cases spread
over three years (with and without a customer), and over hand edits the rows
cannot hold exactly, and must be identical, byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casefile.desk import Desk
from casefile.git.objects import blob_id
from casefile.policy.model import POLICY_FILE
from casefile.reports.build import Reports
from casefile.reports.kinds.stats import TIMELINES
from casefile.reports.model import ReportKind
from casefile.reports.period import Period, period_of
from casefile.reports.render.formats import ReportFormat, render
from casefile.reports.rows import CASE_ROW, WHOLE
from casefile.reports.source import UnknownCustomer

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-20T10:00:00+08:00"


def _both(root: Path, period: Period, customer: str | None = None, timelines: int = TIMELINES,
          ) -> tuple[Any, Any, list[str], list[str]]:
    said: list[list[str]] = [[], []]
    reports = []
    for index, from_rows in enumerate((False, True)):
        desk = Desk.open(root, now=NOW, actor="wang.fang", notes=said[index].append)
        reports.append((desk, Reports(desk.session, timelines=timelines).build(ReportKind.STATS, period, customer,
                                                                               from_rows)))
    (desk, whole), (_desk, rows) = reports
    for fmt in ReportFormat:
        for lang in ("zh", "en"):
            assert render(rows, fmt, lang, desk.policy, root) == render(whole, fmt, lang, desk.policy, root), (fmt, lang)
    return whole, rows, said[0], said[1]


def _period(desk_root: Path, first: str, last: str) -> Period:
    zone = Desk.open(desk_root, now=NOW).policy.zone
    return period_of(None, first, last, zone, date(2026, 11, 20))


def test_stats_of_the_demo_day_are_the_same_from_rows(demo_day: tuple[Path, list[str]], tmp_path: Path) -> None:
    root = Path(shutil.copytree(demo_day[0], tmp_path / "demo", symlinks=True))
    for first, last in (("2026-11-01", "2026-11-30"), ("2024-01-01", "2026-12-31"), ("2026-11-19", "2026-11-19")):
        whole, rows, notes_whole, notes_rows = _both(root, _period(root, first, last))
        assert whole == rows and notes_whole == notes_rows
        assert whole.body.trend.received > 0


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, cases_only_template: Path) -> Path:
    """The demo desk (without customers files: the bench's customers are only named by cases) with 600 bench cases (40 open) over three years, committed as the bench commits them."""
    root = Path(shutil.copytree(cases_only_template, tmp_path_factory.mktemp("generated") / "desk", symlinks=True))
    sys.path.insert(0, str(ROOT))
    try:
        from bench.casegen import CaseFactory
    finally:
        sys.path.remove(str(ROOT))
    factory = CaseFactory(600, 40, blob_id((root / POLICY_FILE).read_bytes()))
    for index in range(600):
        case = factory.build(index)
        (root / case.path).parent.mkdir(parents=True, exist_ok=True)
        (root / case.path).write_text(case.text, encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=Bench", "-c", "user.email=bench@casefile.invalid"]
    subprocess.run([*git, "add", "-A", "cases"], check=True)
    subprocess.run([*git, "commit", "-q", "--no-verify", "-m", "Import\n\nCasefile-Action: import"], check=True)
    return root


def test_three_years_of_generated_cases_are_the_same_from_rows(generated: Path) -> None:
    period = _period(generated, "2023-11-01", "2026-11-30")
    whole, rows, _notes, _rows_notes = _both(generated, period)
    assert whole == rows
    assert whole.body.trend.received == 600 and len(whole.body.major) > 30  # levels A and B, with their logs
    assert any(step.kind in ("assigned", "resolved") for major in whole.body.major for step in major.timeline)
    customer = next(row.key for row in whole.body.breakdowns[4].rows if row.count >= 2)
    whole, rows, _notes, _rows_notes = _both(generated, period, customer)
    assert whole == rows and 2 <= whole.body.trend.received < 600
    for from_rows in (False, True):  # a customer no case names is an error either way
        with pytest.raises(UnknownCustomer):
            Reports(Desk.open(generated, now=NOW).session).build(ReportKind.STATS, period, "cust-nobody", from_rows)
    for first, last in (("2025-03-01", "2025-03-31"), ("2026-01-01", "2026-06-30")):
        whole, rows, _notes, _rows_notes = _both(generated, _period(generated, first, last))
        assert whole == rows and whole.body.trend.previous > 0


def test_only_the_most_recent_major_cases_come_with_their_timeline(generated: Path) -> None:
    """Three years of a busy desk had 14,000 major cases: their logs were 700 MB, so a report shows the
    handling process of the most recent few (`--timelines`) and lists the others without it."""
    period = _period(generated, "2023-11-01", "2026-11-30")
    whole, rows, _notes, _rows_notes = _both(generated, period, timelines=10)
    assert whole == rows
    major = whole.body.major
    assert len(major) > 30 and whole.body.timelines == 10
    assert [m.timeline is not None for m in major] == [False] * (len(major) - 10) + [True] * 10
    assert [(m.opened_at, m.id) for m in major] == sorted((m.opened_at, m.id) for m in major)
    assert all(m.timeline for m in major[-10:])
    desk = Desk.open(generated, now=NOW)
    text = render(whole, ReportFormat.MD, "en", desk.policy, generated)
    assert f"{len(major) - 10} earlier major cases, listed without their handling process" in text
    assert text.count("\n### ") == 10 + len(whole.body.breakdowns)
    assert f"| {major[0].id} | {major[0].level} |" in text
    assert "较早的重大Case" in render(whole, ReportFormat.MD, "zh", desk.policy, generated)
    none = _both(generated, period, timelines=0)[0]
    assert all(m.timeline is None for m in none.body.major) and len(none.body.major) == len(major)


def test_hand_edits_the_rows_cannot_hold_are_read_whole(generated: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(generated, tmp_path / "desk", symlinks=True))
    files = sorted((root / "cases").rglob("*.md"))
    odd = files[10]  # a link with a number key: JSON cannot hold it exactly
    text = odd.read_text(encoding="utf-8")
    odd.write_text(text.replace("links: []", "links:\n  - rel: related\n    to: KMT-00002\n    1: x", 1),
                   encoding="utf-8")
    not_a_number = files[11]  # JSON keeps a NaN, but a row would not compare equal to itself
    text = not_a_number.read_text(encoding="utf-8")
    not_a_number.write_text(text.replace("links: []", "links:\n  - rel: related\n    to: KMT-00002\n    x: .nan", 1),
                            encoding="utf-8")
    numbered = files[20]  # a mapping with a number key: the index keeps the whole text
    text = numbered.read_text(encoding="utf-8")
    numbered.write_text(text.replace("title: ", "extra:\n  1: one\ntitle: ", 1), encoding="utf-8")
    files[30].write_text("---\nid: [unclosed\n---\n", encoding="utf-8")  # broken: skipped, said, listed
    bad_time = files[40]
    text = bad_time.read_text(encoding="utf-8")
    start = text.index("opened_at: ")
    bad_time.write_text(text[:start] + "opened_at: 'yesterday'" + text[text.index("\n", start):], encoding="utf-8")
    duplicate = files[50]
    text = duplicate.read_text(encoding="utf-8")
    duplicate.write_text(text.replace("links: []", "links:\n  - rel: duplicate-of\n    to: KMT-00001", 1),
                         encoding="utf-8")
    whole, rows, notes_whole, notes_rows = _both(root, _period(root, "2023-11-01", "2026-11-30"))
    assert whole == rows and notes_whole == notes_rows
    assert len(whole.header.skipped) == 2 and len(whole.header.counted_with) == 1
    from casefile.records.file import read_record_file

    data = read_record_file(root, odd).data
    assert CASE_ROW.make(data, "") is WHOLE and data["links"][0][1] == "x"  # so the report read it whole
    assert CASE_ROW.make(read_record_file(root, not_a_number).data, "") is WHOLE
    assert CASE_ROW.make({"id": "KMT-00001", "level": "C", "events": []}, "") == {"front": {"id": "KMT-00001",
                                                                                           "level": "C"}}
