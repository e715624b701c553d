"""Issue 12, acceptance 4 (the command) and the rest of the official days on the command line:
`calendar import-notice`, `calendar status`, `validate` and the hooks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import chinese_calendar
import pytest

from casefile.policy.official import official_path, parse_official
from casefile.team.hook import is_record
from clihelp import CLI, TESTS, commit_count, git, is_clean

NOTICES = TESTS / "worktime" / "notices"
AS = ["-c", "user.name=Wang Fang 王芳", "-c", "user.email=wang.fang@jinqiao-it.example"]
PATH = official_path("CN")
DECEMBER = "2026-12-01T09:00:00+08:00"


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def notice(year: int | str) -> str:
    return str(NOTICES / f"{year}.txt")


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_importing_a_real_notice_gives_exactly_the_packages_days(cli: CLI, year: int) -> None:
    before = commit_count(cli.repo)
    shown = cli("calendar", "import-notice", notice(year), now=DECEMBER).out
    assert f"Agrees with chinese-calendar {chinese_calendar.__version__} on every day of {year}." in shown
    assert f"Not written: add --commit to write {year} into {PATH} (one commit)." in shown
    assert commit_count(cli.repo) == before and not (cli.repo / PATH).exists()

    done = cli("calendar", "import-notice", notice(year), "--commit", "--json", now=DECEMBER).json
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    assert done["commit"] == git(cli.repo, "rev-parse", "HEAD").strip()
    assert done["package"] == {"name": f"chinese-calendar {chinese_calendar.__version__}", "covers": True,
                               "differences": []}
    message = git(cli.repo, "log", "-1", "--format=%B")
    assert message.startswith(f"official days CN: add {year} from 国务院办公厅关于{year}年部分节假日安排的通知\n")
    assert "Casefile-Action: import-notice\n" in message and f"Casefile-Official-Days: CN {year}\n" in message
    assert git(cli.repo, "show", "--name-only", "--format=", "HEAD").split() == [PATH]
    # What was written, read back, is chinese-calendar's year day by day.
    written = parse_official((cli.repo / PATH).read_text(encoding="utf-8"), PATH).year(year)
    assert written is not None
    assert set(written.days.days_off) == {d for d in chinese_calendar.holidays if d.year == year}
    assert set(written.days.working_days) == {d for d in chinese_calendar.workdays if d.year == year}
    # The same notice again: nothing to change, no commit.
    again = cli("calendar", "import-notice", notice(year), "--commit", now=DECEMBER).out
    assert "with exactly these days: nothing to change" in again and commit_count(cli.repo) == before + 1


def test_a_notice_with_an_unreadable_sentence_is_refused_and_nothing_is_written(cli: CLI, tmp_path: Path) -> None:
    bad = tmp_path / "notice.txt"
    bad.write_text(Path(notice("2027-made-up")).read_text(encoding="utf-8").replace(
        "5月8日（周六）上班。", "5月8日（周六）正常上班，另行通知。"), encoding="utf-8")
    before = commit_count(cli.repo)
    for extra in ((), ("--commit",)):
        refused = cli("calendar", "import-notice", str(bad), *extra, now=DECEMBER, expect=1)
        assert refused.out == ""
        assert refused.err.strip().splitlines() == [
            "casefile: cannot read this sentence of the notice: 「5月8日（周六）正常上班，另行通知」: it is neither a "
            "day-off sentence (…放假…), a working-day sentence (…上班) nor an encouragement (鼓励…休息) (nothing was "
            "written; compare the text with the notice on www.gov.cn and correct it)"]
    assert commit_count(cli.repo) == before and not (cli.repo / PATH).exists() and is_clean(cli.repo)


def test_standard_input_gbk_and_a_changed_year(cli: CLI, tmp_path: Path) -> None:
    text = Path(notice("2027-made-up")).read_text(encoding="utf-8")
    cli.process("calendar", "import-notice", "-", "--commit", input=text, now=DECEMBER)
    assert parse_official((cli.repo / PATH).read_text(encoding="utf-8"), PATH).year(2027) is not None
    # As Chinese Windows saves it (GBK), corrected: the make-up day moves to Sunday 02-21.
    corrected = tmp_path / "corrected.txt"
    corrected.write_bytes(text.replace("2月20日（周六）上班", "2月21日（周日）上班").encode("gb18030"))
    before = commit_count(cli.repo)
    refused = cli("calendar", "import-notice", str(corrected), "--commit", now=DECEMBER, expect=1)
    assert f"casefile: {PATH} has 2027 already, and the notice differs on 2 day(s)" in refused.err
    assert "add --replace" in refused.err and commit_count(cli.repo) == before
    cli("calendar", "import-notice", str(corrected), "--commit", "--replace", now=DECEMBER)
    assert commit_count(cli.repo) == before + 1
    assert git(cli.repo, "log", "-1", "--format=%s").startswith("official days CN: replace 2027 from ")
    year = parse_official((cli.repo / PATH).read_text(encoding="utf-8"), PATH).year(2027)
    assert year is not None and sorted(year.days.working_days)[0].isoformat() == "2027-02-21"
    # A hand edit of the file that is not committed is never overwritten.
    (cli.repo / PATH).write_text((cli.repo / PATH).read_text() + "# a note\n", encoding="utf-8")
    dirty = cli("calendar", "import-notice", notice(2026), "--commit", now=DECEMBER, expect=None)
    assert dirty.code != 0 and "has changes that are not committed" in dirty.err
    assert commit_count(cli.repo) == before + 1
    assert cli("calendar", "import-notice", notice(2026), "--replace", now=DECEMBER, expect=1).err.startswith(
        "casefile: --replace is for --commit")


def test_calendar_status_lists_each_calendars_years_and_what_is_missing(cli: CLI) -> None:
    shown = cli("calendar", "status", now=DECEMBER).out
    version = chinese_calendar.__version__
    assert f"  5x8   holidays: CN  2004–2026 from chinese-calendar {version}" in shown
    assert "  7x24  every minute counts: needs no official days" in shown
    assert "MISSING: the official days of 2027 (next year) for CN are missing (calendars 5x24, 5x8)" in shown
    assert "casefile calendar import-notice NOTICE.txt --commit" in shown
    assert "MISSING" not in cli("calendar", "status", now="2026-11-30T09:00:00+08:00").out  # before 12-01
    cli("calendar", "import-notice", notice("2027-made-up"), "--commit", now=DECEMBER)
    found = cli("calendar", "status", "--json", now=DECEMBER).json
    five = next(c for c in found["calendars"] if c["name"] == "5x8")
    assert five["years"] == [
        {"first": 2004, "last": 2026, "source": f"chinese-calendar {version}"},
        {"first": 2027, "last": 2027, "source": f"{PATH} (国务院办公厅关于2027年部分节假日安排的通知)"}]
    assert found["missing"] == [] and found["file_years"] == [2027] and found["next_year_reminder"] == "12-01"


def test_a_calendars_own_year_is_listed_as_its_own(cli: CLI) -> None:
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text().replace(
        "    years: {}  ", '    years: {2027: {days_off: ["2027-01-01..2027-01-03"]}}  ', 1), encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "5x8: the company's own 2027")
    shown = cli("calendar", "status", now=DECEMBER).out
    assert "2027 from policy calendars.5x8.years.2027 (replaces the official days for this calendar)" in shown
    assert "(calendar 5x24)" in shown  # only 5x24 still misses 2027


def test_validate_warns_of_a_missing_year_and_checks_the_file(cli: CLI) -> None:
    warned = cli("validate", now=DECEMBER)
    assert warned.out == "" and warned.err.startswith(
        "casefile: warning: the official days of 2027 (next year) for CN are missing")
    assert cli("validate", now="2026-11-30T09:00:00+08:00").err == ""
    (cli.repo / "calendars" / "official").mkdir(parents=True)
    (cli.repo / PATH).write_text("country: CN\nyears:\n  2027:\n    days_off: [2027-02-30]\n", encoding="utf-8")
    git(cli.repo, "add", PATH)
    hook = subprocess.run(["git", "-C", str(cli.repo), *AS, "commit", "-qm", "by hand"], capture_output=True,
                          text=True)
    assert hook.returncode != 0 and f"{PATH}:4: years.2027.days_off: '2027-02-30' is not a date" in hook.stderr
    git(cli.repo, *AS, "commit", "-qm", "by hand", "--no-verify")
    found = cli("validate", "--json", now="2026-11-30T09:00:00+08:00", expect=5).json
    assert found == [{"path": PATH, "line": 4, "message": "years.2027.days_off: '2027-02-30' is not a date "
                                                          "(write 2026-02-14 or 2026-10-01..2026-10-07)"}]
    # The shared repository's hook treats it as a record: checked, and never deleted.
    assert is_record(PATH)
