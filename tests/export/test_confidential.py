"""Redacting other customers' identifiers from a text, and keeping the startup light."""

from __future__ import annotations

import subprocess
import sys

from casefile.export.redact import Identifiers, Redactor


def _redactor(others: dict, own: dict | None = None) -> Redactor:  # type: ignore[type-arg]
    theirs, mine = Identifiers(), Identifiers()
    theirs.add_record(others)
    mine.add_record(own or {})
    return Redactor(theirs, mine)


def test_phones_match_whatever_the_separators_and_names_only_as_whole_words() -> None:
    redact = _redactor({"customer": "beta-gz", "caller": {"name": "Li Lei", "phone": "020-3888 1234",
                                                          "email": "li.lei@beta.example"}})
    assert redact.text("Call Li  Lei on (020) 38881234 or 020.3888.1234") == "Call [redacted] on [redacted] or [redacted]"
    assert redact.text("Leica cameras; LI LEI; LI.LEI@BETA.EXAMPLE; beta-gz") == "Leica cameras; [redacted]; [redacted]; [redacted]"
    assert redact.text("invoice 1020388812345") == "invoice 1020388812345"  # longer digit runs are other numbers


def test_chinese_names_match_inside_chinese_text_and_short_values_are_left_alone() -> None:
    redact = _redactor({"caller": {"name": "钱伟", "company": "IT", "phone": "12"}})
    assert redact.text("已联系钱伟处理") == "已联系[redacted]处理"
    assert redact.text("IT 12") == "IT 12"


def test_values_the_customer_shares_are_not_redacted_and_the_activity_log_is_not_collected() -> None:
    redact = _redactor({"caller": {"company": "Shenzhen Metro", "name": "Huang Tao"},
                        "events": [{"by": "li.na", "text": "x", "fields": {"name": "Li Na"}}]},
                       {"caller": {"company": "Shenzhen Metro"}})
    assert redact.text("Shenzhen Metro: Huang Tao; li.na and Li Na") == "Shenzhen Metro: [redacted]; li.na and Li Na"


def test_help_and_version_import_neither_gitpython_nor_jinja2() -> None:
    probe = ("import sys\nfrom casefile.cli import main\n"
             "for args in (['--help'], ['--version'], ['sync', '--help'], ['export', '--help']):\n"
             "    main(args)\n"
             "print(sorted(m for m in ('git', 'jinja2', 'ruamel.yaml') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
