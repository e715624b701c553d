"""Standard phrases (服务台标准用语): `note|reply --phrase`, `casefile phrase list|show`, replies/*.md."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from casefile.cases.phrases import Phrase, fill
from casefile.errors import CasefileError
from clihelp import CLI, commit_count, git

NOW = "2026-11-02T11:00:00+08:00"


@pytest.fixture
def case(cli: CLI) -> str:
    return cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei",
                    "--caller-email", "zhang.wei@acme.example", "--assign", "li.na", now="2026-11-02T09:10:00+08:00")


def commit_all(cli: CLI, message: str, *options: str) -> None:
    git(cli.repo, "add", "-A")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qm", message,
        *options)


def test_note_phrase_fills_placeholders_in_the_desks_language(cli: CLI, case: str) -> None:
    before = commit_count(cli.repo)
    cli("note", case, "-k", "call", "--phrase", "chase-2", now=NOW)
    assert commit_count(cli.repo) == before + 1
    event = cli("show", case, "--json", now=NOW).json["events"][-1]
    assert event["kind"] == "call" and event["visibility"] == "internal"
    # the desk's language is zh (policy.yaml desk.language); li.na is 李娜 in people.yaml
    assert event["text"] == f"Zhang Wei您好，{case} 我已派工，工程师Li Na 李娜正在处理，请稍等。"


def test_chase_3_names_the_next_deadline_and_m_adds_after_the_phrase(cli: CLI, case: str) -> None:
    cli("note", case, "--phrase", "chase-3", "-m", "Toner is on its way.", now=NOW)
    text = cli("show", case, "--json", now=NOW).json["events"][-1]["text"]
    due = cli("list", "--json", now=NOW).json[0]["sla"]["next_due_at"]  # the next running clock's deadline
    assert f"会在 {due[:10]} {due[11:16]} 之前给您答复" in text and text.endswith("\n\nToner is on its way.")


def test_a_reply_is_in_the_customers_language(cli: CLI, case: str) -> None:
    cli("reply", case, "--phrase", "dispatch", now=NOW)
    assert cli("show", case, "--json", now=NOW).json["events"][-1]["text"].startswith("Zhang Wei您好！")
    path = cli.repo / "customers" / "acme-sz.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: ACME Shenzhen\n", "name: ACME Shenzhen\nlang: en\n", 1), encoding="utf-8")
    commit_all(cli, "acme-sz reads English")
    cli("reply", case, "--phrase", "dispatch", now="2026-11-02T11:05:00+08:00")
    event = cli("show", case, "--json", now=NOW).json["events"][-1]
    assert event["visibility"] == "customer"
    assert event["text"] == (f"Hello Zhang Wei, {case} has been dispatched: our engineer Li Na 李娜 will contact "
                             "you shortly. Is there anything else I can help you with?")
    cli("note", case, "--phrase", "dispatch", now="2026-11-02T11:06:00+08:00")  # a note stays in the desk's
    assert cli("show", case, "--json", now=NOW).json["events"][-1]["text"].startswith("Zhang Wei您好！")


def test_unknown_phrases_and_missing_values_are_one_line_errors(cli: CLI, case: str) -> None:
    before = commit_count(cli.repo)
    unknown = cli("note", case, "--phrase", "chase-9", now=NOW, expect=3)
    assert unknown.err.count("\n") == 1 and "no phrase 'chase-9'" in unknown.err and "chase-2, chase-3" in unknown.err
    nobody = cli.open("VPN drops", "C", now=NOW)
    missing = cli("reply", nobody, "--phrase", "chase-2", now=NOW, expect=1)
    assert "needs {caller}" in missing.err and missing.err.count("\n") == 1
    assert "needs {engineer}" not in missing.err
    assert cli("note", case, now=NOW, expect=1).err.startswith("casefile: the note is empty")
    assert commit_count(cli.repo) == before + 1  # only the case opened


def test_the_desks_replies_override_and_add(cli: CLI, case: str) -> None:
    replies = cli.repo / "replies"
    replies.mkdir()
    (replies / "chase-2.zh.md").write_text("---\ntitle: 第二次催促（本台用语）\n---\n{caller}您好，{engineer}已在路上。\n",
                                           encoding="utf-8")
    (replies / "toner.md").write_text("{{note}} Toner for {case} ordered.\n", encoding="utf-8")
    commit_all(cli, "our phrases")
    rows = {r["name"]: r for r in cli("phrase", "list", "--json").json}
    assert rows["chase-2"]["langs"]["zh"]["source"] == "replies/chase-2.zh.md"
    assert rows["chase-2"]["langs"]["en"]["source"] == "package"
    assert rows["toner"]["placeholders"] == ["case"] and set(rows["toner"]["langs"]) == {"zh", "en"}
    assert cli("phrase", "show", "chase-2", "--case", case).out.strip() == "Zhang Wei您好，Li Na 李娜已在路上。"
    assert cli("phrase", "show", "toner", "--case", case).out.strip() == f"{{note}} Toner for {case} ordered."
    shown = cli("phrase", "show", "chase-2", "--lang", "en", "--json").json
    assert shown["source"] == "package" and shown["placeholders"] == ["caller", "case", "engineer"]


def test_a_phrase_cannot_reach_attributes(cli: CLI, case: str) -> None:
    replies = cli.repo / "replies"
    replies.mkdir()
    (replies / "sneaky.md").write_text("{case.__class__.__init__.__globals__}\n", encoding="utf-8")
    commit_all(cli, "a sneaky phrase", "--no-verify")  # the hook refuses it; a clone without the hook has it
    refused = cli("note", case, "--phrase", "sneaky", now=NOW, expect=None)
    assert refused.code != 0 and "unknown placeholder {case.__class__" in refused.err
    assert "{caller}" in refused.err and "globals" not in refused.out
    phrase = Phrase("x", None, "{caller} {0} {case!r}", "", "package")
    with pytest.raises(CasefileError, match=r"unknown placeholder \{0\}"):
        fill(phrase, {"caller": "Zhang Wei", "case": "KMT-00001"})
    assert fill(Phrase("x", None, "{{case}} is {case}", "", "package"), {"case": "KMT-{0}"}) == "{case} is KMT-{0}"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_phrase_opens_in_the_editor(cli: CLI, case: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from casefile.cli import main

    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/请稍等。/十分钟内回电。/' \"$1\"\n", encoding="utf-8")
    editor.chmod(0o755)
    for key, value in {"CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": NOW, "CASEFILE_ACTOR": "wang.fang",
                       "EDITOR": str(editor), "VISUAL": str(editor)}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "stdin", _Terminal(""))
    out = _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["note", case, "--phrase", "chase-2"]) == 0
    monkeypatch.undo()
    text = cli("show", case, "--json", now=NOW).json["events"][-1]["text"]
    assert text == f"Zhang Wei您好，{case} 我已派工，工程师Li Na 李娜正在处理，十分钟内回电。"
    assert os.environ.get("EDITOR") != str(editor)


def test_validate_and_the_hook_check_phrases_and_views(cli: CLI, case: str) -> None:
    replies = cli.repo / "replies"
    replies.mkdir()
    (replies / "odd.fr.md").write_text("Bonjour {caller}\n", encoding="utf-8")
    (replies / "typo.md").write_text("您好，{calller}\n", encoding="utf-8")
    (replies / "fine.md").write_text("{caller}您好。\n", encoding="utf-8")
    (cli.repo / "views.yaml").write_text("broken:\n  where: level = Q\n", encoding="utf-8")
    found = {f["path"]: f["message"] for f in cli("validate", "--json", expect=5).json}
    assert "not one of zh, en" in found["replies/odd.fr.md"]
    assert "unknown placeholder {calller}" in found["replies/typo.md"]
    assert "view broken: level 'Q' is not one of A, B, C, D" in found["views.yaml"]
    assert "replies/fine.md" not in found
    listed = cli("phrase", "list", "--json")  # one bad file never hides the others
    assert "fine" in [r["name"] for r in listed.json] and "skipped replies/typo.md" in listed.err
    git(cli.repo, "add", "-A")
    hook = cli.process("validate", "--staged", expect=5)
    assert "replies/typo.md" in hook.err and "views.yaml" in hook.err
