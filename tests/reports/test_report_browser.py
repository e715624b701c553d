"""Issue 5, acceptance 4: HTML reports open in a real headless browser without errors; markup in a
title is shown as text, never run.

The browser tests need Chromium (`apt-get install chromium`, or CHROMIUM=/path/to/chrome).  `.ci/run`
installs it and sets CASEFILE_REQUIRE_BROWSER, so in CI a missing browser fails these tests instead of
skipping them; on a developer's machine without one they are skipped and say why.  The escaping test
runs everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clihelp import CLI
from conftest import isolation
from headless import Browser, find_chromium, open_page

BROWSER = find_chromium()
NO_BROWSER = ("Chromium is not installed: `apt-get install chromium` (or set CHROMIUM=/path/to/chrome) "
              "to open the HTML reports in a headless browser")
needs_browser = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("CASEFILE_REQUIRE_BROWSER"), reason=NO_BROWSER,
)
NOW = "2026-12-07T10:00:00+08:00"
MARKUP = '<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=2</script>'
KINDS = ("monthly", "stats", "sla", "engineers", "desk", "surveys", "inspections")
PROBE = """JSON.stringify({
  pwned: document.body.dataset.pwned || null,
  scripts: document.scripts.length,
  images: document.images.length,
  markupShown: document.body.innerText.includes('<script>document.body.dataset.pwned=2</script>'),
  svgs: document.querySelectorAll('svg').length,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  title: document.title
})"""


@pytest.fixture(scope="module")
def reports(desk_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind as HTML, from a desk with a case whose title is markup (made once; the tests only read)."""
    folder = tmp_path_factory.mktemp("browser-reports")
    with isolation(tmp_path_factory.mktemp("browser-home"), tmp_path_factory.mktemp("browser-git-templates")):
        cli = CLI(Path(shutil.copytree(desk_template, folder / "desk", symlinks=True)), actor="wang.fang")
        case = cli.open(MARKUP, "A", "--customer", "acme-sz", now="2026-11-02T09:00:00+08:00")
        cli("respond", case, "-m", "<b>bold</b> reply", now="2026-11-02T09:10:00+08:00")
        cli("resolve", case, "-m", "Fixed </li></ol><h1>not a heading</h1>", now="2026-11-02T10:00:00+08:00")
        found = {}
        for kind in KINDS:
            path = folder / f"{kind}.html"
            cli("report", kind, "--month", "2026-11", "-o", str(path), now=NOW)
            found[kind] = path
    return found


def test_markup_in_a_title_is_escaped(reports: dict[str, Path]) -> None:
    for kind in ("monthly", "sla", "stats"):
        html = reports[kind].read_text(encoding="utf-8")
        assert "&lt;script&gt;document.body.dataset.pwned=2&lt;/script&gt;" in html, kind
        assert "<script" not in html and "<img" not in html, kind
    assert "Fixed &lt;/li&gt;&lt;/ol&gt;&lt;h1&gt;" in reports["monthly"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    assert BROWSER is not None, NO_BROWSER
    with Browser(BROWSER) as browser:
        yield browser


@needs_browser
@pytest.mark.parametrize("kind", KINDS)
def test_every_html_report_opens_without_errors_on_a_desk_and_a_phone(reports: dict[str, Path], kind: str,
                                                                       chromium: Browser) -> None:
    for width in (None, 375):
        page = chromium.open_page(reports[kind], PROBE, width)
        probe = json.loads(page.value)
        assert page.errors == [], page.errors
        assert probe["pwned"] is None and probe["scripts"] == 0 and probe["images"] == 0
        assert probe["title"].endswith("2026-11")
        # One self-contained file, readable on a phone: wide tables scroll inside their box, the page does not.
        assert probe["overflow"] <= 0, (kind, width, probe)
        assert page.pdf_bytes > 1000  # printable
        if kind in ("monthly", "stats", "sla", "engineers", "desk"):
            assert probe["svgs"] == 1
        if kind in ("monthly", "sla", "stats"):
            assert probe["markupShown"], kind


@needs_browser
def test_the_browser_check_sees_errors(tmp_path: Path) -> None:
    """The harness is not blind: a page that throws is reported."""
    assert BROWSER is not None, NO_BROWSER
    page_file = tmp_path / "broken.html"
    page_file.write_text("<!DOCTYPE html><title>x</title><script>null.boom()</script>", encoding="utf-8")
    page = open_page(BROWSER, page_file, "1")
    assert page.errors and "exception" in page.errors[0]
