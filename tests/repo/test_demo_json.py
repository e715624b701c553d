"""Issue 18: `casefile demo --json` and `inspect report --json`; the demo desk is the README's story."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from clihelp import CLI, ROOT, git


def test_demo_json_is_a_summary_of_what_it_built(tmp_path: Path) -> None:
    cli = CLI(tmp_path, actor=None)
    done = cli("demo", str(tmp_path / "desk"), "--json")
    summary = done.json  # standard output is the JSON alone; the day's steps went to standard error
    assert "02:10" in done.err and "Where to look" in done.err
    assert summary["path"] == str((tmp_path / "desk").resolve())
    assert summary["desk"] == "Jinqiao IT Services" and summary["day"] == "2026-11-19"
    listed = CLI(tmp_path / "desk", now="2026-11-19T18:00:00+08:00")("list", "--all", "--json").json
    assert summary["cases"] == len(listed) == sum(summary["cases_by_status"].values())
    assert summary["cases_by_status"]["open"] == sum(1 for c in listed if c["status"] == "open")
    assert summary["customers"] == 2 and summary["inspections_by_status"]["done"] == 1
    assert summary["commits"] == int(git(tmp_path / "desk", "rev-list", "--count", "HEAD"))
    assert summary["skipped"] == []


def test_the_demo_desk_is_named_as_the_readme_tells_its_story(demo_day: tuple[Path, list[str]]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    told = re.search(r"demo works Thursday 2026-11-19 at ([A-Z][\w ]+?):", readme)
    assert told is not None
    policy = (demo_day[0] / "policy.yaml").read_text(encoding="utf-8")
    assert f"desk:\n  name: {told.group(1)}\n" in policy
    assert any(told.group(1) in line for line in demo_day[1])  # and the demo says it


def test_inspect_report_json_is_what_the_report_is_made_from(demo_day: tuple[Path, list[str]], tmp_path: Path) -> None:
    root = Path(shutil.copytree(demo_day[0], tmp_path / "demo", symlinks=True))
    cli = CLI(root, now="2026-11-19T18:00:00+08:00")
    shown = cli("inspect", "report", "acme-sz-2026-Q4", "--json").json
    assert shown["report"] == "inspection" and shown["desk"] == "Jinqiao IT Services"
    assert shown["inspection"]["id"] == "acme-sz-2026-Q4" and shown["customer"]["id"] == "acme-sz"
    assert shown["checklist"] and sum(shown["results"].values()) == len(shown["checklist"])
    text = cli("inspect", "report", "acme-sz-2026-Q4").out
    assert shown["equipment"][0]["new_serial"] in text
