"""One complaint per survey after any merge (issue 13): the same survey answered on two clones."""

from __future__ import annotations

from pathlib import Path

from clihelp import CLI, commit_count, git, is_clean
from teamhelp import clone, offline, records, share

ANSWER = ("--rate", "attitude=较满意", "--rate", "quality=较满意", "--rate", "technical=较满意",
          "--rate", "speed=不满意")


def _closed_case(cli: CLI) -> str:
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei",
                    "--caller-email", "zhang.wei@acme.example", now="2026-11-02T09:00:00+08:00")
    cli("resolve", case, "-m", "Replaced the fuser unit.", now="2026-11-02T10:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-02T11:00:00+08:00")
    return case


def _answered_on_two_clones(cli: CLI, remote: Path, tmp_path: Path) -> tuple[str, CLI, CLI, str, str]:
    case = _closed_case(cli)
    share(cli, remote)
    a = clone(remote, tmp_path / "desk-a", "wang.fang")
    b = clone(remote, tmp_path / "desk-b", "li.na")
    with offline(a, b):
        # The customer answered the phone survey; two engineers entered it, each on a train.
        first = a("survey", "record", case, *ANSWER, now="2026-11-03T10:00:00+08:00").out.splitlines()[1].split()[2]
        second = b("survey", "record", case, *ANSWER, "--opinions", "Nobody called back.",
                   now="2026-11-03T10:20:00+08:00").out.splitlines()[1].split()[2]
    assert first != second
    return case, a, b, first, second


def _complaints(member: CLI, case: str) -> dict[str, dict]:
    listed = member("list", "--all", "--json", now="2026-11-03T11:00:00+08:00").json
    ids = [row["id"] for row in listed if row["id"] != case]
    return {i: member("show", i, "--json", now="2026-11-03T11:00:00+08:00").json for i in ids}


def _assert_one_complaint(member: CLI, case: str, first: str, second: str) -> None:
    shown = _complaints(member, case)
    assert set(shown) == {first, second}
    kept, duplicate = shown[first], shown[second]
    assert kept["status"] == "open" and kept["type"] == "complaint"
    assert {"rel": "duplicate", "to": second} in kept["links"]
    assert duplicate["status"] == "closed" and duplicate["closed_as"] == "duplicate"
    assert {"rel": "duplicate-of", "to": first} in duplicate["links"]
    merged = [e for e in duplicate["events"] if e["kind"] == "merged"]
    assert len(merged) == 1 and merged[0]["by"] == "merge"
    assert merged[0]["fields"] == {"survey": f"SV-{case}", "duplicate_of": first}
    assert [e for e in kept["events"] if e["kind"] == "merged"][0]["fields"]["duplicates"] == [second]
    survey = member("survey", "show", case, "--json").json
    assert survey["complaint"] == first
    # The duplicate is in no figure and on nobody's ladder: check pages nobody about it.
    assert member("validate").out == ""


def test_the_later_complaint_is_the_duplicate_after_sync(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    case, a, b, first, second = _answered_on_two_clones(cli, bare_remote, tmp_path)
    a("sync", now="2026-11-03T10:30:00+08:00")
    before = commit_count(b.repo)
    out = b("sync", now="2026-11-03T10:31:00+08:00")
    assert f"SV-{case} had opened 2 complaints: kept {first}, linked {second} as its duplicate" in out.out + out.err
    assert commit_count(b.repo) == before + 3  # a's commit, the merge, and the settlement
    subject = git(b.repo, "log", "-1", "--format=%s").strip()
    assert subject == f"{second}: duplicate of {first}, the complaint survey SV-{case} opened first"
    _assert_one_complaint(b, case, first, second)
    a("sync", now="2026-11-03T10:32:00+08:00")
    _assert_one_complaint(a, case, first, second)
    assert records(a.repo) == records(b.repo)
    # Nothing left to do: a second sync, and the doctor, change nothing.
    head = git(b.repo, "rev-parse", "HEAD")
    b("sync", now="2026-11-03T10:40:00+08:00")
    assert "complaints" not in b("doctor").out
    assert git(b.repo, "rev-parse", "HEAD") == head
    assert is_clean(a.repo) and is_clean(b.repo)


def test_after_a_merge_by_hand_the_doctor_settles_it(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    case, a, b, first, second = _answered_on_two_clones(cli, bare_remote, tmp_path)
    a("sync", now="2026-11-03T10:30:00+08:00")
    git(b.repo, "fetch", "-q", "origin")
    git(b.repo, "-c", "user.name=Li Na", "-c", "user.email=li.na@example.com", "merge", "-q", "--no-edit",
        "origin/main")
    out = b("doctor", now="2026-11-03T10:35:00+08:00").out
    assert f"SV-{case} had opened 2 complaints: kept {first}" in out
    _assert_one_complaint(b, case, first, second)
    assert b("doctor", "--json", now="2026-11-03T10:36:00+08:00").json["complaints"] == []
