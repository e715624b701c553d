"""casefile is a library first (issue 11): `casefile.Desk` opens a desk and its services do what the
commands do; the command line is a thin layer over it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import casefile
from casefile.records.change import Done
from clihelp import CLI, git


def test_the_public_face() -> None:
    assert casefile.__all__ == ["CasefileError", "Desk", "ExitCode", "__version__"]
    assert casefile.ExitCode.NOT_FOUND == 3 and issubclass(casefile.CasefileError, Exception)
    assert (Path(casefile.__file__).parent / "py.typed").exists()
    with pytest.raises(AttributeError):
        casefile.Nothing  # noqa: B018


def test_importing_casefile_loads_nothing_heavy() -> None:
    code = "import sys, casefile; print(sorted(m for m in sys.modules if m.startswith('casefile')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['casefile', 'casefile.version']"


def test_the_readme_lines_open_a_desk_list_its_cases_and_add_a_note(cli: CLI) -> None:
    case = cli.open("Printer offline at ACME Shenzhen, 3F", "C", "--customer", "acme-sz")
    desk = casefile.Desk.open(cli.repo, now="2026-11-02T10:00:00+08:00", actor="li.na")
    rows = desk.cases.list()
    assert [row["id"] for row in rows] == [case] and rows[0]["sla"]["next_clock"] == "response"
    done = desk.cases.note(case, "Called Zhang Wei back; the queue is clear.")
    assert isinstance(done, Done) and done.subject == f"{case}: note"
    assert git(cli.repo, "log", "-1", "--format=%an").strip() == "Li Na 李娜"
    assert cli("show", case, "--json").json["events"][-1]["text"] == "Called Zhang Wei back; the queue is clear."
