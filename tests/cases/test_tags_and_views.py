"""`casefile tag`, `list --tag`, `list --where` and saved views (`views.yaml`, `casefile views`)."""

from __future__ import annotations

import pytest

from clihelp import CLI, commit_count, git, is_clean

NOW = "2026-11-02T11:00:00+08:00"


@pytest.fixture
def cases(cli: CLI) -> list[str]:
    a = cli.open("Core switch down at Futian", "A", "--customer", "sz-metro", "--category", "network/switch",
                 "--assign", "li.na", now="2026-11-02T10:00:00+08:00")
    b = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--category", "hardware/printer",
                 now="2026-11-02T10:10:00+08:00")
    c = cli.open("VPN drops every hour", "C", "--customer", "acme-sz", "--assign", "ma.qiang",
                 now="2026-11-02T10:20:00+08:00")
    return [a, b, c]


def test_tag_is_one_commit_logged_as_an_event_and_kept_sorted(cli: CLI, cases: list[str]) -> None:
    a = cases[0]
    before = commit_count(cli.repo)
    assert cli("tag", a, "+vip", "network", "-printer", now=NOW).out.strip() == f"{a}: tag +vip +network"
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    assert "Casefile-Action: tag" in git(cli.repo, "log", "-1", "--format=%B")
    shown = cli("show", a, "--json", now=NOW).json
    assert shown["tags"] == ["network", "vip"]
    assert shown["events"][-1]["kind"] == "tagged" and shown["events"][-1]["fields"] == {"added": ["vip", "network"]}
    assert "  tags       network, vip" in cli("show", a, now=NOW).out.splitlines()
    cli("tag", a, "-network", now=NOW)
    shown = cli("show", a, "--json", now=NOW).json
    assert shown["tags"] == ["vip"] and shown["events"][-1]["fields"] == {"removed": ["network"]}
    cli("tag", a, "-vip", now=NOW)
    assert "tags" not in cli("show", a, "--json", now=NOW).json  # no empty key left behind
    assert cli("validate").code == 0


def test_tag_refusals_are_one_line_and_write_nothing(cli: CLI, cases: list[str]) -> None:
    a = cases[0]
    cli("tag", a, "+vip", now=NOW)
    before = commit_count(cli.repo)
    for args, says in (((a, "+vip"), "nothing to change"), ((a, "+VIP!"), "is not a tag"),
                       ((a, "+vip", "-vip"), "named twice"), (("KMT-09999", "+vip"), "no case")):
        result = cli("tag", *args, now=NOW, expect=None)
        assert result.code != 0 and says in result.err and result.err.count("\n") == 1, result
    assert commit_count(cli.repo) == before
    assert cli("tag", "--help").code == 0 and "-hardware" not in cli("tag", a, "+hardware", now=NOW).err


def test_list_by_tag_and_where(cli: CLI, cases: list[str]) -> None:
    a, b, c = cases
    cli("tag", a, "+vip", "+outage-1102", now=NOW)
    cli("tag", c, "+vip", now=NOW)
    ids = lambda *args: [r["id"] for r in cli("list", *args, "--json", now=NOW).json]  # noqa: E731
    assert ids("--tag", "vip") == [a, c] and ids("--tag", "vip", "--tag", "outage-1102") == [a]
    assert ids("--where", "level in (A,B) and customer = sz-metro and due < 2h") == [a]
    assert ids("--where", "assignee = none") == [b]
    assert ids("--where", "tag = vip and not assignee = li.na") == [c]
    assert ids("--where", "category ~ printer or title ~ vpn") == [b, c]
    assert ids("--where", "assignee = me", "--as", "ma.qiang") == [c]
    assert cli("list", "--json", now=NOW).json[0]["tags"] == ["outage-1102", "vip"]  # list --json carries them
    cli("resolve", b, "-m", "Cleared the queue.", now=NOW)
    cli("close", b, "--confirmed-by", "Zhang Wei", now=NOW)
    assert ids("--where", "customer = acme-sz") == [c]  # list's default: open and pending
    assert ids("--where", "customer = acme-sz and status = closed") == [b]  # unless the filter says
    bad = cli("list", "--where", "customer = acme-sz and", now=NOW, expect=1)
    assert bad.err.startswith("casefile: --where: expected a field, found the end at column 23")


def test_saved_views_packaged_and_from_views_yaml(cli: CLI, cases: list[str]) -> None:
    a, b, c = cases
    names = [v["name"] for v in cli("views", "--json").json]
    assert {"mine", "my-breaching", "unassigned", "breaching"} <= set(names)
    assert [r["id"] for r in cli("list", "--view", "unassigned", "--json", now=NOW).json] == [b]
    late = "2026-11-02T10:50:00+08:00"  # li.na's level-A case: on site within 30 min, breached at 10:30
    assert [r["id"] for r in cli("list", "--view", "my-breaching", "--json", now=late, actor="li.na").json] == [a]
    (cli.repo / "views.yaml").write_text(
        "acme-open:\n  about: ACME's open cases, soonest deadline first\n"
        "  where: customer = acme-sz and status = open\n  sort: deadline\n"
        "unassigned:\n  where: assignee = none and level = C\n", encoding="utf-8")
    assert [r["id"] for r in cli("list", "--view", "acme-open", "--json", now=NOW).json] == [b, c]
    assert [r["id"] for r in cli("list", "--view", "acme-open", "--where", "tag = vip", "--json", now=NOW).json] == []
    views = {v["name"]: v for v in cli("views", "--json").json}
    assert views["unassigned"]["source"] == "views.yaml" and views["mine"]["source"] == "package"
    unknown = cli("list", "--view", "acme", now=NOW, expect=3)
    assert "no view 'acme'" in unknown.err and "acme-open" in unknown.err and "my-breaching" in unknown.err


@pytest.mark.parametrize("text, says", [
    ("broken:\n  where: level = Q\n", "views.yaml: view broken: level 'Q' is not one of"),
    ("odd:\n  where: tag = vip\n  colour: red\n", "unknown key 'colour'"),
    ("odd:\n  where: tag = vip\n  sort: title\n", "sort 'title' is not one of opened, deadline"),
    ("Odd View:\n  where: tag = vip\n", "a view name is lowercase"),
    ("- tag = vip\n", "must be a mapping"),
])
def test_views_yaml_is_validated_as_a_whole(cli: CLI, cases: list[str], text: str, says: str) -> None:
    (cli.repo / "views.yaml").write_text(text, encoding="utf-8")
    refused = cli("list", "--view", "mine", now=NOW, expect=None)
    assert refused.code != 0 and says in refused.err and refused.err.count("\n") == 1, refused


def test_tags_never_reach_the_customer(cli: CLI, cases: list[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = cases[0]
    cli("tag", a, "+angry-customer", now=NOW)
    out = tmp_path / "site"
    cli("export", "--customer", "sz-metro", "-o", str(out), "--format", "md", now=NOW)
    written = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    assert a in written and "angry-customer" not in written and "tagged" not in written
