"""Issue 19, acceptance 4: the customer's export leaves problems and changes out. A problem is the desk's own
analysis (root cause, workaround, the incidents of every customer it links) and never appears; a change reaches
an affected customer only as its notice (mail or letter: number, title, window, their devices — see
`notify/changes.py`), not in the export, which is the customer's history of cases, surveys and inspections.
A case linked to a problem or named by a change keeps no trace of either in its exported page."""

from __future__ import annotations

from pathlib import Path

import pytest

from clihelp import CLI

AT = "2026-11-{}:00+08:00"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_problems_and_changes_stay_out_of_the_customers_export(cli: CLI, tmp_path: Path, fmt: str) -> None:
    cases = [cli.open(f"SW-FT-01 reboots ({n})", "B", "--customer", "sz-metro", "--asset", "FOC2345X0AB",
                      now=AT.format(f"{day}T02:00")) for n, day in ((1, "03"), (2, "10"), (3, "17"))]
    for case in cases:
        cli("resolve", case, "-m", "Rebooted; all links up.", now=AT.format("17T05:00"))
    problem = cli("problem", "open", "--title", "Firmware leak on the Futian core", "--customer", "sz-metro",
                  *[x for c in cases for x in ("--case", c)], now=AT.format("18T09:00")).out.split(":")[0]
    cli("problem", "note", problem, "--root-cause", "Vendor firmware 17.6 leaks MPU memory",
        "--workaround", "Reload the standby supervisor nightly", now=AT.format("18T10:00"))
    change = cli("rfc", "open", "--title", "Upgrade the MPU firmware of SW-FT-01", "--risk", "low",
                 "--plan", "Standby MPU first, then switch over.", "--backout", "Boot the previous image from flash.",
                 "--start", "2026-11-28T01:00", "--end", "2026-11-28T04:00", "--customer", "sz-metro",
                 "--problem", problem, "--case", cases[0], now=AT.format("19T10:00")).out.split(":")[0]
    cli("check", now=AT.format("25T09:00"))  # the notice is recorded on the change
    out = tmp_path / "site"
    result = cli("export", "--customer", "sz-metro", "--format", fmt, "-o", str(out), "--json").json
    assert result["cases"] == 3
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())
    for secret in (problem, "Firmware leak on the Futian core", "Vendor firmware 17.6", "Reload the standby",
                   change, "Standby MPU first", "Boot the previous image", "PRB-", "CHG-"):
        assert secret not in text, secret
    assert all(case in text for case in cases)
