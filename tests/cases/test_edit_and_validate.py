"""`casefile edit` (through $EDITOR) and `casefile validate`."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from clihelp import CLI, commit_count, git, is_clean


def _editor(tmp_path: Path, python: str) -> str:
    """An $EDITOR that runs a Python snippet on the file it is given."""
    script = tmp_path / "editor.py"
    script.write_text(f"import sys, pathlib\np = pathlib.Path(sys.argv[1])\nt = p.read_text()\n{python}\np.write_text(t)\n")
    wrapper = tmp_path / "editor.sh"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {script} \"$@\"\n")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return str(wrapper)


def test_edit_validates_and_commits_with_an_event(cli: CLI, tmp_path: Path) -> None:
    case = cli.open()
    before = commit_count(cli.repo)
    cli.env["EDITOR"] = _editor(tmp_path, "t = t.replace('category:', 'site_contact: Liu Min  # added by hand\\ncategory:')")
    result = cli("edit", case, now="2026-11-02T10:00:00+08:00")
    assert result.out.strip() == f"{case}: edit by hand: site_contact"
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    shown = cli("show", case, "--json").json
    assert shown["site_contact"] == "Liu Min"
    assert shown["events"][-1]["kind"] == "edited"
    assert "Casefile-Action: edit" in git(cli.repo, "log", "-1", "--format=%B")


def test_an_invalid_edit_is_not_committed_but_kept(cli: CLI, tmp_path: Path) -> None:
    case = cli.open()
    before = commit_count(cli.repo)
    cli.env["EDITOR"] = _editor(tmp_path, "t = t.replace('status: open', 'status: finished')")
    result = cli("edit", case, expect=5)
    assert "status 'finished' is not one of" in result.err and "your edit is kept in" in result.err
    kept = Path(result.err.split("your edit is kept in ")[1].split(";")[0])
    assert "status: finished" in kept.read_text()
    assert commit_count(cli.repo) == before and is_clean(cli.repo)


def test_validate_reports_every_problem_with_file_and_line(cli: CLI) -> None:
    good, bad = cli.open(), cli.open("Second", "D")
    assert cli("validate").out == ""
    path = next((cli.repo / "cases").rglob(f"{bad}.md"))
    text = path.read_text().replace("type: incident", "type: outage").replace("opened_at: 2026", "opened_at: yesterday 2026")
    path.write_text(text)
    result = cli("validate", expect=5)
    rel = path.relative_to(cli.repo).as_posix()
    lines = result.out.strip().splitlines()
    assert f"{rel}:4: type 'outage' is not one of: complaint, consultation, incident, request" in lines
    assert any(line.startswith(f"{rel}:") and "opened_at" in line for line in lines)
    assert not any(good in line for line in lines)
    assert cli("validate", "--json", expect=5).json[0]["path"] == rel
