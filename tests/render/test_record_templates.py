"""The survey letter and the running-status report come from templates a desk can override."""

from __future__ import annotations

from clihelp import CLI, commit_count


def test_a_repository_letter_extends_the_packaged_one(cli: CLI) -> None:
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


def test_a_broken_override_of_the_report_is_a_one_line_error(cli: CLI) -> None:
    cli("inspect", "record", "acme-sz", "--all-ok")
    (cli.repo / "templates").mkdir()
    (cli.repo / "templates" / "inspection-report.md").write_text("{{ custmer.name }}\n", encoding="utf-8")
    _one_line_error(
        cli, "template inspection-report.md (your override) failed", "inspect", "report", "acme-sz-2026-Q4"
    )
    (cli.repo / "templates" / "inspection-report.md").unlink()
    assert cli("inspect", "report", "acme-sz-2026-Q4").out.startswith("# 系统运行状态报告")


def test_a_letter_template_without_a_subject_line_is_refused(cli: CLI) -> None:
    case = cli.open("Printer offline", "C", "--customer", "acme-sz")
    cli("resolve", case, "-m", "Fixed.")
    cli("close", case, "--confirmed-by", "Zhang Wei")
    (cli.repo / "templates").mkdir()
    (cli.repo / "templates" / "survey-letter.txt").write_text("Dear customer\n", encoding="utf-8")
    _one_line_error(
        cli, "the first line of survey-letter.txt must be 'Subject: ...'", "survey", "letter", case
    )


def _one_line_error(cli: CLI, says: str, *args: str) -> None:
    before = commit_count(cli.repo)
    result = cli(*args, expect=1)
    assert result.err.startswith("casefile: ") and result.err.count("\n") == 1 and says in result.err, (
        result.err
    )
    assert commit_count(cli.repo) == before
