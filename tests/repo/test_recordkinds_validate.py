"""`validate` and the pre-commit hook cover customers, inspections, surveys and articles."""

from __future__ import annotations

import subprocess

from clihelp import CLI, git


def test_the_demo_records_validate(cli: CLI) -> None:
    assert cli("validate").out == ""


def test_broken_records_of_every_kind_are_reported_with_file_and_line(cli: CLI) -> None:
    cli("kb", "add", "--title", "Printer E-04", "--slug", "printer-e04", "--tag", "printer")
    customer = cli.repo / "customers" / "acme-sz.md"
    customer.write_text(
        customer.read_text(encoding="utf-8").replace("status: in-service", "status: broken", 1),
        encoding="utf-8",
    )
    inspection = cli.repo / "inspections" / "2026" / "acme-sz-2026-Q4.md"
    inspection.write_text(
        inspection.read_text(encoding="utf-8").replace("due_by: 2026-12-31", "due_by: soon"), encoding="utf-8"
    )
    article = cli.repo / "kb" / "printer-e04.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("tags:\n  - printer", "tags: printer"), encoding="utf-8"
    )
    policy = cli.repo / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("  expire_days: 30 ", "  expire_days: -1 "),
        encoding="utf-8",
    )
    out = cli("validate", expect=5).out.splitlines()
    assert out == [
        "policy.yaml: surveys.expire_days must be a whole number, 0 or more",
        "customers/acme-sz.md:33: assets[0].status 'broken' is not one of: faulty, in-service, replaced, retired, spare",
        "inspections/2026/acme-sz-2026-Q4.md:7: due_by 'soon' is not a date like 2026-11-19",
        "kb/printer-e04.md:6: tags must be a list of text",
    ]


def test_the_pre_commit_hook_refuses_a_broken_survey(cli: CLI) -> None:
    case = cli.open()
    cli("resolve", case, "-m", "Fixed.")
    cli("close", case, "--confirmed-by", "Zhang Wei")
    survey = cli.repo / "surveys" / "2026" / "11" / f"SV-{case}.md"
    survey.write_text(
        survey.read_text(encoding="utf-8").replace("status: pending", "status: lost"), encoding="utf-8"
    )
    git(cli.repo, "add", "-A")
    done = subprocess.run(
        ["git", "-C", str(cli.repo), "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "x"],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert (
        f"surveys/2026/11/SV-{case}.md:5: status 'lost' is not one of: answered, expired, pending, queued, sent"
        in done.stderr
    )
