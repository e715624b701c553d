"""Issue 18: `report explain-score --json` says what it recorded (every command takes --json)."""

from __future__ import annotations

from clihelp import CLI, commit_count, git


def test_explain_score_json(cli: CLI) -> None:
    before = commit_count(cli.repo)
    said = cli("report", "explain-score", "zhao.lei", "--month", "2026-11", "--score", "complaints",
               "-m", "The ERP vendor patch came late; the customer accepted the apology.", "--json").json
    assert (said["engineer"], said["month"], said["score"]) == ("zhao.lei", "2026-11", "complaints")
    assert commit_count(cli.repo) == before + 1
    assert said["commit"] == git(cli.repo, "rev-parse", "HEAD").strip()
    assert said["subject"] == git(cli.repo, "log", "-1", "--format=%s").strip()
    assert (cli.repo / said["path"]).is_file()
