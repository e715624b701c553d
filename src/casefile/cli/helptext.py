"""`--help` in the reader's language: click is given its help texts when the commands are imported, before the
language is chosen, so casefile's commands translate them when click formats the help.

The texts are English messages of the catalogs like any other: `pybabel extract` finds each command's docstring
and each `help=` (`i18n.extract_with_help`, babel.cfg) and `tests/cli/test_help_language.py` walks the whole
command tree and fails on a help text that has no Chinese.  click's own words ("Usage:", "Options:", "Show this
message and exit.") come from `locale/<lang>/LC_MESSAGES/click.po` (`cli._click_speaks_casefile`).

Every command is made with `cls=Command` (a group with `cls=Group`, whose subcommands are then `Command`s).
A Chinese help is wrapped by display width (a Chinese character takes two columns and a line may break between
two of them), which click's own wrapping, counting characters and breaking at spaces, does not do.
"""

from __future__ import annotations

import copy
import inspect
from gettext import gettext as click_words  # click's own words, answered from click.po once the CLI speaks
from typing import Any

import click

from casefile.i18n import SOURCE, current, translate

HELP_OPTION = "Show this message and exit."  # click's message (click.po) for `--help`

# a line never starts with these: they stay with the character before them
CLOSING = set("，。、；：！？）》」』】%,.;:!?)")


def help_words(text: str | None) -> str:
    """A help text as the reader reads it: casefile's catalog, else click's (`--version`'s "Show the version and
    exit."), else the English as it is."""
    if not text:
        return ""
    message = inspect.cleandoc(text)
    if current() == SOURCE:
        return message
    said = translate(message)
    return said if said != message else translate(message, domain="click")


def param_help(param: click.Parameter) -> str | None:
    """The help a parameter has, as click keeps it (an Argument has one only since click 8.3)."""
    value = getattr(param, "help", None)
    return value if isinstance(value, str) else None


def width(text: str) -> int:
    """Display columns (wcwidth, loaded only when a help is formatted: every command imports this module)."""
    from casefile.render.width import width as columns

    return columns(text)


def fit(text: str, limit: int) -> str:
    from casefile.render.width import fit as cut

    return cut(text, limit)


def _wide(text: str) -> bool:
    return width(text) != len(text)


def _chunks(text: str) -> list[str]:
    """Where a line may break: at a space, and between two Chinese characters (not before closing punctuation);
    never inside click's `[默认：auto; 必填]`."""
    chunks: list[str] = []
    bracket = False
    for char in text:
        if bracket:
            chunks[-1] += char
            bracket = char != "]"
        elif char == "[":
            chunks.append(char)
            bracket = True
        elif char == " ":
            chunks.append(char)
        elif not chunks or chunks[-1] == " ":
            chunks.append(char)
        elif char in CLOSING or not (_wide(char) or _wide(chunks[-1][-1])):
            chunks[-1] += char  # within a word, or punctuation kept with what it closes
        else:
            chunks.append(char)
    return chunks


def fill(text: str, columns: int, first: str = "", rest: str = "") -> list[str]:
    """One paragraph filled to `columns` display columns, greedily, as textwrap fills English."""
    lines: list[str] = []
    line, used, indent = "", 0, first
    for chunk in _chunks(" ".join(text.split())):
        if chunk == " ":
            if line:
                line, used = line + chunk, used + 1
            continue
        size = width(chunk)
        if line and width(indent) + used + size > columns:
            lines.append(indent + line.rstrip())
            line, used, indent = "", 0, rest
        line, used = line + chunk, used + size
    if line or not lines:
        lines.append(indent + line.rstrip())
    return lines


def wrap_text(text: str, columns: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """click's `wrap_text(..., preserve_paragraphs=True)`, measured in display columns: paragraphs keep their
    indentation, a paragraph after a line holding only `\\b` is kept as written."""
    paragraphs: list[tuple[int, bool, list[str]]] = []
    block: list[str] = []
    indent = 0
    for line in [*text.expandtabs().splitlines(), ""]:
        if line:
            if not block:
                indent = len(line) - len(line.lstrip())
            block.append(line if block and block[0].strip() == "\b" else line.lstrip())
            continue
        if block:
            raw = block[0].strip() == "\b"
            paragraphs.append((indent, raw, block[1:] if raw else block))
            block = []
    out = []
    for number, (extra, raw, lines) in enumerate(paragraphs):
        first = (initial_indent if number == 0 else subsequent_indent) + " " * extra
        rest = subsequent_indent + " " * extra
        if raw:
            out.append("\n".join((first if i == 0 else rest) + line for i, line in enumerate(lines)))
        else:
            out.append("\n".join(fill(" ".join(lines), columns, first, rest)))
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """click's formatter; for a reader of another language than English, a text with Chinese in it is wrapped
    by display width (`wrap_text`) and a heading ends in the full-width colon.  English is click's own, as it was.
    """

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and current() != SOURCE:
            said = click_words("Usage:")
            prefix = said if said.endswith("：") else f"{said} "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        if current() != SOURCE and _wide(heading):
            self.write(f"{'':>{self.current_indent}}{heading}：\n")
            return
        super().write_heading(heading)

    def write_text(self, text: str) -> None:
        if current() == SOURCE or not _wide(text):
            super().write_text(text)
            return
        indent = " " * self.current_indent
        self.write(wrap_text(text, self.width, indent, indent))
        self.write("\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if current() == SOURCE or not any(_wide(second) for _, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_text(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


class Context(click.Context):
    formatter_class = HelpFormatter


class Speaks(click.Command):
    """What click shows of a command — its help, its one-line summary, its options' help — in the reader's
    language; parsing and running are click's own."""

    context_class = Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """click makes `--help` once per command with its words of that moment: keep the English message, said
        in the reader's language when shown (one process may show help in both: the tests)."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # casefile deprecates no command; click's own label is kept for one that would be
        text = help_words(self.help).partition("\f")[0]
        if self.deprecated:
            label = f"({click_words('deprecated').upper()})"
            text = f"{text} {label}" if text else label
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        """English: click's own.  Another language: the first sentence of the translated help (or short_help),
        cut to `limit` display columns."""
        said = help_words(self.short_help or self.help)
        if current() == SOURCE or not said:
            return super().get_short_help_str(limit)
        paragraph = " ".join(said.split("\n\n")[0].split())
        sentence = paragraph.split("。")[0] + ("。" if "。" in paragraph else "")
        return fit(sentence, limit).strip()

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                continue
            shown = param
            if param_help(param):
                shown = copy.copy(param)
                shown.help = help_words(param_help(param))  # type: ignore[attr-defined]
            row = shown.get_help_record(ctx)
            if row is not None:
                rows.append(row)
        if rows:
            with formatter.section(click_words("Options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class Command(Speaks):
    """A casefile command: `@click.command(cls=Command)`."""


class Group(Speaks, click.Group):
    """A casefile group: `@click.group(cls=Group)`; its subcommands are `Command`s, its subgroups `Group`s."""

    command_class = Command
    group_class = type  # a subgroup is made with this group's own class

