"""Issue 21, acceptance 3: a customer's monthly SLA statement verifies from the repository and from the
evidence bundle alone (in a folder that is no git repository, no desk); editing one event in the bundle
makes verification fail and names the case.  Also: the statement's figures are `report sla`'s, it is
issued once and never changed, and the bundle holds nothing another customer owns.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git, is_clean

ISSUED = "2026-12-01T10:00:00+08:00"
STATEMENT = "ST-acme-sz-2026-11"


@pytest.fixture
def demo(demo_day: tuple[Path, list[str]], tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo_day[0], tmp_path / "desk", symlinks=True))


def station(desk: Path) -> str:
    return next((desk / "cases").rglob("*-00001.md")).name.split("-")[0]


def issue(cli: CLI) -> None:
    cli("report", "sla", "--customer", "acme-sz", "--month", "2026-11", "--statement", "--json", now=ISSUED)


def verify_alone(bundle: Path, folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`casefile verify --bundle` as the customer's IT department runs it: its own process, in a folder that
    is not a git repository, with no desk named anywhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    return subprocess.run([sys.executable, "-m", "casefile", "verify", "--bundle", str(bundle), STATEMENT, *extra],
                          cwd=folder, env=env, capture_output=True, text=True)


def test_a_statement_verifies_from_the_repository_and_from_the_bundle_alone(demo: Path, tmp_path: Path) -> None:
    cli = CLI(demo, actor="wang.fang")
    commits = commit_count(demo)
    issue(cli)
    assert commit_count(demo) == commits + 1 and is_clean(demo)
    subject = git(demo, "log", "-1", "--format=%s%n%b")
    assert subject.startswith(f"{STATEMENT}: issue the SLA statement of acme-sz for 2026-11")
    assert "Casefile-Action: issue-statement" in subject and "Casefile-Digest: sha256:" in subject
    cli("validate", now=ISSUED)

    # Its figures are report sla's for that customer and month, at that moment.
    report = cli("report", "sla", "--customer", "acme-sz", "--month", "2026-11", "--json", now=ISSUED).json
    from casefile.records.file import read_plain

    path = demo / "statements" / "2026" / f"{STATEMENT}.md"
    data, body = read_plain(path.read_text(encoding="utf-8"), path.name)
    assert [(r["level"], r["met"], r["breached"], r["running"]) for r in data["figures"]["levels"]] == \
        [(r["level"], r["met"], r["breached"], r["running"]) for r in report["levels"]]
    assert sorted((r["level"], r["target"], r["within"], r["met"], r["breached"]) for r in data["figures"]["targets"]) \
        == sorted((r["level"], r["target"], r["within"], r["met"], r["breached"]) for r in report["targets"])
    assert {c["id"] for c in data["cases"]} == {c["case"] for c in report["cases"]}
    assert "服务级别月度报告" in body and "SLA statement" in body

    found = cli("verify", STATEMENT, "--json", now="2026-12-05T09:00:00+08:00").json
    assert found["verified"] and found["intact"] and found["figures_follow"] and found["changed"] == []

    bundle = tmp_path / "acme-sz-evidence"
    cli("export", "--customer", "acme-sz", "--evidence", "-o", str(bundle), now="2026-12-05T09:00:00+08:00")
    outside = tmp_path / "customer-it"
    outside.mkdir()
    assert subprocess.run(["git", "rev-parse"], cwd=outside, capture_output=True).returncode != 0
    alone = verify_alone(bundle, outside)
    assert alone.returncode == 0, alone.stderr + alone.stdout
    assert "verified" in alone.stdout and "from the bundle" in alone.stdout

    # One event edited in the bundle: the printer case's restore moved 40 minutes earlier.
    printer = f"{station(demo)}-00002"
    case_file = bundle / "cases" / f"{printer}.json"
    record = json.loads(case_file.read_text(encoding="utf-8"))
    (index,) = [i for i, e in enumerate(record["basis"]["events"]) if e["kind"] == "resolved"]
    record["basis"]["events"][index]["at"] = "2026-11-19T13:50:00+08:00"
    case_file.write_text(json.dumps(record), encoding="utf-8")
    failed = verify_alone(bundle, outside)
    assert failed.returncode == 5
    assert f"{printer} changed after the statement was issued: events[{index}].at (resolved)" in failed.stdout
    assert "does not verify" in failed.stderr and "Traceback" not in failed.stderr
    as_json = json.loads(verify_alone(bundle, outside, "--json").stdout)
    assert as_json["verified"] is False and as_json["changed"] == [{"case": printer, "fields":
                                                                     [f"events[{index}].at (resolved)"]}]


def test_a_figure_that_does_not_follow_and_a_record_changed_in_the_repository(demo: Path, tmp_path: Path) -> None:
    cli = CLI(demo, actor="wang.fang")
    issue(cli)
    printer = f"{station(demo)}-00002"
    # The desk reopens the printer case after the statement: the repository now differs from what it rests on.
    cli("reopen", printer, "--reason", "E-04 is back", now="2026-12-02T09:00:00+08:00")
    found = cli("verify", STATEMENT, expect=5, now="2026-12-02T10:00:00+08:00")
    assert f"{printer} changed after the statement was issued: " in found.out
    assert "events (5 then, 6 now)" in found.out or "status" in found.out

    # A bundle whose statement had a figure edited: the figure does not follow from the records.
    bundle = tmp_path / "bundle"
    cli("export", "--customer", "acme-sz", "--evidence", "-o", str(bundle), now="2026-12-02T10:00:00+08:00")
    statement = bundle / "statements" / f"{STATEMENT}.md"
    text = statement.read_text(encoding="utf-8")
    statement.write_text(text.replace("  overall:\n    met: ", "  overall:\n    met: 1", 1), encoding="utf-8")
    edited = verify_alone(bundle, tmp_path)
    assert edited.returncode == 5 and "figure overall: stated {\"met\":1" in edited.stdout
    # ... and one whose recorded evidence was edited to match: the statement's own digest no longer follows.
    statement.write_text(text.replace("kind: reopened", "kind: reopened ", 1).replace(
        "      status: closed", "      status: open", 1), encoding="utf-8")
    assert "the statement's own digest does not follow from its contents" in verify_alone(bundle, tmp_path).stdout


def test_issued_once_never_changed(demo: Path) -> None:
    cli = CLI(demo, actor="wang.fang")
    early = cli("report", "sla", "--customer", "acme-sz", "--month", "2026-11", "--statement",
                now="2026-11-25T10:00:00+08:00", expect=None)
    assert early.code == 1 and "2026-11 is not over yet" in early.err
    no_customer = cli("report", "sla", "--month", "2026-11", "--statement", now=ISSUED, expect=None)
    assert no_customer.code == 1 and "--customer" in no_customer.err
    issue(cli)
    commits = commit_count(demo)
    again = cli("report", "sla", "--customer", "acme-sz", "--month", "2026-11", "--statement", now=ISSUED,
                expect=None)
    assert again.code == 1 and "never rewritten" in again.err and commit_count(demo) == commits
    assert is_clean(demo)

    # By hand: the pre-commit hook (validate --staged) refuses a changed or deleted statement.
    path = demo / "statements" / "2026" / f"{STATEMENT}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: issued", "status: issued # edited"),
                    encoding="utf-8")
    git(demo, "add", "-A")
    refused = cli("validate", "--staged", expect=None, now=ISSUED)
    assert refused.code == 5 and "never changed" in refused.out + refused.err


def test_the_bundle_holds_nothing_another_customer_owns(demo: Path, tmp_path: Path) -> None:
    cli = CLI(demo, actor="wang.fang")
    issue(cli)
    bundle = tmp_path / "bundle"
    done = cli("export", "--customer", "acme-sz", "--evidence", "-o", str(bundle), "--json", now=ISSUED).json
    assert done["statements"] == [STATEMENT] and done["cases"] >= 1
    from casefile.records.file import read_plain

    metro, _body = read_plain((demo / "customers" / "sz-metro.md").read_text(encoding="utf-8"), "sz-metro.md")
    outage = f"{station(demo)}-00001"  # sz-metro's level-A outage
    texts = "\n".join(p.read_text(encoding="utf-8") for p in bundle.rglob("*") if p.is_file())
    for value in ["sz-metro", outage, str(metro["name"]), *(str(c.get("phone") or "") for c in metro["contacts"])]:
        if value:
            assert value not in texts, value
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "casefile-evidence/1" and manifest["customer"] == "acme-sz"
    basis = json.loads(next((bundle / "cases").glob("*.json")).read_text(encoding="utf-8"))["basis"]
    # What figures rest on, nothing more: no names, no text, no contract.
    assert not {"caller", "assignee", "title", "description", "resolution"} & set(basis)
    assert all(set(e) <= {"at", "kind", "dispatched_at", "arrived_at"} for e in basis["events"])


def test_two_different_statements_are_never_blended_by_the_merge_driver() -> None:
    from casefile.merge.record import DifferentRecords, merge_record

    one = "---\nid: ST-acme-sz-2026-11\ndigest: a\n---\n"
    other = "---\nid: ST-acme-sz-2026-11\ndigest: b\n---\n"
    with pytest.raises(DifferentRecords):
        merge_record(None, one, other, "statements/2026/ST-acme-sz-2026-11.md", lambda *a: None)  # type: ignore[arg-type, return-value]
