"""`index export` / `index import`: an index from an older commit, a shallow clone or another
repository gives exactly the output a fresh parse gives, and parses only what it has not seen."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.clihelp import CLI, git

NOW = "2026-11-20T10:00:00+08:00"


def _records(clone: Path) -> int:
    db = sqlite3.connect(clone / ".git" / "casefile" / "index.sqlite")
    try:
        return int(db.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        db.close()


def _work_a_morning(cli: CLI, count: int) -> list[str]:
    cases = []
    for n in range(count):
        out = cli("open", f"Printer {n} offline on 3F", "--level", "C", "--caller-name", "Zhang Wei",
                  "-m", "Shows E-04.", now=f"2026-11-20T08:{n:02d}:00+08:00").out.strip()
        cases.append(out)
    return cases


def _outputs(cli: CLI) -> tuple[str, str, str]:
    return (cli("list", "--all", "--json", now=NOW).out, cli("search", "printer", now=NOW).out,
            cli("report", "stats", "--month", "2026-11", now=NOW).out)


@pytest.mark.parametrize("how", ["full", "shallow"])
def test_an_index_from_an_older_commit_gives_a_fresh_parses_output(cli: CLI, tmp_path: Path, how: str) -> None:
    cases = _work_a_morning(cli, 12)
    cli("list", "--all", now=NOW)
    archive = tmp_path / "index.gz"
    cli("index", "export", str(archive), now=NOW)
    # the desk goes on: notes, a close, a new case (the index knows none of it)
    cli("note", cases[0], "-m", "Called back; toner empty.", now="2026-11-20T09:30:00+08:00")
    cli("respond", cases[1], "-m", "On it.", now="2026-11-20T09:31:00+08:00")
    _work_a_morning(cli, 1)

    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", f"file://{cli.repo}", str(fresh))
    expected = _outputs(CLI(fresh, actor="wang.fang"))

    clone = tmp_path / how
    depth = ["--depth", "1"] if how == "shallow" else []
    git(tmp_path, "clone", "-q", *depth, f"file://{cli.repo}", str(clone))
    restored = CLI(clone, actor="wang.fang")
    restored("index", "import", str(archive), now=NOW)
    before = _records(clone)
    assert before >= 12
    assert _outputs(restored) == expected
    # the restored clone parsed the changed records only; the fresh one parsed every record
    parsed = _records(clone) - before
    assert 3 <= parsed and 2 * parsed < _records(fresh)


def test_an_index_from_another_repository_changes_nothing_but_speed(cli: CLI, cases_only_template: Path,
                                                                    tmp_path: Path) -> None:
    other = CLI(Path(shutil.copytree(cases_only_template, tmp_path / "other", symlinks=True)), actor="wang.fang")
    _work_a_morning(other, 5)
    other("list", "--all", now=NOW)
    archive = tmp_path / "foreign.gz"
    other("index", "export", str(archive), now=NOW)

    _work_a_morning(cli, 3)
    expected = _outputs(cli)
    (cli.repo / ".git" / "casefile" / "index.sqlite").unlink()
    cli("index", "import", str(archive), now=NOW)
    assert _outputs(cli) == expected


def test_a_file_that_is_not_an_index_is_refused_and_the_index_kept(cli: CLI, tmp_path: Path) -> None:
    cli("list", now=NOW)
    index = cli.repo / ".git" / "casefile" / "index.sqlite"
    kept = index.read_bytes()
    for name, content in (("text.gz", b"not gzip"), ("passwd.gz", gzip.compress(b"root:x:0:0\n" * 50))):
        bad = tmp_path / name
        bad.write_bytes(content)
        result = cli("index", "import", str(bad), now=NOW, expect=1)
        assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert index.read_bytes() == kept
    assert cli("index", "import", str(tmp_path / "missing.gz"), now=NOW, expect=3).err.count("\n") == 1


def test_an_index_of_another_version_is_refused(cli: CLI, tmp_path: Path) -> None:
    cli("list", now=NOW)
    archive = tmp_path / "index.gz"
    cli("index", "export", str(archive), now=NOW)
    raw = tmp_path / "raw.sqlite"
    raw.write_bytes(gzip.decompress(archive.read_bytes()))
    db = sqlite3.connect(raw)
    db.execute("UPDATE meta SET value = 'casefile-record-index/1 casefile 0.0.1' WHERE key = 'format'")
    db.commit()
    db.close()
    archive.write_bytes(gzip.compress(raw.read_bytes()))
    result = cli("index", "import", str(archive), now=NOW, expect=1)
    assert "casefile-record-index/1" in result.err


def test_the_exported_file_is_compact(cli: CLI, tmp_path: Path) -> None:
    _work_a_morning(cli, 20)
    cli("list", "--all", now=NOW)
    archive = tmp_path / "index.gz"
    result = cli("index", "export", str(archive), "--json", now=NOW).json
    raw = len(gzip.decompress(archive.read_bytes()))
    index = cli.repo / ".git" / "casefile" / "index.sqlite"
    assert result["records"] >= 20
    assert archive.stat().st_size < raw / 2  # compressed
    assert raw <= index.stat().st_size  # vacuumed
