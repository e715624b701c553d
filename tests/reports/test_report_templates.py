"""Issue 5, acceptance 3: a desk overrides a packaged report template, or extends it.

Templates in the case repository's `templates/` win over the packaged ones; `default:NAME` names
the packaged one, so an override can extend it and replace single blocks.  (Each test writes its
templates before the first report of its desk: one process renders one report.)
"""

from __future__ import annotations

from pathlib import Path

from clihelp import CLI

NOW = "2026-12-07T10:00:00+08:00"


def _desk(cli: CLI) -> str:
    case = cli.open("Printer offline on 3F", "C", "--customer", "acme-sz", now="2026-11-02T09:00:00+08:00")
    cli("respond", case, "-m", "Checking.", now="2026-11-02T09:20:00+08:00")
    cli("resolve", case, "-m", "Replaced the fuser.", now="2026-11-02T11:00:00+08:00")
    return case


def _template(cli: CLI, name: str, text: str) -> None:
    path = cli.repo / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_desk_template_replaces_the_packaged_one(cli: CLI) -> None:
    _desk(cli)
    _template(cli, "reports/sla.md",
              "SLA {{ r.period.label }}: {{ r.overall.met }} of {{ r.overall.met + r.overall.breached }} met "
              "({{ pct(r.overall.compliance) }})\n")
    out = cli("report", "sla", "--month", "2026-11", "--lang", "en", now=NOW).out
    # Response 20m (met) and reply by the resolve at 11:00, 2h after the report (met), on level C.
    assert out == "SLA 2026-11: 2 of 2 met (100.0%)\n"


def test_a_desk_template_extends_the_packaged_one(cli: CLI) -> None:
    case = _desk(cli)
    _template(cli, "reports/monthly.md",
              '{% extends "default:reports/monthly.md" %}\n'
              "{% block footer %}\n---\nJinqiao IT Services · hotline 400-000-0000\n{% endblock %}\n")
    out = cli("report", "monthly", "--month", "2026-11", "--lang", "en", now=NOW).out
    assert out.startswith("# Monthly bulletin — Jinqiao IT Services\n")  # the demo desk's name (issue 18)
    assert f"### {case} Printer offline on 3F" in out and "## Totals" in out  # the packaged body
    assert out.endswith("\n---\nJinqiao IT Services · hotline 400-000-0000\n")


def test_extending_the_html_base_brands_every_html_report(cli: CLI) -> None:
    _desk(cli)
    _template(cli, "reports/base.html",
              '{% extends "default:reports/base.html" %}\n'
              "{% block footer %}<strong>Jinqiao IT</strong> · {{ r.desk }}{% endblock %}\n")
    for kind in ("sla", "desk"):
        html = cli("report", kind, "--month", "2026-11", "--format", "html", now=NOW).out
        assert "<footer><strong>Jinqiao IT</strong> · Jinqiao IT Services</footer>" in html
        assert "<svg" in html  # the packaged report around it


def test_a_broken_override_is_a_one_line_error_and_writes_nothing(cli: CLI, tmp_path: Path) -> None:
    _desk(cli)
    _template(cli, "reports/stats.md", "{{ no_such_value }}\n")
    target = tmp_path / "stats.md"
    target.write_text("last month's report\n", encoding="utf-8")
    done = cli("report", "stats", "--month", "2026-11", "-o", str(target), now=NOW, expect=1)
    assert done.err == ("casefile: template reports/stats.md (your override) failed: "
                        "'no_such_value' is undefined\n")
    assert target.read_text(encoding="utf-8") == "last month's report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
