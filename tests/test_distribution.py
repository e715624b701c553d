"""The distribution is casefile-servicedesk: `casefile` on the public package index is an unrelated project,
so nothing in this repository may tell anyone to install it (a server hook would run its code)."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `pip install casefile` and its spellings: options between, quotes, a version pin, `pip3`, `python -m pip`.
UNRELATED = re.compile(r"pip3?\s+install\s+(?:-{1,2}[\w-]+\s+)*['\"]?casefile(?![\w-])(?:['\"]|[=<>~!\s]|$)",
                       re.MULTILINE)


def _tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    files = [ROOT / name for name in out.decode().split("\0") if name]
    return [path for path in files if path.is_file() and path.suffix not in (".png", ".pyc", ".whl")]


def test_no_file_says_pip_install_casefile() -> None:
    offenders = []
    for path in _tracked_text_files():
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0).strip()}" for m in UNRELATED.finditer(text)]
    assert offenders == []


def test_the_pattern_finds_the_spellings_that_install_the_wrong_project() -> None:
    for line in ("pip install casefile", "pip install --quiet casefile   # x", "pip3 install -q 'casefile'",
                 "pip install casefile==1.1.0"):
        assert UNRELATED.search(line), line
    for line in ("pip install casefile-servicedesk", "pip install ./casefile_servicedesk-0.1.0-py3-none-any.whl",
                 "pip install -e '.[test]'"):
        assert not UNRELATED.search(line), line


def test_the_distribution_is_renamed_and_the_command_kept() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "casefile-servicedesk"
    assert project["scripts"] == {"casefile": "casefile.__main__:main"}  # completion first (issue 18)
