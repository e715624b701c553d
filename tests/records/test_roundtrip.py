"""Round-trip fidelity (issue 2, acceptance 3): untouched records are byte-identical;
a one-field change is a one-line diff; hand-written comments and fields survive."""

from __future__ import annotations

import shutil
from pathlib import Path

from casefile.records.file import EditableRecord, read_plain
from clihelp import CLI, GOLDEN_DIR, git

GOLDEN = GOLDEN_DIR / "handwritten-case.md"
CASE = "BCD-00007"
PATH = f"cases/2026/11/{CASE}.md"


def _commit_by_hand(cli: CLI) -> Path:
    target = cli.repo / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(GOLDEN, target)
    git(cli.repo, "add", PATH)
    git(cli.repo, "-c", "user.name=Chen Jie", "-c", "user.email=chen.jie@jinqiao-it.example",
        "commit", "-q", "-m", "Case written by hand")
    return target


def test_load_and_save_untouched_is_byte_identical() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    assert EditableRecord.parse(text, PATH).render() == text


def test_values_keep_their_type() -> None:
    data, _body = read_plain(GOLDEN.read_text(encoding="utf-8"), PATH)
    assert data["caller"]["phone"] == "07558600123"
    assert data["after_hours"] == "no"
    assert data["lunch_break"] == "12:30"
    assert data["opened_at"] == "2026-11-02T09:00:00+08:00"  # text, parsed by casefile, not by YAML
    assert data["billing"] == {"po": "PO-77", "approved": True}


def test_new_values_that_look_like_other_types_are_quoted() -> None:
    record = EditableRecord.parse(GOLDEN.read_text(encoding="utf-8"), PATH)
    record.data["site_contact"] = "0755"
    record.data["after_hours"] = "off"
    text = record.render()
    assert "site_contact: '0755'\n" in text
    assert "after_hours: 'off'\n" in text
    again, _ = read_plain(text, PATH)
    assert again["site_contact"] == "0755" and again["after_hours"] == "off"


def test_one_field_change_is_one_line_of_diff_and_comments_survive(cli: CLI) -> None:
    target = _commit_by_hand(cli)
    cli("change", CASE, "--category", "hardware/scanner/feeder", actor="chen.jie", now="2026-11-02T09:30:00+08:00")
    diff = git(cli.repo, "diff", "-U0", "HEAD~1", "HEAD", "--", PATH).splitlines()
    removed = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    assert removed == ["-category: hardware/scanner"]
    assert added[0] == "+category: hardware/scanner/feeder"
    # the rest is the activity event appended at the end of the log
    assert added[1:] == [
        "+  - at: 2026-11-02T09:30:00+08:00",
        "+    by: chen.jie",
        "+    kind: changed",
        "+    fields:",
        "+      category:",
        "+        from: hardware/scanner",
        "+        to: hardware/scanner/feeder",
    ]
    text = target.read_text(encoding="utf-8")
    for kept in ("# Written by hand by Chen Jie", "# quoted on purpose", "# leading zero: must stay text",
                 "# Fields the desk added by hand", "billing: {po: 'PO-77', approved: true}",
                 "after_hours: no", "lunch_break: 12:30", "中文说明：进纸轮可能磨损"):
        assert kept in text


def test_hand_fields_survive_every_command(cli: CLI) -> None:
    target = _commit_by_hand(cli)
    for args in (("assign", CASE, "li.na"), ("respond", CASE, "-m", "On it."),
                 ("note", CASE, "-k", "call", "-m", "Called."), ("pend", CASE, "--reason", "Part"),
                 ("resume", CASE), ("resolve", CASE, "-m", "Rollers replaced."),
                 ("close", CASE, "--confirmed-by", "张伟"), ("reopen", CASE, "--reason", "Jams again")):
        cli(*args, now="2026-11-02T10:00:00+08:00")
        text = target.read_text(encoding="utf-8")
        assert "# Written by hand by Chen Jie" in text
        assert "site_contact: Liu Min" in text and "billing: {po: 'PO-77', approved: true}" in text
        assert "phone: '07558600123'      # leading zero: must stay text" in text


def test_a_file_in_another_indentation_style_keeps_it(tmp_path: Path) -> None:
    flush = GOLDEN.read_text(encoding="utf-8").replace("\n  - at:", "\n- at:").replace("\n    by:", "\n  by:") \
        .replace("\n    kind:", "\n  kind:").replace("\n    text: |\n      ", "\n  text: |\n    ") \
        .replace("\n      Model", "\n    Model")
    assert "\n- at: 2026-11-02T09:00:00+08:00\n  by: chen.jie\n" in flush
    record = EditableRecord.parse(flush, PATH)
    assert record.render() == flush
    record.data["category"] = "hardware/scanner/feeder"
    changed = record.render().splitlines()
    assert [a for a, b in zip(flush.splitlines(), changed) if a != b] == ["category: hardware/scanner"]
    from casefile.cases.model import CaseDoc

    CaseDoc(record.data).add_event("2026-11-02T09:30:00+08:00", "chen.jie", "call", "Called back.")
    assert "\n- at: 2026-11-02T09:30:00+08:00\n  by: chen.jie\n  kind: call\n" in record.render()
