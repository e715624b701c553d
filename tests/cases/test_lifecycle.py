"""A case worked from the first call to the customer's confirmation (issue 2, acceptance 2)."""

from __future__ import annotations

from clihelp import CLI, commit_count, git, is_clean


def test_every_step_is_one_commit_with_trailers_and_the_acting_author(cli: CLI) -> None:
    before = commit_count(cli.repo)
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei",
                    "--caller-phone", "0755-86001234", now="2026-11-02T09:00:00+08:00")
    steps = [
        (("assign", case, "li.na", "--tier", "L2"), "wang.fang", "09:05", "assign"),
        (("respond", case, "-m", "Called back; checking remotely."), "li.na", "09:10", "respond"),
        (("note", case, "-k", "call", "-m", "Tray jams too."), "li.na", "09:15", "note"),
        (("note", case, "-k", "reply", "-m", "Sent instructions."), "li.na", "09:16", "note"),
        (("note", case, "-k", "remote", "--authorised-by", "Zhang Wei", "-m", "Cleared queue."), "li.na", "09:20", "note"),
        (("note", case, "-k", "onsite", "--dispatched-at", "09:30", "--arrived-at", "10:00", "-m", "On site."), "li.na", "10:01", "note"),
        (("note", case, "-k", "vendor", "-m", "Asked HP for a fuser."), "li.na", "10:10", "note"),
        (("note", case, "-k", "progress", "-m", "Told Zhang Wei: part on the way."), "li.na", "10:20", "note"),
        (("note", case, "-m", "Plain note."), "li.na", "10:21", "note"),
        (("pend", case, "--reason", "Waiting for the part", "--on", "vendor"), "li.na", "10:30", "pend"),
        (("resume", case, "-m", "Part arrived."), "li.na", "13:30", "resume"),
        (("resolve", case, "-m", "Fuser replaced."), "li.na", "14:00", "resolve"),
        (("close", case, "--confirmed-by", "Zhang Wei"), "wang.fang", "15:00", "close"),
        (("reopen", case, "--reason", "E-04 is back"), "wang.fang", "16:00", "reopen"),
    ]
    for args, actor, hhmm, action in steps:
        cli(*args, actor=actor, now=f"2026-11-02T{hhmm}:00+08:00")
        message = git(cli.repo, "log", "-1", "--format=%an <%ae>%n%B")
        assert f"Casefile-Case: {case}" in message
        assert f"Casefile-Action: {action}" in message
        assert message.startswith(("Li Na 李娜 <li.na@", "Wang Fang 王芳 <wang.fang@"))
        assert (actor == "li.na") == message.startswith("Li Na")
    assert commit_count(cli.repo) == before + 1 + len(steps)
    assert is_clean(cli.repo)

    history = cli("history", case, "--json").json
    assert [h["action"] for h in history][::-1] == ["open"] + [s[3] for s in steps]

    shown = cli("show", case, "--json").json
    kinds = [e["kind"] for e in shown["events"]]
    assert kinds == ["opened", "assigned", "responded", "call", "reply", "remote", "onsite", "vendor",
                     "progress", "note", "paused", "resumed", "resolved", "closed", "reopened"]
    assert all(e["at"].startswith("2026-11-02T") and e["at"].endswith("+08:00") for e in shown["events"])
    assert shown["status"] == "open"
    assert shown["onsite_at"] == "2026-11-02T10:00:00+08:00"
    assert shown["pauses"] == [{"from": "2026-11-02T10:30:00+08:00", "until": "2026-11-02T13:30:00+08:00",
                                "waiting_on": "vendor", "reason": "Waiting for the part"}]
    assert shown["caller"]["phone"] == "0755-86001234"
