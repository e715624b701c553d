"""Templates from the case repository render in the sandbox: the known escapes, through every place a
desk's template is used (a report, the export, a survey letter, `check --notify`), run nothing, read
nothing and stop; the pre-commit and server hooks refuse them (issue 13, acceptance 2)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from casefile.render import templates as templating
from clihelp import CLI, git
from smtphelp import Inbox, smtp  # noqa: F401 - the fixture
from teamhelp import clone, hand_commit, share

SECRET = "CASEFILE_SMTP_PASSWORD"
# Each would run `touch PWNED` (or read the environment, or hang) in an unsandboxed Jinja.
ESCAPES = {
    "__globals__": "{{ cycler.__init__.__globals__.os.popen('touch PWNED; id').read() }}",
    "__class__.__mro__": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "|attr": "{{ (cycler|attr('__init__')|attr('__globals__'))['os'].popen('touch PWNED').read() }}",
    "format string": "{{ '{0.__init__.__globals__[os].environ}'.format(cycler) }}",
    "range(10**9)": "{% for i in range(10**9) %}{{ i }}{% endfor %}",
}


def _override(repo: Path, name: str, text: str) -> None:
    path = repo / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    assert hand_commit(repo, f"template {name}", verify=False).returncode == 0  # past the local hook


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_each_escape_is_stopped_when_rendered(escape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET, "hunter2")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "letter.txt").write_text(ESCAPES[escape])
    templating.environment.cache_clear()
    started = time.monotonic()
    with pytest.raises(templating.TemplateFailed, match="stopped by the sandbox"):
        templating.render(tmp_path, "letter.txt", {})
    assert time.monotonic() - started < 2
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_the_hooks_refuse_each_escape(escape: str) -> None:
    problems = templating.template_problems("survey-letter.txt", ESCAPES[escape])
    assert problems and all(line == 1 for line, _ in problems)


def test_a_plain_template_passes_and_a_broken_one_does_not() -> None:
    assert templating.template_problems("x.md", "{{ t.due_rule.format(day=3) }} {{ 3600 * 24 }} "
                                                 "{% for i in range(12) %}{{ i }}{% endfor %}") == []
    assert templating.template_problems("x.md", "{% if x %}unclosed")[0][1].startswith("does not compile")


def test_work_without_calls_is_stopped_by_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "RENDER_SECONDS", 1.0)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "loop.txt").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    templating.environment.cache_clear()
    started = time.process_time()
    with pytest.raises(templating.TemplateFailed, match="longer than 1 s"):
        templating.render(tmp_path, "loop.txt", {})
    assert time.process_time() - started < 3


def test_the_limit_is_of_cpu_time_so_a_busy_machine_does_not_stop_a_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Waiting (another process has the cores, or the disk is slow) is not the template's work.
    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.5)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "slow.txt").write_text("{% for i in range(3) %}{{ wait() }}{% endfor %}done")
    templating.environment.cache_clear()
    assert templating.render(tmp_path, "slow.txt", {"wait": lambda: time.sleep(0.3) or ""}) == "done"


def _closed_case(cli: CLI) -> str:
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei",
                    "--caller-email", "zhang.wei@acme.example", now="2026-11-02T09:00:00+08:00")
    cli("resolve", case, "-m", "Replaced the fuser unit.", now="2026-11-02T10:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-02T11:00:00+08:00")
    return case


ROUTES = ("report", "export", "survey letter", "check --notify")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("escape", list(ESCAPES))
def test_no_route_runs_a_desk_template_escape(escape: str, route: str, cli: CLI, tmp_path: Path,
                                              smtp: tuple[Inbox, int]) -> None:
    case = _closed_case(cli)
    inbox, port = smtp
    cli.env = {SECRET: "hunter2"}
    at = "2026-12-01T10:00:00+08:00"
    if route == "report":
        _override(cli.repo, "reports/monthly.md", ESCAPES[escape])
        done = cli("report", "monthly", "--month", "2026-11", "--format", "md", now=at, expect=1)
    elif route == "export":
        _override(cli.repo, "export/case.html", ESCAPES[escape])
        done = cli("export", "--customer", "acme-sz", "-o", str(tmp_path / "site"), now=at, expect=1)
        assert not (tmp_path / "site").exists()
    elif route == "survey letter":
        _override(cli.repo, "survey-letter.txt", ESCAPES[escape])
        done = cli("survey", "letter", case, now=at, expect=1)
    else:
        _override(cli.repo, "survey-letter.txt", ESCAPES[escape])
        for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("from", "desk@jinqiao-it.example")):
            git(cli.repo, "config", f"casefile.smtp.{key}", value)
        done = cli("check", "--notify", now=at, expect=5)  # the letter is reported, the run goes on
        assert all(b"hunter2" not in raw for _to, raw in inbox.messages)
        assert not any(b"uid=" in raw for _to, raw in inbox.messages)
    assert "sandbox" in done.err and "Traceback" not in done.err, done.err
    assert "hunter2" not in done.out + done.err
    assert not (cli.repo / "PWNED").exists() and not Path("PWNED").exists()


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_both_hooks_refuse_the_template(escape: str, cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    cli("server-hook", "install", str(bare_remote))
    share(cli, bare_remote)
    member = clone(bare_remote, tmp_path / "member", "li.na")
    path = member.repo / "templates" / "survey-letter.txt"
    path.parent.mkdir()
    path.write_text(ESCAPES[escape], encoding="utf-8")
    local = hand_commit(member.repo, "a letter of our own")
    assert local.returncode != 0 and "templates/survey-letter.txt:1: template " in local.stderr, local.stderr
    assert hand_commit(member.repo, "a letter of our own", verify=False).returncode == 0
    pushed = subprocess.run(["git", "-C", str(member.repo), "push", "origin", "main"], capture_output=True, text=True,
                            env={**os.environ})
    assert pushed.returncode != 0 and "templates/survey-letter.txt:1: template " in pushed.stderr
    assert member("validate", expect=5).out.startswith("templates/survey-letter.txt:1: template ")
