"""Issue 20, acceptance 1: an on-site visit recorded as a work order (派工单) — one commit of the case (and the
customer's assets when a device was swapped), printed as a bilingual sheet with the sign-off, the visits
without a signed order listed for the desk, arrival and dispatch feeding the on-site clocks, and the time
spent counted per case and per engineer."""

from __future__ import annotations

from pathlib import Path

from clihelp import CLI, commit_count, git, is_clean
from recordhelp import changed_files, refused, trailers

AT = "2026-11-03T{}:00+08:00"  # a Tuesday
OLD, NEW = "FOC2345X0AB", "FOC2650Y1ZZ"


def visit(cli: CLI, case: str, *extra: str, now: str = AT.format("12:30")) -> dict:  # type: ignore[type-arg]
    done = cli("workorder", case, "--engineer", "li.na", "--dispatched-at", "10:05", "--arrived-at", "10:25",
               "--departed-at", "12:10", "-m", "Replaced the MPU; uplinks up; gates tested.",
               "--part", "Cisco C9300 MPU x1", *extra, "--json", now=now)
    return done.json  # type: ignore[no-any-return]


def test_a_visit_prints_a_bilingual_work_order_with_the_sign_off_and_its_time_counts(cli: CLI) -> None:
    case = cli.open("SW-FT-01 MPU failed, Futian gates offline", "A", "--customer", "sz-metro", "--asset", OLD,
                    now=AT.format("10:00"))
    cli("assign", case, "li.na", now=AT.format("10:02"))
    cli("note", case, "-k", "call", "--spent", "10m", "-m", "Talked the station through a reload.",
        now=AT.format("10:04"), actor="li.na")
    before = commit_count(cli.repo)
    order = visit(cli, case, "--replace", f"{OLD}={NEW}", "--spent", "2h")
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    assert changed_files(cli) == [f"cases/2026/11/{case}.md", "customers/sz-metro.md"]
    assert trailers(cli)["Casefile-Workorder"] == f"{case}-W1" and trailers(cli)["Casefile-Action"] == "workorder"
    assert (order["number"], order["engineer"], order["signed"], order["spent"]) == (f"{case}-W1", "li.na", False, "2h")
    assert order["replaced"] == [{"action": "replaced", "serial": OLD, "new_serial": NEW,
                                  "model": "Cisco Catalyst C9300-48P (SW-FT-01)"}]
    assets = {a["serial"]: a for a in cli("customer", "show", "sz-metro", "--json").json["assets"]}
    assert assets[OLD]["replaced_by"] == NEW

    # Arrival is on site (onsite_at and the `onsite` clock); dispatch stops `depart`; leaving stops nothing.
    shown = cli("show", case, "--json", now=AT.format("12:30")).json
    assert shown["onsite_at"] == AT.format("10:25")
    clocks = {c["name"]: c for c in shown["sla"]["clocks"]}
    assert clocks["onsite"]["state"] == "met", clocks["onsite"]  # 25 min after the report: within 30 min
    assert clocks["depart"]["state"] == "met", clocks["depart"]

    unsigned = cli("workorder", "list", "--unsigned", "--json").json
    assert [(u["case"], u["workorder"], u["reason"]) for u in unsigned] == [(case, f"{case}-W1", "not signed")]
    signed = cli("workorder", "sign", case, "--by", "Zhang Wei", "--at", "12:05", "--json", now=AT.format("14:00")).json
    assert (signed["signed_by"], signed["signed_at"]) == ("Zhang Wei", AT.format("12:05"))
    assert cli("workorder", "list", "--unsigned", "--json").json == []
    refused(cli, "workorder", "sign", case, "W1", "--by", "Li Ming", now=AT.format("14:05"),
            says=f"{case}-W1 was signed by Zhang Wei")

    sheet = cli("workorder", "print", case, now=AT.format("14:10")).out
    for label in ("现场服务派工单 On-site work order", "服务工程师 Engineer", "到达现场 Arrived on site",
                  "离开现场 Left the site", "使用备件 Parts used", "更换设备 Equipment replaced",
                  "客户签字 Signed by", "签字时间 Signed at"):
        assert label in sheet, label
    assert f"| 派工单号 Work order | {case}-W1 |" in sheet
    assert "| 客户签字 Signed by | Zhang Wei |" in sheet and "| 签字时间 Signed at | 2026-11-03 12:05 |" in sheet
    assert "| 到达现场 Arrived on site | 2026-11-03 10:25 |" in sheet and "Li Na 李娜 (li.na)" in sheet
    assert f"| {OLD} | {NEW} |" in sheet and "- Cisco C9300 MPU x1" in sheet
    english = cli("workorder", "print", case, "W1", "--lang", "en").out
    assert "| Signed by | Zhang Wei |" in english and "派工单" not in english

    text = cli("show", case, now=AT.format("14:10")).out
    assert "time spent 2h10m (li.na 2h10m)" in text
    assert f"{case}-W1   li.na      2026-11-03 10:25 – 2026-11-03 12:10  signed by Zhang Wei 2026-11-03 12:05" in text
    assert cli("show", case, "--json").json["time_spent"] == {"total": "2h10m", "by": {"li.na": "2h10m"}}

    cards = {c["engineer"]: c for c in cli("report", "engineers", "--month", "2026-11", "--json",
                                           now="2026-12-01T09:00:00+08:00").json["cards"]}
    assert cards["li.na"]["spent"] == "2h10m"
    table = cli("report", "engineers", "--month", "2026-11", "--lang", "en", now="2026-12-01T09:00:00+08:00").out
    assert "| Time spent |" in table.splitlines()[6] or "Time spent" in table
    assert any(line.startswith("| Li Na 李娜 (li.na) |") and line.endswith("| 2h10m |") for line in table.splitlines())


def test_a_work_order_out_of_order_or_incomplete_is_refused_and_leaves_no_trace(cli: CLI) -> None:
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", now=AT.format("09:30"))
    base = ("workorder", case, "--engineer", "li.na", "-m", "Replaced the fuser unit.")
    refused(cli, *base, "--dispatched-at", "10:05", "--arrived-at", "09:55", now=AT.format("12:00"),
            says="cannot arrive before being dispatched")
    refused(cli, *base, "--dispatched-at", "10:05", "--arrived-at", "10:40", "--departed-at", "10:30",
            now=AT.format("12:00"), says="cannot leave the site before arriving")
    refused(cli, *base, "--dispatched-at", "09:00", "--arrived-at", "10:40", now=AT.format("12:00"),
            says="--dispatched-at 2026-11-03 09:00 is before")
    refused(cli, *base, "--dispatched-at", "10:05", "--arrived-at", "12:40", now=AT.format("12:00"),
            says="is later than now")
    refused(cli, *base, "--dispatched-at", "10:05", "--arrived-at", "10:40", "--signed-at", "10:30",
            "--signed-by", "Zhang Wei", now=AT.format("12:00"), says="cannot sign the work order before")
    refused(cli, "workorder", case, "--engineer", "nobody", "-m", "x", "--dispatched-at", "10:05",
            "--arrived-at", "10:40", now=AT.format("12:00"), code=3, says="no person 'nobody'")
    refused(cli, *base, "--dispatched-at", "10:05", "--arrived-at", "10:40", "--spent", "2d", now=AT.format("12:00"),
            says="time spent is hours and minutes")
    refused(cli, *base, "--dispatched-at", "10:05", "--arrived-at", "10:40", "--spent", "30h", now=AT.format("12:00"),
            says="more than 24h for one entry")
    refused(cli, "workorder", "sign", case, "--by", "Zhang Wei", now=AT.format("12:00"), says=f"{case} has no work order")
    refused(cli, "workorder", "print", case, now=AT.format("12:00"), code=1, says=f"{case} has no work order")


def test_an_onsite_note_without_a_work_order_is_a_visit_the_desk_waits_for(cli: CLI) -> None:
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", now=AT.format("09:30"))
    cli("note", case, "-k", "onsite", "--dispatched-at", "10:05", "--arrived-at", "10:40", "-m", "On site.",
        now=AT.format("10:45"), actor="li.na")
    waiting = cli("workorder", "list", "--unsigned", "--json").json
    assert [(w["case"], w["workorder"], w["reason"], w["engineer"]) for w in waiting] == [
        (case, None, "no work order", "li.na")]
    assert f"{case}  2026-11-03 10:40" in cli("workorder", "list", "--unsigned").out
    assert cli("workorder", "list", "--unsigned", "--since", "2026-11-04", "--json").json == []
    assert len(cli("workorder", "list", "--unsigned", "--since", "2026-11-03", "--json").json) == 1
    # The work order handed in later covers that visit; it is signed on the sheet.
    cli("workorder", case, "--engineer", "li.na", "--dispatched-at", "10:05", "--arrived-at", "10:40",
        "--departed-at", "11:30", "-m", "Cleaned the rollers.", "--signed-by", "Zhang Wei", now=AT.format("15:00"))
    assert cli("workorder", "list", "--unsigned", "--json").json == []
    assert cli("workorder", "list", "--unsigned").out.strip() == "every visit has a signed work order"
    orders = cli("workorder", "list", case, "--json").json
    assert [(o["number"], o["signed_by"], o["signed_at"]) for o in orders] == [
        (f"{case}-W1", "Zhang Wei", AT.format("11:30"))]  # signed when the engineer left, by default


def test_spent_on_notes_and_replies_adds_up_per_person(cli: CLI) -> None:
    case = cli.open("VPN drops every hour", "C", "--customer", "acme-sz", now=AT.format("09:30"))
    cli("note", case, "-k", "remote", "--authorised-by", "Zhang Wei", "--spent", "45m", "-m", "Reinstalled the client.",
        now=AT.format("10:30"), actor="li.na")
    cli("reply", case, "--spent", "5m", "-m", "We reinstalled the VPN client; please try again.", now=AT.format("10:40"))
    events = cli("show", case, "--json").json["events"]
    assert [e.get("fields", {}).get("spent") for e in events[-2:]] == ["45m", "5m"]
    assert cli("show", case, "--json").json["time_spent"] == {"total": "50m", "by": {"li.na": "45m", "wang.fang": "5m"}}
    refused(cli, "note", case, "--spent", "soon", "-m", "x", now=AT.format("10:50"), says="cannot read duration 'soon'")
    git(cli.repo, "log", "-1")


def test_the_work_order_opens_in_a_real_browser_as_a_printable_page(cli: CLI, tmp_path: Path) -> None:
    import json
    import os

    import pytest

    from headless import find_chromium, open_page

    case = cli.open('<script>document.body.dataset.pwned=1</script> printer', "C", "--customer", "acme-sz",
                    now=AT.format("09:30"))
    cli("workorder", case, "--engineer", "li.na", "--dispatched-at", "10:05", "--arrived-at", "10:40",
        "-m", "Fixed <b>it</b>", "--part", "<img src=x onerror=alert(1)>", now=AT.format("12:00"))
    page_file = tmp_path / "order.html"
    cli("workorder", "print", case, "--format", "html", "-o", str(page_file), now=AT.format("12:05"))
    html = page_file.read_text(encoding="utf-8")
    assert "<script>document" not in html and "&lt;script&gt;" in html and "<img" not in html
    browser = find_chromium()
    if browser is None:
        if os.environ.get("CASEFILE_REQUIRE_BROWSER"):
            raise AssertionError("Chromium is required (CASEFILE_REQUIRE_BROWSER) and not installed")
        pytest.skip("Chromium is not installed: `apt-get install chromium` to open the work order in a browser")
    probe = """JSON.stringify({pwned: document.body.dataset.pwned || null, scripts: document.scripts.length,
      images: document.images.length, text: document.body.innerText,
      overflow: document.documentElement.scrollWidth - window.innerWidth, title: document.title})"""
    for width in (None, 375):
        page = open_page(browser, page_file, probe, width)
        seen = json.loads(page.value)
        assert page.errors == [], page.errors
        assert seen["pwned"] is None and seen["scripts"] == 0 and seen["images"] == 0
        assert seen["overflow"] <= 0, seen
        assert seen["title"] == f"现场服务派工单 On-site work order · {case}-W1"
        assert "客户签字 Signed by" in seen["text"] and "Fixed <b>it</b>" in seen["text"]
        assert page.pdf_bytes > 1000  # printable
