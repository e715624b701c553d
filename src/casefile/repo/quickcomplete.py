"""Shell completion without click: the answer to a <Tab> from the stored command tree and the index.

Completion runs on every <Tab>.  Through click it costs the command tree (click and every command module a
word touches) before the first candidate; here it costs the stored table of that tree (`repo/quicktable.json`,
generated from the commands) and one read-only query of the index.  `casefile.__main__.main` asks this
module first when the shell sets `_CASEFILE_COMPLETE`; whatever it is not sure of — an option it does not
know, `--`, a chained group, the scripts themselves — it leaves to click (`answer` returns None), so the two never answer differently
(`tests/repo/test_quickcomplete.py` compares them word for word, every kind, every shell).

It follows click's own steps (`click.shell_completion`): split the words as the shell gave them, walk the
groups to the command being typed, then: an option name being typed; else the value of the option just
before; else the first argument not yet given; else the command's own words.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from casefile.repo.completion import complete as candidates
from casefile.repo.quicktable import COMPLETE_VAR, OPTIONS, SHELLS, TREE

Item = tuple[str, str, str | None]  # (type, value, help) as click's CompletionItem: type "plain", "file" or "dir"


class Unsure(Exception):
    """Not a case the fast path answers exactly as click would: click answers it."""


def answer(environ: Mapping[str, str]) -> str | None:
    """What click's `shell_complete` would print for this <Tab> (without its final newline), or None when
    click has to answer."""
    shell, _, instruction = environ.get(COMPLETE_VAR, "").partition("_")
    if instruction != "complete" or shell not in SHELLS:
        return None
    try:
        args, incomplete = _words(shell, environ)
        items = _complete(args, incomplete, environ)
    except (Unsure, KeyError, ValueError, IndexError):
        return None
    return "\n".join(_format(shell, *item) for item in items)


def _split(text: str) -> list[str]:
    """click's `split_arg_string`: shlex, keeping an unfinished quote's partial word."""
    import shlex

    lex = shlex.shlex(text, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:
        out.append(lex.token)
    return out


def _words(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str]:
    words = _split(environ["COMP_WORDS"])
    if shell == "fish":
        incomplete = environ["COMP_CWORD"]
        if incomplete:
            incomplete = _split(incomplete)[0]
        args = words[1:]
        if incomplete and args and args[-1] == incomplete:
            args.pop()
        return args, incomplete
    at = int(environ["COMP_CWORD"])
    return words[1:at], (words[at] if at < len(words) else "")


def _format(shell: str, kind: str, value: str, help_text: str | None = None) -> str:
    """click's `format_completion` of each shell."""
    if shell == "zsh":
        shown = help_text or "_"
        return f"{kind}\n{value.replace(':', chr(92) + ':') if shown != '_' else value}\n{shown}"
    if shell == "fish" and help_text:
        return f"{kind},{value}\t{help_text.replace(chr(10), chr(92) + 'n').replace(chr(9), ' ')}"
    return f"{kind},{value}"


class _Level:
    """One command on the way down: its node of the table and what its words gave."""

    def __init__(self, node: dict[str, Any]) -> None:
        self.node = node
        self.options = [OPTIONS[number] for number in node["o"]]
        self.given: dict[str, str | None] = {}  # parameter name -> value, for those on the command line
        self.positional: list[str] = []

    def option(self, word: str) -> Sequence[Any] | None:
        return next((o for o in self.options if word in o[1] or word in o[2]), None)


def _walk(args: list[str]) -> tuple[list[_Level], Sequence[Any] | None]:
    """The commands the words name, down to the one being typed, and the option (if any) whose value the
    last word left open."""
    levels = [_Level(TREE)]
    words = list(args)
    while words:
        level, word = levels[-1], words.pop(0)
        if word == "--":
            raise Unsure(word)
        if word.startswith("-") and len(word) > 1:
            name, equals, value = word.partition("=")
            option = level.option(name if equals and word.startswith("--") else word)
            if option is None or option[3] is None:
                raise Unsure(word)  # an unknown option, short flags run together, an option of an unusual kind
            if equals and word.startswith("--"):
                if option[3] != 1:
                    raise Unsure(word)
                level.given[option[0]] = value
            elif option[3] == 0:
                level.given[option[0]] = None
            elif not words:
                return levels, option
            else:
                value = words.pop(0)
                if value.startswith("-"):
                    raise Unsure(value)  # click's parser has its own rules for a value that looks like an option
                level.given[option[0]] = value
            continue
        if "c" in level.node:
            if level.node.get("chain"):
                raise Unsure(word)
            sub = level.node["c"].get(word)
            if sub is None:
                raise Unsure(word)
            if sub["a"] and "c" in sub or not sub["i"] and "c" not in sub:
                raise Unsure(word)  # none is: a group with arguments, a command that takes options only first
            levels.append(_Level(sub))
            continue
        level.positional.append(word)
    return levels, None


def _complete(args: list[str], incomplete: str, environ: Mapping[str, str]) -> list[Item]:
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _, incomplete = incomplete.partition("=")
        args = [*args, name]
    levels, open_option = _walk(args)
    level = levels[-1]
    if incomplete.startswith("-"):
        return _own_words(level, incomplete)
    if open_option is not None:
        if args[-1] not in open_option[1]:
            raise Unsure(args[-1])  # a secondary name: click finds no option for it
        return _values(open_option[6], incomplete, levels, environ)
    taken = len(level.positional)
    for index, (_name, nargs, values) in enumerate(level.node["a"]):
        if nargs == -1 or index >= taken:
            if nargs not in (1, -1) or any(n not in (1, -1) for _n, n, _v in level.node["a"][:index]):
                raise Unsure(str(nargs))
            return _values(values, incomplete, levels, environ)
    return _own_words(level, incomplete)


def _own_words(level: _Level, incomplete: str) -> list[Item]:
    """A command's own words: its subcommands (a group's), then its option names (when `incomplete` starts
    with neither a letter nor a digit), each not already given unless it may be given again."""
    found: list[Item] = []
    for name, sub in level.node.get("c", {}).items():
        if name.startswith(incomplete) and not sub["h"]:
            found.append(("plain", name, sub["s"]))
    if incomplete and not incomplete[0].isalnum():
        for option in level.options:
            if option[5] or (not option[4] and option[0] in level.given):
                continue
            found.extend(("plain", name, option[7]) for name in (*option[1], *option[2]) if name.startswith(incomplete))
    return found


def _values(values: Sequence[Any], incomplete: str, levels: list[_Level], environ: Mapping[str, str]) -> list[Item]:
    if not values:
        return []
    what = values[0]
    if what == "records":
        return [("plain", value, None) for value in candidates(values[1], incomplete, _repo(levels, environ))]
    if what == "choices":
        words, case_sensitive = values[1], values[2]
        if case_sensitive:
            return [("plain", word, None) for word in words if word.startswith(incomplete)]
        return [("plain", word, None) for word in words if word.lower().startswith(incomplete.lower())]
    if what == "path":
        return [(values[1], incomplete, None)]
    raise Unsure(what)


def _repo(levels: list[_Level], environ: Mapping[str, str]) -> str | None:
    """As `cli.completion._repo`: --repo after the command, else before it, else CASEFILE_REPO."""
    for level in reversed(levels):
        if "repo" in level.given:
            return level.given["repo"]
    return environ.get("CASEFILE_REPO") or None


def main() -> int | None:
    """Answer the shell and return 0, or None when click has to."""
    said = answer(os.environ)
    if said is None:
        return None
    import sys

    sys.stdout.buffer.write(said.encode() + b"\n")
    sys.stdout.flush()
    return 0
