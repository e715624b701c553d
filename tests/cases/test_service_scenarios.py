"""Issue 14, acceptances 2 and 3 through the CLI: owner and group through escalation and the vendor,
service rules by contract and by channel, contracts flagged at open.

The desk (tests/conftest.py): sz-metro (7x24, contract JQ-2026-031 to 2027-02-28) and acme-sz (5x24,
JQ-2026-017 to 2026-12-31); ma.qiang an L2 engineer, zhou.min the expert group (L3).
"""

from __future__ import annotations

from typing import Any

from clihelp import CLI, commit_count, git

FRI = "2026-11-20T{}:00+08:00"


def add_rules(cli: CLI, text: str) -> None:
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + text, encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "service rules")


def clocks(cli: CLI, case: str, now: str) -> dict[str, Any]:
    shown = cli("show", case, "--json", now=now).json
    return {c["name"]: c for c in [*shown["sla"]["clocks"], *shown["sla"]["vendor_clocks"]]}


def test_escalate_to_l3_then_to_the_vendor_keeps_the_owner_and_tells_owner_group_and_vendor(cli: CLI) -> None:
    cli("vendor", "add", "huawei", "--name", "Huawei Technologies",
        "--contact", "Huawei TAC;400-822-9999;tac@huawei.example;TAC", "--coverage", "7x24",
        "--commit", "response=30m", now=FRI.format("09:00"))
    case = cli.open("Core switch down at Futian", "B", "--customer", "sz-metro", "--assign", "ma.qiang",
                    now=FRI.format("10:00"))
    cli("escalate", case, "--to", "L3", "--reason", "Core routing: the expert group", actor="ma.qiang",
        now=FRI.format("10:10"))
    done = cli("escalate", case, "--to", "vendor", "--vendor", "huawei", "--ticket", "HW-1",
               "--reason", "Line card fault", actor="zhou.min", now=FRI.format("10:20"))
    assert done.out.splitlines()[:2] == [f"{case}: escalate to vendor huawei, ticket HW-1",
                                     "mail to ma.qiang@jinqiao-it.example, tac@huawei.example queued"]
    shown = cli("show", case, "--json", now=FRI.format("10:30")).json
    assert (shown["assignee"], shown["tier"], shown["vendor"], shown["vendor_ticket"]) == (
        "ma.qiang", "vendor", "huawei", "HW-1")
    moves = [e["fields"] for e in shown["events"] if e["kind"] == "escalated"]
    # The owner and the expert group (to L3; to the vendor: the group that handed it over), and the vendor.
    assert [m["notified"] for m in moves] == [["ma.qiang", "zhou.min"], ["ma.qiang", "zhou.min"]]
    assert moves[1]["vendor_contacts"] == ["Huawei TAC <tac@huawei.example>"]
    assert "assignee" not in moves[0] and "assignee" not in moves[1]
    # The vendor's response clock runs from the hand-over: 30m on 7x24, due 10:50, warned at 10:44 ...
    vendor = clocks(cli, case, FRI.format("10:30"))["vendor-response"]
    assert (vendor["state"], vendor["due_at"], vendor["warn_at"]) == ("running", FRI.format("10:50"),
                                                                      FRI.format("10:44"))
    warned = cli("check", "--json", now=FRI.format("10:45")).json["fired"]
    assert ("warning/vendor-response", ["ma.qiang"]) in [(f["key"], f["notified"]) for f in warned
                                                         if f["record"] == case]
    # ... and stops when the vendor answers (a vendor note): met in 26m.
    cli("note", case, "-k", "vendor", "-m", "Huawei TAC called back; engineer on the way.", actor="zhou.min",
        now=FRI.format("10:46"))
    vendor = clocks(cli, case, FRI.format("11:00"))["vendor-response"]
    assert (vendor["state"], vendor["elapsed"]) == ("met", "26m")
    assert "Vendor response (huawei)" in cli("explain", case, now=FRI.format("11:00")).out


def test_a_contract_rule_gives_one_customer_20m_and_1h(cli: CLI) -> None:
    add_rules(cli, """
service_rules:
  - name: metro-emergency
    customer: sz-metro
    contract: JQ-2026-031
    level: A
    targets: {response: 20m, onsite: 1h}
""")
    metro = cli.open("Gates offline at Futian", "A", "--customer", "sz-metro", "--contract", "JQ-2026-031",
                     now=FRI.format("02:00"))
    acme = cli.open("Core switch down at ACME", "A", "--customer", "acme-sz", now=FRI.format("02:00"))
    mine, theirs = clocks(cli, metro, FRI.format("02:05")), clocks(cli, acme, FRI.format("02:05"))
    assert (mine["response"]["due_at"], mine["onsite"]["due_at"]) == (FRI.format("02:20"), FRI.format("03:00"))
    assert mine["restore"]["due_at"] == FRI.format("04:00")  # the level's 2h: the rule names only two
    assert (theirs["response"]["due_at"], theirs["onsite"]["due_at"]) == (FRI.format("03:00"), FRI.format("02:30"))
    shown = cli("show", metro, "--json", now=FRI.format("02:05")).json
    assert shown["service"]["rule"] == "metro-emergency" and shown["sla"]["rule"] == "metro-emergency"
    assert "metro-emergency" in cli("explain", metro, now=FRI.format("02:05")).out
    assert cli("show", acme, "--json", now=FRI.format("02:05")).json["sla"]["rule"] is None


def test_a_channel_rule_puts_online_requests_on_5x8(cli: CLI) -> None:
    add_rules(cli, """
service_rules:
  - name: online-5x8
    channel: online
    coverage: 5x8
""")
    # Fri 17:30: the online case's 1h response counts 30m to 18:00, then Monday 09:00-09:30;
    # the same case by phone stays on acme-sz's 5x24: whole Friday, due 18:30.
    online = cli.open("Reset my OA password", "C", "--customer", "acme-sz", "--channel", "online",
                      now=FRI.format("17:30"))
    phone = cli.open("Reset my OA password", "C", "--customer", "acme-sz", now=FRI.format("17:30"))
    assert clocks(cli, online, FRI.format("17:35"))["response"]["due_at"] == "2026-11-23T09:30:00+08:00"
    assert clocks(cli, phone, FRI.format("17:35"))["response"]["due_at"] == FRI.format("18:30")
    shown = cli("show", online, "--json", now=FRI.format("17:35")).json
    assert (shown["service"]["rule"], shown["sla"]["coverage"]) == ("online-5x8", "5x8")


def test_a_case_under_an_unknown_or_expired_contract_is_flagged_at_open(cli: CLI) -> None:
    before = commit_count(cli.repo)
    unknown = cli("open", "Printer offline", "--level", "C", "--customer", "sz-metro", "--contract", "JQ-1999-001",
                  "-m", "x", now=FRI.format("10:00"))
    case = unknown.out.strip()
    assert unknown.err.strip() == (f"casefile: {case}: contract JQ-1999-001 is not the customer's contract on file: "
                                   "the case is flagged (service.contract_status: unknown); check the customer's "
                                   "contract")
    expired = cli("open", "Printer offline", "--level", "C", "--customer", "acme-sz", "-m", "x",
                  now="2027-01-05T10:00:00+08:00")
    assert "contract JQ-2026-017 has expired" in expired.err
    assert commit_count(cli.repo) == before + 2  # opened all the same, flagged
    shown = cli("show", expired.out.strip(), "--json", now="2027-01-05T10:00:00+08:00").json
    assert shown["service"]["contract_status"] == "expired"
