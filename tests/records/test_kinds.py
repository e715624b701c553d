"""Each kind of record is declared once (records/kinds.py): its folder, ids, sharding and trailer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from casefile.records.kinds import ARTICLES, CASES, CUSTOMERS, INSPECTIONS, KINDS, REPORTS, STATIONS, SURVEYS, kind_of


@pytest.mark.parametrize("kind, ident, on, path", [
    (CASES, "KMT-00417", date(2026, 11, 19), "cases/2026/11/KMT-00417.md"),
    (CUSTOMERS, "acme-sz", None, "customers/acme-sz.md"),
    (INSPECTIONS, "acme-sz-2026-Q4", None, "inspections/2026/acme-sz-2026-Q4.md"),  # the year from the id
    (SURVEYS, "SV-KMT-00417", date(2026, 12, 1), "surveys/2026/12/SV-KMT-00417.md"),
    (ARTICLES, "printer-e04", None, "kb/printer-e04.md"),
    (REPORTS, "2026-11/monthly", None, "reports/2026-11/monthly.md"),
    (STATIONS, "KMT", None, "stations/KMT.yaml"),
])
def test_each_kind_places_its_files_and_reads_their_ids_back(kind, ident, on, path) -> None:  # type: ignore[no-untyped-def]
    assert kind.path(ident, on) == path
    assert kind.owns(path) and kind_of(path) is kind
    assert kind.id_of(path) == ident
    assert kind.id_pattern.match(ident)


def test_a_month_sharded_kind_needs_the_day_that_places_it() -> None:
    with pytest.raises(ValueError, match="the day that places its file"):
        CASES.path("KMT-00417")


def test_find_looks_in_the_newest_shards_first_and_refuses_what_is_no_id(tmp_path: Path) -> None:
    for month in ("2026/10", "2026/11", "2025/12"):
        (tmp_path / "cases" / month).mkdir(parents=True)
    (tmp_path / "cases/2025/12/KMT-00001.md").write_text("x")
    (tmp_path / "cases/2026/11/KMT-00002.md").write_text("x")
    assert CASES.find(tmp_path, "KMT-00001") == "cases/2025/12/KMT-00001.md"
    assert CASES.find(tmp_path, "KMT-00002") == "cases/2026/11/KMT-00002.md"
    assert CASES.find(tmp_path, "KMT-00003") is None
    assert CASES.find(tmp_path, "../../etc/passwd") is None  # an id, never a path
    assert ARTICLES.find(tmp_path, "printer-e04") is None


def test_files_are_listed_in_path_order_at_any_depth(tmp_path: Path) -> None:
    for name in ("cases/2026/11/B.md", "cases/2026/10/A.md", "cases/2026/10/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in CASES.files(tmp_path)] == [
        "cases/2026/10/A.md", "cases/2026/11/B.md"]
    assert list(CUSTOMERS.files(tmp_path)) == []


def test_kinds_are_distinct_and_every_one_names_its_records_in_a_trailer() -> None:
    assert len({kind.folder for kind in KINDS}) == len(KINDS)
    assert all(kind.trailer.startswith("Casefile-") for kind in KINDS)
    assert kind_of("policy.yaml") is None and kind_of("README.md") is None
