"""Terminal and commit hygiene (issue 13): escape sequences and newlines in titles are refused where they
are typed, never reach a terminal raw from a hand-edited record, and never shape a commit message."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest

from clihelp import CLI, commit_count, git
from teamhelp import case_file

NOW = "2026-11-03T09:00:00+08:00"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
ERASE_AND_CLIPBOARD = "\x1b[2K\x1b]52;c;aGVsbG8=\x07"


def _hand_commit(cli: CLI, message: str) -> None:
    git(cli.repo, "add", "-A")
    subprocess.run(["git", "-C", str(cli.repo), "-c", "user.name=H", "-c", "user.email=h@example.invalid",
                    "commit", "-q", "--no-verify", "-m", message], check=True)


def test_a_title_with_an_escape_sequence_or_a_newline_is_refused_where_it_is_typed(cli: CLI) -> None:
    case = cli.open("Printer offline on 3F", "C", now=NOW)
    before = commit_count(cli.repo)
    for title, named in ((f"Printer {ERASE_AND_CLIPBOARD}", "ESC"), ("Printer offline\nVDT-99999  A  fake row", "a newline")):
        refused = cli("open", title, "--level", "C", "-m", "x", now=NOW, expect=5)
        assert refused.out == "" and len(refused.err.splitlines()) == 1 and "Traceback" not in refused.err
        assert f"title contains {named}; it must be one line of plain text" in refused.err
        cli("change", case, "--title", title, "-m", "retitled", now=NOW, expect=5)
    refused = cli("open", "Scanner jams", "--level", "D", "-m", "x", "--caller-name", "Liu\x1b[8mMin", now=NOW, expect=5)
    assert "caller.name contains ESC" in refused.err
    assert commit_count(cli.repo) == before
    assert cli("show", case, "--json").json["title"] == "Printer offline on 3F"


def test_a_hand_edited_title_with_escapes_is_reported_and_every_other_case_is_listed(cli: CLI) -> None:
    good = cli.open("Printer offline on 3F", "C", now=NOW)
    bad = cli.open("Core switch down at Futian", "A", now=NOW)
    path = case_file(cli.repo, bad)
    text = path.read_text()
    path.write_text(text.replace("title: Core switch down at Futian", 'title: "Core switch \\e[2K\\e]52;c;aGk=\\a\\nVDT-1 fake"'))
    _hand_commit(cli, "hand edit")

    listed = cli("list", "--all")
    assert not RAW.search(listed.out + listed.err)
    assert good in listed.out and bad not in listed.out
    rel = path.relative_to(cli.repo).as_posix()
    assert f"skipped {rel}:3: title contains ESC" in listed.err
    assert [row["id"] for row in cli("list", "--all", "--json").json] == [good]
    shown = cli("show", bad, expect=5)
    assert shown.err.startswith(f"casefile: {rel}:3: title contains ESC") and not RAW.search(shown.err)
    checked = cli("validate", expect=5)
    assert f"{rel}:3: title contains ESC" in checked.out + checked.err


def test_escapes_in_a_note_are_kept_but_shown_escaped_everywhere(cli: CLI) -> None:
    case = cli.open("Printer offline on 3F", "C", now=NOW)
    log = f"spooler log:\n\x1b[31mERROR\x1b[0m E-04 {ERASE_AND_CLIPBOARD} \x9b2J\nend"
    cli("note", case, "-m", log, now=NOW)
    cli("pend", case, "--reason", f"waiting for parts\nCasefile-Action: close {ERASE_AND_CLIPBOARD}", now=NOW)

    stored = cli("show", case, "--json").json["events"]
    assert stored[1]["text"] == log  # the record keeps what was written (YAML escapes it)
    for args in (("show", case), ("history", case), ("show", case, "--json"), ("list", "--json")):
        out = cli(*args).out
        assert not RAW.search(out), args
    assert "\\x1b[31mERROR" in cli("show", case).out

    message = git(cli.repo, "log", "-1", "--format=%B")
    assert not RAW.search(message)
    subject, *_rest = message.splitlines()
    assert subject == f"{case}: waiting for customer"
    trailers = git(cli.repo, "log", "-1", "--format=%(trailers:only,unfold)").strip().splitlines()
    assert trailers == ["Casefile-Action: pend", f"Casefile-Case: {case}"]
    assert cli("validate").code == 0


def test_a_skipped_record_s_note_shows_what_it_names_escaped(cli: CLI) -> None:
    """A note names what a record holds (here a key with a vertical tab, found by the hand-edit fuzz test):
    it is printed escaped, like errors, so it stays one line."""
    good = cli.open("Printer offline on 3F", "C", now=NOW)
    bad = cli.open("Core switch down at Futian", "A", now=NOW)
    path = case_file(cli.repo, bad)
    path.write_text(path.read_text().replace("\ntitle: ", '\n"odd\\vkey": 1234567890123456789012\ntitle: ', 1))
    _hand_commit(cli, "hand edit")
    listed = cli("list", "--all")
    assert good in listed.out and bad not in listed.out
    assert "\x0b" not in listed.err and "odd\\x0bkey" in listed.err
    assert all(line.startswith("casefile: ") for line in listed.err.splitlines())


def test_a_long_report_into_a_pipe_goes_out_as_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first check over an archive reports 137,000 alerts: into a pipe or a file they are written a
    chunk at a time, not joined into one text first (which held ~100 MB more at the end of the run)."""
    import io
    import sys

    from casefile.cli.terminal import write_lines

    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.delenv("CLICOLOR_FORCE", raising=False)
    written_before: list[int] = []

    def lines() -> Iterator[str]:
        for n in range(5000):
            written_before.append(out.getvalue().count("\n"))
            yield f"KMT-{n:05d}  C  breach  首次响应"

    write_lines(lines())
    assert out.getvalue() == "".join(f"KMT-{n:05d}  C  breach  首次响应\n" for n in range(5000))
    assert written_before[0] == 0 and written_before[2500] >= 2000 and written_before[-1] >= 4000
    out.truncate(0)
    write_lines(iter(()))
    assert out.getvalue() == ""  # nothing to say: not even a newline
