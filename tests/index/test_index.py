"""The record index is a cache that is never stale (issue 7, acceptance 2).

Every scenario primes the index, changes the repository the way people do
(hand edits committed or not, checkout, pull, a deleted or damaged index) and
then checks that `list --all --json` and `list` show exactly what a fresh
parse of every file shows — computed here without the index, straight from
the files — and the same again after the index is deleted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from casefile.cases.listing import CaseFilter, select
from casefile.index.catalog import Catalog
from casefile.records.file import read_record_file
from casefile.records.kinds import CASES
from casefile.records.yamlio import RecordError
from casefile.session import Session
from casefile.sla.work import ServiceLevels, SlaFilter, with_sla
from clihelp import CLI, git, is_clean

NOW = "2026-11-02T10:00:00+08:00"


def index_file(repo: Path) -> Path:
    return repo / ".git" / "casefile" / "index.sqlite"


def fresh(root: Path, wanted: CaseFilter, now: str) -> tuple[Any, list[str]]:
    """What `list` must show, from parsing every case file directly (no index)."""
    problems: list[str] = []

    def entries() -> Any:
        for path in CASES.files(root):
            try:
                yield read_record_file(root, path)
            except RecordError as error:
                problems.append(f"casefile: skipped {error}")

    parsed = list(entries())
    rows = select(parsed, wanted)
    desk = Session.open(root, now=now)  # the clocks of each row, by the same engine, from the parsed files
    levels = ServiceLevels(desk)
    clocks = {e.path: levels.clock_row(e.data, desk.now())[0] for e in parsed}
    rows = with_sla(rows, clocks, SlaFilter(), desk.now(), problems.append)
    return json.loads(json.dumps(rows, ensure_ascii=False, default=str)), sorted(problems)


def assert_fresh(cli: CLI) -> None:
    """`list --all --json` and `list --json` agree with a fresh parse, with and without the index."""
    for args, wanted in ((("--all",), CaseFilter(everything=True)), ((), CaseFilter())):
        expected = fresh(cli.repo, wanted, str(cli.now))
        shown = cli("list", *args, "--json")
        assert (shown.json, sorted(shown.err.splitlines())) == expected
        index_file(cli.repo).unlink()
        rebuilt = cli("list", *args, "--json")
        assert (rebuilt.json, sorted(rebuilt.err.splitlines())) == expected


def open_cases(cli: CLI, count: int) -> list[str]:
    return [cli.open(f"Printer {n} offline", "C", "--customer", "acme-sz", now=NOW) for n in range(count)]


def by_hand(repo: Path, *args: str) -> str:
    """A plain git command by a person, as someone would type it."""
    return git(repo, "-c", "user.name=Li Na", "-c", "user.email=li.na@jinqiao-it.example", *args)


def case_file(cli: CLI, case: str) -> Path:
    return cli.repo / json.loads(cli("show", case, "--json").out)["path"]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_hand_edit_not_committed_is_seen(cli: CLI) -> None:
    cases = open_cases(cli, 3)
    cli("list", "--all")
    edit(case_file(cli, cases[1]), "title: Printer 1 offline", "title: Scanner jams (edited by hand)")
    assert "Scanner jams (edited by hand)" in cli("list").out
    assert_fresh(cli)


def test_hand_edit_committed_with_plain_git_is_seen(cli: CLI) -> None:
    cases = open_cases(cli, 3)
    cli("list", "--all")
    path = case_file(cli, cases[0])
    edit(path, "status: open", "status: closed")
    edit(path, "closed_at:\n", "closed_at: 2026-11-02T11:00:00+08:00\n")
    edit(path, "confirmed_by:\n", "confirmed_by: Zhang Wei\n")
    by_hand(cli.repo, "commit", "-q", "-am", "Close by hand")
    assert cases[0] not in cli("list").out
    assert cases[0] in cli("list", "--all").out
    assert_fresh(cli)


def test_same_size_edit_in_the_same_second_is_seen(cli: CLI) -> None:
    """Git's stat check is racy within a second; it hashes such files, and so must we."""
    case = open_cases(cli, 1)[0]
    path = case_file(cli, case)
    cli("list")
    before = path.stat()
    edit(path, "level: C", "level: B")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert cli("list", "--json").json[0]["level"] == "B"
    assert_fresh(cli)


def test_broken_edit_is_reported_with_file_and_line_like_a_fresh_parse(cli: CLI) -> None:
    cases = open_cases(cli, 2)
    cli("list")
    edit(case_file(cli, cases[0]), "level: C\n", "level: [C\n")
    shown = cli("list", "--json")
    assert [row["id"] for row in shown.json] == [cases[1]]
    assert re.search(rf"skipped cases/2026/11/{cases[0]}\.md:\d+: malformed YAML", shown.err)
    assert_fresh(cli)


def test_new_deleted_and_ignored_files_are_seen(cli: CLI) -> None:
    cases = open_cases(cli, 3)
    cli("list")
    first = case_file(cli, cases[0])
    copy = first.with_name("ZZZ-00001.md")
    copy.write_text(first.read_text(encoding="utf-8").replace(cases[0], "ZZZ-00001"), encoding="utf-8")
    (cli.repo / ".git" / "info").mkdir(exist_ok=True)
    (cli.repo / ".git" / "info" / "exclude").write_text("draft-*.md\n")
    draft = first.with_name("draft-1.md")
    draft.write_text(first.read_text(encoding="utf-8").replace(cases[0], "ZZZ-00002"), encoding="utf-8")
    case_file(cli, cases[2]).unlink()
    ids = [row["id"] for row in cli("list", "--json").json]
    assert ids == [cases[0], cases[1], "ZZZ-00001", "ZZZ-00002"]
    assert_fresh(cli)


def test_checkout_of_an_older_commit_and_back(cli: CLI) -> None:
    cases = open_cases(cli, 2)
    older = git(cli.repo, "rev-parse", "HEAD").strip()
    cli("assign", cases[0], "li.na", now=NOW)
    cli("resolve", cases[1], "-m", "Fixed.", now=NOW)
    open_cases(cli, 1)
    cli("list", "--all")
    git(cli.repo, "checkout", "-q", older)
    assert [row["assignee"] for row in cli("list", "--json").json] == [None, None]
    assert_fresh(cli)
    git(cli.repo, "checkout", "-q", "main")
    assert len(cli("list", "--json").json) == 2
    assert_fresh(cli)


def test_pull_that_changes_records(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    cases = open_cases(cli, 2)
    git(cli.repo, "remote", "add", "origin", str(bare_remote))
    git(cli.repo, "push", "-q", "origin", "main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(bare_remote), str(other))
    theirs = CLI(other, actor="li.na", now=NOW)
    theirs("note", cases[0], "-m", "Called the customer from the other clone.")
    theirs("resolve", cases[1], "-m", "Fixed from the other clone.")
    added = theirs.open("Scanner offline", "D")
    git(other, "push", "-q", "origin", "main")
    cli("list", "--all")
    by_hand(cli.repo, "pull", "-q", "--ff-only", "origin", "main")
    ids = [row["id"] for row in cli("list", "--json").json]
    assert sorted(ids) == sorted([cases[0], added])
    assert_fresh(cli)


def test_deleted_index_gives_the_same_output(cli: CLI) -> None:
    open_cases(cli, 3)
    before = cli("list", "--all", "--json").out
    index_file(cli.repo).unlink()
    assert cli("list", "--all", "--json").out == before
    assert index_file(cli.repo).exists()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty-tables"])
def test_damaged_index_is_detected_and_rebuilt(cli: CLI, damage: str) -> None:
    open_cases(cli, 30)
    expected = cli("list", "--all", "--json").out
    path = index_file(cli.repo)
    if damage == "truncate":
        with open(path, "r+b") as handle:
            handle.truncate(os.path.getsize(path) // 2)
    elif damage == "garbage":
        path.write_bytes(b"not a database at all\n" * 500)
    else:
        import sqlite3

        with sqlite3.connect(path) as db:
            db.execute("DROP TABLE records")
    assert cli("list", "--all", "--json").out == expected
    assert cli("list", "--all", "--json").out == expected
    assert_fresh(cli)


def test_the_index_is_never_committed_and_reads_change_nothing(cli: CLI) -> None:
    open_cases(cli, 2)
    head = git(cli.repo, "rev-parse", "HEAD")
    cli("list", "--all")
    assert index_file(cli.repo).exists()
    assert is_clean(cli.repo)
    assert git(cli.repo, "rev-parse", "HEAD") == head
    assert ".git/casefile" not in git(cli.repo, "ls-files")


def test_without_a_writable_index_folder_it_reads_without_keeping_one(cli: CLI) -> None:
    open_cases(cli, 2)
    expected = cli("list", "--all", "--json").out
    state = cli.repo / ".git" / "casefile"
    for item in state.iterdir():
        if item.is_file():
            item.unlink()
        else:
            for inner in item.iterdir():
                inner.unlink()
            item.rmdir()
    state.rmdir()
    state.write_text("in the way\n")
    assert cli("list", "--all", "--json").out == expected


def test_a_record_json_cannot_hold_is_kept_exactly(cli: CLI) -> None:
    """`1: one` has a number as key; JSON would make it text, so that record is kept as text."""
    case = open_cases(cli, 1)[0]
    edit(case_file(cli, case), "links: []\n", "links: []\nextra:\n  1: one\n  'no': still text\n")
    catalog = Catalog(cli.repo)
    for _ in range(2):  # parsing, then from the index
        (entry,) = list(catalog.cases(pytest.fail))
        assert entry.data["extra"] == {1: "one", "no": "still text"}
        assert entry == read_record_file(cli.repo, cli.repo / entry.path)


def test_status_filter_reads_only_those_and_still_reports_broken_records(cli: CLI) -> None:
    cases = open_cases(cli, 4)
    cli("resolve", cases[1], "-m", "Fixed.", now=NOW)
    cli("pend", cases[2], "--reason", "Waiting for the part", "--on", "vendor", now=NOW)
    edit(case_file(cli, cases[3]), "title:", "title: [")
    problems: list[RecordError] = []
    pending = list(Catalog(cli.repo).cases(problems.append, statuses={"pending"}))
    assert [e.data["id"] for e in pending] == [cases[2]]
    assert [p.source for p in problems] == [f"cases/2026/11/{cases[3]}.md"]


def test_two_processes_building_the_index_at_once_agree(cli: CLI) -> None:
    open_cases(cli, 40)
    expected, _ = fresh(cli.repo, CaseFilter(everything=True), NOW)  # what the processes below are told it is
    env = {**os.environ, "CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": NOW}
    runs = [subprocess.Popen([sys.executable, "-m", "casefile", "list", "--all", "--json"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate() for run in runs]
    assert [json.loads(out) for out, _err in outputs] == [expected] * 3
    assert [err for _out, err in outputs] == [""] * 3


def test_every_list_filter_agrees_with_a_fresh_parse(cli: CLI) -> None:
    from zoneinfo import ZoneInfo

    from casefile.worktime.clock import parse_instant

    cases = open_cases(cli, 5)
    cli("assign", cases[0], "li.na", now="2026-11-03T09:00:00+08:00")
    cli("change", cases[1], "--level", "A", "-m", "Outage", now="2026-11-03T09:00:00+08:00")
    cli("resolve", cases[2], "-m", "Fixed.", now="2026-11-03T09:00:00+08:00")
    later = cli.open("Scanner offline", "D", "--type", "request", "--customer", "sz-metro",
                     now="2026-11-05T09:00:00+08:00")
    cli("list", "--all")
    zone = ZoneInfo("Asia/Shanghai")
    checks = [
        ((), CaseFilter()),
        (("--all",), CaseFilter(everything=True)),
        (("-s", "resolved"), CaseFilter(statuses=frozenset({"resolved"}))),
        (("--level", "a"), CaseFilter(levels=frozenset({"A"}))),
        (("--type", "request"), CaseFilter(types=frozenset({"request"}))),
        (("--assignee", "li.na"), CaseFilter(assignee="li.na")),
        (("--customer", "sz-metro", "--all"), CaseFilter(customer="sz-metro", everything=True)),
        (("--since", "2026-11-04"), CaseFilter(since=parse_instant("2026-11-04", zone))),
        (("--until", "2026-11-04", "--all"), CaseFilter(until=parse_instant("2026-11-04", zone), everything=True)),
    ]
    for args, wanted in checks:
        rows, _problems = fresh(cli.repo, wanted, str(cli.now))
        assert cli("list", *args, "--json").json == rows, args
    assert [row["id"] for row in cli("list", "--since", "2026-11-04", "--json").json] == [later]


def test_rows_of_a_view_are_made_once_per_record_content(cli: CLI) -> None:
    from casefile.index.catalog import RecordView

    cases = open_cases(cli, 3)
    made: list[str] = []

    def title(data: dict[str, Any], body: str) -> dict[str, Any]:
        made.append(str(data["id"]))
        return {"title": data["title"], "words": len(body.split())}

    view = RecordView("test-title/1", title)
    catalog = Catalog(cli.repo)
    first = list(catalog.rows("cases", view, pytest.fail))
    assert sorted(made) == sorted(cases)
    assert list(catalog.rows("cases", view, pytest.fail)) == first
    assert sorted(made) == sorted(cases)  # nothing made again
    cli("change", cases[0], "--title", "Printer 0 is on fire", "-m", "Smoke", now=NOW)
    edit(case_file(cli, cases[1]), "title: Printer 1 offline", "title: Printer 1 edited")
    rows = dict(Catalog(cli.repo).rows("cases", view, pytest.fail))  # a new command's view
    assert sorted(made[3:]) == sorted(cases[:2])  # only the two changed records
    assert {row["title"] for row in rows.values()} == {"Printer 0 is on fire", "Printer 1 edited", "Printer 2 offline"}


def test_a_branch_without_commits_reads_the_work_tree(cli: CLI, tmp_path: Path) -> None:
    """No HEAD yet: every record is an untracked file, and still indexed by content."""
    case = open_cases(cli, 1)[0]
    text = case_file(cli, case).read_text(encoding="utf-8")
    fresh_repo = tmp_path / "unborn"
    subprocess.run(["git", "init", "-q", "-b", "main", str(fresh_repo)], check=True)
    (fresh_repo / "cases" / "2026" / "11").mkdir(parents=True)
    (fresh_repo / "cases" / "2026" / "11" / f"{case}.md").write_text(text, encoding="utf-8")
    catalog = Catalog(fresh_repo)
    for _ in range(2):
        (entry,) = list(catalog.cases(pytest.fail))
        assert entry == read_record_file(fresh_repo, fresh_repo / entry.path)


def test_reading_while_another_process_commits(cli: CLI) -> None:
    """Readers and a writer at once: every read succeeds and the end state is what a fresh parse shows."""
    cases = open_cases(cli, 20)
    env = {**os.environ, "CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": NOW, "CASEFILE_ACTOR": "li.na"}
    script = "; ".join(f"casefile note {case} -m 'Busy note {n}.'" for n, case in enumerate(cases[:6]))
    writer = subprocess.Popen(["sh", "-c", script.replace("casefile", f"{sys.executable} -m casefile")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    readers = []
    while writer.poll() is None or not readers:
        readers.append(subprocess.Popen([sys.executable, "-m", "casefile", "list", "--all", "--json"], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        readers[-1].wait()
    assert writer.wait() == 0, writer.stderr.read() if writer.stderr else ""
    for reader in readers:
        out, err = reader.communicate()
        assert reader.returncode == 0 and err == "", err
        assert sorted(row["id"] for row in json.loads(out)) == sorted(cases)
    assert_fresh(cli)


def test_index_made_at_a_commit_that_no_longer_exists(cli: CLI) -> None:
    """History rewritten and pruned: the index lists the folder again and reuses what it parsed."""
    import sqlite3

    cases = open_cases(cli, 3)
    cli("list", "--all")
    with sqlite3.connect(index_file(cli.repo)) as db:
        db.execute("UPDATE bases SET commit_id = ?", ("1" * 40,))
    cli("note", cases[0], "-m", "After the rewrite.", now=NOW)
    assert_fresh(cli)


def test_a_new_index_is_laid_out_compactly(cli: CLI) -> None:
    """Issue 17: 16 KiB pages (six 2 KB records a page, not one) and free pages given back after a clean-up."""
    import sqlite3

    cli.open("Printer offline at ACME Shenzhen, 3F", "C")
    cli("list", "--all")
    db = sqlite3.connect(cli.repo / ".git" / "casefile" / "index.sqlite")
    try:
        assert db.execute("PRAGMA page_size").fetchone()[0] == 16384
        assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    finally:
        db.close()


def _rows_by_view(repo: Path) -> dict[str, int]:
    import sqlite3

    db = sqlite3.connect(index_file(repo))
    try:
        return dict(db.execute(
            "SELECT n.name, count(v.record) FROM view_names n LEFT JOIN views v ON v.view = n.id GROUP BY n.name"
        ).fetchall())
    finally:
        db.close()


def test_a_policy_edit_leaves_no_rows_made_under_the_policy_before(cli: CLI) -> None:
    """The clocks' rows name the policy they were made under; after an edit the old ones are never read
    again, and at 100,000 cases each edit would leave 100,000 of them in the index."""
    open_cases(cli, 3)
    cli("check")
    cli("list")
    before = {name: count for name, count in _rows_by_view(cli.repo).items() if name.startswith("case-")}
    assert {name.split(" ")[0] for name in before} == {"case-due/3", "case-clocks/2"}
    assert all(count == 3 for count in before.values())
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n# Reviewed with the customer, November.\n",
                      encoding="utf-8")
    by_hand(cli.repo, "commit", "-q", "-am", "policy: reviewed")
    cli("check")
    cli("list")
    after = {name: count for name, count in _rows_by_view(cli.repo).items() if name.startswith("case-")}
    assert {name: after[name] for name in before} == {name: 0 for name in before}  # names stay, rows go
    fresh_rows = {name: count for name, count in after.items() if name not in before}
    assert sorted(name.split(" ")[0] for name in fresh_rows) == ["case-clocks/2", "case-due/3"]
    assert all(count == 3 for count in fresh_rows.values())
    assert_fresh(cli)
