"""`pip install .` installs every package: pyproject.toml lists them by hand, so a new one must be added there."""

from __future__ import annotations

import tomllib

from clihelp import ROOT


def test_every_package_under_src_is_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(ROOT / "src").parts) for path in (ROOT / "src").rglob("__init__.py")}
    assert sorted(found - listed) == []
