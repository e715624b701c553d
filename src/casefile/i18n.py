"""The words casefile says, in the reader's language: gettext catalogs kept with Babel.

Every text a person reads is an English message id wrapped in `_()` (or marked
with `N_()` where it is kept in a table and translated when shown); `pybabel
extract` (babel.cfg) collects them, `pybabel update` merges them into
`locale/<lang>/LC_MESSAGES/casefile.po`, and the translations are read from
there in a source checkout, or from the `.mo` that `pip install .` compiles
(setup.py), in an installed copy.  Placeholders are named (`{case}`), so a
translation may put them in another order.

The language (`zh` or `en`) is, in this order: `CASEFILE_LANG` (a person's own
choice), the desk's `desk.language` (the policy), the locale (`LC_ALL`,
`LC_MESSAGES`, `LANG`), English.  The command line picks it when it starts and
again when the desk's policy is read; a document with a language of its own (a
report, a customer's export, a mail) passes it to `translate`.

Engine texts kept in records (an event's `Opened via online`) are stored as a
message id and its values (`text_key`, `text_values`), not as words, and
rendered with `stored_text` in whoever reads them; an old record's plain text
is shown as it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

LANGUAGES = ("zh", "en")
DOMAIN = "casefile"
SOURCE = "en"  # the message ids are English: an English reader needs no catalog

_state = {"lang": SOURCE}
# Values of an engine text that are words of casefile's vocabulary (a case's channel), shown in the reader's words.
VOCABULARY = ("channel",)


def language_of(value: str | None) -> str | None:
    """`zh`, `zh_CN.UTF-8`, `zh-Hans` → zh; `en_US.UTF-8` → en; `C`, `POSIX`, unknown or empty → None."""
    code = (value or "").strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language of the locale, as gettext reads it: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return language_of(env[name])
    return None


def choose(desk_language: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """CASEFILE_LANG, then the desk's language, then the locale, then English."""
    env = os.environ if environ is None else environ
    return language_of(env.get("CASEFILE_LANG")) or language_of(desk_language) or locale_language(env) or SOURCE


def use(lang: str) -> None:
    """Speak `lang` from now on (the command line calls this; a library user may)."""
    _state["lang"] = lang if lang in LANGUAGES else SOURCE


def current() -> str:
    return _state["lang"]


@cache
def _catalog(lang: str, domain: str = DOMAIN) -> Mapping[str, Any]:
    """msgid → msgstr (a tuple of forms for a plural) of the shipped catalog for `lang`.

    A source checkout has the `.po` (read with Babel); an installed copy has the
    `.mo` compiled from it when it was built (read with the standard library).
    A checkout where the catalogs were compiled in place (`pybabel compile`, as
    the bench does: reading the `.po` costs ~140 ms of every command) reads the
    `.mo` while it is not older than its `.po`.
    """
    folder = _locale() / lang / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if po.is_file() and not _compiled_since(po, mo):
        from babel.messages.pofile import read_po

        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=domain)
        found: dict[str, Any] = {}
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                forms = tuple(str(form) for form in message.string or ())
                if all(forms):
                    found[str(message.id[0])] = forms
            elif message.string:
                found[str(message.id)] = str(message.string)
        return found
    if mo.is_file():
        import gettext
        import io

        compiled = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
        return _MoCatalog(compiled)
    return {}


def _locale() -> Any:
    """The folder of the catalogs, next to this module as gettext's own `localedir` is (a catalog is a real
    file in any install casefile supports; importlib.resources would add ~8 ms of imports to every command)."""
    from pathlib import Path  # here, not at the top: a shell completion imports this module, never a catalog

    return Path(__file__).parent / "locale"


def _compiled_since(po: Any, mo: Any) -> bool:
    """Whether `mo` was compiled after `po` was last changed (both files of a checkout)."""
    try:
        return bool(os.stat(str(mo)).st_mtime >= os.stat(str(po)).st_mtime)
    except OSError:
        return False


class _MoCatalog(Mapping[str, Any]):
    """A compiled catalog looked up like the `.po` one: a message, or its plural forms."""

    def __init__(self, compiled: Any) -> None:
        self._compiled = compiled
        self._messages: dict[Any, str] = compiled._catalog

    def __getitem__(self, key: str) -> Any:
        if key in self._messages:
            return self._messages[key]
        forms = []
        index = 0
        while (key, index) in self._messages:
            forms.append(self._messages[(key, index)])
            index += 1
        if not forms:
            raise KeyError(key)
        return tuple(forms)

    def __contains__(self, key: object) -> bool:
        return key in self._messages or (key, 0) in self._messages

    def __iter__(self) -> Any:
        """Every message id: a plural's singular once, as the `.po` reader gives it."""
        return iter(key if isinstance(key, str) else key[0] for key in self._messages
                    if (isinstance(key, str) and key) or (isinstance(key, tuple) and key[1] == 0))

    def __len__(self) -> int:
        return len(self._messages)


def translate(message: str, lang: str | None = None, domain: str = DOMAIN) -> str:
    """`message` in `lang` (default: the reader's language); the English message where there is no translation.

    `domain` "click" is the command-line library's own messages (a usage error), kept in `click.po`.
    """
    lang = lang or current()
    if lang == SOURCE or not message:
        return message
    found = _catalog(lang, domain).get(message)
    if isinstance(found, tuple):
        return found[0]
    return found or message


def gettext(message: str) -> str:
    return translate(message)


_ = gettext


def ngettext(singular: str, plural: str, count: int, lang: str | None = None, domain: str = DOMAIN) -> str:
    """The form for `count`: English has two; Chinese one (its catalog's only form)."""
    lang = lang or current()
    if lang != SOURCE:
        found = _catalog(lang, domain).get(singular)
        if isinstance(found, tuple) and found:
            return found[0] if len(found) == 1 or count == 1 else found[1]
    return singular if count == 1 else plural


def N_(message: str) -> str:
    """Marks `message` for the catalogs without translating it: a table's words, translated where shown."""
    return message


def stored(key: str, **values: Any) -> dict[str, Any]:
    """An engine text as a record keeps it: the message id and its values, in no language."""
    return {"text_key": key, "text_values": dict(values)} if values else {"text_key": key}


def stored_text(holder: Mapping[str, Any], lang: str | None = None) -> str:
    """What an event (or any mapping with `text_key`/`text_values`, or an old plain `text`) says, in `lang`.

    A value that does not fit the message (a hand edit) is shown with the English message, never a traceback.
    """
    key = holder.get("text_key")
    if isinstance(key, str) and key:
        values = holder.get("text_values")
        values = dict(values) if isinstance(values, Mapping) else {}
        if (lang or current()) != SOURCE:
            values.update({name: translate(str(values[name]), lang) for name in VOCABULARY if name in values})
        if (lang or current()) == "zh":
            values.update({name[:-3]: value for name, value in values.items() if name.endswith("_zh") and value})
        for template in (translate(key, lang), key):
            try:
                return template.format(**values)
            except (KeyError, IndexError, ValueError, AttributeError):
                continue
        return key
    text = holder.get("text")
    return str(text) if text is not None else ""


def pick(english: str, chinese: str | None, lang: str | None = None) -> str:
    """Of a name the policy gives in both languages (`name`, `name_zh`), the one for `lang` (the reader's)."""
    return chinese if (lang or current()) == "zh" and chinese else english


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak `lang` for a while: a document in a language of its own (a report in `--lang en` on a zh desk)."""
    before = current()
    use(lang)
    try:
        yield
    finally:
        use(before)


class Deferred:
    """Words made when they are shown, in the language spoken then (`speaking`): a report's activity lines."""

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make

    def __str__(self) -> str:
        return self._make()

    def __bool__(self) -> bool:
        return bool(self._make())

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Deferred({str(self)!r})"


HELP_KEYWORDS = ("help", "short_help", "epilog")  # click's texts a `--help` shows, given as keywords


def extract_with_help(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[Any, ...]]:
    """pybabel's extractor for the command line (babel.cfg): the messages `_()`/`N_()` mark, and what `--help`
    shows, which click is given at import — a command's docstring (as click shows it, `inspect.cleandoc`), each
    `help=`/`short_help=` given as a literal, and `message_option("...")`'s text.  `cli.helptext` translates
    them when click formats the help, so a help text needs no `N_()` of its own."""
    import ast
    import inspect

    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))

    def named(node: ast.expr) -> str:
        target = node.func if isinstance(node, ast.Call) else node
        return target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""

    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if any(named(decorator) in ("command", "group") for decorator in node.decorator_list):
                doc = ast.get_docstring(node, clean=True)
                if doc:
                    yield node.body[0].lineno, None, doc, []
        elif isinstance(node, ast.Call):
            given = [kw.value for kw in node.keywords if kw.arg in HELP_KEYWORDS]
            if named(node) == "message_option" and node.args:
                given.append(node.args[0])
            for value in given:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                    yield value.lineno, None, inspect.cleandoc(value.value), []


class Words(dict[str, str]):
    """A table of messages (each marked `N_`) that answers in the reader's language: `LABELS["quit"]`."""

    def __getitem__(self, key: str) -> str:
        return translate(super().__getitem__(key))

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[key] if key in self else default

    def message(self, key: str) -> str:
        """The message itself, untranslated: for what is made once and said later (a column's heading)."""
        return super().__getitem__(key)
