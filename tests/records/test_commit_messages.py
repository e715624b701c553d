"""Every commit says what it did in one shape (issue 11, acceptance 3): `<record id>: <action words>`,
a paragraph when there is more to say, and the trailers last, `Casefile-Action` first, then the
records the commit touched, each by its kind's trailer and a valid id.

Walks `git log` of the demo desk after its day, and of a copy on which every other kind of change
has been made once more (articles, reports, schedules, escalations).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from casefile.records.kinds import KINDS
from clihelp import CLI, git

TRAILER = re.compile(r"^(Casefile-[A-Za-z]+): (\S.*)$")
BY_TRAILER = {kind.trailer: kind for kind in KINDS}
FOLDERS = {kind.folder for kind in KINDS}
# Desk-wide commits that name no single record: their subject is a sentence of their own.
DESK_ACTIONS = {"init", "people", "sync", "renumber"}


def commits(repo: Path) -> list[tuple[str, str]]:
    out = git(repo, "log", "--format=%H%x00%B%x1e")
    return [tuple(chunk.strip("\n").split("\x00", 1)) for chunk in out.split("\x1e") if chunk.strip()]  # type: ignore[misc]


def shape_problems(message: str) -> list[str]:
    subject = message.split("\n", 1)[0]
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return [f"{subject!r}: no trailers"]
    pairs = []
    for line in paragraphs[-1].splitlines():
        found = TRAILER.match(line)
        if not found:
            return [f"{subject!r}: {line!r} in the trailers is not `Casefile-Key: value`"]
        pairs.append((found[1], found[2]))
    problems = []
    if pairs[0][0] != "Casefile-Action":
        problems.append(f"{subject!r}: the first trailer is {pairs[0][0]}, not Casefile-Action")
    action = pairs[0][1]
    named = [value for key, value in pairs if key in BY_TRAILER]
    for key, value in pairs[1:]:
        kind = BY_TRAILER.get(key)
        if kind is None:
            if key == "Casefile-Action":
                problems.append(f"{subject!r}: a second Casefile-Action")
            continue
        if not kind.id_pattern.match(value):
            problems.append(f"{subject!r}: {key} {value!r} is not a {kind.name} id")
    if action in DESK_ACTIONS:
        if not subject[:1].isupper():
            problems.append(f"{subject!r}: a desk-wide commit's subject is a sentence")
        return problems
    scope, sep, words = subject.partition(": ")
    if not sep or not words.strip():
        problems.append(f"{subject!r} is not `<record id>: <action words>`")
    elif not (scope in named or scope in FOLDERS or scope == "check"
              or any(value.rsplit("/", 1)[-1] == scope for value in named)):
        problems.append(f"{subject!r}: {scope!r} is none of the records its trailers name ({', '.join(named)})")
    return problems


def test_the_shape_check_finds_what_is_wrong() -> None:
    good = "KMT-00417: assign to li.na (L2)\n\nCasefile-Action: assign\nCasefile-Case: KMT-00417\n"
    assert shape_problems(good) == []
    assert shape_problems("KMT-00417: assign\n\nCasefile-Case: KMT-00417\nCasefile-Action: assign\n")
    assert shape_problems("assign KMT-00417\n\nCasefile-Action: assign\nCasefile-Case: KMT-00417\n")
    assert shape_problems("KMT-00418: assign\n\nCasefile-Action: assign\nCasefile-Case: KMT-00417\n")
    assert shape_problems("KMT-00417: assign\n\nCasefile-Action: assign\nCasefile-Case: kmt-417\n")
    assert shape_problems("KMT-00417: assign\n\nCasefile-Action: assign\nSigned-off-by: x\n")


def test_every_commit_of_the_demo_day_has_the_house_shape(demo_day: tuple[Path, list[str]]) -> None:
    root, _said = demo_day
    found = commits(root)
    assert len(found) > 30
    actions = {re.search(r"^Casefile-Action: (\S+)$", message, re.M)[1] for _c, message in found}  # type: ignore[index]
    assert {"init", "people", "customer-add", "inspect-plan", "open", "assign", "note", "close", "check",
            "survey-record", "inspect-record"} <= actions
    assert [problem for _commit, message in found for problem in shape_problems(message)] == []


@pytest.fixture
def busy_day(demo_day: tuple[Path, list[str]], tmp_path: Path) -> Path:
    """The demo desk, and then every other kind of change once."""
    root = Path(shutil.copytree(demo_day[0], tmp_path / "desk", symlinks=True))
    cli = CLI(root, actor="wang.fang", now="2026-12-07T10:00:00+08:00")
    case = cli.open("VPN drops every hour at ACME Shenzhen", "B", "--customer", "acme-sz")
    cli("escalate", case, "--reason", "Needs the expert group")
    cli("escalate", case, "--to", "technical-support-supervisor", "--reason", "Customer's CIO called")
    cli("change", case, "--level", "C", "-m", "One user only")
    cli("pend", case, "--reason", "Waiting for the firewall logs")
    cli("resume", case, "-m", "Logs received")
    cli("kb", "add", "--title", "VPN drops every hour", "--slug", "vpn-drops", "--fix", "Renew the IKE key")
    cli("resolve", case, "-m", "IKE lifetime raised", "--kb", "vpn-drops")
    cli("kb", "add", "--from", case, "--slug", "vpn-ike-lifetime")
    cli("kb", "publish", "vpn-ike-lifetime")
    cli("reopen", case, "--reason", "Drops again")
    cli("customer", "add", "sk-port", "--name", "Shekou Port", "--coverage", "7x24")
    cli("customer", "edit", "sk-port", "--contact", "Wu Gang;0755-26881234")
    cli("inspect", "plan", "sk-port", "--since", "2026-10-01")
    cli("inspect", "schedule")
    cli("survey", "issue", "--customer", "sk-port")
    cli("report", "monthly", "--month", "2026-11", "--issue")
    cli("report", "explain-score", "zhao.lei", "--month", "2026-11", "--score", "complaints", "-m", "Vendor patch late")
    cli("check")
    return root


def test_every_kind_of_change_has_the_house_shape(busy_day: Path) -> None:
    found = commits(busy_day)
    actions = {re.search(r"^Casefile-Action: (\S+)$", message, re.M)[1] for _c, message in found}  # type: ignore[index]
    assert {"escalate", "change", "pend", "resume", "resolve", "reopen", "kb-add", "kb-draft", "kb-publish",
            "customer-edit", "inspect-plan", "survey-issue", "issue-bulletin", "explain-score"} <= actions
    assert [problem for _commit, message in found for problem in shape_problems(message)] == []
