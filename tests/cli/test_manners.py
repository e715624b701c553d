"""Issue 18: terminal manners on a real pty (colour, pager, width) and none of them in a pipe; completion;
the friendly edges (overview, did-you-mean, desk options first, EPIPE, `show 417`); `people`; `init --station`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clihelp import CLI, commit_count
from ptyhelp import on_pty

NOW = "2026-11-19T10:00:00+08:00"
LONG = "客户投诉：满意度调查技术能力不满意，打印机三楼全部无法打印，工程师到场两次仍未解决的问题"


def _on_pty(args: list[str], cwd: Path, env: dict[str, str], columns: int = 80, rows: int = 10) -> str:
    """Run casefile on a pseudo-terminal of the given size; everything it (or its pager) wrote."""
    return on_pty(args, cwd, env, columns, rows)[1]


def _desk(cli: CLI) -> dict[str, str]:
    for n in range(12):
        cli("open", f"{LONG} {n}" if n % 2 else f"Printer offline on {n}F", "--level", "AB"[n % 2], "-m", "x",
            now=NOW)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "CLICOLOR_FORCE")}
    env.update({"CASEFILE_REPO": str(cli.repo), "CASEFILE_ACTOR": "wang.fang", "TERM": "xterm",
                "CASEFILE_NOW": "2026-11-20T10:00:00+08:00"})
    return env


def test_on_a_terminal_colour_pager_and_width_and_in_a_pipe_none(cli: CLI, tmp_path: Path) -> None:
    env = _desk(cli)
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\necho PAGED-BY-TEST; cat\n")
    pager.chmod(0o755)
    shown = _on_pty(["list"], cli.repo, {**env, "CASEFILE_PAGER": str(pager)}, columns=80, rows=10)
    assert "PAGED-BY-TEST" in shown  # 14 lines on a 10-line screen: paged
    assert "\x1b[1;31m" in shown and "\x1b[33m" in shown  # level A, breaches (bold red); level B (yellow)
    rows = [line for line in shown.replace("\x1b[0m", "").splitlines() if line.startswith("CASE") or "-0000" in line]
    import re

    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip("\r") for line in rows]
    from casefile.render.width import width

    assert plain and all(width(line) <= 80 for line in plain), plain
    assert any(line.endswith("…") for line in plain)  # the long Chinese titles are cut at 80 columns
    assert "! a commitment is breached" in re.sub(r"\x1b\[[0-9;]*m", "", shown)  # the legend of the markers

    wide = _on_pty(["list"], cli.repo, {**env, "CASEFILE_PAGER": "", "NO_COLOR": "1"}, columns=200, rows=50)
    assert "\x1b[" not in wide and "PAGED-BY-TEST" not in wide  # NO_COLOR; an empty pager is none
    assert LONG in wide  # 200 columns: nothing cut
    never = _on_pty(["--color", "never", "list"], cli.repo, {**env, "CASEFILE_PAGER": ""}, columns=200, rows=50)
    assert "\x1b[" not in never

    piped = subprocess.run([sys.executable, "-m", "casefile", "list"], cwd=cli.repo, env={**env, "COLUMNS": "80",
                           "CASEFILE_PAGER": str(pager)}, capture_output=True, text=True)
    assert piped.returncode == 0
    assert "\x1b[" not in piped.stdout and "PAGED-BY-TEST" not in piped.stdout
    assert LONG in piped.stdout and "…" not in piped.stdout  # never cut in a pipe
    forced = subprocess.run([sys.executable, "-m", "casefile", "list"], cwd=cli.repo,
                            env={**env, "CLICOLOR_FORCE": "1"}, capture_output=True, text=True)
    assert "\x1b[1;31m" in forced.stdout


def test_a_closed_pipe_exits_0_quietly(cli: CLI) -> None:
    env = _desk(cli)
    for _ in range(3):
        done = subprocess.run(["bash", "-c", f"set -o pipefail; {sys.executable} -m casefile list --all --json"
                               " | head -c 10 > /dev/null"], cwd=cli.repo, env=env, capture_output=True, text=True)
        assert done.returncode == 0 and done.stderr == "", done.stderr


def test_bare_casefile_did_you_mean_and_desk_options_before_the_command(cli: CLI, tmp_path: Path) -> None:
    bare = cli()
    assert bare.code == 0 and "casefile open TITLE" in bare.out and bare.err == ""
    typo = cli("lsit", expect=2)
    assert "did you mean: list?" in typo.err
    case = cli.open(now=NOW)
    number = int(case.split("-")[1])
    first = cli("--repo", str(cli.repo), "--now", NOW, "show", str(number), "--json").json
    assert first["id"] == case
    other = tmp_path / "other"
    cli("init", str(other), "--as", "wang.fang")
    # the option after the command wins over the one before it, and both over the environment
    shown = cli("--repo", str(other), "show", case, "--repo", str(cli.repo), "--json").json
    assert shown["id"] == case
    cli("--repo", str(other), "show", case, expect=3)


def test_init_station_people_and_completion(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    cli = CLI(desk, now=NOW)
    made = cli("init", str(desk), "--as", "wang.fang", "--station", "KMT")
    assert "KMT-00001" in made.out
    cli("init", str(tmp_path / "bad"), "--as", "wang.fang", "--station", "KAE", expect=1)
    before = commit_count(desk)
    cli("people", "add", "li.na", "--name", "Li Na 李娜", "--email", "li.na@jinqiao-it.example", "--tier", "L2",
        "--role", "engineer")
    assert commit_count(desk) == before + 1
    assert cli("people", "add", "li.na", "--name", "Li Na", expect=1).err.startswith("casefile: li.na is in")
    cli("people", "add", "x.y", "--name", "X", "--role", "no-such-role", expect=1)
    case = cli.open(now=NOW)
    assert case == "KMT-00001"
    cli("assign", "1", "li.na")
    refused = cli("people", "remove", "li.na", expect=1)
    assert "still owns cases that are not closed: KMT-00001" in refused.err
    assert commit_count(desk) == before + 3
    cli("customer", "add", "acme-sz", "--name", "ACME Shenzhen", "--coverage", "5x8")
    cli("list", "--all")  # the index sees every case and customer

    def complete(*words: str) -> list[str]:
        env = {**os.environ, "COMP_WORDS": " ".join(["casefile", *words]), "COMP_CWORD": str(len(words)),
               "_CASEFILE_COMPLETE": "bash_complete", "CASEFILE_REPO": str(desk)}
        done = subprocess.run([sys.executable, "-m", "casefile"], env=env, capture_output=True, text=True, cwd=desk)
        assert done.returncode == 0, done.stderr
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert complete("show", "") == ["KMT-00001"]
    assert complete("show", "1") == ["KMT-00001"]
    assert complete("assign", "KMT-00001", "li") == ["li.na"]
    assert complete("list", "--customer", "a") == ["acme-sz"]
    assert complete("list", "--level", "") == ["A", "B", "C", "D"]
    assert "pending" in complete("list", "--status", "")
    assert "sla" in complete("report", "")
    cli("kb", "add", "--title", "HP M607 shows E-04", "--slug", "printer-e04", "-m", "Clear the queue.")
    assert complete("kb", "show", "pr") == ["printer-e04"]
    script = cli("completion", "bash").out
    assert "_CASEFILE_COMPLETE" in script


def test_people_list_fits_the_terminal_by_display_width(cli: CLI) -> None:
    """The demo team's Chinese names count two columns a character: the columns after them line up, and on
    a narrow terminal the roles and e-mail give up width first; in a pipe, nothing is cut."""
    from casefile.render.width import width

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "CLICOLOR_FORCE")}
    env.update({"CASEFILE_REPO": str(cli.repo), "CASEFILE_PAGER": "", "NO_COLOR": "1", "TERM": "xterm"})
    narrow = [line for line in _on_pty(["people", "list"], cli.repo, env, columns=64, rows=40).splitlines() if line]
    assert len(narrow) == 11 and all(width(line) <= 64 for line in narrow), narrow
    assert any("Zhou Min 周敏" in line and "…" in line for line in narrow)  # the name whole, the rest cut
    wide = _on_pty(["people", "list"], cli.repo, env, columns=200, rows=40).splitlines()
    at = {width(line[: line.index("@") - len(line.split()[0])]) for line in wide if "@" in line}
    assert len(at) == 1  # the e-mail column starts at one display column on every row
    piped = cli("people", "list").out
    assert "technical-support-supervisor" in piped and "…" not in piped
