"""Issue 17: a check that writes many records commits in batches, and a run killed between two batches
is finished by the next run — nothing fired twice, nothing lost, mail included."""

from __future__ import annotations

import shutil
from email import message_from_bytes
from pathlib import Path

import pytest

from casefile.records.file import read_record_file
from clihelp import CLI, commit_count, git
from smtphelp import Inbox, smtp  # noqa: F401 - smtp is a fixture

NIGHT = "2026-10-03T{}:00+08:00"  # the National Day holiday, at night: level A clocks run, ladders climb
CASES = 5
BATCH = {"CASEFILE_CHECK_BATCH": "2"}  # 5 cases with alerts: commits of 2, 2 and 1


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def _configure(repo: Path, port: int) -> None:
    git(repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(repo, "config", "casefile.smtp.port", str(port))
    git(repo, "config", "casefile.smtp.from", "desk@jinqiao-it.example")


def _keys(repo: Path) -> dict[str, list[str]]:
    """Every case's recorded alert keys, in order, duplicates kept."""
    found = {}
    for path in sorted((repo / "cases").rglob("*.md")):
        events = read_record_file(repo, path).data.get("events") or []
        found[path.name] = [str(e["fields"]["key"]) for e in events if isinstance(e.get("fields"), dict)
                            and e["fields"].get("key")]
    return found


def _message_ids(inbox: Inbox) -> list[str]:
    return sorted(f"{rcpt} {message_from_bytes(raw)['Message-ID']}" for rcpt, raw in inbox.messages)


def test_a_check_killed_between_batches_is_finished_by_the_next(cli: CLI, smtp: tuple[Inbox, int],
                                                                  tmp_path: Path) -> None:
    inbox, port = smtp
    _configure(cli.repo, port)
    for n in range(CASES):
        cli.open(f"Core switch down in building {n + 1}", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    before = commit_count(cli.repo)
    reference = CLI(Path(shutil.copytree(cli.repo, tmp_path / "reference", symlinks=True)), env=BATCH)

    done = reference("check", "--notify", now=NIGHT.format("02:30"))
    assert commit_count(reference.repo) == before + 3
    assert "(the last of 3: at most 2 records a commit)" in done.out
    expected_keys, expected_mail = _keys(reference.repo), _message_ids(inbox)
    assert sum(map(len, expected_keys.values())) >= 2 * CASES and len(expected_mail) >= 3
    inbox.messages.clear()

    batched = CLI(cli.repo, env=BATCH)
    batched.process("check", "--notify", now=NIGHT.format("02:30"), extra_env={"CASEFILE_CRASH_AT": "check-batch"},
                    expect=70)
    assert commit_count(cli.repo) == before + 1  # the first batch, whole
    assert inbox.messages == []  # killed before mailing: its mail waits in the outbox
    first = _keys(cli.repo)
    assert sum(1 for keys in first.values() if keys) == 2

    batched("check", "--notify", now=NIGHT.format("02:30"))
    assert commit_count(cli.repo) == before + 3
    assert _keys(cli.repo) == expected_keys  # each alert recorded once, none lost
    assert all(len(keys) == len(set(keys)) for keys in expected_keys.values())
    assert _message_ids(inbox) == expected_mail  # the same mail, each message once
    batched("check", "--notify", now=NIGHT.format("02:30"))
    assert commit_count(cli.repo) == before + 3 and _message_ids(inbox) == expected_mail


def test_a_small_run_is_still_one_commit(cli: CLI) -> None:
    for n in range(CASES):
        cli.open(f"Printer offline on {n + 1}F", "A", now=NIGHT.format("02:00"))
    before = commit_count(cli.repo)
    done = cli("check", "--json", now=NIGHT.format("02:30")).json
    assert commit_count(cli.repo) == before + 1 and done["commits"] == [done["commit"]]


def test_the_records_a_run_wrote_are_kept_in_the_index_as_a_fresh_parse_would_keep_them(cli: CLI) -> None:
    """Each batch hands the index the parse of what it wrote (`Catalog.learn`) instead of the next batch
    parsing 2,000 records again: what is kept must be exactly what parsing the committed file gives."""
    from casefile.index.parse import parse_record
    from casefile.index.reader import index_path
    from casefile.index.store import RecordIndex
    from casefile.git.repo import GitRepo

    for n in range(CASES):
        cli.open(f"Core switch down in building {n + 1}", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    cli("list")  # the index holds the cases as opened
    CLI(cli.repo, env=BATCH)("check", now=NIGHT.format("02:30"))
    repo = GitRepo(cli.repo)
    written = [line.split("\t")[1] for line in
               git(cli.repo, "diff-tree", "-r", "--no-commit-id", "HEAD").splitlines()]  # the last batch
    assert written
    index = RecordIndex.open(index_path(repo))
    try:
        for path in written:
            blob = git(cli.repo, "rev-parse", f"HEAD:{path}").strip()
            found = index.record(blob)
            assert found is not None, f"{path}: not kept (nothing read it since the last batch wrote it)"
            assert found[1] == parse_record((cli.repo / path).read_bytes(), path)
    finally:
        index.close()


def test_a_run_in_batches_reports_what_one_commit_reports(cli: CLI, tmp_path: Path) -> None:
    """Each batch goes on where the one before stopped (it does not read the cases before again): the run
    still evaluates every record once and reports every breach, deferral and alert once."""
    for n in range(CASES):
        cli.open(f"Core switch down in building {n + 1}", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
        cli.open(f"Printer offline on {n + 1}F", "C", now=NIGHT.format("02:00"))
    whole = CLI(Path(shutil.copytree(cli.repo, tmp_path / "whole", symlinks=True)))
    one = whole("check", "--json", now=NIGHT.format("04:30")).json
    batched = CLI(cli.repo, env=BATCH)("check", "--json", now=NIGHT.format("04:30")).json
    assert len(batched["commits"]) == 3 and len(one["commits"]) == 1
    for key in ("commit", "commits"):
        del one[key], batched[key]
    assert batched == one
    assert one["evaluated"] == 2 * CASES and one["breached"] and one["fired"]
    assert _keys(cli.repo) == _keys(whole.repo)
