"""Issue 18: completion's fast path (`repo/quickcomplete.py`) answers every <Tab> exactly as click's own
completion does — every dynamic kind (case ids, handles, customers, levels, article slugs), the fixed
choices (statuses, report kinds, --color), paths, free text, and the static words (subcommands and
options) — in every shell, or leaves the <Tab> to click; and its table is the command tree as it is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import shell_complete

from clihelp import CLI, ROOT
from casefile.cli import cli as root_command
from casefile.cli.completion import COMPLETE_VAR, TABLE_FILE, table_source
from casefile.repo import quickcomplete

NOW = "2026-11-02T10:00:00+08:00"


def test_the_stored_table_is_the_command_tree() -> None:
    stored = (ROOT / "src" / "casefile" / TABLE_FILE).read_text(encoding="utf-8")
    assert stored == table_source(root_command), (
        'the commands changed: run .venv/bin/python -c "from casefile.cli import cli, completion; completion.write_table(cli)"')


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, desk_template: Path) -> tuple[Path, str]:
    """The demo desk with cases of this clone, an article, and an index that has seen them all."""
    import shutil

    from conftest import isolation

    root = Path(shutil.copytree(desk_template, tmp_path_factory.mktemp("quick") / "desk", symlinks=True))
    with isolation(tmp_path_factory.mktemp("quick-home"), tmp_path_factory.mktemp("quick-templates")):
        cli = CLI(root, now=NOW)
        case = cli.open("Printer offline at ACME Shenzhen, 3F", "C", now=NOW)
        for title in ("VPN drops every hour", "New account for Liu Min", "ERP slow at month end"):
            cli.open(title, "B", now=NOW)
        cli("resolve", case, "-m", "Cleared the queue.")
        cli("kb", "add", "--title", "HP M607 shows E-04", "--slug", "printer-e04", "-m", "Clear the queue.")
        cli("kb", "add", "--title", "VPN drops", "--slug", "vpn-drops", "-m", "Renew the certificate.")
        for reading in (("list", "--all"), ("customer", "list"), ("kb", "list")):
            cli(*reading)
    return root, case


def _click_answer(capsysbinary: pytest.CaptureFixture[bytes], instruction: str) -> str:
    code = shell_complete(root_command, {}, "casefile", COMPLETE_VAR, instruction)
    assert code == 0
    out = capsysbinary.readouterr().out.decode()
    assert out.endswith("\n")
    return out[:-1]


def _environment(monkeypatch: pytest.MonkeyPatch, shell: str, words: list[str], repo: Path | None) -> None:
    monkeypatch.setenv(COMPLETE_VAR, f"{shell}_complete")
    if repo is None:
        monkeypatch.delenv("CASEFILE_REPO", raising=False)
    else:
        monkeypatch.setenv("CASEFILE_REPO", str(repo))
    if shell == "fish":
        monkeypatch.setenv("COMP_WORDS", " ".join(["casefile", *words]))
        monkeypatch.setenv("COMP_CWORD", words[-1])
    else:
        monkeypatch.setenv("COMP_WORDS", " ".join(["casefile", *words]))
        monkeypatch.setenv("COMP_CWORD", str(len(words)))


# (words typed, the last one being completed; what kind of answer it is) — the fast path answers all of these
def _cases(desk: Path, case: str) -> list[tuple[list[str], str]]:
    number = str(int(case.split("-")[1]))
    station = case.split("-")[0]
    return [
        (["show", ""], "case"), (["show", number], "case"), (["show", f"{station.lower()}-0"], "case"),
        (["show", "ZZZ"], "none"), (["history", case[:-1]], "case"), (["link", case, "--duplicate-of", ""], "case"),
        (["assign", case, ""], "handle"), (["assign", case, "li"], "handle"), (["list", "--as", "zh"], "handle"),
        (["list", "--customer", ""], "customer"), (["list", "--customer=a"], "customer"),
        (["customer", "show", ""], "customer"), (["customer", "show", "sz"], "customer"),
        (["list", "--level", ""], "level"), (["list", "-l", "b"], "level"), (["list", "--level", "="], "level"),
        (["kb", "show", ""], "article"), (["kb", "show", "pr"], "article"),
        (["list", "--status", ""], "choice"), (["list", "--status", "p"], "choice"),
        (["report", ""], "choice"), (["report", "s"], "choice"), (["--color", ""], "choice"),
        (["--colour=a"], "choice"), (["completion", "z"], "choice"),
        (["--repo", str(desk), "show", ""], "case"), (["show", "--repo", str(desk), "--json", ""], "case"),
        (["--repo", "/nonexistent", "show", "--repo", str(desk), ""], "case"),
        (["report", "sla", "-o", ""], "path"), (["attach", case, ""], "path"), (["attach", case, "a.pdf", "sc"], "path"),
        (["note", case, "-m", ""], "text"), (["open", "Prin"], "text"), (["open", "Printer", "--caller-name", "Zh"], "text"), (["show", case, ""], "text"),
        (["show", "'KMT-0"], "case"),
    ]


STATIC = [["li"], [""], ["show", "-"], ["show", "--j"], ["show", "--json", "--"], ["kb", ""], ["kb", "s"],
          ["list", "--all", "--"], ["--repo", "x", "s"], ["-"], ["list", "--level", "-"], ["list", "-l", "A", "-s", "open", "-"],
          ["rfc", "review", "X", "--approve", "--"]]
LEFT_TO_CLICK = [["lsit", ""], ["show", "--", ""], ["show", "-xyz", ""]]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_fast_path_answers_every_dynamic_kind_as_click_does(
    shell: str, desk: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    root, case = desk
    other = root.parent / "elsewhere"
    other.mkdir(exist_ok=True)
    kinds_answered: set[str] = set()
    for words, kind in _cases(root, case):
        repo = None if "--repo" in words else root
        monkeypatch.chdir(other if repo is None else root.parent)
        _environment(monkeypatch, shell, words, repo)
        fast = quickcomplete.answer(os.environ)
        expected = _click_answer(capsysbinary, f"{shell}_complete")
        assert fast is not None, words
        assert fast == expected, words
        if expected:
            kinds_answered.add(kind)
        if kind in ("text", "none"):
            assert expected == "", words
    # none of the comparisons is of two empty answers only: each kind gave candidates
    assert kinds_answered == {"case", "handle", "customer", "level", "article", "choice", "path"}


def test_what_the_candidates_are(desk: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, case = desk
    monkeypatch.chdir(root)

    def values(*words: str) -> list[str]:
        _environment(monkeypatch, "bash", list(words), root)
        said = quickcomplete.answer(os.environ)
        assert said is not None
        return [line.split(",", 1)[1] for line in said.splitlines()]

    opened = values("show", "")
    assert opened[0] != case and case in opened  # open cases before the resolved one
    assert values("kb", "show", "") == ["printer-e04", "vpn-drops"]
    assert values("list", "--level", "b") == ["B"]
    assert values("list", "--status", "p") == ["pending"]
    assert values("report", "sla", "-o", "out/") == ["out/"]
    assert values("note", case, "-m", "") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_static_words_are_the_same_with_their_help(
    shell: str, language: str, desk: tuple[Path, str], monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Subcommands and option names, with the help zsh and fish show (in whatever language click's own
    completion gives it), and what the fast path leaves to click."""
    root, _case = desk
    monkeypatch.chdir(root)
    monkeypatch.setenv("CASEFILE_LANG", language)
    for words in STATIC + LEFT_TO_CLICK:
        _environment(monkeypatch, shell, words, root)
        fast = quickcomplete.answer(os.environ)
        expected = _click_answer(capsysbinary, f"{shell}_complete")
        if words in LEFT_TO_CLICK:
            assert fast is None, words
        else:
            assert fast == expected, words
            assert expected, words


RECORDER = """
import atexit, json, runpy, sys
out = sys.argv[1]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["casefile"]
runpy.run_module("casefile", run_name="__main__", alter_sys=True)
"""


def test_the_command_answers_a_tab_without_click_or_the_commands(desk: tuple[Path, str], tmp_path: Path) -> None:
    root, case = desk
    record = tmp_path / "modules.json"
    env = {**os.environ, COMPLETE_VAR: "bash_complete", "COMP_WORDS": f"casefile assign {case} li.",
           "COMP_CWORD": "3", "CASEFILE_REPO": str(root)}
    done = subprocess.run([sys.executable, "-c", RECORDER, str(record)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "plain,li.na\n"
    modules = set(json.loads(record.read_text()))
    assert "casefile.repo.quickcomplete" in modules
    assert not {m for m in modules if m.split(".")[0] in ("click", "ruamel", "git", "jinja2")}
    assert not {m for m in modules if m.startswith(("casefile.cli", "casefile.policy", "casefile.desk"))}
    # what the fast path leaves to click (here a mistyped command), click answers in the same process
    env.update({"COMP_WORDS": "casefile lsit ", "COMP_CWORD": "2"})
    done = subprocess.run([sys.executable, "-c", RECORDER, str(record)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "click" in set(json.loads(record.read_text()))


def test_the_scripts_come_from_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(COMPLETE_VAR, "bash_source")
    assert quickcomplete.answer(os.environ) is None
