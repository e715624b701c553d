"""The leak test (issue 13, acceptance 1): three customers with distinctive names, short names, phones in
three formats, e-mails, contract ids, asset serials, models and sites; cases, notes, categories, surveys,
inspections and a complaint of one that mention the others. Customer A's export, in html and Markdown,
holds none of B's or C's identifiers and none of the desk's internal events."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clihelp import CLI
from teamhelp import case_file, hand_commit

CUSTOMERS = {
    "alpha-sz": {"name": "Alpha Printing Co., Ltd.", "short": "Alpha Printing", "domain": "alpha-print.example",
                 "person": "Zhou Min", "phone": "0755-83345678", "email": "zhou.min@alpha-print.example",
                 "contract": "AL-2026-001", "serial": "ALSN0001X", "model": "Kyocera TASKalfa 5054",
                 "site": "Alpha Tower 12F", "person2": "Sun Hao", "mobile": "13812345678", "serial2": "ALSN0002Y"},
    "beta-gz": {"name": "Beta Logistics Co., Ltd.", "short": "Beta Logistics", "domain": "beta-logistics.example",
                "person": "Li Lei", "phone": "+86 20 3888 1234", "email": "li.lei@beta-logistics.example",
                "contract": "BT-2026-044", "serial": "BTSN7781Q", "model": "Zebra ZT411",
                "site": "Huangpu Warehouse 3", "person2": "Wu Fang", "mobile": "13922334455", "serial2": "BTSN7782R"},
    "gamma-bj": {"name": "甘玛医疗器械有限公司", "short": "甘玛医疗器械", "domain": "gamma-med.example",
                 "person": "钱伟", "phone": "010-66001234", "email": "qian.wei@gamma-med.example",
                 "contract": "GM-2025-102", "serial": "GMSN5521K", "model": "Philips IntelliVue MX450",
                 "site": "朝阳院区门诊楼", "person2": "孙丽", "mobile": "13611112222", "serial2": "GMSN5522L"},
}
# Each phone as the others write it: another format, with or without +86/0086 and the trunk 0.
SPELLINGS = {"0755-83345678": ["+86 755 83345678", "0086 755 8334 5678", "(0755) 8334-5678"],
             "+86 20 3888 1234": ["020-38881234", "0086-20-38881234", "20 3888 1234"],
             "010-66001234": ["+86 10 6600 1234", "010 6600 1234", "0086 (10) 66001234"],
             "13812345678": ["+86 138 1234 5678", "138-1234-5678", "0086 13812345678"],
             "13922334455": ["+86 139 2233 4455", "139 2233 4455", "0086-139-2233-4455"],
             "13611112222": ["+86 136 1111 2222", "136-1111-2222", "0086 136 1111 2222"]}
INTERNAL_KINDS = ("ladder", "warning", "breach", "merged", "edited", "escalated", "assigned", "changed")


def _customer_file(slug: str) -> str:
    c = CUSTOMERS[slug]
    return (f"---\nid: {slug}\nname: {c['name']}\ncontacts:\n  - name: {c['person']}\n    phone: '{c['phone']}'\n"
            f"    email: {c['email']}\n  - name: {c['person2']}\n    phone: '{c['mobile']}'\ncontract:\n  id: {c['contract']}\naddress: {c['site']}\nassets:\n"
            f"  - model: {c['model']}\n    serial: {c['serial']}\n    location: {c['site']}\n"
            f"    status: in-service\n  - model: {c['model']}\n    serial: {c['serial2']}\n"
            f"    location: {c['site']}\n    status: in-service\n---\nKey account.\n")


def _mentions(slug: str) -> str:
    """A note about the other customers, written as engineers write (short names, other phone formats)."""
    parts = []
    for other, c in CUSTOMERS.items():
        if other == slug:
            continue
        phone, mobile = SPELLINGS[c["phone"]], SPELLINGS[c["mobile"]]
        parts.append(f"Same as at {c['short']} ({c['name']}), {c['person']} on {phone[0]} / {phone[1]} / {phone[2]}, "
                     f"mail {c['email']} or anyone @{c['domain']}; contract {c['contract']}, their {c['model']} "
                     f"serial {c['serial']} at {c['site']}; also {c['person2']}, mobile {mobile[0]}, {mobile[1]} or "
                     f"{mobile[2]}, spare {c['serial2']}.")
    return " ".join(parts)


def _identifiers(slug: str) -> list[str]:
    c = CUSTOMERS[slug]
    return [slug, c["name"], c["short"], c["domain"], c["person"], c["phone"], *SPELLINGS[c["phone"]], c["email"],
            c["contract"], c["serial"], c["model"], c["site"], re.sub(r"\D", "", c["phone"])[-8:],
            c["person2"], c["mobile"], *SPELLINGS[c["mobile"]], c["serial2"]]


@pytest.fixture
def three(cli: CLI) -> dict[str, str]:
    root = cli.repo
    for slug in CUSTOMERS:
        (root / "customers" / f"{slug}.md").write_text(_customer_file(slug), encoding="utf-8")
    assert hand_commit(root, "three customers").returncode == 0
    cases = {}
    for hour, slug in zip(("09", "10", "11"), CUSTOMERS):
        c = CUSTOMERS[slug]
        case = cli.open(f"Printer queue stuck, like {' and '.join(CUSTOMERS[o]['short'] for o in CUSTOMERS if o != slug)}",
                        "B", "--customer", slug, "--caller-name", c["person"], "--caller-phone", c["phone"],
                        "--caller-email", c["email"], "--caller-company", c["name"], "--contract", c["contract"],
                        "--category", f"printing/{slug}", now=f"2026-11-03T{hour}:00:00+08:00")
        cli("note", case, "-m", _mentions(slug), now=f"2026-11-03T{hour}:20:00+08:00")
        cli("resolve", case, "-m", f"Fixed as for {_mentions(slug)[:80]}", now=f"2026-11-03T{hour}:40:00+08:00")
        cli("close", case, "--confirmed-by", c["person"], now=f"2026-11-03T{hour}:50:00+08:00")
        cli("survey", "record", case, "--rate", "attitude=不满意", "--opinions", _mentions(slug),
            now="2026-11-03T16:00:00+08:00")  # dissatisfied: a complaint case opens for the customer
        cli("inspect", "record", slug, "--date", "2026-11-04", "--inspector", "zhao.lei", "--all-ok",
            "--summary", _mentions(slug), now="2026-11-04T17:00:00+08:00")
        cases[slug] = case
    # The desk's own work on A's case that the customer must not see: a check run's warnings, breaches and
    # ladder steps (it is level B and long past its targets by now) and an escalation to a named role.
    cli("check", now="2026-11-10T10:00:00+08:00")
    return cases


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_customer_a_s_export_holds_nothing_of_b_or_c(cli: CLI, three: dict[str, str], tmp_path: Path,
                                                      fmt: str) -> None:
    out = tmp_path / "site"
    result = cli("export", "--customer", "alpha-sz", "--format", fmt, "--lang", "en", "-o", str(out),
                 "--json", now="2026-11-10T11:00:00+08:00").json
    assert result["cases"] >= 2 and result["surveys"] >= 1 and result["inspections"] >= 1  # the complaint too
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}
    everything = "\n".join(pages.values()).casefold()
    secrets = [s for slug in ("beta-gz", "gamma-bj") for s in _identifiers(slug)]
    assert len(secrets) >= 40
    leaked = [s for s in secrets if s.casefold() in everything]
    assert leaked == []
    assert everything.count("[redacted]") >= 20
    for case in (three["beta-gz"], three["gamma-bj"]):
        assert case.casefold() not in everything
    # Nothing internal: no check/ladder/merged/edited events, no roles or paging lists, no raw keys.
    for kind in INTERNAL_KINDS:
        assert f">{kind}<" not in everything and f"| {kind} |" not in everything
    for internal in ("general-manager", "notified", "nobody_holds", "fired_at", "breach/", "ladder/", "policy"):
        assert internal not in everything
    own = CUSTOMERS["alpha-sz"]
    page = pages[f"cases/{three['alpha-sz']}.{fmt}"].casefold()
    assert own["person"].casefold() in page and "phone call" not in page
    assert "channel" in page and "reported by" not in page
    assert re.search(r"2026-11-03 09:20", page)  # times to the minute


def test_the_export_is_chinese_by_default_and_labels_surveys_and_inspections(cli: CLI, three: dict[str, str],
                                                                              tmp_path: Path) -> None:
    cli("export", "--customer", "alpha-sz", "-o", str(tmp_path / "zh"), now="2026-11-10T11:00:00+08:00")
    index = (tmp_path / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index and "服务记录：" in index and re.search(r"满意度调查 \(\d\)", index)
    survey = (tmp_path / "zh" / "surveys" / f"SV-{three['alpha-sz']}.html").read_text(encoding="utf-8")
    assert "服务态度" in survey and "不满意" in survey and "意见和建议" in survey
    inspection = next((tmp_path / "zh" / "inspections").iterdir()).read_text(encoding="utf-8")
    assert "系统运行状态" in inspection and "巡检人" in inspection and "正常" in inspection


def test_markdown_values_carry_no_html_links_or_remote_images(cli: CLI, three: dict[str, str],
                                                               tmp_path: Path) -> None:
    case = three["alpha-sz"]
    cli("reopen", case, "--reason", "Back again", now="2026-11-10T09:00:00+08:00")
    cli("note", case, "-m", "See [the fix](javascript:alert(document.cookie)) and ![x](https://evil.example/p.png) "
        "<img src=x onerror=alert(1)> <https://evil.example/a>", now="2026-11-10T09:10:00+08:00")
    cli("export", "--customer", "alpha-sz", "--format", "md", "-o", str(tmp_path / "md"), now="2026-11-10T11:00:00+08:00")
    page = (tmp_path / "md" / "cases" / f"{case}.md").read_text(encoding="utf-8")
    assert "See \\[the fix]\\(javascript&#58;alert" in page and "\\!\\[x]\\(https://evil.example/p.png)" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "<https://" not in page
    assert not re.search(r"(?<!\\)\]\((?:javascript|https?):", page)


def test_a_hand_edited_id_cannot_write_outside_the_folder(cli: CLI, three: dict[str, str], tmp_path: Path) -> None:
    path = case_file(cli.repo, three["alpha-sz"])
    path.write_text(path.read_text().replace(f"id: {three['alpha-sz']}", "id: ../../../outside/x", 1))
    assert hand_commit(cli.repo, "hand edit", verify=False).returncode == 0
    done = cli("export", "--customer", "alpha-sz", "-o", str(tmp_path / "site"), now="2026-11-10T11:00:00+08:00")
    assert not (tmp_path / "outside").exists() and not any(tmp_path.parent.glob("outside*"))
    # A case whose id is not a case number is not a case every reader can trust: skipped, and said so.
    rel = path.relative_to(cli.repo).as_posix()
    assert f"skipped {rel}: it cannot be read (casefile validate says why)" in done.out
    assert sorted(p.relative_to(tmp_path / "site").parts[0] for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert all((tmp_path / "site") in p.resolve().parents for p in (tmp_path / "site").rglob("*"))
