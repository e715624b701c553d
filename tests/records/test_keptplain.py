"""A hand-written file's YAML, kept by its text (issue 17): the same value as reading it, every type
exact, never an old value for a new text or another reader, never a kept mistake."""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any

import pytest

from casefile.records import keptplain
from casefile.records.keptplain import load_kept
from casefile.records.yamlio import RecordError, load_plain, reader_stamp

from clihelp import CLI

# Comments send it to ruamel, as policy.yaml and people.yaml go; every plain type, integer keys among them.
TEXT = """\
# the desk's survey scale
desk: {name: 深圳服务台, timezone: Asia/Shanghai}
scale:
  1: 很不满意      # integer keys stay integers
  5: 非常满意
flags: [true, false, null, 0, 1]
weights: [0.1, 2.5e-3, -0.0]
levels:
  A:
    name: 重大
    targets: {respond: 15m, restore: 4h}
"""


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {(type(k).__name__, k): _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__, repr(value)


def _entry(value: Any) -> bytes:
    """An entry as `load_kept` writes one: the SHA-1 of the marshal, then the marshal."""
    data = marshal.dumps(value)
    return hashlib.sha1(data).digest() + data


def _entries(state: Path) -> list[Path]:
    folder = state / keptplain.FOLDER
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def test_a_kept_value_is_the_value_read_every_type_exact(tmp_path: Path) -> None:
    read = load_plain(TEXT, "policy.yaml")
    first = load_kept(TEXT, "policy.yaml", tmp_path)
    [entry] = _entries(tmp_path)
    second = load_kept(TEXT, "policy.yaml", tmp_path)
    assert first == second == read
    assert _types(second) == _types(read)  # 1 is not "1", True is not 1, -0.0 keeps its sign
    stamp = reader_stamp()
    assert stamp is not None and entry.name.endswith(stamp)


def test_the_second_read_comes_from_the_entry(tmp_path: Path) -> None:
    """The check above could pass by reading the text twice: an entry changed behind its back shows it is read."""
    load_kept(TEXT, "policy.yaml", tmp_path)
    [entry] = _entries(tmp_path)
    entry.write_bytes(_entry({"kept": True}))
    assert load_kept(TEXT, "policy.yaml", tmp_path) == {"kept": True}


def test_another_text_or_another_reader_never_meets_an_old_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_kept(TEXT, "policy.yaml", tmp_path)
    [entry] = _entries(tmp_path)
    entry.write_bytes(_entry({"old": True}))
    edited = TEXT.replace("重大", "特别重大")
    assert load_kept(edited, "policy.yaml", tmp_path)["levels"]["A"]["name"] == "特别重大"
    monkeypatch.setattr(keptplain, "reader_stamp", lambda: "another-reader")
    assert load_kept(TEXT, "policy.yaml", tmp_path) == load_plain(TEXT, "policy.yaml")
    assert len(_entries(tmp_path)) == 3


def test_a_reader_that_cannot_say_what_it_is_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a zip or a frozen build, the reader's files have no time of change: nothing is kept."""
    monkeypatch.setattr(keptplain, "reader_stamp", lambda: None)
    assert load_kept(TEXT, "policy.yaml", tmp_path) == load_plain(TEXT, "policy.yaml")
    assert _entries(tmp_path) == []


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "flipped", "bare marshal"])
def test_a_damaged_entry_is_read_again_and_written_anew(tmp_path: Path, damage: str) -> None:
    load_kept(TEXT, "policy.yaml", tmp_path)
    [entry] = _entries(tmp_path)
    kept = entry.read_bytes()
    index = kept.index("重大".encode())  # a byte inside a text: still a valid marshal once flipped
    entry.write_bytes({"empty": b"", "garbage": b"\x00garbage" * 3, "truncated": kept[:-3],
                       "flipped": kept[:index] + bytes([kept[index] ^ 1]) + kept[index + 1:],
                       "bare marshal": marshal.dumps({"a": 1})}[damage])
    assert load_kept(TEXT, "policy.yaml", tmp_path) == load_plain(TEXT, "policy.yaml")
    written = entry.read_bytes()  # written anew (marshal's bytes vary with sharing: compare what it holds)
    assert written[:20] == hashlib.sha1(written[20:]).digest()
    assert marshal.loads(written[20:]) == load_plain(TEXT, "policy.yaml")


def test_a_text_with_a_problem_is_never_kept(tmp_path: Path) -> None:
    broken = TEXT + "levels: {}\n"  # a duplicate key
    for _ in range(2):
        with pytest.raises(RecordError) as refused:
            load_kept(broken, "policy.yaml", tmp_path)
        assert refused.value.source == "policy.yaml" and "levels" in refused.value.problem
    assert _entries(tmp_path) == []


def test_a_state_folder_that_cannot_be_written_reads_the_text(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the state folder would be")
    assert load_kept(TEXT, "policy.yaml", blocked) == load_plain(TEXT, "policy.yaml")
    assert load_kept(TEXT, "policy.yaml", None) == load_plain(TEXT, "policy.yaml")
    assert blocked.read_text() == "a file where the state folder would be"


def test_the_entries_kept_are_bounded(tmp_path: Path) -> None:
    for n in range(keptplain.KEEP + 5):
        load_kept(TEXT + f"version: {n}\n", "policy.yaml", tmp_path)
    assert len(_entries(tmp_path)) == keptplain.KEEP
    assert load_kept(TEXT + "version: 3\n", "policy.yaml", tmp_path)["version"] == 3


def test_a_policy_edit_is_seen_by_the_next_command(cli: CLI) -> None:
    """Through the CLI: the policy is kept in the clone's state folder, and an edit of it is read anew."""
    case = cli.open("Printer offline at ACME Shenzhen, 3F", "C")
    assert "level C (general)" in cli("show", case).out
    state = cli.repo / ".git" / "casefile"
    assert len(_entries(state)) >= 1
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("name: general", "name: general fault", 1),
                      encoding="utf-8")
    assert "level C (general fault)" in cli("show", case).out
