"""Issue 3, acceptances 3 and 4: overlapping runs, and mail through a real SMTP server on loopback."""

from __future__ import annotations

import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from clihelp import CLI, commit_count, git
from smtphelp import Inbox, free_port, smtp  # noqa: F401 - smtp is a fixture

NIGHT = "2026-10-03T{}:00+08:00"


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    """These tests are about the clocks of cases: a desk without customers' inspections and surveys."""
    return cases_only_desk


def configure(cli: CLI, port: int) -> None:
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", str(port))
    git(cli.repo, "config", "casefile.smtp.from", "desk@jinqiao-it.example")


def test_notify_mails_each_holder_once(cli: CLI, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    configure(cli, port)
    case = cli.open("Core switch down", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    done = cli("check", "--notify", now=NIGHT.format("02:30"))
    assert "mail: 3 sent" in done.out
    got = inbox.by_recipient()
    # 02:24 onsite warning -> assignee; 02:30 onsite breach -> assignee + service desk;
    # 02:30 ladder step -> the customer service engineer.  One message per person per run.
    assert sorted(got) == ["ma.qiang@jinqiao-it.example", "wang.fang@jinqiao-it.example",
                           "zhao.lei@jinqiao-it.example"]
    assert len(got["ma.qiang@jinqiao-it.example"]) == 1
    assert "escalate to customer-service-engineer" in got["zhao.lei@jinqiao-it.example"][0]
    assert f"casefile explain {case}" in got["zhao.lei@jinqiao-it.example"][0]
    count = len(inbox.messages)
    cli("check", "--notify", now=NIGHT.format("02:30"))
    assert len(inbox.messages) == count  # nothing new, nothing sent


def test_server_down_for_one_run_then_delivered_once(cli: CLI, tmp_path: Path) -> None:
    port = free_port()
    configure(cli, port)
    cli.open("Core switch down", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    down = cli("check", "--notify", now=NIGHT.format("02:30"), expect=7)
    assert "NOT sent and kept in the outbox for the next run" in down.out
    assert "ConnectionRefusedError" in down.out
    assert "ma.qiang" in down.out  # the alerts are recorded and reported all the same
    outbox = sorted(p.name for p in (git_common(cli.repo) / "casefile" / "outbox").glob("*.json"))
    assert len(outbox) == 3
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = cli("check", "--notify", now=NIGHT.format("02:40"))
        assert "mail: 3 sent" in up.out
        assert len(inbox.messages) == 3
        ids = [message_from_bytes(raw)["Message-ID"] for _rcpt, raw in inbox.messages]
        assert len(set(ids)) == 3
        cli("check", "--notify", now=NIGHT.format("02:50"))
        assert len(inbox.messages) == 4  # only the 02:48 progress/response warnings, one message
        assert not list((git_common(cli.repo) / "casefile" / "outbox").glob("*.json"))
    finally:
        controller.stop()


def test_notify_without_smtp_is_refused_before_anything_is_written(cli: CLI) -> None:
    cli.open("Core switch down", "A", now=NIGHT.format("02:00"))
    before = commit_count(cli.repo)
    done = cli("check", "--notify", now=NIGHT.format("02:40"), expect=1)
    assert done.err.startswith("casefile: --notify needs an SMTP server")
    assert commit_count(cli.repo) == before


def test_a_run_killed_after_its_commit_still_mails(cli: CLI, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    configure(cli, port)
    cli.open("Core switch down", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    # Killed right after the branch moved: the alerts are committed, the outbox entries
    # are still `.pending`.  The next run finishes the work tree and promotes them.
    cli.process("check", "--notify", now=NIGHT.format("02:30"), extra_env={"CASEFILE_CRASH_AT": "after-ref"},
                expect=70)
    assert inbox.messages == []
    assert list((git_common(cli.repo) / "casefile" / "outbox").glob("*.pending"))
    cli("check", "--notify", now=NIGHT.format("02:31"))
    assert len(inbox.messages) == 3
    cli("check", "--notify", now=NIGHT.format("02:32"))
    assert len(inbox.messages) == 3


def test_a_run_killed_before_its_commit_mails_nothing(cli: CLI, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    configure(cli, port)
    cli.open("Core switch down", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    before = commit_count(cli.repo)
    cli.process("check", "--notify", now=NIGHT.format("02:30"), extra_env={"CASEFILE_CRASH_AT": "before-ref"},
                expect=70)
    assert commit_count(cli.repo) == before
    cli("check", "--notify", now=NIGHT.format("02:31"))
    # The pending messages of the dead run are dropped; this run records and mails afresh.
    assert len(inbox.messages) == 3
    assert commit_count(cli.repo) == before + 1


def git_common(repo: Path) -> Path:
    return repo / ".git"


def test_two_checks_started_at_the_same_moment_fire_each_step_once(cli: CLI) -> None:
    case = cli.open("Core switch down", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    before = commit_count(cli.repo)
    env = {"CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": NIGHT.format("04:00")}
    import os

    runs = [
        subprocess.Popen([sys.executable, "-m", "casefile", "check", "--json"], env={**os.environ, **env},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    import json

    fired = [json.loads(out)["fired"] for out, _err in outputs]
    # By 04:00 with nothing done: breaches of onsite (02:30), progress and response (03:00)
    # and restore (04:00), and the three ladder steps (02:30, 03:00, 04:00).  Their warnings
    # are not news once the breach is due as well.
    assert sorted(len(f) for f in fired) == [0, 7]
    assert commit_count(cli.repo) == before + 1
    keys = [e["fields"]["key"] for e in cli("show", case, "--json").json["events"] if e["by"] == "check"]
    assert len(keys) == len(set(keys)) == 7
