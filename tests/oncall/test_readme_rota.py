"""The README's rota and its commands ("Who is on duty") run as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from clihelp import CLI, ROOT, git

SECTION = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Who is on duty", 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def test_the_readme_rota_and_commands_run_as_written(cli: CLI) -> None:
    rota = re.search(r"```yaml\n(.*?)```", SECTION, re.S).group(1)  # type: ignore[union-attr]
    (cli.repo / "rota.yaml").write_text(rota, encoding="utf-8")
    git(cli.repo, "add", "rota.yaml")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm", "rota")  # the hook validates it
    night = "2026-10-03T02:10:00+08:00"
    case = cli.open("Core switch down at ACME", "A", now=night)
    cli("check", now="2026-10-03T02:40:00+08:00")
    # Every command block of the section, in order (the docs test runs them too, in a fresh desk; the ack
    # block is skipped there, since it needs a page: here `check` has paged at 02:40).
    commands = "".join(re.findall(r"```sh\n(.*?)```", SECTION, re.S))
    ran = []
    for line in commands.splitlines():
        words = shlex.split(line.split("  #", 1)[0])
        assert words[0] == "casefile"
        args = [case if w == "KMT-00417" else w for w in words[1:]]
        done = cli(*args, now="2026-10-03T02:45:00+08:00")
        ran.append(args[0:2])
    assert ran[0] == ["rota", "show"] and ["ack", case] in ran
    assert "ma.qiang" in cli("rota", "show", "--at", "2026-10-03T02:10").out
    assert done.out.strip() == f"{case}: ack by zhou.min"
