"""Equipment linked to cases (issue 19): `open --asset` is checked against the customer's assets, an on-site
note that swaps a device updates the asset list in the same commit, and the device's history (cases,
replacements, problems) is in `customer show` and `asset show`."""

from __future__ import annotations

from clihelp import CLI
from recordhelp import changed_files, refused, trailers

AT = "2026-11-{}:00+08:00"
OLD, NEW = "FOC2345X0AB", "FOC2650Y1ZZ"


def test_an_onsite_swap_updates_the_assets_in_the_same_commit_and_the_history_shows_it(cli: CLI) -> None:
    refused(cli, "open", "Uplink down", "--level", "B", "-m", "x", "--customer", "sz-metro", "--asset", "NOPE",
            says="sz-metro has no device with serial number NOPE")
    case = cli.open("SW-FT-01 MPU failed, Futian gates offline", "A", "--customer", "sz-metro", "--asset", OLD,
                    now=AT.format("23T02:00"))
    cli("note", case, "-k", "onsite", "--dispatched-at", "02:10", "--arrived-at", "02:40", "-m", "On site with a spare MPU.",
        now=AT.format("23T02:45"))
    refused(cli, "note", case, "-k", "call", "--replace", f"{OLD}={NEW}", "-m", "x", now=AT.format("23T03:00"),
            says="--replace records equipment swapped on site")
    refused(cli, "note", case, "-k", "onsite", "--replace", f"NOPE={NEW}", "-m", "x", now=AT.format("23T03:00"),
            says="sz-metro has no device with serial number NOPE")
    swapped = cli("note", case, "-k", "onsite", "--replace", f"{OLD}={NEW}", "-m", "MPU swapped; uplink up.",
                  now=AT.format("23T03:10"))
    assert f"sz-metro: {OLD} replaced by {NEW} in its asset list" in swapped.out
    assert changed_files(cli) == [f"cases/2026/11/{case}.md", "customers/sz-metro.md"]
    assert trailers(cli)["Casefile-Customer"] == "sz-metro" and trailers(cli)["Casefile-Case"] == case

    customer = cli("customer", "show", "sz-metro", "--json").json
    assets = {a["serial"]: a for a in customer["assets"]}
    assert (assets[OLD]["status"], assets[OLD]["replaced_by"], assets[OLD]["changed_on"]) == (
        "replaced", NEW, "2026-11-23")
    assert (assets[NEW]["status"], assets[NEW]["replaces"], assets[NEW]["model"]) == (
        "in-service", OLD, "Cisco Catalyst C9300-48P (SW-FT-01)")
    assert customer["asset_cases"] == {OLD: [case], NEW: [case]}
    assert f"cases: {case}" in cli("customer", "show", "sz-metro").out
    event = cli("show", case, "--json").json["events"][-1]
    assert event["fields"]["replaced"] == [{"action": "replaced", "serial": OLD, "new_serial": NEW,
                                            "model": "Cisco Catalyst C9300-48P (SW-FT-01)"}]

    cli("problem", "open", "--title", "MPUs of the C9300s fail", "--customer", "sz-metro", "--asset", OLD,
        "--case", case, now=AT.format("24T09:00"))
    history = cli("asset", "show", OLD, "--json").json
    assert history["customer"] == "sz-metro" and history["status"] == "replaced"
    assert [(r["kind"], r["id"]) for r in history["history"]] == [
        ("case", case), ("replaced", case), ("problem", history["history"][2]["id"])]
    shown = cli("asset", "show", NEW).out
    assert f"installed, replacing {OLD} (on-site visit)" in shown and case in shown
    refused(cli, "asset", "show", "NOPE", code=3, says="any customer has no device with serial number NOPE")
    assert cli("validate").out == ""


def test_a_case_on_the_core_switch_shows_what_depends_on_it(cli: CLI) -> None:
    core, access = "FOC2345X0AB", "FOC2345X0CD"
    cli("customer", "edit", "sz-metro", "--asset", "Cisco C9300 uplink module;FOC77MOD01;Futian station equipment room",
        now=AT.format("20T09:00"))
    cli("customer", "edit", "sz-metro", "--depends-on", f"{access}={core}", "--part-of", f"FOC77MOD01={access}",
        "--availability", "99.9", now=AT.format("20T09:05"))
    assets = {a["serial"]: a for a in cli("customer", "show", "sz-metro", "--json").json["assets"]}
    assert (assets[access]["depends_on"], assets["FOC77MOD01"]["part_of"]) == ([core], access)
    assert cli("customer", "show", "sz-metro", "--json").json["contract"]["availability"] == 99.9
    refused(cli, "customer", "edit", "sz-metro", "--depends-on", f"{core}={access}", now=AT.format("20T09:10"),
            says=f"{access} already depends on {core}")
    refused(cli, "customer", "edit", "sz-metro", "--depends-on", f"{core}=NOPE", now=AT.format("20T09:10"),
            says="sz-metro has no device with serial number NOPE")

    case = cli.open("SW-FT-01 core switch down", "A", "--customer", "sz-metro", "--asset", core,
                    now=AT.format("23T02:00"))
    shown = cli("show", case, "--json").json
    assert [(d["serial"], d["how"], d["via"]) for d in shown["dependents"]] == [
        (access, "depends-on", core), ("FOC77MOD01", "part-of", access)]
    text = cli("show", case).out
    assert f"依赖此设备 Depends on {core}:" in text and f"{access}" in text and f"— depends on {core}" in text
    device = cli("asset", "show", core, "--json").json
    assert [d["serial"] for d in device["dependents"]] == [access, "FOC77MOD01"]
    assert "依赖此设备 Depends on this device" in cli("asset", "show", core).out
    assert cli("asset", "show", access).out.count(f"依赖 depends on {core}") == 1
    cli("customer", "edit", "sz-metro", "--unrelate", f"{access}={core}", now=AT.format("24T09:00"))
    assert [d["serial"] for d in cli("show", case, "--json").json["dependents"]] == []

    change = cli("rfc", "open", "--title", "Replace the SW-FT-01 fans", "--risk", "low", "--plan", "Hot swap.",
                 "--backout", "Old fans back.", "--start", "2026-11-28T01:00", "--end", "2026-11-28T02:00",
                 "--customer", "sz-metro", "--asset", core, now=AT.format("24T10:00")).out.split(":")[0]
    history = cli("asset", "show", core, "--json").json["history"]
    assert ("change", change) in [(r["kind"], r["id"]) for r in history]
    assert cli("validate").out == ""


def test_change_names_the_device_of_a_case_opened_without_one(cli: CLI) -> None:
    case = cli.open("Gates at Futian offline", "B", "--customer", "sz-metro", now=AT.format("23T02:00"))
    refused(cli, "change", case, "--asset", "NOPE", now=AT.format("23T02:10"),
            says="sz-metro has no device with serial number NOPE")
    cli("change", case, "--asset", OLD, "-m", "It is the core switch.", now=AT.format("23T02:10"))
    shown = cli("show", case, "--json").json
    assert shown["asset"] == OLD and shown["events"][-1]["fields"]["asset"] == {"from": None, "to": OLD}
    assert ("case", case) in [(r["kind"], r["id"]) for r in cli("asset", "show", OLD, "--json").json["history"]]
