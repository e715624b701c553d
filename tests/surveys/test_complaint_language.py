"""A complaint opened from a survey's answers is described in the reader's language (issue 18): casefile's lines
are kept without words (`described`: text_key/text_values, `cases.description`), so a zh desk's complaint reads
in English to an English reader and in Chinese to a Chinese one; what people wrote stays as written, and an
older complaint whose description is its body reads as it was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from clihelp import CLI, git

ANSWER = ("--rate", "attitude=较满意", "--rate", "quality=较满意", "--rate", "technical=较满意",
          "--rate", "speed=不满意", "--opinions", "Nobody called back.")
LATER = "2026-11-03T11:00:00+08:00"


def _complaint(cli: CLI) -> tuple[str, str]:
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei",
                    now="2026-11-02T09:00:00+08:00")
    cli("resolve", case, "-m", "Replaced the fuser unit.", now="2026-11-02T10:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-02T11:00:00+08:00")
    complaint = cli("survey", "record", case, *ANSWER, now="2026-11-03T10:00:00+08:00").out.splitlines()[1].split()[2]
    return case, complaint


def test_the_complaints_description_reads_in_each_readers_language(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEFILE_LANG")  # the demo desk is a zh desk: the complaint is opened by it
    case, complaint = _complaint(cli)
    zh = cli("show", complaint, now=LATER).out
    english = CLI(cli.repo, env={"CASEFILE_LANG": "en"})("show", complaint, now=LATER).out
    assert f"  满意度调查 SV-{case}（关于 {case}）的回答：" in zh and "  意见和建议：" in zh
    assert f"  所涉案件：{case} — Printer offline on 3F" in zh
    assert f"  Survey SV-{case} about {case} was answered with: " in english
    assert "  Opinions and suggestions:" in english and f"  The case: {case} — Printer offline on 3F" in english
    assert "  Nobody called back." in zh and "  Nobody called back." in english  # the customer's words, as written
    assert "满意度调查" not in english.split("\nDescription\n")[1]  # the title is the desk's words, kept as written
    path = next((cli.repo / "cases").rglob(f"{complaint}.md"))
    text = path.read_text(encoding="utf-8")
    assert "text_key: 'Survey {survey} about {case} was answered with: {answers}.'" in text
    assert text.endswith("---\n")  # no words in the body: it is a person's, and nobody wrote one yet
    assert cli("validate").out == ""
    assert [hit["id"] for hit in cli("search", "Opinions", "--json", now=LATER).json] == [complaint]


def test_an_older_complaint_with_its_description_in_the_body_reads_as_written(cli: CLI) -> None:
    case, complaint = _complaint(cli)
    path = next((cli.repo / "cases").rglob(f"{complaint}.md"))
    head = path.read_text(encoding="utf-8").split("described:")[0]
    events = path.read_text(encoding="utf-8").split("\nlinks:", 1)[1]
    path.write_text(head + "links:" + events + "满意度调查 SV-X 的回答：响应速度不满意。\n", encoding="utf-8")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qam",
        "as casefile wrote it before issue 18")
    shown = cli("show", complaint, "--json", now=LATER).json
    assert "described" not in shown and shown["description"] == "满意度调查 SV-X 的回答：响应速度不满意。"
    assert "  满意度调查 SV-X 的回答：响应速度不满意。" in cli("show", complaint, now=LATER).out
    assert cli("validate").out == ""


def test_a_hand_broken_description_is_a_validate_problem(cli: CLI) -> None:
    case, complaint = _complaint(cli)
    path = next((cli.repo / "cases").rglob(f"{complaint}.md"))
    text = path.read_text(encoding="utf-8")
    start = text.index("described:")
    end = text.index("\nlinks:")
    path.write_text(text[:start] + "described: one line" + text[end:], encoding="utf-8")
    said = cli("validate", expect=5).out
    assert "described must be a list of lines (text_key and text_values, or text)" in said
    listed = cli("list", "--all", now=LATER)
    assert case in listed.out and complaint in listed.err  # one bad record never stops the others being listed
