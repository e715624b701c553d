"""`validate` (and the pre-commit hook, `validate --staged`) says what is wrong with a record in the desk's
language: the schema's messages come through the catalog, Chinese on a zh desk, English on an en desk."""

from __future__ import annotations

from pathlib import Path

import pytest

from clihelp import CLI, git

BROKEN = {"type: incident": "type: outage", "status: open": "status: finished",
          "opened_at: 2026": "opened_at: yesterday 2026"}
SAID = {
    "zh": ["type 'outage' 不在可选值中：complaint, consultation, incident, request",
           "status 'finished' 不在可选值中：closed, open, pending, resolved",
           "opened_at 'yesterday 2026-11-02T09:00:00+08:00' 不是带时区偏移的时间，例如 2026-11-22T09:14:00+08:00"],
    "en": ["type 'outage' is not one of: complaint, consultation, incident, request",
           "status 'finished' is not one of: closed, open, pending, resolved",
           "opened_at 'yesterday 2026-11-02T09:00:00+08:00' is not a time with its offset, like "
           "2026-11-22T09:14:00+08:00"],
}


def _broken(cli: CLI) -> str:
    case = cli.open("HP M607 on 3F shows E-04", "C")
    path = next((cli.repo / "cases").rglob(f"{case}.md"))
    text = path.read_text(encoding="utf-8")
    for old, new in BROKEN.items():
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path.relative_to(cli.repo).as_posix()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_speaks_the_desks_language(desk_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.delenv("CASEFILE_LANG")
    if lang == "en":  # the demo desk is a zh desk
        policy = desk_path / "policy.yaml"
        policy.write_text(policy.read_text(encoding="utf-8").replace("  language: zh", "  language: en"),
                          encoding="utf-8")
        git(desk_path, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit",
            "-qam", "desk.language: en")
    cli = CLI(desk_path, now="2026-11-02T09:00:00+08:00")
    rel = _broken(cli)
    lines = cli("validate", expect=5).out.strip().splitlines()
    assert all(line.startswith(f"{rel}:") for line in lines)
    assert [line.split(": ", 1)[1] for line in lines] == SAID[lang]  # each after its file and line
    git(desk_path, "add", rel)
    staged = cli("validate", "--staged", expect=5).err  # what the pre-commit hook runs (it says it on stderr)
    assert SAID[lang][1] in staged


def test_a_person_reads_a_zh_desks_problems_in_english_with_casefile_lang(desk_path: Path) -> None:
    cli = CLI(desk_path, now="2026-11-02T09:00:00+08:00", env={"CASEFILE_LANG": "en"})
    rel = _broken(cli)
    assert f"{rel}:4: {SAID['en'][0]}" in cli("validate", expect=5).out
