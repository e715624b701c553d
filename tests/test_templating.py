"""Templates: the repository's own override the packaged ones and may extend them."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from clihelp import CLI

from casefile.templating import TemplateFailed, Templates

ZONE = ZoneInfo("Asia/Shanghai")


def test_a_repository_template_extends_the_packaged_one(cli: CLI) -> None:
    case = cli.open(
        "Printer offline",
        "C",
        "--customer",
        "acme-sz",
        "--caller-name",
        "Zhang Wei",
        "--caller-email",
        "zhang.wei@acme.example",
    )
    cli("resolve", case, "-m", "Fixed.")
    cli("close", case, "--confirmed-by", "Zhang Wei")
    (cli.repo / "templates").mkdir()
    (cli.repo / "templates" / "survey-letter.txt").write_text(
        '{% extends "default:survey-letter.txt" %}\n'
        "{% block reply %}Call 400-800-1234 or reply to this mail.\n{% endblock %}\n",
        encoding="utf-8",
    )
    letter = cli("survey", "letter", case, "--json").json
    assert letter["subject"] == f"[{case}] 服务满意度调查 Satisfaction survey: Printer offline"
    assert letter["body"].endswith(
        "意见和建议 Opinions and suggestions:\n\n\nCall 400-800-1234 or reply to this mail.\n"
    )
    assert "Zhang Wei，您好！" in letter["body"]


def test_html_is_escaped_and_text_is_not(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "note.html").write_text("<p>{{ text }}</p>", encoding="utf-8")
    (tmp_path / "templates" / "note.txt").write_text("{{ text }}", encoding="utf-8")
    templates = Templates.for_repository(tmp_path, ZONE)
    assert templates.render("note.html", {"text": "<b>E-04</b>"}) == "<p>&lt;b&gt;E-04&lt;/b&gt;</p>"
    assert templates.render("note.txt", {"text": "<b>E-04</b>"}) == "<b>E-04</b>"


def test_template_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "broken.txt").write_text("line one\n{% if %}\n", encoding="utf-8")
    (tmp_path / "templates" / "typo.txt").write_text("{{ custmer.name }}", encoding="utf-8")
    templates = Templates.for_repository(tmp_path, ZONE)
    with pytest.raises(TemplateFailed, match=r"broken.txt:2: "):
        templates.render("broken.txt", {})
    with pytest.raises(TemplateFailed, match="'custmer' is undefined"):
        templates.render("typo.txt", {"customer": {}})
    with pytest.raises(TemplateFailed, match="no template 'nope.txt'"):
        templates.render("nope.txt", {})


def test_a_broken_override_of_the_report_is_refused_cleanly(cli: CLI) -> None:
    cli("inspect", "record", "acme-sz", "--all-ok")
    (cli.repo / "templates").mkdir()
    (cli.repo / "templates" / "inspection-report.md").write_text("{% block %}\n", encoding="utf-8")
    result = cli("inspect", "report", "acme-sz-2026-Q4", expect=1)
    assert result.err.startswith("casefile: template ") and result.err.count("\n") == 1
    (cli.repo / "templates" / "inspection-report.md").unlink()
    assert cli("inspect", "report", "acme-sz-2026-Q4").out.startswith("# 系统运行状态报告")
