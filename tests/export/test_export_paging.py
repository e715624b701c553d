"""Issue 16: who was paged and who took the page is the desk's business, never in a customer's export."""

from __future__ import annotations

from pathlib import Path

from clihelp import CLI, git
from pagehelp import ROTA


def test_pages_and_acknowledgements_stay_out_of_the_customers_export(cli: CLI, tmp_path: Path) -> None:
    (cli.repo / "rota.yaml").write_text(ROTA, encoding="utf-8")
    git(cli.repo, "add", "rota.yaml")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm", "rota")
    # A working Tuesday night (acme-sz's own coverage may be whole working days): zhao.lei is on duty.
    case = cli.open("Core switch down at ACME Shenzhen", "A", "--customer", "acme-sz",
                    now="2026-11-24T02:10:00+08:00")
    for hhmm in ("02:40", "02:50"):
        cli("check", now=f"2026-11-24T{hhmm}:00+08:00")
    cli("ack", case, actor="zhao.lei", now="2026-11-24T02:55:00+08:00")
    shown = cli("show", case, "--json").json
    assert [e["kind"] for e in shown["events"]].count("paged") == 1
    assert shown["events"][-1]["kind"] == "acknowledged" and shown["events"][-1]["by"] == "zhao.lei"
    out = tmp_path / "site"
    cli("export", "--customer", "acme-sz", "--format", "md", "-o", str(out))
    page = (out / "cases" / f"{case}.md").read_text(encoding="utf-8")
    assert "Core switch down" in page
    for internal in ("duty-dingtalk", "took the page", "acknowledged", "not acknowledged", "paged"):
        assert internal not in page, internal
