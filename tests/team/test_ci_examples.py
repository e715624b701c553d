"""The example CI schedules run `casefile check` and push its commit with `casefile sync` (never forced)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casefile.records.yamlio import load_plain
from clihelp import CLI, ROOT, git
from teamhelp import clone, share

EXAMPLES = ROOT / "examples" / "ci"


def _scripts(name: str) -> tuple[dict, list[str]]:  # type: ignore[type-arg]
    data = load_plain((EXAMPLES / name).read_text(), name)
    if name == "gitlab-ci.yml":
        job = data["casefile-check"]
        assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
        return data, [*job["before_script"], *job["script"]]
    steps = data["jobs"]["check"]["steps"]
    assert data["on"]["schedule"] == [{"cron": "*/5 * * * *"}]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    return data, [line for step in steps if "run" in step for line in step["run"].splitlines()]


@pytest.mark.parametrize("name", ["gitlab-ci.yml", "github-actions.yml", "gitea-actions.yml"])
def test_each_example_syncs_then_checks_then_pushes_with_sync(name: str) -> None:
    _data, lines = _scripts(name)
    casefile = [line.split("#")[0].strip() for line in lines if line.strip().startswith("casefile ")]
    assert casefile == ["casefile setup", "casefile sync", "casefile check", "casefile sync"]
    assert not any("--force" in line or "push -f" in line or "git push" in line for line in lines)
    installs = [line for line in lines if "pip install" in line]
    assert len(installs) == 1 and "casefile-servicedesk @ git+" in installs[0], installs


def test_the_actions_script_runs_as_written(cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    """Every line of the GitHub Actions script, as CI runs it, in a detached checkout."""
    case = cli.open("Printer offline", "C", now="2026-11-03T09:00:00+08:00")
    share(cli, bare_remote)
    job = tmp_path / "runner"
    subprocess.run(["git", "clone", "-q", str(bare_remote), str(job)], check=True)
    git(job, "checkout", "-q", "--detach")
    member = clone(bare_remote, tmp_path / "member", "li.na")
    member("note", case, "-m", "Written while CI runs", now="2026-11-03T09:10:00+08:00")
    member("sync", now="2026-11-03T09:11:00+08:00")
    _data, lines = _scripts("github-actions.yml")
    # The install line installs this project from the desk's copy of its repository; the test's interpreter
    # has it already, so that line is checked and not run.
    installs = [line for line in lines if line.startswith("pip install")]
    assert installs == ['pip install --quiet "casefile-servicedesk @ git+$CASEFILE_SOURCE"']
    lines = [line for line in lines if line not in installs]
    # 11:30: two working hours (5x24) since the report, so the level-C ladder's first step is due.
    env = {**os.environ, "GITHUB_REF_NAME": "main", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "CASEFILE_NOW": "2026-11-03T11:30:00+08:00"}
    done = subprocess.run(["bash", "-eu", "-c", "\n".join(lines)], cwd=job, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "synced with origin/main: received 1 commit(s)" in done.stdout
    assert "escalate to customer-service-engineer" in done.stdout
    assert git(job, "rev-parse", "HEAD") == git(bare_remote, "rev-parse", "main")
    assert "Casefile-Action: check" in git(bare_remote, "log", "-1", "--format=%B", "main")
    # the run left its index for the next one, which starts from it
    assert "no index from an earlier run" in done.stdout
    assert (Path(env["HOME"]) / ".cache" / "casefile" / "index.gz").is_file()
    again = subprocess.run(["bash", "-eu", "-c", "\n".join(lines)], cwd=job, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "index imported from" in again.stdout
