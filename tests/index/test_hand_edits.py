"""One hand-edited record never stops the desk (issue 13, acceptance 3).

Each test takes the demo day's desk (cases, surveys, inspections, customers), changes one value of one
record the way a careless editor would — a list where a time belongs, `events: just a string`, a mapping
for an id — commits it without the hook, and runs the reading commands: none may raise, every error is
one line, the broken record is named with its path, and every other case is still listed and checked.
The fixed list is the 39 single-field type errors of the issue; the property test (hypothesis) draws any
value at any place of any record.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clihelp import CLI, Result
from teamhelp import COMMIT_AS

NOW = "2026-11-20T10:00:00+08:00"
DELETE = object()


def _case(root: Path, n: int) -> str:
    return sorted((root / "cases").rglob(f"*-{n:05d}.md"))[0].relative_to(root).as_posix()


def _survey(root: Path) -> str:
    return sorted((root / "surveys").rglob("SV-*-00003.md"))[0].relative_to(root).as_posix()


INSPECTION = "inspections/2026/acme-sz-2026-Q4.md"
CUSTOMER = "customers/acme-sz.md"

# (record, place, value): 39 single-field type errors, as people make them.
CASE_MUTATIONS: list[tuple[tuple[Any, ...], Any]] = [
    (("id",), 42), (("id",), None), (("title",), ["Printer", "offline"]), (("title",), {"en": "Printer"}),
    (("type",), 7), (("level",), ["C"]), (("level",), {"a": 1}), (("status",), 3), (("status",), ["open"]),
    (("channel",), {"phone": True}), (("category",), ["network", "vpn"]), (("customer",), 123),
    (("caller",), "Liu Min"), (("caller", "name"), ["Liu", "Min"]), (("caller", "email"), 5),
    (("assignee",), {"name": "zhao.lei"}), (("tier",), 2), (("opened_at",), "yesterday"),
    (("opened_at",), 20261119), (("responded_at",), ["09:41"]), (("resolved_at",), True),
    (("pauses",), "none"), (("pauses",), [1]), (("links",), "SV"), (("links", 0), "survey"),
    (("links", 0, "to"), 42), (("events",), "just a string"), (("events",), {}), (("events",), []),
    (("events", 0), "opened"), (("events", 0, "at"), "soon"), (("events", 0, "by"), 7),
    (("events", 0, "kind"), ["opened"]), (("events", 2, "fields"), "status"), (("events", 1, "text"), {"a": 1}),
    (("first_contact",), "yes"),
]
OTHER_MUTATIONS: list[tuple[str, tuple[Any, ...], Any]] = [
    ("survey", ("ratings",), "all good"), ("survey", ("questions",), 5), ("inspection", ("checklist",), "ok"),
]
assert len(CASE_MUTATIONS) + len(OTHER_MUTATIONS) == 39


def _set(data: Any, where: tuple[Any, ...], value: Any) -> None:
    for part in where[:-1]:
        data = data[part]
    if value is DELETE:
        del data[where[-1]]
    else:
        data[where[-1]] = value


def _edit(root: Path, rel: str, where: tuple[Any, ...], value: Any) -> None:
    from casefile.records.file import split
    from casefile.records.yamlio import dump, load_editable

    path = root / rel
    parts = split(path.read_text(encoding="utf-8"), rel)
    data = load_editable(parts.header, rel)
    _set(data, where, value)
    path.write_text("---\n" + dump(data) + "---\n" + parts.body, encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), *COMMIT_AS, "commit", "-q", "--no-verify", "--allow-empty", "-m", "hand"],
                   check=True)


def _one_line_errors(result: Result, args: tuple[str, ...]) -> None:
    assert "Traceback" not in result.err, (args, result.err)
    for line in result.err.splitlines():
        assert line.startswith(("casefile: ", "  ")), (args, result.err)


def _read_everything(cli: CLI, bad: str, case_ids: list[str], out: Path) -> None:
    """Every reading command; each survives, and every case but the edited one is listed and checked."""
    is_case = bad.startswith("cases/")
    bad_id = Path(bad).stem
    listed = cli("list", "--all", "--json", now=NOW)
    ids = {row["id"] for row in listed.json}
    assert ids >= {c for c in case_ids if c != bad_id}, listed.err
    _one_line_errors(listed, ("list",))
    text = cli("list", "--all", now=NOW)
    _one_line_errors(text, ("list",))
    checked = cli("check", "--json", "--dry-run", now=NOW, expect=None)
    assert checked.code in (0, 5), checked
    _one_line_errors(checked, ("check",))
    assert checked.json["evaluated"] >= len(case_ids) - (1 if is_case else 0) - 2  # closed cases have no clock
    validated = cli("validate", expect=None)
    _one_line_errors(validated, ("validate",))
    if validated.code:
        assert bad in validated.out + validated.err
    others = [c for c in case_ids if c != bad_id]
    for args in (
        ("show", others[0]), ("history", others[-1]), ("search", "printer"), ("survey", "list"),
        ("inspect", "list"), ("inspect", "due"), ("customer", "show", "acme-sz"), ("customer", "list"),
        ("report", "monthly", "--month", "2026-11"), ("report", "sla", "--month", "2026-11"),
        ("report", "surveys", "--month", "2026-11"), ("report", "inspections", "--month", "2026-11"),
        ("export", "--customer", "acme-sz", "-o", str(out / "html")),
        ("export", "--customer", "acme-sz", "--format", "md", "-o", str(out / "md")),
        ("show", bad_id) if is_case else ("customer", "show", "sz-metro"),
        ("survey", "show", bad_id) if bad.startswith("surveys/") else ("survey", "list", "--json"),
        ("inspect", "show", bad_id) if bad.startswith("inspections/") else ("inspect", "list", "--json"),
        ("inspect", "report", bad_id) if bad.startswith("inspections/") else ("kb", "list"),
    ):
        result = cli(*args, now=NOW, expect=None)
        assert result.code in (0, 1, 3, 5), (args, str(result))
        _one_line_errors(result, args)


def _desk(demo: Path, target: Path) -> tuple[CLI, list[str]]:
    root = Path(shutil.copytree(demo, target, symlinks=True))
    ids = sorted(p.stem for p in (root / "cases").rglob("*.md"))
    return CLI(root, actor="wang.fang", now=NOW), ids


@pytest.mark.parametrize("mutation", range(39))
def test_each_single_field_type_error_leaves_the_rest_of_the_desk_working(
    demo_day: tuple[Path, list[str]], tmp_path: Path, mutation: int
) -> None:
    cli, ids = _desk(demo_day[0], tmp_path / "desk")
    if mutation < len(CASE_MUTATIONS):
        rel = _case(cli.repo, 3)
        where, value = CASE_MUTATIONS[mutation]
    else:
        kind, where, value = OTHER_MUTATIONS[mutation - len(CASE_MUTATIONS)]
        rel = _survey(cli.repo) if kind == "survey" else INSPECTION
    _edit(cli.repo, rel, where, value)
    _read_everything(cli, rel, ids, tmp_path)
    validated = cli("validate", expect=5)  # each of these is a type error validate names, with its line
    assert validated.out.startswith(f"{rel}:"), validated.out


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:3]):
            found += _paths(value, (*prefix, index))
    return found


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=True) | _TEXT
    | st.sampled_from(["2026-11-19T09:30:00+08:00", "2026-02-30", "open", "C", "PRR-00001", "~", "0x1F", "1e400"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.data())
def test_any_value_anywhere_in_any_record_never_breaks_the_reading_commands(
    demo_day: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    from casefile.records.file import read_plain

    cli, ids = _desk(demo_day[0], tmp_path_factory.mktemp("fuzz") / "desk")
    rel = data.draw(st.sampled_from([_case(cli.repo, n) for n in (1, 3, 4, 6)] + [_survey(cli.repo), INSPECTION,
                                                                                     CUSTOMER]), label="record")
    record, _body = read_plain((cli.repo / rel).read_text(encoding="utf-8"), rel)
    where = data.draw(st.sampled_from(_paths(record)), label="place")
    value = data.draw(_VALUES | st.just(DELETE), label="value")
    _edit(cli.repo, rel, where, value)
    _read_everything(cli, rel, ids, cli.repo.parent)
