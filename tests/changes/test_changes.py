"""Changes under `casefile rfc` (issue 19, acceptance 2's first part): a high-risk change cannot start until two
expert-group reviewers approve; the requester cannot review it, a reviewer gives one verdict, a rejection stops
it; a low-risk change starts at once; completion records the result and the report; reads have --json."""

from __future__ import annotations

from clihelp import CLI, git
from recordhelp import changed_files, refused, trailers

AT = "2026-11-{}:00+08:00"
AS = ("-c", "user.name=t", "-c", "user.email=t@x")


def _second_expert(cli: CLI) -> None:
    people = cli.repo / "people.yaml"
    text = people.read_text(encoding="utf-8")
    assert "      - technical-support-supervisor\n" in text
    people.write_text(text.replace("      - technical-support-supervisor\n",
                                   "      - technical-support-supervisor\n      - expert-group\n"), encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "chen.jie joins the expert group")


def _request(cli: CLI, risk: str = "high", *extra: str) -> str:
    return cli("rfc", "open", "--title", "Upgrade the MPU firmware of SW-FT-01", "--risk", risk,
               "--plan", "Standby MPU first, then switch over.", "--backout", "Boot the previous image from flash.",
               "--start", "2026-11-28T01:00", "--end", "2026-11-28T04:00", "--customer", "sz-metro",
               "--asset", "FOC2345X0AB", *extra, now=AT.format("21T10:00"), actor="li.na").out.split(":")[0]


def test_a_high_risk_change_starts_only_after_two_expert_approvals(cli: CLI) -> None:
    _second_expert(cli)
    change = _request(cli)
    assert change.startswith("CHG-") and change.endswith("-00001")
    assert f"changes/2026/11/{change}.md" in changed_files(cli)
    assert trailers(cli)["Casefile-Change"] == change
    record = cli("rfc", "show", change, "--json").json
    assert (record["status"], record["review"]) == ("planned", {"risk": "high", "approvals": 2, "role": "expert-group"})
    assert record["window"] == {"start": "2026-11-28T01:00:00+08:00", "end": "2026-11-28T04:00:00+08:00"}

    refused(cli, "rfc", "start", change, now=AT.format("28T01:00"), actor="li.na",
            says=f"{change} is not approved: 0 of 2 approvals of the expert review")
    refused(cli, "rfc", "review", change, "--approve", now=AT.format("21T11:00"), actor="ma.qiang",
            says="ma.qiang does not hold the expert-group role")
    cli("rfc", "review", change, "--approve", "-m", "Backout tested in the lab.", now=AT.format("22T09:00"),
        actor="zhou.min")
    refused(cli, "rfc", "review", change, "--approve", now=AT.format("22T09:05"), actor="zhou.min",
            says=f"zhou.min has reviewed {change} already")
    refused(cli, "rfc", "start", change, now=AT.format("28T01:00"), actor="li.na",
            says=f"{change} is not approved: 1 of 2 approvals")
    second = cli("rfc", "review", change, "--approve", now=AT.format("23T09:00"), actor="chen.jie")
    assert second.out.splitlines()[0] == f"{change}: approved by chen.jie; approved (2 of 2)"
    assert [(r["by"], r["verdict"]) for r in cli("rfc", "show", change, "--json").json["reviews"]] == [
        ("zhou.min", "approve"), ("chen.jie", "approve")]

    cli("rfc", "start", change, now=AT.format("28T01:00"), actor="li.na")
    refused(cli, "rfc", "complete", change, "--result", "successful", "-m", " ", now=AT.format("28T03:00"),
            says="the implementation report is empty")
    cli("rfc", "complete", change, "--result", "successful", "-m", "Both MPUs on 17.9.4; switchover took 40 s.",
        now=AT.format("28T03:10"), actor="li.na")
    done = cli("rfc", "show", change, "--json").json
    assert (done["status"], done["result"], done["started_at"], done["completed_at"]) == (
        "completed", "successful", "2026-11-28T01:00:00+08:00", "2026-11-28T03:10:00+08:00")
    assert "Both MPUs on 17.9.4" in done["report"]
    assert "专家审核 Expert review: 2 approvals of expert-group needed" in cli("rfc", "show", change).out
    assert cli("rfc", "list", "--json").json == []
    assert [r["id"] for r in cli("rfc", "list", "--all", "--json").json] == [change]
    assert cli("validate").out == ""


def test_the_requester_cannot_review_a_rejection_stops_it_and_low_risk_needs_none(cli: CLI) -> None:
    change = cli("rfc", "open", "--title", "Re-cable the UPS", "--risk", "high", "--plan", "p", "--backout", "b",
                 "--start", "2026-11-28T01:00", "--end", "2026-11-28T02:00", now=AT.format("21T10:00"),
                 actor="zhou.min").out.split(":")[0]
    refused(cli, "rfc", "review", change, "--approve", now=AT.format("21T11:00"), actor="zhou.min",
            says=f"zhou.min requested {change} and cannot review it")
    _second_expert(cli)
    refused(cli, "rfc", "review", change, "--reject", now=AT.format("21T12:00"), actor="chen.jie",
            says="say why the change is rejected")
    cli("rfc", "review", change, "--reject", "-m", "No backout for the second UPS.", now=AT.format("21T12:00"),
        actor="chen.jie")
    assert cli("rfc", "show", change, "--json").json["status"] == "rejected"
    refused(cli, "rfc", "start", change, now=AT.format("28T01:00"), says=f"{change} is rejected")

    low = _request(cli, "low")
    assert cli("rfc", "show", low, "--json").json["status"] == "approved"
    cli("rfc", "start", low, now=AT.format("28T01:00"), actor="li.na")
    refused(cli, "rfc", "open", "--title", "x", "--risk", "extreme", "--plan", "p", "--backout", "b",
            "--start", "2026-11-28T01:00", "--end", "2026-11-28T02:00", says="risk 'extreme' is not one of")
    refused(cli, "rfc", "open", "--title", "x", "--risk", "low", "--plan", "p", "--backout", "b",
            "--start", "2026-11-28T03:00", "--end", "2026-11-28T02:00", says="the window ends before it starts")
    refused(cli, "rfc", "open", "--title", "x", "--risk", "low", "--plan", "p", "--backout", "b",
            "--start", "2026-11-28T01:00", "--end", "2026-11-28T02:00", "--customer", "sz-metro", "--asset", "NOPE",
            says="no affected customer has a device with serial number NOPE")
    refused(cli, "rfc", "show", "CHG-KMT-00099", code=3, says="no change CHG-KMT-00099")
    assert cli("validate").out == ""
