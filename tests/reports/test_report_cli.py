"""`casefile report` as users drive it: bad input, output files, CSV, languages, issuing the bulletin,
check's reminder, score explanations, the first-contact flag, the progress line."""

from __future__ import annotations

import csv
import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git, is_clean

NOW = "2026-12-07T10:00:00+08:00"


def _case(cli: CLI, title: str = "Printer offline on 3F", level: str = "C", when: str = "2026-11-02T09:00",
          *extra: str) -> str:
    return cli.open(title, level, "--customer", "acme-sz", *extra, now=f"{when}:00+08:00")


# -- bad input: one line, non-zero, nothing written ------------------------------------------------

@pytest.mark.parametrize("args, code, message", [
    (("stats", "--month", "2026-13"), 1, "casefile: --month '2026-13' is not a month (write it like 2026-11)"),
    (("stats", "--month", "nov"), 1, "casefile: --month 'nov' is not a month (write it like 2026-11)"),
    (("sla", "--from", "2026-11-01"), 1,
     "casefile: --from and --to go together (give both, e.g. --from 2026-11-01 --to 2026-11-15)"),
    (("sla", "--from", "2026-11-20", "--to", "2026-11-01"), 1,
     "casefile: --from 2026-11-20 is after --to 2026-11-01 (swap them)"),
    (("sla", "--from", "2026-02-30", "--to", "2026-03-01"), 1,
     "casefile: --from '2026-02-30' is not a date (write it like 2026-11-01)"),
    (("sla", "--month", "2026-11", "--from", "2026-11-01", "--to", "2026-11-02"), 1,
     "casefile: --month cannot be combined with --from/--to (give a month, or a range of days)"),
    (("weekly",), 2, "casefile: unknown report kind 'weekly' (kinds: "),
    (("stats", "--month", "2026-11", "--customer", "nobody-inc"), 3,
     "casefile: no customer 'nobody-inc' (customers are the files in customers/)"),
    (("stats", "--month", "2026-11", "--bom"), 1, "casefile: --bom is for CSV (add --format csv, or drop --bom)"),
    (("stats", "--month", "2026-11", "--json", "--format", "md"), 1,
     "casefile: --json and --format md disagree (give one of them)"),
    (("stats", "--month", "2026-11", "--lang", "fr"), 2, "casefile: Invalid value for '--lang'"),
    (("monthly", "--month", "2026-11", "--issue", "--customer", "acme-sz"), 1,
     "casefile: only a whole month's bulletin for every customer can be issued"),
    (("monthly", "--month", "2026-12", "--issue"), 1,
     "casefile: 2026-12 is not over yet; its bulletin covers the whole month (issue it from 2027-01-01 on)"),
])
def test_bad_input_is_one_line_and_changes_nothing(cli: CLI, tmp_path: Path, args: tuple[str, ...], code: int,
                                                   message: str) -> None:
    _case(cli)
    before = commit_count(cli.repo)
    target = tmp_path / "out.md"
    done = cli("report", *args, "-o", str(target), now=NOW, expect=code)
    assert done.err.startswith(message) and done.err.count("\n") == 1, done.err
    assert "Traceback" not in done.err and done.out == ""
    assert not target.exists() and commit_count(cli.repo) == before and is_clean(cli.repo)


def test_output_into_a_missing_folder_is_refused(cli: CLI, tmp_path: Path) -> None:
    done = cli("report", "stats", "--month", "2026-11", "-o", str(tmp_path / "no" / "x.md"), now=NOW, expect=1)
    assert done.err == f"casefile: cannot write {tmp_path / 'no' / 'x.md'}: {tmp_path / 'no'} is not a folder\n"


def test_a_broken_case_is_skipped_said_and_listed(cli: CLI) -> None:
    case = _case(cli)
    broken = cli.repo / "cases" / "2026" / "11" / "KMT-99999.md"
    broken.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    done = cli("report", "stats", "--month", "2026-11", "--json", now=NOW)
    assert done.err.startswith("casefile: skipped cases/2026/11/KMT-99999.md:")
    assert done.json["skipped"][0]["path"] == "cases/2026/11/KMT-99999.md"
    assert done.json["trend"]["received"] == 1 and case


def test_an_empty_month_is_a_report_that_says_so(cli: CLI) -> None:
    out = cli("report", "monthly", "--month", "2026-10", "--lang", "en", now=NOW).out
    assert "| 0 | 0 | 0 | 0 |" in out and out.rstrip().endswith("None.")


# -- output ----------------------------------------------------------------------------------------

def test_format_follows_the_output_file_and_the_default_month_is_last_month(cli: CLI, tmp_path: Path) -> None:
    _case(cli)
    target = tmp_path / "report.json"
    assert cli("report", "desk", "-o", str(target), now=NOW).out == ""
    data = __import__("json").loads(target.read_text(encoding="utf-8"))
    assert (data["report"], data["period"]["month"], data["received"]) == ("desk", "2026-11", 1)


def test_language_defaults_to_the_policy(cli: CLI) -> None:
    _case(cli)
    assert cli("report", "sla", "--month", "2026-11", now=NOW).out.startswith("# 服务级别达成情况")
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("language: zh", "language: en"), encoding="utf-8")
    assert cli("report", "sla", "--month", "2026-11", now=NOW).out.startswith("# SLA compliance")


def test_csv_keeps_chinese_has_a_bom_on_request_and_defuses_formulas(cli: CLI, tmp_path: Path) -> None:
    _case(cli, "新员工开通邮箱和OA账号")
    _case(cli, "=HYPERLINK(\"http://evil.example\",\"click\")", "D", "2026-11-03T10:00")
    target = tmp_path / "bulletin.csv"
    cli("report", "monthly", "--month", "2026-11", "--bom", "-o", str(target), now=NOW)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Case号", "客户", "标题"]
    assert [row[2] for row in rows[1:]] == ["新员工开通邮箱和OA账号", "'=HYPERLINK(\"http://evil.example\",\"click\")"]
    plain = cli("report", "monthly", "--month", "2026-11", "--format", "csv", "--lang", "en", now=NOW).out
    assert not plain.startswith("\ufeff") and plain.startswith("Case,Customer,Title,")


@pytest.mark.parametrize("kind", ["monthly", "stats", "sla", "engineers", "desk", "surveys", "inspections"])
def test_every_kind_renders_in_every_format(cli: CLI, kind: str) -> None:
    _case(cli)
    for fmt in ("md", "html", "csv", "json"):
        for lang in ("zh", "en"):
            assert cli("report", kind, "--month", "2026-11", "--format", fmt, "--lang", lang, now=NOW).out


# -- issuing the bulletin, and check's reminder -----------------------------------------------------------

def test_issuing_the_bulletin_is_one_audited_commit_and_stops_the_reminder(cli: CLI) -> None:
    _case(cli)
    # Due Monday 12-07 (the 5th is a Saturday), from the desk's opening at 09:00.
    early = cli("check", "--dry-run", "--json", now="2026-12-07T08:59:00+08:00").json
    assert [f for f in early["fired"] if f["provider"] == "reports"] == []
    fired = cli("check", "--json", now="2026-12-07T09:00:00+08:00").json["fired"]
    reminders = [f for f in fired if f["provider"] == "reports"]
    assert [(f["key"], f["kind"], f["notified"]) for f in reminders] == [
        ("bulletin-due/2026-11", "reminder", ["wang.fang"])]
    assert not [f for f in cli("check", "--json", now="2026-12-07T09:30:00+08:00").json["fired"]
                if f["provider"] == "reports"]  # once

    before = commit_count(cli.repo)
    done = cli("report", "monthly", "--month", "2026-11", "--issue", "--lang", "en", now=NOW)
    assert done.err.startswith("casefile: issued reports/2026-11/monthly.md (commit ")
    assert "Issued: 2026-12-07 10:00, by wang.fang" in done.out
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    message = git(cli.repo, "log", "-1", "--format=%an%n%B")
    assert message.startswith("Wang Fang 王芳\nreports: issue the monthly bulletin for 2026-11\n")
    assert "Casefile-Action: issue-bulletin" in message
    record = (cli.repo / "reports" / "2026-11" / "monthly.md").read_text(encoding="utf-8")
    assert "status: issued\ndue_on: 2026-12-07\nissued_at: 2026-12-07T10:00:00+08:00\nissued_by: wang.fang\n" in record
    assert record.split("---\n", 2)[2] == done.out  # the bulletin as issued is the record's body

    again = cli("report", "monthly", "--month", "2026-11", "--issue", now="2026-12-07T11:00:00+08:00", expect=1)
    assert again.err.startswith("casefile: the bulletin for 2026-11 was issued at 2026-12-07T10:00:00+08:00")
    cli("report", "monthly", "--month", "2026-11", "--reissue", now="2026-12-08T10:00:00+08:00")
    assert git(cli.repo, "log", "-1", "--format=%s").strip() == "reports: reissue the monthly bulletin for 2026-11"
    shown = cli("report", "monthly", "--month", "2026-11", "--json", now="2026-12-09T10:00:00+08:00").json
    assert shown["issued"]["issued_at"] == "2026-12-08T10:00:00+08:00"
    assert not [f for f in cli("check", "--json", now="2026-12-09T10:00:00+08:00").json["fired"]
                if f["provider"] == "reports"]


def test_a_holiday_moves_the_bulletin_and_months_before_the_first_case_are_not_reminded(cli: CLI) -> None:
    # Nothing before September: no reminder for August's bulletin on 09-07.
    assert not [f for f in cli("check", "--json", now="2026-09-07T10:00:00+08:00").json["fired"]
                if f["provider"] == "reports"]
    _case(cli, "Scanner offline", "C", "2026-09-10T10:00")
    # September's bulletin: 10-05 is in the National Day holiday (10-01..07 off, 10-10 a make-up
    # Saturday), so it is due Thursday 10-08 at the opening.
    assert not [f for f in cli("check", "--json", now="2026-10-07T18:00:00+08:00").json["fired"]
                if f["provider"] == "reports"]
    fired = [f for f in cli("check", "--json", now="2026-10-08T09:00:00+08:00").json["fired"]
             if f["provider"] == "reports"]
    assert [(f["key"], f["due_at"]) for f in fired] == [("bulletin-due/2026-09", "2026-10-08T09:00:00+08:00")]
    assert cli("report", "monthly", "--month", "2026-09", "--json", now=NOW).json["due_on"] == "2026-10-08"


def test_a_bad_reports_section_is_a_broken_record_for_check_and_an_error_for_reports(cli: CLI) -> None:
    _case(cli)
    policy = cli.repo / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "\n    day: 5\n" in text  # casefile init writes the reports section
    policy.write_text(text.replace("\n    day: 5\n", "\n    day: 31\n"), encoding="utf-8")
    done = cli("check", "--json", now=NOW, expect=5)
    assert done.json["broken"] == [{"path": "policy.yaml", "reason": "monthly bulletin: policy.yaml: "
                                    "reports.monthly.day: expected a day of the month from 1 to 28, got 31"}]
    assert cli("validate", expect=5).out == ("policy.yaml: reports.monthly.day: expected a day of the month "
                                             "from 1 to 28, got 31\n")
    failed = cli("report", "monthly", "--month", "2026-11", now=NOW, expect=5)
    assert failed.err == ("casefile: policy.yaml: reports.monthly.day: expected a day of the month from 1 to 28, "
                          "got 31\n")


# -- scores and their explanations -----------------------------------------------------------------------

def test_a_score_under_eight_is_flagged_until_it_is_explained(cli: CLI) -> None:
    case = _case(cli, "ERP slow", "C", "2026-11-06T17:00")
    cli("assign", case, "li.na", now="2026-11-06T17:05:00+08:00")
    cli("respond", case, "-m", "On it.", actor="li.na", now="2026-11-09T09:00:00+08:00")  # 1h target breached

    def response() -> dict:
        card = cli("report", "engineers", "--month", "2026-11", "--json", now=NOW).json["cards"][0]
        return next(s for s in card["scores"] if s["key"] == "response")

    assert (response()["score"], response()["needs_explanation"]) == (0.0, True)
    done = cli("report", "explain-score", "li.na", "--month", "2026-11", "--score", "response",
               "-m", "Opened on Friday at 17:00 with no on-call engineer.", actor="chen.jie", now=NOW)
    assert done.out == "li.na: explain the response score of 2026-11\n"
    assert "Casefile-Action: explain-score" in git(cli.repo, "log", "-1", "--format=%B")
    explained = response()
    assert (explained["needs_explanation"], explained["explanation"]["by"]) == (False, "chen.jie")
    md = cli("report", "engineers", "--month", "2026-11", "--lang", "en", now=NOW).out
    assert "Response time: 0.0 (0 / 1 response clocks decided) — Explanation (chen.jie, 2026-12-07 10:00): " \
           "Opened on Friday at 17:00 with no on-call engineer." in md


@pytest.mark.parametrize("args, code, message", [
    (("nobody", "--month", "2026-11", "--score", "attitude", "-m", "x"), 3, "casefile: no person 'nobody'"),
    (("li.na", "--month", "2026-11", "--score", "speed", "-m", "x"), 2, "casefile: Invalid value for '--score'"),
    (("li.na", "--month", "2026-11", "--score", "attitude", "-m", "  "), 1, "casefile: the explanation is empty"),
    (("li.na", "--month", "11/2026", "--score", "attitude", "-m", "x"), 1, "casefile: --month '11/2026' is not"),
])
def test_explain_score_refuses_bad_input(cli: CLI, args: tuple[str, ...], code: int, message: str) -> None:
    before = commit_count(cli.repo)
    done = cli("report", "explain-score", *args, now=NOW, expect=code)
    assert done.err.startswith(message) and done.err.count("\n") == 1
    assert commit_count(cli.repo) == before


# -- first-contact resolution -------------------------------------------------------------------------

def test_first_contact_is_an_explicit_flag_a_reopen_clears(cli: CLI) -> None:
    case = _case(cli, "VPN question", "D")
    cli("respond", case, "-m", "Explained.", now="2026-11-02T09:05:00+08:00")
    done = cli("resolve", case, "--first-contact", "-m", "Explained on the phone.", now="2026-11-02T09:06:00+08:00")
    assert done.out.strip() == f"{case}: resolved at first contact"
    shown = cli("show", case, "--json").json
    assert shown["first_contact"] is True and shown["events"][-1]["fields"]["first_contact"] is True
    kpi = cli("report", "desk", "--month", "2026-11", "--json", now=NOW).json["first_contact"]
    assert (kpi["part"], kpi["whole"]) == (1, 1)
    cli("reopen", case, "--reason", "Still cannot connect", now="2026-11-02T10:00:00+08:00")
    assert cli("show", case, "--json").json["first_contact"] is None
    kpi = cli("report", "desk", "--month", "2026-11", "--json", now=NOW).json["first_contact"]
    assert (kpi["part"], kpi["whole"]) == (0, 1)
    text = (cli.repo / "cases" / "2026" / "11" / f"{case}.md").read_text(encoding="utf-8")
    assert text.index("first_contact:") > text.index("resolution:")  # at its usual place
    assert "first_contact" not in (cli.repo / "cases" / "2026" / "11" / f"{_case(cli)}.md").read_text()


# -- progress line and imports --------------------------------------------------------------------------

def _run_on_a_terminal(cli: CLI, *args: str) -> str:
    """Run casefile with stderr on a pseudo-terminal; what it wrote there."""
    main, secondary = pty.openpty()
    env = {**os.environ, "CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": NOW, "CASEFILE_PROGRESS_DELAY": "0"}
    process = subprocess.Popen([sys.executable, "-m", "casefile", *args], stdout=subprocess.DEVNULL,
                               stderr=secondary, env=env)
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=30) == 0
    os.close(main)
    return seen.decode("utf-8", "replace")


def test_a_progress_line_on_a_terminal_and_none_in_cron(cli: CLI) -> None:
    for day in range(2, 7):
        _case(cli, f"Case on day {day}", "C", f"2026-11-0{day}T10:00")
    on_terminal = _run_on_a_terminal(cli, "report", "sla", "--month", "2026-11")
    assert "evaluating service levels [" in on_terminal and "5/5" in on_terminal
    assert on_terminal.endswith("\r\x1b[2K")  # cleared when done
    in_cron = cli.process("report", "sla", "--month", "2026-11", now=NOW)
    assert in_cron.err == "" and in_cron.out.startswith("# 服务级别达成情况")


def test_report_help_imports_neither_git_nor_jinja() -> None:
    probe = (
        "import sys; from casefile.cli import main\n"
        "for args in (['report', '--help'], ['report', 'monthly', '--help'], ['report', 'explain-score', '--help']):\n"
        "    main(args)\n"
        "print('LOADED', [m for m in ('git', 'jinja2', 'ruamel.yaml') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "LOADED []" in done.stdout and "--issue" in done.stdout and "explain-score" in done.stdout


def test_markdown_reports_escape_raw_html_in_values(cli: CLI) -> None:  # issue 13
    case = cli.open('<img src="https://evil.example/t.png"><script>alert(1)</script> Printer', "A",
                    "--customer", "acme-sz", now="2026-11-02T09:00:00+08:00")
    cli("resolve", case, "-m", "Fixed </li></ol><h1>not a heading</h1>", now="2026-11-02T10:00:00+08:00")
    for kind in ("monthly", "stats", "sla"):
        text = cli("report", kind, "--month", "2026-11", "--format", "md", now="2026-12-01T09:00:00+08:00").out
        assert "<img" not in text and "<script" not in text and "<h1>" not in text, kind
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, kind
