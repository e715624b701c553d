"""The merge driver speaks the desk's language: git runs it in the working tree, where it reads `desk.language`
from policy.yaml (or CASEFILE_LANG) like any command.  What it writes into a record's activity log is kept
without words (the message and what was settled, in each language), so each reader reads the `merged` event in
theirs; the marks it writes into a body are words once, in the desk's language."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from casefile import i18n
from casefile.git.history import merge_texts
from casefile.i18n import stored_text
from casefile.merge.body import MARKER_SIZE
from casefile.merge.record import merge_record
from clihelp import CLI
from teamhelp import clone, share

DAY = "2026-11-03T{}:00+08:00"
MERGE_TEXT = partial(merge_texts, labels=("ours", "base", "theirs"), marker_size=MARKER_SIZE)
RECORD = """\
---
id: KMT-00417
title: Printer on 3F prints nothing
type: incident
level: C
status: open
opened_at: 2026-11-19T08:45:00+08:00
events:
  - at: 2026-11-19T08:45:00+08:00
    by: wang.fang
    kind: opened
    text: Opened via phone
---
Line one.

HP M607 shows E-04 since 08:30.
"""


def test_a_merged_change_reads_in_each_readers_language(cli: CLI, bare_remote: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEFILE_LANG")  # the demo desk says desk.language: zh
    case = cli.open("ERP slow in the afternoon", "C", now=DAY.format("09:00"))
    share(cli, bare_remote)
    a, b = clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhou.min")
    a("change", case, "--category", "software/erp", now=DAY.format("10:30"))
    b("change", case, "--category", "network/wan", now=DAY.format("10:15"))
    a("sync", now=DAY.format("11:00"))
    b("sync", now=DAY.format("11:05"))
    merged = [e for e in b("show", case, "--json").json["events"] if e["kind"] == "merged"]
    assert len(merged) == 1 and "text" not in merged[0]
    assert merged[0]["text_key"] == "Merged changes made on two clones at once: {changes}."
    assert stored_text(merged[0], "zh") == (
        "已合并在两个副本上同时做的修改：保留 category 'software/erp'（而不是 'network/wan'）："
        "修改较晚（2026-11-03T10:30:00+08:00，另一方 2026-11-03T10:15:00+08:00）。")
    assert stored_text(merged[0], "en") == (
        "Merged changes made on two clones at once: kept category 'software/erp' (not 'network/wan'): "
        "changed later (2026-11-03T10:30:00+08:00 against 2026-11-03T10:15:00+08:00).")
    assert "已合并在两个副本上同时做的修改" in b("show", case).out
    english = CLI(b.repo, actor="zhou.min", env={"CASEFILE_LANG": "en"})("show", case).out
    assert "Merged changes made on two clones at once" in english and "已合并" not in english
    assert b("validate").out == ""


def _driver(desk: Path, files: dict[str, str], lang: str | None) -> subprocess.CompletedProcess[str]:
    for name, text in files.items():
        (desk / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CASEFILE_LANG"}
    if lang:
        env["CASEFILE_LANG"] = lang
    # as git runs it: in the working tree, with the three versions and the record's path
    return subprocess.run([sys.executable, "-m", "casefile", "merge-driver", "base.tmp", "ours.tmp", "theirs.tmp",
                           "cases/2026/11/KMT-00417.md"], cwd=desk, env=env, capture_output=True, text=True)


@pytest.mark.parametrize(("lang", "said"), [
    (None, "cases/2026/11/KMT-00417.md：双方各自独立创建了这条记录，首个事件不同；保留为冲突"),
    ("en", "cases/2026/11/KMT-00417.md: both sides created this record independently, with different first "
           "events; left in conflict"),
])
def test_the_driver_says_in_the_desks_language_what_it_left_in_conflict(desk_path: Path, lang: str | None,
                                                                        said: str) -> None:
    other = RECORD.replace("by: wang.fang", "by: li.na")
    done = _driver(desk_path, {"base.tmp": "", "ours.tmp": RECORD, "theirs.tmp": other}, lang)
    assert done.returncode == 1
    assert done.stderr == f"casefile: {said}\n"


@pytest.mark.parametrize(("lang", "said"), [
    (None, "casefile: 已合并 cases/2026/11/KMT-00417.md：按合并规则处理了 1 处差异（见其 merged 事件）\n"),
    ("en", "casefile: merged cases/2026/11/KMT-00417.md: settled 1 difference(s) by the merge rules "
           "(see its 'merged' event)\n"),
])
def test_the_driver_says_what_it_settled_in_the_desks_language(desk_path: Path, lang: str | None, said: str) -> None:
    ours = RECORD.replace("Line one.", "Line one, edited here.").replace("since 08:30.", "since 08:30 (ours).")
    theirs = RECORD.replace("since 08:30.", "since 08:25 (theirs).")
    done = _driver(desk_path, {"base.tmp": RECORD, "ours.tmp": ours, "theirs.tmp": theirs}, lang)
    assert done.returncode == 0 and done.stderr == said
    body = (desk_path / "ours.tmp").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    if lang is None:
        assert "> **casefile 合并：** 这一段在两个副本上同时被修改" in body and "> **版本 A（本分支）：**" in body
    else:
        assert "> **casefile merge:** this passage was changed" in body and "> **Version A (this branch):**" in body


def test_a_record_without_activity_log_gets_the_note_in_the_desks_language() -> None:
    base = "---\nid: acme-sz\nname: ACME Shenzhen\nlevel: gold\n---\nNotes.\n"
    ours, theirs = base.replace("gold", "silver"), base.replace("gold", "bronze")
    with i18n.speaking("zh"):
        zh = merge_record(base, ours, theirs, "customers/acme-sz.md", MERGE_TEXT).text
    en = merge_record(base, ours, theirs, "customers/acme-sz.md", MERGE_TEXT).text
    assert zh.endswith("> **casefile 合并：** 已合并在两个副本上同时做的修改：保留 level 'bronze'（而不是 'silver'）："
                       "没有更晚的修改能区分两者，所以采用合并进来的版本。\n")
    assert en.endswith("> **casefile merge:** Merged changes made on two clones at once: kept level 'bronze' "
                       "(not 'silver'): no later change tells them apart, so the version merged in wins.\n")
