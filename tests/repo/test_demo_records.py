"""The demo desk links real customers; the demo day records an inspection and two surveys."""

from __future__ import annotations

import shutil
from pathlib import Path

from clihelp import CLI, is_clean


def test_the_demo_day_with_customers_an_inspection_and_surveys(demo_day: tuple[Path, list[str]],
                                                              tmp_path: Path) -> None:
    built, said = demo_day
    root = Path(shutil.copytree(built, tmp_path / "demo", symlinks=True))
    cli = CLI(root, actor="wang.fang", now="2026-11-19T18:00:00+08:00")
    assert cli("validate").out == ""
    assert is_clean(root)
    assert [c["id"] for c in cli("customer", "list", "--json").json] == ["acme-sz", "sz-metro"]
    cases = cli("list", "--all", "--json").json
    assert {c["customer"] for c in cases} == {"acme-sz", "sz-metro"}
    inspection = cli("inspect", "show", "acme-sz-2026-Q4", "--json").json
    assert (inspection["status"], inspection["inspector"], inspection["equipment"][0]["new_serial"]) == (
        "done",
        "zhao.lei",
        "AS2046789012",
    )
    surveys = cli("survey", "list", "--json").json
    # ACME's quarterly scheduled survey (created by the day's first `check`; Shenzhen Metro
    # has on-site staff, who run their own) and the two case surveys answered that day.
    assert [(s["id"], s["status"], s["score"], bool(s["complaint"])) for s in surveys] == [
        ("SV-acme-sz-2026-Q4", "pending", None, False),
        (surveys[1]["id"], "answered", 2.25, True),
        (surveys[2]["id"], "answered", 3.5, False),
    ]
    assert any("check      scheduled survey SV-acme-sz-2026-Q4" in line for line in said)
    complaint = cli("show", surveys[1]["complaint"], "--json").json
    assert (complaint["type"], complaint["assignee"]) == ("complaint", "sun.li")
    assert any("opened complaint" in line for line in said)
    assert cli("inspect", "report", "acme-sz-2026-Q4").out.startswith("# 系统运行状态报告")
