"""Templates: a desk's own templates/ overrides the packaged ones or extends them."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.errors import NotFound
from casefile.render import templates as templating


@pytest.fixture
def packaged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "packaged"
    (folder / "reports").mkdir(parents=True)
    (folder / "reports" / "hello.html").write_text("<h1>{{ title }}</h1>{% block footer %}packaged{% endblock %}\n")
    monkeypatch.setattr(templating, "packaged_dir", lambda: folder)
    templating.environment.cache_clear()
    return folder


def test_packaged_template_is_autoescaped(packaged: Path, tmp_path: Path) -> None:
    out = templating.render(tmp_path, "reports/hello.html", {"title": "<script>alert(1)</script>"})
    assert out == "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>packaged"  # trim_blocks eats the newline


def test_a_desk_override_wins_and_can_extend_the_default(packaged: Path, tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    (desk / "templates" / "reports").mkdir(parents=True)
    (desk / "templates" / "reports" / "hello.html").write_text(
        '{% extends "default:reports/hello.html" %}{% block footer %}Jinqiao IT{% endblock %}'
    )
    assert templating.render(desk, "reports/hello.html", {"title": "Monthly"}) == "<h1>Monthly</h1>Jinqiao IT"


def test_missing_template_and_broken_override_are_one_line_errors(packaged: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no template reports/nope.html"):
        templating.render(tmp_path, "reports/nope.html", {})
    desk = tmp_path / "desk"
    (desk / "templates" / "reports").mkdir(parents=True)
    (desk / "templates" / "reports" / "hello.html").write_text("{{ missing_value }}")
    with pytest.raises(templating.TemplateFailed, match="your override"):
        templating.render(desk, "reports/hello.html", {})


def test_a_syntax_error_in_an_override_is_a_one_line_error(packaged: Path, tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    (desk / "templates" / "reports").mkdir(parents=True)
    (desk / "templates" / "reports" / "hello.html").write_text("{% if title %}unclosed")
    with pytest.raises(templating.TemplateFailed, match="reports/hello.html line 1"):
        templating.render(desk, "reports/hello.html", {"title": "x"})
