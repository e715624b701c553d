"""Case numbers: unique across clones by construction (issue 2, acceptance 4), short, unambiguous."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from casefile.records.numbers import ALPHABET, BadCaseNumber, parse_case_number
from clihelp import CLI, commit_count, git, is_clean


def test_numbers_are_short_and_have_no_ambiguous_characters() -> None:
    assert not set(ALPHABET) & set("AEIOUL01")
    assert parse_case_number("kmt-417") == "KMT-00417"
    assert parse_case_number("KMT00417") == "KMT-00417"
    assert len(parse_case_number("KMT-00417")) <= 10
    for bad in ("../../etc/passwd", "KMT-00000", "KIT-00001", "KMT-123456", "", "cases/2026/11/KMT-00001.md"):
        with pytest.raises(BadCaseNumber):
            parse_case_number(bad)


def _clone(remote: Path, target: Path) -> CLI:
    subprocess.run(["git", "clone", "-q", str(remote), str(target)], check=True)
    return CLI(target, actor="li.na")


def test_two_clones_opening_offline_never_collide(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    git(cli.repo, "remote", "add", "origin", str(bare_remote))
    git(cli.repo, "push", "-q", "origin", "main")
    first, second = _clone(bare_remote, tmp_path / "a"), _clone(bare_remote, tmp_path / "b")
    # Each clone registers its station with the shared remote at its first case;
    # after that they work apart: nothing is pushed or pulled until the end.
    for clone in (first, second):
        for n in range(50):
            clone.open(f"Case {n} from {clone.repo.name}", "C", now=f"2026-11-03T09:{n:02d}:00+08:00")
    assert git(bare_remote, "for-each-ref", "--format=%(refname)", "refs/casefile/stations/").count("\n") == 2
    git(first.repo, "push", "-q", "origin", "main")
    git(second.repo, "-c", "user.name=t", "-c", "user.email=t@x", "pull", "-q", "--no-rebase", "--no-edit",
        "origin", "main")
    numbers = sorted(p.stem for p in (second.repo / "cases").rglob("*.md"))
    assert len(numbers) == 100 == len(set(numbers))
    assert all(re.fullmatch(r"[A-Z]{3}-000\d\d", n) for n in numbers)
    assert len({n[:3] for n in numbers}) == 2
    assert second("validate").code == 0


def test_an_unreachable_remote_falls_back_to_a_local_claim_and_says_so(cli: CLI, tmp_path: Path) -> None:
    git(cli.repo, "remote", "add", "origin", str(tmp_path / "gone.git"))
    result = cli("open", "Printer offline", "--level", "C", "-m", "E-04")
    assert re.fullmatch(r"[A-Z]{3}-00001\n", result.out)
    assert "claimed case-number station" in result.err and "could not be reached" in result.err


def test_a_station_registered_by_someone_else_is_not_taken(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    git(cli.repo, "remote", "add", "origin", str(bare_remote))
    git(cli.repo, "push", "-q", "origin", "main")
    # Every code but one is registered on the remote already.
    free = "ZZZ"
    oid = git(cli.repo, "rev-parse", "HEAD").strip()
    refs = "".join(f"create refs/casefile/stations/{a}{b}{c} {oid}\n"
                   for a in ALPHABET for b in ALPHABET for c in ALPHABET if a + b + c != free)
    subprocess.run(["git", "-C", str(bare_remote), "update-ref", "--stdin"], input=refs, text=True, check=True)
    assert cli.open() == "ZZZ-00001"


def test_two_processes_opening_at_once_both_succeed_with_distinct_numbers(cli: CLI) -> None:
    before = commit_count(cli.repo)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: cli.process("open", f"Case {n}", "--level", "D", "-m", "x"), range(4)))
    numbers = {r.out.strip() for r in results}
    assert len(numbers) == 4
    assert commit_count(cli.repo) == before + 4
    assert is_clean(cli.repo)
