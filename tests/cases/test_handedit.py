"""Issue 18: a rejected `casefile edit` keeps what was typed, says where, and the next `edit` starts from it
(`--discard` starts over); a description typed for an `open` that failed is offered to the next `open`."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from clihelp import CLI, commit_count, is_clean
from ptyhelp import on_pty

NOW = "2026-11-02T10:00:00+08:00"


def _editor(tmp_path: Path, python: str, name: str = "editor") -> str:
    """An $EDITOR that runs a Python snippet on the file it is given (its text in `t`), and logs what it was
    given to `<name>.seen`."""
    script = tmp_path / f"{name}.py"
    seen = tmp_path / f"{name}.seen"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\nt = p.read_text()\n"
                      f"pathlib.Path({str(seen)!r}).write_text(t)\n{python}\n")
    wrapper = tmp_path / f"{name}.sh"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {script} \"$@\"\n")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return str(wrapper)


def _kept_path(err: str) -> Path:
    return Path(err.split("your edit is kept in ")[1].split(";")[0])


def test_a_rejected_edit_is_kept_and_the_next_edit_starts_from_it(cli: CLI, tmp_path: Path) -> None:
    case = cli.open(now=NOW)
    before = commit_count(cli.repo)
    cli.env["EDITOR"] = _editor(tmp_path, "p.write_text(t.replace('status: open', 'status: finished')"
                                          ".replace('category:', 'site_contact: Liu Min\\ncategory:'))")
    rejected = cli("edit", case, expect=5)
    line = rejected.err.strip()
    assert "\n" not in line and "status 'finished' is not one of" in line
    assert f"`casefile edit {case}` reopens it" in line
    kept = _kept_path(line)
    assert kept.parent == cli.repo / ".git" / "casefile" / "edits" and "site_contact: Liu Min" in kept.read_text()
    assert commit_count(cli.repo) == before and is_clean(cli.repo)  # never in the work tree or a commit

    # the next edit opens what was typed, not the committed file; fixed, it is taken and the kept edit goes
    cli.env["EDITOR"] = _editor(tmp_path, "p.write_text(t.replace('status: finished', 'status: open'))", "fix")
    taken = cli("edit", case, now="2026-11-02T10:05:00+08:00")
    assert "site_contact: Liu Min" in (tmp_path / "fix.seen").read_text()
    assert "starting from your kept edit" in taken.err
    assert taken.out.strip() == f"{case}: edit by hand: site_contact"
    assert cli("show", case, "--json").json["site_contact"] == "Liu Min"
    assert not kept.exists() and commit_count(cli.repo) == before + 1 and is_clean(cli.repo)


def test_discard_starts_from_the_case_as_committed(cli: CLI, tmp_path: Path) -> None:
    case = cli.open(now=NOW)
    cli.env["EDITOR"] = _editor(tmp_path, "p.write_text(t.replace('status: open', 'status: finished'))")
    kept = _kept_path(cli("edit", case, expect=5).err)
    # leaving the editor without saving keeps the kept edit
    cli.env["EDITOR"] = _editor(tmp_path, "pass", "quit")
    quit_ = cli("edit", case)
    assert "status: finished" in (tmp_path / "quit.seen").read_text()
    assert f"your kept edit stays in {kept}" in quit_.out and kept.exists()
    cli.env["EDITOR"] = _editor(tmp_path, "p.write_text(t.replace('category:', 'site_contact: Zhang Wei\\ncategory:'))",
                                "fresh")
    done = cli("edit", case, "--discard", now="2026-11-02T10:05:00+08:00")
    assert "status: open" in (tmp_path / "fresh.seen").read_text()
    assert done.out.strip() == f"{case}: edit by hand: site_contact" and not kept.exists()


def test_a_kept_edit_of_a_case_that_changed_since_is_refused(cli: CLI, tmp_path: Path) -> None:
    case = cli.open(now=NOW)
    cli.env["EDITOR"] = _editor(tmp_path, "p.write_text(t.replace('status: open', 'status: finished'))")
    kept = _kept_path(cli("edit", case, expect=5).err)
    cli("note", case, "-m", "Called Zhang Wei back.", now="2026-11-02T10:10:00+08:00")
    before = commit_count(cli.repo)
    cli.env["EDITOR"] = _editor(tmp_path, "raise SystemExit('the editor must not open')", "never")
    refused = cli("edit", case, expect=1)
    assert refused.err.strip() == (f"casefile: {case} changed since your edit of it was kept (your edit is in {kept}; "
                                   f"`casefile edit {case} --discard` starts again from the case as it is now)")
    assert commit_count(cli.repo) == before and kept.exists()


def _pty_run(args: list[str], cwd: Path, env: dict[str, str], answer: bytes) -> tuple[int, str]:
    """casefile on a terminal; `answer` is typed when it asks."""
    return on_pty(args, cwd, env, answer=answer)


def test_open_on_a_terminal_keeps_the_description_of_a_case_it_could_not_open(desk_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "CASEFILE_REPO": str(desk_path), "CASEFILE_NOW": NOW, "CASEFILE_ACTOR": "wang.fang",
           "EDITOR": _editor(tmp_path, "p.write_text('Shows E-04 since 08:30; the queue is stuck.\\n')")}
    before = commit_count(desk_path)
    code, said = _pty_run(["open", "Printer offline on 3F", "--level", "Z"], desk_path, env, b"")
    assert code == 1, said
    assert "your description is kept in" in said and "the next `casefile open` on a terminal offers it" in said
    kept = desk_path / ".git" / "casefile" / "edits" / "open.md"
    assert "the queue is stuck" in kept.read_text()
    assert commit_count(desk_path) == before and is_clean(desk_path)

    env["EDITOR"] = _editor(tmp_path, "p.write_text(t)", "again")  # saves what it is given
    code, said = _pty_run(["open", "Printer offline on 3F", "--level", "C"], desk_path, env, b"y\n")
    assert code == 0, said
    assert "start from it?" in said
    assert "the queue is stuck" in (tmp_path / "again.seen").read_text()
    assert commit_count(desk_path) == before + 1 and not kept.exists()
    number = said.strip().splitlines()[-1].strip()
    case = CLI(desk_path, now=NOW)("show", number, "--json").json
    assert "the queue is stuck" in case["description"]
