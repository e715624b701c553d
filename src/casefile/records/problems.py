"""What is wrong with a record, and where in its file it sits.

A kind's schema check (`cases.schema`, `customers.model`, ...) reads the parsed
front matter (fast, plain data) with a `Checker` and returns `Problem`s keyed
by their place in the record (`("events", 3, "at")`); `locate` turns such a
key path into a line of the file, re-reading only the files that have problems
with the round-trip parser, which knows lines.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from casefile.i18n import _
from casefile.records.file import FIRST_YAML_LINE, split
from casefile.records.yamlio import RecordError, load_editable
from casefile.render.printable import control_character
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

KeyPath = tuple[str | int, ...]


class Problem(Struct, frozen=True):
    where: KeyPath
    message: str

    def key(self) -> str:
        text = ""
        for part in self.where:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text


class Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: KeyPath, message: str) -> None:
        self.problems.append(Problem(where, message))

    def text(self, data: Mapping[str, Any], key: str, where: KeyPath = (), required: bool = False) -> None:
        value = data.get(key)
        if value is None:
            if required:
                self.add((*where, key), _("{field} is required").format(field='.'.join(map(str, (*where, key)))))
            return
        if not isinstance(value, str):
            self.add((*where, key), _("{field} must be text; put it in quotes: '{value}'").format(field=_dotted(where, key), value=value))
        elif required and not value.strip():
            self.add((*where, key), _("{field} is empty").format(field=_dotted(where, key)))

    def line(self, data: Mapping[str, Any], key: str, where: KeyPath = (), required: bool = False) -> None:
        """One line of text: what `text` checks, and no newline or control character (an escape sequence
        in a title would act on every terminal that lists it)."""
        before = len(self.problems)
        self.text(data, key, where, required)
        value = data.get(key)
        if len(self.problems) == before and isinstance(value, str):
            char = control_character(value)
            if char is not None:
                self.add((*where, key), _("{field} contains {char}; it must be one line of plain text (retype it without)").format(field=_dotted(where, key), char=char))

    def choice(self, data: Mapping[str, Any], key: str, allowed: Collection[str], required: bool = True) -> None:
        value = data.get(key)
        if value is None:
            if required:
                self.add((key,), _("{key} is required").format(key=key))
            return
        if str(value) not in allowed or not isinstance(value, str):
            self.add((key,), _("{key} {value!r} is not one of: {choices}").format(key=key, value=value, choices=', '.join(sorted(allowed))))

    def instant(self, data: Mapping[str, Any], key: str, where: KeyPath = (), required: bool = False) -> None:
        value = data.get(key)
        if value is None:
            if required:
                self.add((*where, key), _("{field} is required").format(field=_dotted(where, key)))
            return
        try:
            parse_stored(str(value))
        except ValueError:
            self.add(
                (*where, key),
                _("{field} {value!r} is not a time with its offset, like 2026-11-22T09:14:00+08:00").format(field=_dotted(where, key), value=value),
            )

    def contract(self, contract: Any) -> None:
        """A service contract as a customer or a vendor file writes it: `{id, from, until}`, dates in order."""
        if contract is None:
            return
        if not isinstance(contract, dict):
            self.add(("contract",), _("contract must be a mapping with id, from and until"))
            return
        self.text(contract, "id", ("contract",))
        days = {}
        for key in ("from", "until"):
            value = contract.get(key)
            if value is None:
                continue
            try:
                days[key] = date.fromisoformat(str(value))
            except ValueError:
                self.add(("contract", key), _("contract.{key} {value!r} is not a date like 2026-01-01").format(key=key, value=value))
        if len(days) == 2 and days["until"] < days["from"]:
            self.add(("contract", "until"), _("the contract ends before it starts"))


def _dotted(where: KeyPath, key: str) -> str:
    return Problem((*where, key), "").key()


def locate(text: str, source: str, where: KeyPath) -> int | None:
    """The line of the file where the value at `where` is written."""
    try:
        data: Any = load_editable(split(text, source).header, source, FIRST_YAML_LINE)
    except RecordError:
        return None
    line = None
    for part in where:
        try:
            if isinstance(part, int):
                line = data.lc.item(part)[0]
            else:
                line = data.lc.key(part)[0] if part in data else line
                if part not in data:
                    break
            data = data[part]
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    return None if line is None else line + FIRST_YAML_LINE


def record_error(text: str, source: str, problem: Problem) -> RecordError:
    return RecordError(source, locate(text, source, problem.where), problem.message)
