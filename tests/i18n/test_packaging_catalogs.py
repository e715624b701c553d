"""`pip install .` (not editable) ships the compiled catalogs: the wheel has `casefile.mo` for zh, made from the
`.po` by the build (setup.py, with Babel), and not the `.po`; an installed copy reads the `.mo` with the
standard library."""

from __future__ import annotations

import gettext
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from casefile import i18n
from clihelp import ROOT


def test_the_wheel_carries_compiled_catalogs_that_answer_like_the_po(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "babel.cfg", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("src", "templates", "hooks"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # Offline, with the setuptools and Babel of this environment (the test extras), as a packager's build would.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("casefile_servicedesk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"casefile/locale/zh/LC_MESSAGES/casefile.mo", "casefile/locale/zh/LC_MESSAGES/click.mo",
            "casefile/locale/en/LC_MESSAGES/casefile.mo"} <= names
    assert not [name for name in names if name.endswith(".po")]
    compiled = gettext.GNUTranslations(io.BytesIO(zipfile.ZipFile(wheel).read(
        "casefile/locale/zh/LC_MESSAGES/casefile.mo")))
    catalog = i18n._MoCatalog(compiled)
    assert catalog["no case {case_id}"] == "没有 Case {case_id}"
    assert catalog["{count} alert"] == ("{count} 条提醒",)
    assert "a message nobody marked" not in catalog
    assert set(catalog) == set(i18n._catalog("zh"))  # every message the .po translates, nothing else


def test_a_checkout_reads_catalogs_compiled_in_place_only_while_they_are_not_older_than_the_po(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    folder = tmp_path / "casefile" / "locale" / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po, mo = folder / "casefile.po", folder / "casefile.mo"
    shutil.copy(ROOT / "src/casefile/locale/zh/LC_MESSAGES/casefile.po", po)
    with po.open("rb") as source, mo.open("wb") as out:
        write_mo(out, read_po(source, locale="zh"), use_fuzzy=False)

    monkeypatch.setattr(i18n, "_locale", lambda: tmp_path / "casefile" / "locale")  # a checkout in tmp_path
    i18n._catalog.cache_clear()
    try:
        assert isinstance(i18n._catalog("zh"), i18n._MoCatalog)  # compiled after the .po: the .mo
        os.utime(mo, (1, 1))  # the .po changed since (a translator's edit): the .po, never a stale .mo
        i18n._catalog.cache_clear()
        assert isinstance(i18n._catalog("zh"), dict)
        assert i18n._catalog("zh")["no case {case_id}"] == "没有 Case {case_id}"
    finally:
        i18n._catalog.cache_clear()
