"""Two clones syncing at the same moment, again and again: the loser of each push race fetches, merges and
tries again (issue 13, acceptance 5).  A lost race shows up in two ways: the remote says the push is not a
fast-forward, or (when both pushes reach the remote together) it cannot lock the branch ref."""

from __future__ import annotations

import threading
from pathlib import Path

from clihelp import CLI, Result, git
from teamhelp import canonical, clone, records, share

NOW = "2026-11-03T{}:00+08:00"
ROUNDS = 20


def test_two_clones_syncing_twenty_times_at_once_all_succeed_and_end_identical(
    cli: CLI, bare_remote: Path, tmp_path: Path
) -> None:
    case = cli.open("Printer on 3F prints nothing", "C", now=NOW.format("09:00"))
    share(cli, bare_remote)
    members = [clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhao.lei")]
    results: dict[str, list[Result]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def work(name: str, member: CLI) -> None:
        for round_ in range(ROUNDS):
            minute = f"10:{round_:02d}"
            member.process("note", case, "-m", f"{name} round {round_}", now=NOW.format(minute))
            start.wait()  # both syncs start together, every round
            results[name].append(member.process("sync", now=NOW.format(minute), expect=None))

    threads = [threading.Thread(target=work, args=(name, m)) for name, m in zip("ab", members, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for name, runs in results.items():
        assert len(runs) == ROUNDS
        for run in runs:
            assert run.code == 0, f"{name}: {run}"
    for member in members:  # the last round's winner has not seen the loser's push yet
        member("sync", now=NOW.format("11:00"))
    a, b = members
    assert git(a.repo, "rev-parse", "HEAD") == git(b.repo, "rev-parse", "HEAD") == git(bare_remote, "rev-parse", "main")
    assert canonical(records(a.repo)) == canonical(records(b.repo))
    texts = [e.get("text") for e in a("show", case, "--json").json["events"]]
    for name in "ab":
        for round_ in range(ROUNDS):
            assert texts.count(f"{name} round {round_}") == 1


def test_a_push_that_loses_the_ref_lock_on_the_remote_is_merged_and_sent_again(
    cli: CLI, bare_remote: Path, tmp_path: Path
) -> None:
    """The remote's hook passed A's push, then B's push moved the branch first: git on the remote says
    `cannot lock ref 'refs/heads/main': is at B but expected base` and `failed to update ref`.  That is a
    lost race, not a refusal: A fetches B's work, merges and pushes again (it used to stop with exit 7)."""
    case = cli.open("Printer on 3F prints nothing", "C", now=NOW.format("09:00"))
    share(cli, bare_remote)
    a, b = clone(bare_remote, tmp_path / "a", "li.na"), clone(bare_remote, tmp_path / "b", "zhao.lei")
    b("note", case, "-m", "From B", now=NOW.format("10:00"))
    git(b.repo, "push", "-q", "origin", "HEAD:refs/heads/b-landing")  # B's push, about to land
    (bare_remote / "hooks").mkdir(exist_ok=True)
    hook = bare_remote / "hooks" / "pre-receive"
    hook.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        'if [ ! -e "$GIT_DIR/raced" ]; then\n  touch "$GIT_DIR/raced"\n'
        "  env -u GIT_QUARANTINE_PATH git update-ref refs/heads/main refs/heads/b-landing\nfi\n"
    )
    hook.chmod(0o755)
    a("note", case, "-m", "From A", now=NOW.format("10:01"))

    synced = a("sync", "--json", now=NOW.format("10:02")).json
    assert synced["attempts"] == 2
    assert git(bare_remote, "rev-parse", "main") == git(a.repo, "rev-parse", "HEAD")
    texts = [e.get("text") for e in a("show", case, "--json").json["events"]]
    assert texts.count("From A") == 1 and texts.count("From B") == 1
