"""The knowledge base and `casefile search` (issue 4, acceptance 3)."""

from __future__ import annotations

from clihelp import CLI, commit_count
from recordhelp import changed_files, refused, trailers


def _printer_article(cli: CLI) -> None:
    cli(
        "kb",
        "add",
        "--title",
        "HP M607 shows E-04",
        "--slug",
        "printer-e04",
        "--product",
        "HP LaserJet M607",
        "--tag",
        "printer",
        "--tag",
        "hardware",
        "--cause",
        "The fuser unit is worn out.",
        "--fix",
        "Replace the fuser unit (RM2-1256) and print a test page.",
        "-m",
        "三楼的打印机显示 E-04 时，先清空打印队列，再检查定影器。",
    )


def test_search_finds_an_article_by_a_chinese_word_in_its_body_and_by_an_english_tag(cli: CLI) -> None:
    _printer_article(cli)
    cli(
        "kb",
        "add",
        "--title",
        "VPN profile rejected on Windows 11",
        "--tag",
        "vpn",
        "--symptoms",
        "配置文件被拒绝",
    )
    assert trailers(cli) == {
        "Casefile-Article": "vpn-profile-rejected-on-windows-11",
        "Casefile-Action": "kb-add",
    }
    by_word = cli("kb", "search", "定影器", "--json").json
    assert [(a["id"], a["matched"]) for a in by_word] == [("printer-e04", ["text"])]
    by_tag = cli("kb", "search", "PRINTER", "--json").json
    assert [(a["id"], a["matched"]) for a in by_tag] == [("printer-e04", ["tags"])]
    assert [a["id"] for a in cli("kb", "search", "配置文件", "--json").json] == [
        "vpn-profile-rejected-on-windows-11"
    ]
    assert cli("kb", "search", "打印机", "vpn").out.strip() == "no article matches"
    shown = cli("kb", "show", "printer-e04", "--json").json
    assert (shown["status"], shown["products"], shown["tags"], shown["cases"]) == (
        "published",
        ["HP LaserJet M607"],
        ["printer", "hardware"],
        [],
    )
    assert "Fix 解决方法\n  Replace the fuser unit" in cli("kb", "show", "printer-e04").out


def test_a_resolved_case_links_its_article_and_the_article_lists_the_case(cli: CLI) -> None:
    _printer_article(cli)
    case = cli.open("Printer shows E-04", "C", "--customer", "acme-sz")
    before = commit_count(cli.repo)
    out = cli(
        "resolve", case, "-m", "Replaced the fuser.", "--kb", "printer-e04", now="2026-11-02T10:00:00+08:00"
    ).out
    assert out.splitlines() == [f"{case}: resolved (service restored)", "linked article printer-e04"]
    assert commit_count(cli.repo) == before + 1
    assert changed_files(cli) == [f"cases/2026/11/{case}.md", "kb/printer-e04.md"]
    assert trailers(cli) == {
        "Casefile-Case": case,
        "Casefile-Action": "resolve",
        "Casefile-Article": "printer-e04",
    }
    assert cli("show", case, "--json").json["links"] == [{"rel": "kb", "to": "printer-e04"}]
    assert cli("kb", "show", "printer-e04", "--json").json["cases"] == [case]
    assert cli("kb", "search", case, "--json").json[0]["id"] == "printer-e04"


def test_resolve_with_an_unknown_article_writes_nothing(cli: CLI) -> None:
    case = cli.open()
    refused(
        cli,
        "resolve",
        case,
        "-m",
        "Fixed.",
        "--kb",
        "no-such-article",
        code=3,
        says="no knowledge-base article 'no-such-article'",
    )
    assert cli("show", case, "--json").json["status"] == "open"


def test_draft_an_article_from_a_resolved_case(cli: CLI) -> None:
    case = cli.open(
        "HP M607 shows E-04", "C", "--category", "hardware/printer", "-m", "打印机显示E-04，40个任务卡住。"
    )
    refused(cli, "kb", "add", "--from", case, says=f"{case} is open, not resolved")
    cli("resolve", case, "-m", "Replaced the fuser unit.", now="2026-11-02T10:00:00+08:00")
    out = cli("kb", "add", "--from", case, "--cause", "Worn fuser", now="2026-11-02T11:00:00+08:00").out
    assert out.strip() == f"hp-m607-shows-e-04: draft article from {case}: HP M607 shows E-04"
    assert changed_files(cli) == [f"cases/2026/11/{case}.md", "kb/hp-m607-shows-e-04.md"]
    draft = cli("kb", "show", "hp-m607-shows-e-04", "--json").json
    assert (
        draft["status"],
        draft["symptoms"],
        draft["cause"],
        draft["fix"],
        draft["tags"],
        draft["cases"],
    ) == (
        "draft",
        "打印机显示E-04，40个任务卡住。",
        "Worn fuser",
        "Replaced the fuser unit.",
        ["hardware", "printer"],
        [case],
    )
    assert cli("show", case, "--json").json["links"] == [{"rel": "kb", "to": "hp-m607-shows-e-04"}]
    cli("kb", "publish", "hp-m607-shows-e-04")
    assert cli("kb", "list", "--json").json[0]["status"] == "published"
    refused(cli, "kb", "publish", "hp-m607-shows-e-04", says="is published already")


def test_casefile_search_finds_cases_and_articles(cli: CLI) -> None:
    _printer_article(cli)
    case = cli.open("3楼打印机不出纸", "C", "--customer", "acme-sz")
    other = cli.open("VPN down", "B")
    hits = cli("search", "打印机", "--json").json
    assert [(h["kind"], h["id"]) for h in hits] == [("case", case), ("article", "printer-e04")]
    assert [h["id"] for h in cli("search", "vpn", "--json").json] == [other]
    assert "nothing found" in cli("search", "scanner").out


def test_bad_article_input_is_refused(cli: CLI) -> None:
    _printer_article(cli)
    refused(
        cli,
        "kb",
        "add",
        "--title",
        "Again",
        "--slug",
        "printer-e04",
        says="article printer-e04 exists already",
    )
    refused(cli, "kb", "add", "--title", "打印机故障", says="cannot make a slug from the title")
    refused(cli, "kb", "add", "--title", "x", "--slug", "Bad Slug", says="'Bad Slug' is not an article slug")
    refused(cli, "kb", "add", says="an article needs a title")
    refused(cli, "kb", "show", "nope", code=3, says="no knowledge-base article 'nope'")
    refused(cli, "kb", "search", " ", says="nothing to search for")


def test_search_reads_kept_rows_and_never_misses_a_change(cli: CLI) -> None:
    case = cli.open('Printer "HP M607" shows E-04', "C", "-m", "Fuser at 3F; 定影器 replaced.")
    cli.open("VPN down", "B")
    assert [h["id"] for h in cli("search", "定影器", "--json").json] == [case]  # rows made and kept
    assert [h["id"] for h in cli("search", '"hp', "m607\"", "--json").json] == [case]  # quotes: not pre-filtered
    assert [h["id"] for h in cli("search", "FUSER", "--json").json] == [case]  # kept rows, case-insensitive
    # A hand edit not yet committed is searched at once: its kept row belongs to the old content.
    path = cli.repo / cli("show", case, "--json").json["path"]
    path.write_text(path.read_text(encoding="utf-8").replace("定影器", "搓纸轮"), encoding="utf-8")
    assert cli("search", "定影器", "--json").json == []
    assert [h["id"] for h in cli("search", "搓纸轮", "--json").json] == [case]
