"""Problems as shared records (issue 19, acceptance 4): the server hook refuses a problem that does not
validate, and the customer export shows no problem (root causes are the desk's own: the export's
allow-list has no problems)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from clihelp import CLI, git
from teamhelp import clone, hand_commit, share

AT = "2026-11-{}:00+08:00"


def test_the_server_hook_refuses_a_broken_problem(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    cli("server-hook", "install", str(bare_remote))
    number = cli("problem", "open", "--title", "Uplink drops", "--customer", "sz-metro",
                 now=AT.format("03T09:00")).out.split(":")[0]
    share(cli, bare_remote)  # the first push goes through the hook: the problem validates
    member = clone(bare_remote, tmp_path / "member", "li.na")
    member("problem", "note", number, "--root-cause", "Firmware leak.", now=AT.format("03T10:00"))
    member("sync", now=AT.format("03T10:05"))
    tip = git(bare_remote, "rev-parse", "refs/heads/main").strip()
    assert tip == git(member.repo, "rev-parse", "HEAD").strip()
    path = member.repo / "problems" / "2026" / "11" / f"{number}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: open", "status: known-error"), encoding="utf-8")
    assert hand_commit(member.repo, "known error by hand", verify=False).returncode == 0
    pushed = subprocess.run(["git", "-C", str(member.repo), "push", "origin", "main"], capture_output=True, text=True)
    assert pushed.returncode != 0
    assert f"problems/2026/11/{number}.md" in pushed.stderr
    assert "a known error needs its root_cause and workaround" in pushed.stderr
    assert git(bare_remote, "rev-parse", "refs/heads/main").strip() == tip


def test_the_customer_export_shows_no_problem(cli: CLI, tmp_path: Path) -> None:
    case = cli.open("SW-FT-01 uplink down", "B", "--customer", "sz-metro", "--asset", "FOC2345X0AB",
                    now=AT.format("03T09:00"))
    number = cli("problem", "open", "--title", "Secret firmware bug", "--customer", "sz-metro", "--case", case,
                 now=AT.format("03T10:00")).out.split(":")[0]
    cli("problem", "note", number, "--root-cause", "Vendor confidential defect CSCxx12345.", now=AT.format("03T11:00"))
    out = tmp_path / "site"
    cli("export", "--customer", "sz-metro", "--format", "md", "-o", str(out), now=AT.format("04T09:00"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    assert case in text  # the customer's case is there
    assert number not in text and "CSCxx12345" not in text and "Secret firmware bug" not in text
