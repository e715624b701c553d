"""Problems (issue 19): recurring incidents on one core switch become a problem through `problem suggest`;
accepting it links all of them both ways; root cause, workaround and the known error's article; resolve and
close; list and show with --json; refusals leave no trace; validate and the merge driver know the kind."""

from __future__ import annotations

from pathlib import Path

from clihelp import CLI, git
from recordhelp import changed_files, refused, trailers

AT = "2026-11-{}:00+08:00"
SWITCH = "FOC2345X0AB"


def _switch_down(cli: CLI, day: str, title: str = "SW-FT-01 uplink down, Futian gates offline") -> str:
    case = cli.open(title, "B", "--customer", "sz-metro", "--asset", SWITCH, "--category", "network/switch",
                    now=AT.format(day))
    cli("resolve", case, "-m", "Reloaded the MPU.", now=AT.format(day.replace("T09:00", "T11:00")))
    return case


def test_three_incidents_on_a_core_switch_become_one_problem(cli: CLI) -> None:
    cases = [_switch_down(cli, f"{d}T09:00") for d in ("03", "10", "20")]
    other = cli.open("Printer offline", "C", "--customer", "acme-sz", "--category", "hardware/printer",
                     now=AT.format("20T10:00"))

    shown = cli("problem", "suggest", now=AT.format("21T09:00"))
    key = f"sz-metro:device:{SWITCH}:2026-11-03"
    assert shown.out.splitlines()[0] == key
    assert f"casefile problem suggest --accept {key}" in shown.out
    found = cli("problem", "suggest", "--json", now=AT.format("21T09:00")).json
    assert [s["key"] for s in found] == [key]  # the category run holds the same three: proposed once
    assert [i["id"] for i in found[0]["incidents"]] == cases
    assert other not in shown.out

    accepted = cli("problem", "suggest", "--accept", key, now=AT.format("21T09:30"))
    problem = accepted.out.split(":")[0]
    assert problem.startswith("PRB-") and problem.endswith("-00001")
    station = cases[0].split("-")[0]
    assert problem == f"PRB-{station}-00001"  # numbered like cases, under this clone's station
    assert changed_files(cli) == sorted([f"problems/2026/11/{problem}.md",
                                         *(f"cases/2026/11/{case}.md" for case in cases)])
    assert trailers(cli)["Casefile-Action"] == "problem-open"
    assert trailers(cli)["Casefile-Problem"] == problem
    record = cli("problem", "show", problem, "--json").json
    assert record["incidents"] == cases
    assert record["status"] == "open" and record["customer"] == "sz-metro" and record["asset"] == SWITCH
    assert record["category"] == "network/switch"
    assert "Cisco Catalyst C9300-48P (SW-FT-01)" in record["title"]
    for case in cases:
        assert {"rel": "problem", "to": problem} in cli("show", case, "--json").json["links"]
    assert cli("problem", "suggest", "--json", now=AT.format("21T10:00")).json == []  # linked: not again

    cli("kb", "add", "--title", "C9300 MPU memory leak: reload the standby MPU", "--slug", "c9300-mpu-reload",
        "--fix", "Reload the standby MPU at night.", now=AT.format("21T11:00"))
    cli("problem", "note", problem, "--root-cause", "MPU firmware 17.6 leaks memory under multicast load.",
        now=AT.format("21T12:00"))
    assert cli("problem", "show", problem, "--json").json["status"] == "open"  # no workaround yet
    noted = cli("problem", "note", problem, "--workaround", "Reload the standby MPU at night.",
                "--article", "c9300-mpu-reload", "-m", "Cisco TAC confirmed the bug.", now=AT.format("21T16:00"))
    assert noted.out.splitlines()[0] == f"{problem}: note (workaround, article); known error"
    record = cli("problem", "show", problem, "--json").json
    assert (record["status"], record["known_error_at"]) == ("known-error", "2026-11-21T16:00:00+08:00")
    assert record["article"] == "c9300-mpu-reload"
    assert record["article_found"]["title"] == "C9300 MPU memory leak: reload the standby MPU"
    text = cli("problem", "show", problem).out
    assert "已知错误 known error" in text and "c9300-mpu-reload — C9300 MPU memory leak" in text

    bulletin = cli("report", "monthly", "--month", "2026-11", "--json", now=AT.format("30T10:00")).json
    assert bulletin["problems"] == [{
        "id": problem, "title": record["title"], "status": "known-error", "customer": "sz-metro",
        "root_cause": "MPU firmware 17.6 leaks memory under multicast load.",
        "workaround": "Reload the standby MPU at night.", "article": "c9300-mpu-reload", "incidents": cases}]
    page = cli("report", "monthly", "--month", "2026-11", "--lang", "zh", now=AT.format("30T10:00")).out
    assert "## 问题管理" in page
    assert f"- {problem} {record['title']} · 状态: 已知错误 · 关联事件: {', '.join(cases)}" in page
    assert "已知错误见知识库 c9300-mpu-reload" in page
    html = cli("report", "monthly", "--month", "2026-11", "--format", "html", "--lang", "en",
               now=AT.format("30T10:00")).out
    assert "<h2>Problems behind the incidents</h2>" in html and f"<strong>{problem}</strong>" in html

    listed = cli("problem", "list", "--json").json
    assert [(r["id"], r["status"], r["incidents"]) for r in listed] == [(problem, "known-error", cases)]
    refused(cli, "problem", "close", problem, says=f"{problem} is known-error; a problem is closed once resolved")
    cli("problem", "resolve", problem, "-m", "Firmware 17.9.4 on both MPUs.", now=AT.format("25T02:00"))
    cli("problem", "close", problem, "-m", "No drop for a month.", now=AT.format("28T09:00"))
    assert cli("problem", "list", "--json").json == []
    assert [r["status"] for r in cli("problem", "list", "--all", "--json").json] == ["closed"]
    refused(cli, "problem", "link", problem, other, says=f"{problem} is closed")
    assert cli("validate").out == ""


def test_open_and_link_by_hand_refusals_leave_no_trace(cli: CLI) -> None:
    case = _switch_down(cli, "03T09:00")
    request = cli("open", "New VPN account", "--level", "C", "--type", "request", "--customer", "acme-sz",
                  now=AT.format("03T10:00")).out.strip()
    refused(cli, "problem", "open", "--title", "Uplink", "--customer", "sz-metro", "--asset", "NOPE123",
            says="sz-metro has no device with serial number NOPE123")
    refused(cli, "problem", "open", "--title", "VPN", "--case", request, says=f"{request} is a request, not an incident")
    refused(cli, "problem", "open", "--title", " ", says="the problem's title is empty")
    refused(cli, "problem", "show", "PRB-KMT-00009", code=3, says="no problem PRB-KMT-00009")
    refused(cli, "problem", "suggest", "--accept", "sz-metro:device:X:2026-11-01", says="no suggestion")
    made = cli("problem", "open", "--title", "Uplink drops", "--customer", "sz-metro", "--json",
               now=AT.format("04T09:00")).json
    assert made["incidents"] == []
    number = made["id"]
    cli("problem", "link", number.lower().removeprefix("prb-"), case, now=AT.format("04T10:00"))
    assert cli("problem", "show", number, "--json").json["incidents"] == [case]
    refused(cli, "problem", "link", number, case, says=f"{number} already links {case}")
    refused(cli, "problem", "resolve", number, "-m", "", says="say how the cause was removed")
    refused(cli, "problem", "note", number, "--article", "no-such-article", code=3, says="no knowledge-base article")
    second = cli("problem", "open", "--title", "Printer jams", now=AT.format("05T09:00")).out.split(":")[0]
    assert second == number[:-5] + "00002"
    assert cli("validate").out == ""


def test_the_policy_window_and_count(cli: CLI) -> None:
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "\nproblems:\n  suggest:\n    incidents: 2\n    within: 5d\n",
                      encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "problems: two within five days")
    _switch_down(cli, "03T09:00")
    _switch_down(cli, "10T09:00")  # seven days later: not within five
    assert cli("problem", "suggest", "--json", now=AT.format("11T09:00")).json == []
    third = _switch_down(cli, "12T09:00")
    found = cli("problem", "suggest", "--json", now=AT.format("13T09:00")).json
    assert [[i["id"] for i in s["incidents"]] for s in found] == [[cli_case(cli, 2), third]]
    assert "no recurring incidents" not in cli("problem", "suggest", now=AT.format("13T09:00")).out
    policy.write_text(policy.read_text(encoding="utf-8").replace("within: 5d", "within: soon"), encoding="utf-8")
    assert "problems.suggest.within 'soon' must be days, like 30d" in cli("validate", expect=None).out


def cli_case(cli: CLI, nth: int) -> str:
    """The nth case opened in the desk (by number)."""
    rows = cli("list", "--all", "--json").json
    return sorted(r["id"] for r in rows)[nth - 1]


def test_validate_and_merge_know_problems(cli: CLI, tmp_path: Path) -> None:
    number = cli("problem", "open", "--title", "Uplink drops", "--customer", "sz-metro",
                 now=AT.format("04T09:00")).out.split(":")[0]
    path = cli.repo / "problems" / "2026" / "11" / f"{number}.md"
    base = path.read_text(encoding="utf-8")
    cli("problem", "note", number, "--root-cause", "Firmware leak.", now=AT.format("04T10:00"))
    ours = path.read_text(encoding="utf-8")
    theirs = base.replace("workaround:", "workaround: Reload at night.")
    files = {}
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    cli("merge-driver", str(files["base"]), str(files["ours"]), str(files["theirs"]), str(path.relative_to(cli.repo)))
    merged = files["ours"].read_text(encoding="utf-8")
    assert "root_cause: Firmware leak." in merged and "workaround: Reload at night." in merged

    path.write_text(ours.replace("status: open", "status: known-error"), encoding="utf-8")
    out = cli("validate", expect=None)
    assert out.code != 0
    assert f"problems/2026/11/{number}.md" in out.out and "a known error needs its root_cause and workaround" in out.out
