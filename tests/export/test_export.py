"""`casefile export --customer`: a customer's own history, and nothing about any other customer (seed 000)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git, is_clean
from teamhelp import hand_commit

CUSTOMERS = {
    "acme-sz": {"name": "ACME Shenzhen", "people": [("Zhang Wei", "0755-86001234", "zhang.wei@acme.example")],
                "contract": "JQ-2026-017"},
    "beta-gz": {"name": "Beta Logistics Guangzhou",
                "people": [("Li Lei", "020-38881234", "li.lei@beta-logistics.example"),
                           ("Wu Fang", "020-38885678", "wu.fang@beta-logistics.example")],
                "contract": "JQ-2026-044"},
    "gamma-bj": {"name": "甘玛医院 Gamma Hospital", "people": [("钱伟", "010-66001234", "qian.wei@gamma.example")],
                 "contract": "JQ-2025-102"},
}


def _customer_file(slug: str) -> str:
    info = CUSTOMERS[slug]
    contacts = "".join(f"  - name: {n}\n    phone: {p}\n    email: {e}\n" for n, p, e in info["people"])
    return (f"---\nid: {slug}\nname: {info['name']}\ncontacts:\n{contacts}contract:\n  id: {info['contract']}\n"
            f"---\nKey account since 2024.\n")


def _open(cli: CLI, slug: str, title: str, person: int, note: str | None, when: str) -> str:
    name, phone, email = CUSTOMERS[slug]["people"][person]
    case = cli.open(title, "C", "--customer", slug, "--caller-name", name, "--caller-phone", phone,
                    "--caller-email", email, "--caller-company", str(CUSTOMERS[slug]["name"]),
                    "--contract", str(CUSTOMERS[slug]["contract"]), now=f"2026-11-03T{when}:00+08:00")
    if note:  # a reply: the export shows the customer-visible entries only (issue 15)
        cli("reply", case, "-m", note, now=f"2026-11-03T{when[:2]}:30:00+08:00")
    return case


@pytest.fixture
def desk(cli: CLI) -> dict[str, list[str]]:
    """Cases of three customers; an ACME reply that names other customers' people; surveys and inspections."""
    root = cli.repo
    for slug in CUSTOMERS:  # the customers first: a case names an existing customer
        (root / "customers" / f"{slug}.md").write_text(_customer_file(slug))
    assert hand_commit(root, "customers by hand").returncode == 0
    cases = {
        "acme-sz": [
            _open(cli, "acme-sz", "<script>alert(1)</script> Printer on 3F", 0,
                  "Same fault as at Beta Logistics Guangzhou last week: Li Lei (020 3888 1234, "
                  "LI.LEI@beta-logistics.example) says a firmware update fixed it. 钱伟 at Gamma saw it too.", "09"),
            _open(cli, "acme-sz", "VPN drops every hour", 0, "Zhang Wei confirms the tunnel flaps.", "10"),
        ],
        "beta-gz": [_open(cli, "beta-gz", "Scanner jams at the warehouse", 1, "Wu Fang sent photos.", "11")],
        "gamma-bj": [_open(cli, "gamma-bj", "HIS server slow", 0, None, "12")],
    }
    # Each of ACME's and Beta's first cases closed and its survey answered by the caller;
    # an inspection visit at each (ACME's planned quarterly one, an unplanned one at Beta).
    for slug, person, rating in (("acme-sz", 0, "很满意"), ("beta-gz", 1, "一般")):
        case, name = cases[slug][0], CUSTOMERS[slug]["people"][person][0]
        cli("resolve", case, "-m", "Fixed.", now="2026-11-03T14:00:00+08:00")
        cli("close", case, "--confirmed-by", str(name), now="2026-11-03T15:00:00+08:00")
        cli("survey", "record", case, "--rate", f"attitude={rating}", "--opinions", f"Answered by {name}",
            now="2026-11-03T16:00:00+08:00")
    for slug, where in (("acme-sz", ("--period", "2026-Q4")), ("beta-gz", ())):
        cli("inspect", "record", slug, *where, "--date", "2026-11-03", "--inspector", "zhao.lei", "--all-ok",
            "--summary", f"{CUSTOMERS[slug]['name']} runs normally", now="2026-11-03T17:00:00+08:00")
    return cases


def _secrets_of_others(customer: str) -> list[str]:
    found = []
    for slug, info in CUSTOMERS.items():
        if slug == customer:
            continue
        found += [slug, str(info["name"]), str(info["contract"])]
        for name, phone, email in info["people"]:
            found += [name, phone, re.sub(r"\D", "", phone), email]
    return found


def _site(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("customer", ["acme-sz", "beta-gz"])
def test_the_export_holds_the_customers_own_history_and_nothing_about_anyone_else(
    cli: CLI, desk: dict[str, list[str]], tmp_path: Path, customer: str, fmt: str
) -> None:
    out = tmp_path / "site"
    before = commit_count(cli.repo)
    result = cli("export", "--customer", customer, "--format", fmt, "-o", str(out), "--json").json
    assert result["cases"] == len(desk[customer]) and result["surveys"] == 1 and result["inspections"] == 1
    site = _site(out)
    own_case = desk[customer][0]
    inspection = cli("inspect", "list", "--customer", customer, "--json").json[0]["id"]
    assert sorted(site) == sorted([f"index.{fmt}", *(f"cases/{c}.{fmt}" for c in desk[customer]),
                                   f"surveys/SV-{own_case}.{fmt}", f"inspections/{inspection}.{fmt}"])
    everything = "\n".join(site.values())
    for secret in _secrets_of_others(customer):
        assert secret.casefold() not in everything.casefold(), f"{secret!r} leaked into the {customer} export"
    for other_case in (c for slug, ids in desk.items() if slug != customer for c in ids):
        assert other_case not in everything
    own_name, own_phone, _email = CUSTOMERS[customer]["people"][1 if customer == "beta-gz" else 0]
    assert own_name in everything and own_phone in everything
    assert commit_count(cli.repo) == before and is_clean(cli.repo)


def test_other_customers_named_in_a_reply_are_redacted_and_html_is_escaped(
    cli: CLI, desk: dict[str, list[str]], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    cli("export", "--customer", "acme-sz", "--lang", "en", "-o", str(out))
    page = (out / "cases" / f"{desk['acme-sz'][0]}.html").read_text()
    assert ("Same fault as at [redacted] last week: [redacted] ([redacted], [redacted]) says a firmware update "
            "fixed it. [redacted] at Gamma saw it too.") in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Printer on 3F" in page
    cli("export", "--customer", "acme-sz", "--format", "md", "-o", str(tmp_path / "md"))
    markdown = (tmp_path / "md" / "cases" / f"{desk['acme-sz'][0]}.md").read_text()
    assert "# " + desk["acme-sz"][0] + ": &lt;script&gt;alert(1)&lt;/script&gt; Printer on 3F" in markdown
    index = (out / "index.html").read_text()
    assert "Case history of ACME Shenzhen" in index and "Satisfaction surveys (1)" in index
    for text in _site(out).values():  # self-contained: nothing loaded from anywhere else
        assert "<script" not in text and "http://" not in text and "https://" not in text
        assert not re.search(r"""(?:src|href)=["'](?!\.\./|cases/|surveys/|inspections/|[A-Z]{3}-)""", text)


def test_internal_notes_are_not_in_the_export(cli: CLI, desk: dict[str, list[str]], tmp_path: Path) -> None:
    case = desk["acme-sz"][1]
    cli("note", case, "-m", "Internal: Zhang Wei's laptop runs an unlicensed VPN client", now="2026-11-03T15:00:00+08:00")
    cli("reply", case, "-m", "Please install the VPN profile we sent.", now="2026-11-03T15:05:00+08:00")
    cli("export", "--customer", "acme-sz", "-o", str(tmp_path / "site"))
    page = (tmp_path / "site" / "cases" / f"{case}.html").read_text()
    assert "Please install the VPN profile we sent." in page
    assert "unlicensed" not in page


def test_a_desk_template_can_extend_the_packaged_one(cli: CLI, desk: dict[str, list[str]], tmp_path: Path) -> None:
    own = cli.repo / "templates" / "export"
    own.mkdir(parents=True)
    (own / "case.html").write_text('{% extends "default:export/case.html" %}\n'
                                   "{% block description %}<p>Our own layout</p>{{ super() }}{% endblock %}\n")
    cli("export", "--customer", "acme-sz", "-o", str(tmp_path / "site"))
    page = (tmp_path / "site" / "cases" / f"{desk['acme-sz'][1]}.html").read_text()
    assert "<p>Our own layout</p>" in page and "Shows E-04." in page


def test_bad_exports_write_nothing(cli: CLI, desk: dict[str, list[str]], tmp_path: Path) -> None:
    out = tmp_path / "site"
    missing = cli("export", "--customer", "delta-sh", "-o", str(out), expect=3)
    assert missing.err == ("casefile: no customer 'delta-sh': no case, survey or inspection names it "
                           "(`casefile list --all --json` shows the customers of cases)\n")
    bad = cli("export", "--customer", "../acme-sz", "-o", str(out), expect=1)
    assert bad.err.startswith("casefile: '../acme-sz' is not a customer id")
    assert not out.exists()
    out.mkdir()
    (out / "keep.txt").write_text("mine\n")
    busy = cli("export", "--customer", "acme-sz", "-o", str(out), expect=1)
    assert busy.err.startswith(f"casefile: {out} exists and is not empty")
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []


def test_the_export_is_in_the_customer_s_language_unless_asked(cli: CLI, desk: dict[str, list[str]],
                                                               tmp_path: Path) -> None:
    customer = cli.repo / "customers" / "acme-sz.md"
    text = customer.read_text(encoding="utf-8")
    customer.write_text(text.replace("\nname: ", "\nlang: en\nname: ", 1), encoding="utf-8")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qam",
        "ACME Shenzhen reads English")
    cli("export", "--customer", "acme-sz", "-o", str(tmp_path / "en"))
    assert "Case history of ACME Shenzhen" in (tmp_path / "en" / "index.html").read_text()
    cli("export", "--customer", "acme-sz", "--lang", "zh", "-o", str(tmp_path / "zh"))
    assert '<html lang="zh-CN">' in (tmp_path / "zh" / "index.html").read_text()
