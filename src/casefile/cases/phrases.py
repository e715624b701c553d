"""Standard phrases (服务台标准用语): the desk's canned texts, and filling their placeholders.

A phrase is a Markdown file: `replies/NAME.LANG.md` (the phrase NAME in zh or
en) or `replies/NAME.md` (one text for every language), with an optional front
matter `title:`.  The package brings the standard phrases of the service
documents (seed 004, chapter 6: the greeting, the intake questions, the answer
to a customer chasing a second or third time, the call-back); a desk's own
`replies/` adds phrases and overrides the packaged ones, language by language.

Placeholders are `{caller}`, `{case}`, `{engineer}`, `{due}`, `{title}`,
`{customer}`, `{me}`; `{{` and `}}` are literal braces.  They are filled by
name from a table of text values — never `str.format` on the phrase, so a
phrase cannot reach an attribute of anything (`{case.__class__}` is just an
unknown placeholder).  Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from casefile.errors import CasefileError, NotFound
from casefile.records.file import FENCE, read_plain
from casefile.records.yamlio import RecordError
from casefile.i18n import _
from casefile.values import Struct

LANGS = ("zh", "en")
REPLIES = "replies"  # the desk's own phrases, a folder of the case repository
PLACEHOLDERS: dict[str, str] = {
    "caller": "the caller's name",
    "case": "the case number",
    "engineer": "the name of the engineer the case is assigned to",
    "due": "the next deadline of a running clock (desk time)",
    "title": "the case's title",
    "customer": "the customer's name",
    "me": "the name of the person writing",
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PhraseNotFound(NotFound):
    pass


class Phrase(Struct, frozen=True):
    name: str
    lang: str | None  # None: one text for every language
    text: str
    title: str
    source: str  # "package" or the file in the desk (replies/chase-2.zh.md)

    def placeholders(self) -> list[str]:
        return list(dict.fromkeys(m.group(1) for m in _FIELD.finditer(self.text) if m.group(1) is not None))


def check_phrase_name(name: str) -> str:
    if not _NAME.match(name):
        raise CasefileError(_("{name!r} is not a phrase name").format(name=name), _("names are lowercase letters, digits and '-', like chase-2"))
    return name


def read_phrase(text: str, path: str, source: str) -> Phrase:
    """One phrase file (`chase-2.zh.md`, `greeting.md`): its name and language come from the file name."""
    stem = Path(path).name.removesuffix(".md")
    name, _dot, lang = stem.partition(".")
    if lang and lang not in LANGS:
        raise RecordError(path, None, _("the language of {name} is {lang!r}, not one of {names}").format(name=Path(path).name, lang=lang, names=', '.join(LANGS)))
    if not _NAME.match(name):
        raise RecordError(path, None, _("{name!r} is not a phrase name (lowercase letters, digits and '-')").format(name=name))
    title = ""
    body = text
    if text.startswith(FENCE):
        data, body = read_plain(text, path)
        title = str(data.get("title") or "")
    phrase = Phrase(name, lang or None, body.strip(), title, source)
    unknown = [p for p in phrase.placeholders() if p not in PLACEHOLDERS]
    if unknown:
        raise RecordError(path, None, f"unknown placeholder {{{unknown[0]}}}; known: "
                          + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))
    if not phrase.text:
        raise RecordError(path, None, _("the phrase is empty"))
    return phrase


def read_folder(folder: Path, source_of: str, on_error: Callable[[RecordError], None]) -> list[Phrase]:
    """Every phrase in a `replies/` folder; `source_of` is the folder as it is named to users.  A file that
    is not a phrase is handed to `on_error` and skipped: one bad file never hides the others."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.md")):
        where = f"{source_of}/{path.name}"
        try:
            found.append(read_phrase(path.read_text(encoding="utf-8"), where,
                                     "package" if source_of == "package" else where))
        except UnicodeDecodeError:
            on_error(RecordError(where, None, "the file is not UTF-8 text"))
        except RecordError as error:
            on_error(error)
    return found


def choose(phrases: Iterable[Phrase], name: str, lang: str) -> Phrase:
    """The phrase `name` in `lang`: the desk's in that language, the desk's for every language, then the
    package's, the same way; unknown names list what there is."""
    found = list(phrases)
    ranked = sorted((p for p in found if p.name == name and p.lang in (lang, None)),
                    key=lambda p: (p.source == "package", p.lang is None))
    if not ranked:
        known = sorted({p.name for p in found})
        raise PhraseNotFound(_("no phrase {name!r}").format(name=name), _("known: {names}; casefile phrase list shows them").format(names=', '.join(known)))
    return ranked[0]


def fill(phrase: Phrase, values: Mapping[str, str | None], missing: Mapping[str, str] | None = None) -> str:
    """The phrase with its placeholders replaced by `values` (text only); a placeholder without a value
    is refused with `missing[name]` (how to give it one)."""

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        if token in ("{", "}"):
            raise CasefileError(_("phrase {name} has a lone {token!r}").format(name=phrase.name, token=token), _("write {{ or }} for a brace"))
        key = match.group(1)
        if key not in PLACEHOLDERS:
            raise CasefileError(_("phrase {name} has an unknown placeholder {{{key}}}").format(name=phrase.name, key=key),
                                "known: " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))
        value = values.get(key)
        if not value:
            raise CasefileError(_("phrase {name} needs {{{key}}} ({value}), which is not known").format(name=phrase.name, key=key, value=PLACEHOLDERS[key]),
                                (missing or {}).get(key) or "write the text yourself with -m")
        return str(value)

    return _FIELD.sub(one, phrase.text)
