"""`casefile phrase list|show`: the standard phrases (服务台标准用语) that `note|reply --phrase` fills in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
def phrase() -> None:
    """The standard phrases: the desk's replies/ and the packaged ones (zh and en).

    \b
    Example:
        casefile phrase list
        casefile phrase show chase-2 --case KMT-00417
    """


@phrase.command("list")
@json_option
@desk_options
def list_phrases(desk: Desk, as_json: bool) -> None:
    """List the phrases: name, title, languages and where each comes from (replies/ or the package).

    \b
    Example:
        casefile phrase list
        casefile phrase list --json
    """
    rows = desk.phrases.listing()

    def text() -> str:
        width = max((len(row["name"]) for row in rows), default=4)
        return "\n".join(
            f"{row['name']:<{width}}  {' '.join(f'{lang}({src})' for lang, src in _sources(row))}  {row['title']}"
            for row in rows)

    emit(rows, as_json, text)


def _sources(row: dict[str, object]) -> list[tuple[str, str]]:
    langs = row["langs"]
    assert isinstance(langs, dict)
    return [(lang, "desk" if info["source"] != "package" else "package") for lang, info in langs.items()]


@phrase.command("show")
@click.argument("name")
@click.option("--lang", type=click.Choice(("zh", "en")), help="The language (default: the desk's).")
@click.option("--case", "case", metavar="CASE", help="Fill the placeholders in for this case.")
@click.option("--reply", "for_customer", is_flag=True,
              help="With --case: in the customer's language, as `reply --phrase` writes it.")
@json_option
@desk_options
def show_phrase(desk: Desk, name: str, lang: str | None, case: str | None, for_customer: bool, as_json: bool) -> None:
    """Show phrase NAME as written (placeholders and all), or filled in for a case with --case.

    \b
    Example:
        casefile phrase show chase-2 --lang en
        casefile phrase show chase-2 --case KMT-00417 --reply
    """
    if case is None:
        found = desk.phrases.phrase(name, lang)
        value = {"name": found.name, "lang": found.lang or lang or desk.policy.language, "title": found.title,
                 "source": found.source, "placeholders": found.placeholders(), "text": found.text}
        emit(value, as_json, lambda: found.text)
        return
    filled = desk.phrases.fill_for(case, name, for_customer, lang)
    emit({"name": filled.phrase.name, "lang": filled.lang, "title": filled.phrase.title,
          "source": filled.phrase.source, "case": case, "text": filled.text}, as_json, lambda: filled.text)


def phrased(desk: Desk, case: str, name: str, message: str | None, for_customer: bool) -> str:
    """`note|reply CASE --phrase NAME`: the phrase filled in for the case (`-m` text after it), adjusted in
    $EDITOR when a person is at a terminal."""
    import sys

    from casefile.cli.options import read_message
    from casefile.errors import CasefileError

    text = desk.phrases.fill_for(case, name, for_customer).text
    extra = read_message(message)
    if extra and extra.strip():
        text = f"{text}\n\n{extra.strip()}"
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return text
    who = "the customer is told (mailed to them)" if for_customer else "the desk records (internal)"
    edited = click.edit(f"{text}\n\n# Phrase {name}: adjust what {who}. Lines starting with # are ignored.\n")
    if edited is None:
        return text  # saved unchanged
    kept = "\n".join(line for line in edited.splitlines() if not line.startswith("#")).strip()
    if not kept:
        raise CasefileError(_("the text is empty after editing: nothing was written"), _("keep some text, or leave out --phrase"))
    return kept
