"""The message catalogs are complete: every message the code marks has a Chinese translation, none fuzzy, every
placeholder kept, and the catalogs in the repository are the ones `pybabel update` makes from the code.

The messages are found as a translator's tools find them: `pybabel extract` with the repository's babel.cfg.
"""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from clihelp import ROOT

LOCALE = ROOT / "src" / "casefile" / "locale"
LANGUAGES = ("zh", "en")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = tmp_path_factory.mktemp("pot") / "casefile.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location",
                                "--sort-output", "-o", str(pot), str(ROOT)])
    with pot.open("rb") as handle:
        return read_po(handle)


def _catalog(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "casefile.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _ids(catalog: Catalog) -> set[str]:
    return {str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}


def _fields(text: str) -> list[str]:
    """The named placeholders of a message (`{case}`, `{count:,}` → case, count); literal braces as they are."""
    try:
        return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    except ValueError:  # a message with braces that is never formatted, e.g. "{name: metro, ...}"
        return sorted(part for part in text.replace("}", "{").split("{")[1::2])


def test_the_code_marks_messages_at_all(extracted: Catalog) -> None:
    ids = _ids(extracted)
    assert len(ids) > 900
    assert {"no case {case_id}", "Activity", "Opened via {channel}", "casefile: aborted"} <= ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalog_holds_exactly_the_messages_of_the_code(extracted: Catalog, lang: str) -> None:
    """`pybabel update` after every new message: none missing from the catalog, none left over in it."""
    shipped = _ids(_catalog(lang))
    assert sorted(_ids(extracted) - shipped) == [], "run pybabel extract/update (CONTRIBUTING.md)"
    assert sorted(shipped - _ids(extracted)) == [], "obsolete entries: pybabel update --ignore-obsolete"


def test_every_message_has_a_chinese_translation(extracted: Catalog) -> None:
    zh = _catalog("zh")
    untranslated = [m.id for m in zh if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))]
    fuzzy = [m.id for m in zh if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_a_translation_keeps_every_placeholder_of_its_message() -> None:
    wrong = []
    for message in _catalog("zh"):
        if not message.id:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            if set(_fields(form)) != set(_fields(str(singular))):
                wrong.append((singular, form))
    assert wrong == []


def test_the_english_catalog_is_the_message_ids_themselves() -> None:
    """English needs no translation: the ids are English; the catalog is shipped for a translator to start from."""
    en = _catalog("en")
    assert en.locale is not None and str(en.locale) == "en"
    assert all(not m.string or m.string == m.id for m in en if m.id and not isinstance(m.id, tuple))


def test_the_missing_translation_check_finds_a_missing_one(tmp_path: Path) -> None:
    """The check above can fail: a catalog with one message left untranslated is caught."""
    catalog = Catalog(locale="zh")
    catalog.add("no case {case_id}", "没有 Case {case_id}")
    catalog.add("Activity", "")
    buffer = io.BytesIO()
    from babel.messages.pofile import write_po

    write_po(buffer, catalog)
    read = read_po(io.BytesIO(buffer.getvalue()), locale="zh")
    assert [m.id for m in read if m.id and not m.string] == ["Activity"]
    assert _fields("{count:,} 条已解析记录，{megabytes:,.1f} MB") == ["count", "megabytes"]


def test_no_message_hides_inside_an_f_string() -> None:
    """`pybabel extract` does not read inside f-strings: `f"{_('CASE')}"` would never reach the catalogs."""
    import ast

    hidden = []
    for path in sorted((ROOT / "src" / "casefile").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                        and inner.func.id in ("_", "N_", "ngettext") and inner.args
                        and isinstance(inner.args[0], ast.Constant)):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}: {inner.args[0].value!r}")
    assert hidden == []


def test_clicks_own_messages_are_translated_too() -> None:
    """A usage error is click's words: `locale/zh/LC_MESSAGES/click.po` answers every message the installed click
    has (a newer click with new words fails here: add them), each translated, placeholders kept."""
    import click

    pot = io.BytesIO()
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    found = Catalog()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(Path(click.__file__).parent):
        found.add(message)
    write_po(pot, found)
    with (LOCALE / "zh" / "LC_MESSAGES" / "click.po").open("rb") as handle:
        zh = read_po(handle, locale="zh")
    assert sorted(_ids(found) - _ids(zh)) == []
    for message in zh:
        if message.id:
            singular = str(message.id[0] if isinstance(message.id, tuple) else message.id)
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(forms) and not message.fuzzy, singular
            assert all(set(_fields(f)) == set(_fields(singular)) for f in forms), singular
    assert (LOCALE / "en" / "LC_MESSAGES" / "click.po").is_file()
