"""Issue 19, acceptance 3: availability of a customer's system in October, computed from the outage of its level
A/B incidents (opened to restored, overlapping outages once), against the contract's target — in the monthly
bulletin and the statistics, in JSON, Markdown and HTML, Chinese and English."""

from __future__ import annotations

from clihelp import CLI, git

OCT = "2026-10-{}:00+08:00"
AS = ("-c", "user.name=t", "-c", "user.email=t@x")
OLD, NEW, OTHER = "FOC2345X0AB", "FOC2650Y1ZZ", "FOC2345X0CD"


def _target(cli: CLI, value: str) -> None:
    path = cli.repo / "customers" / "sz-metro.md"
    text = path.read_text(encoding="utf-8")
    assert "  until: '2027-02-28'\n" in text or "  until: 2027-02-28\n" in text
    text = text.replace("  until: '2027-02-28'\n", f"  until: '2027-02-28'\n  availability: {value}\n")
    text = text.replace("  until: 2027-02-28\n", f"  until: 2027-02-28\n  availability: {value}\n")
    path.write_text(text, encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "the contract's availability target")


def test_october_availability_of_the_core_switch_comes_from_its_outage(cli: CLI) -> None:
    _target(cli, "99.9")
    # A level-A outage at 02:00 on a holiday (National Day): the MPU is swapped on site, restored at 03:45.
    down = cli.open("SW-FT-01 down: ticket gates offline at Futian", "A", "--customer", "sz-metro", "--asset", OLD,
                    now=OCT.format("03T02:00"))
    also = cli.open("Futian gates report no network", "B", "--customer", "sz-metro", "--asset", OLD,
                    now=OCT.format("03T02:05"))
    cli("note", down, "-k", "onsite", "--replace", f"{OLD}={NEW}", "-m", "MPU swapped.", now=OCT.format("03T03:10"))
    cli("resolve", down, "-m", "MPU replaced; every link up.", now=OCT.format("03T03:45"))
    cli("resolve", also, "-m", "Network back with SW-FT-01.", now=OCT.format("03T03:30"))
    minor = cli.open("One gate slow", "C", "--customer", "sz-metro", "--asset", OTHER, now=OCT.format("10T10:00"))
    cli("resolve", minor, "-m", "Cable reseated.", now=OCT.format("10T12:00"))
    late = cli.open("SW-FT-02 reboots", "B", "--customer", "sz-metro", "--asset", OTHER, now=OCT.format("31T23:30"))
    cli("resolve", late, "-m", "Stable again.", now="2026-11-01T00:30:00+08:00")

    bulletin = cli("report", "monthly", "--month", "2026-10", "--json", now="2026-11-02T09:00:00+08:00").json
    systems = {a["serial"]: a for a in bulletin["availability"]}
    # 02:00–03:45 is 105 minutes (the B case's 02:05–03:30 lies inside it); October has 31 × 1440 = 44640 minutes:
    # 1 − 105/44640 = 99.765 %, under the contract's 99.9 %.
    switch = systems[NEW]  # the switch whose MPU was swapped is the same system
    assert (switch["outage_minutes"], switch["period_minutes"], switch["availability"]) == (105, 44640, 99.765)
    assert (switch["target"], switch["met"]) == (99.9, False)
    assert [(o["case"], o["minutes"], o["restored"]) for o in switch["outages"]] == [(down, 105, True), (also, 85, True)]
    # SW-FT-02: the C case does not count; the B case counts its 30 minutes inside October: 1 − 30/44640.
    assert (systems[OTHER]["outage_minutes"], systems[OTHER]["availability"], systems[OTHER]["met"]) == (30, 99.933, True)
    assert OLD not in systems

    stats = cli("report", "stats", "--month", "2026-10", "--json", now="2026-11-02T09:00:00+08:00").json
    assert stats["availability"] == bulletin["availability"]
    zh = cli("report", "monthly", "--month", "2026-10", now="2026-11-02T09:00:00+08:00").out
    assert "## 客户系统可用性" in zh and "| 105 | 99.765% | 99.9% 未达标 |" in zh
    en = cli("report", "stats", "--month", "2026-10", "--lang", "en", now="2026-11-02T09:00:00+08:00").out
    assert "## Availability of the customers' systems" in en and "| 30 | 99.933% | 99.9% met |" in en
    html = cli("report", "monthly", "--month", "2026-10", "--format", "html", now="2026-11-02T09:00:00+08:00").out
    assert "<h2>客户系统可用性</h2>" in html and "99.765%" in html
    # November: SW-FT-02's 30 minutes after midnight; the rest of the month so far is up.
    november = cli("report", "monthly", "--month", "2026-11", "--json", now="2026-11-02T00:00:00+08:00").json
    nov = {a["serial"]: a for a in november["availability"]}
    assert (nov[OTHER]["outage_minutes"], nov[OTHER]["period_minutes"]) == (30, 1440)
    assert cli("validate").out == ""


def test_without_a_target_only_devices_with_an_outage_are_listed(cli: CLI) -> None:
    down = cli.open("SW-FT-01 down", "B", "--customer", "sz-metro", "--asset", OLD, now=OCT.format("20T02:00"))
    cli("resolve", down, "-m", "Rebooted.", now=OCT.format("20T02:44"))
    shown = cli("report", "monthly", "--month", "2026-10", "--json", now="2026-11-02T09:00:00+08:00").json
    assert [(a["serial"], a["outage_minutes"], a["target"], a["met"]) for a in shown["availability"]] == [
        (OLD, 44, None, None)]
    assert "合同未约定目标" in cli("report", "monthly", "--month", "2026-10", now="2026-11-02T09:00:00+08:00").out
