"""What identifies a customer, and keeping one customer's identifiers out of another's pages.

Customer information is confidential (seed 000 安全管理, seed 002): a page
made for one customer must not show another customer's people, phones,
e-mail addresses, company names, addresses or contract ids — not even where an
engineer wrote them into a note ("same fault as at Beta Logistics; Li Lei,
020-3888 1234").  `Identifiers` collects them from records; `Redactor`
replaces every occurrence in a text by `[redacted]`:

* phones match with any spaces, dashes, dots or brackets between the digits
  (`0755-8600 1234` is `075586001234`);
* e-mail addresses, names and the rest match regardless of case; Latin
  words only as whole words (`Lei` does not hit `Leica`), Chinese names
  anywhere (Chinese text has no spaces between words);
* values shorter than three characters (two for Chinese) are not taken: they
  would hit everything.

A value that belongs to the customer being exported as well is not redacted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

REDACTED = "[redacted]"
# Keys whose text values identify a customer, wherever they occur in a record.
IDENTIFYING_KEYS = frozenset({"name", "company", "phone", "email", "address", "contract", "customer"})
_PHONE = re.compile(r"^\+?[\d\s\-.()]{7,}$")


@dataclass
class Identifiers:
    """The identifying values of a set of records (one customer's, or everyone else's)."""

    values: set[str] = field(default_factory=set)

    def add_record(self, data: Mapping[str, Any], customer_file: bool = False) -> None:
        """Collect from one record's front matter; a customer file's own `id` and `contract.id` count too."""
        for key, value in data.items():
            if key == "events":
                continue  # the activity log names staff; its free text is redacted, not collected
            self._collect(str(key), value, customer_file)

    def _collect(self, key: str, value: Any, customer_file: bool) -> None:
        if isinstance(value, Mapping):
            for sub_key, sub_value in value.items():
                self._collect(str(sub_key), sub_value, customer_file or key == "contract")
        elif isinstance(value, list):
            for item in value:
                self._collect(key, item, customer_file)
        elif isinstance(value, str) and (key in IDENTIFYING_KEYS or (customer_file and key == "id")):
            if _long_enough(value.strip()):
                self.values.add(value.strip())


def _long_enough(value: str) -> bool:
    return len(value) >= (2 if any(ord(ch) > 0x2E7F for ch in value) else 3)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


class Redactor:
    """Replaces every value of `others` that is not also one of `own` by [redacted]."""

    def __init__(self, others: Identifiers, own: Identifiers) -> None:
        own_folded = {v.casefold() for v in own.values}
        own_digits = {_digits(v) for v in own.values if _PHONE.match(v)}
        patterns = []
        for value in sorted(others.values, key=len, reverse=True):
            if value.casefold() in own_folded or (_PHONE.match(value) and _digits(value) in own_digits):
                continue
            patterns.append(_pattern(value))
        self._regex = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def text(self, value: str) -> str:
        return self._regex.sub(REDACTED, value) if self._regex else value

    def data(self, value: Any) -> Any:
        """Redact every text in a structure of dicts and lists."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return value


def _pattern(value: str) -> str:
    if _PHONE.match(value) and len(_digits(value)) >= 7:
        return r"(?<!\d)" + r"[\s\-.()]*".join(_digits(value)) + r"(?!\d)"
    escaped = r"\s+".join(re.escape(part) for part in value.split())
    if value.isascii():
        return rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])"
    return escaped


def identifiers_of(records: Iterable[tuple[Mapping[str, Any], bool]]) -> Identifiers:
    found = Identifiers()
    for data, customer_file in records:
        found.add_record(data, customer_file)
    return found
