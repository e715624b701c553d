"""What identifies a customer, and keeping one customer's identifiers out of another's pages.

Customer information is confidential (seed 000 安全管理, seed 002): a page
made for one customer must not show another customer's people, phones,
e-mail addresses, company names, addresses or contract ids — not even where an
engineer wrote them into a note ("same fault as at Beta Logistics; Li Lei,
020-3888 1234").  `Identifiers` collects them from records; `Redactor`
replaces every occurrence in a text by `[redacted]`:

* phones are read with `phonenumbers` (Google's libphonenumber) as Chinese
  numbers and compared as E.164, so `+86 755 83345678`, `0086 755 83345678` and
  `0755-83345678` are one number, whatever the separators; as a second net, the
  digits match with any spaces, dashes, dots or brackets between them;
* company names match with and without their legal suffix (`Beta Logistics`
  for `Beta Logistics Co., Ltd.`, `贝塔物流` for `贝塔物流有限公司`);
* another customer's mail domain (`beta-logistics.example`, not a public
  one such as qq.com), contract ids, and its assets' serials, models and sites
  are taken too;
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
from typing import Any

import phonenumbers

from casefile.values import Struct, field

REDACTED = "[redacted]"
# Keys whose text values identify a customer, wherever they occur in a record.
IDENTIFYING_KEYS = frozenset({"name", "company", "phone", "mobile", "email", "address", "contract", "customer",
                              "serial", "new_serial", "model", "location", "site", "hostname", "short_name"})
_PHONE = re.compile(r"^\+?[\d\s\-.()]{7,}$")
REGION = "CN"
# Mail domains many customers share: never a customer's identifier.
PUBLIC_DOMAINS = frozenset({"qq.com", "163.com", "126.com", "sina.com", "sohu.com", "139.com", "yeah.net",
                            "aliyun.com", "foxmail.com", "gmail.com", "outlook.com", "hotmail.com", "yahoo.com",
                            "icloud.com", "example.com", "example.org", "example.net"})
_LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]*(?:co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|incorporated|corp\.?|corporation|"
    r"llc|gmbh|plc|s\.a\.|股份有限公司|有限责任公司|有限公司|集团公司|集团|公司))+$", re.IGNORECASE)


def e164(text: str) -> str | None:
    """A phone number as E.164 (`+8675583345678`), read as a Chinese number; None if it is not one."""
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones_in(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, E.164) of every phone number written in `text`, in any format."""
    for match in phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        start = match.start
        if match.raw_string.startswith("(") and ")" not in match.raw_string:
            start += 1  # "(020 3888 1234, ...)": the bracket opens the remark, not the area code
        yield start, match.end, phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)


def _national(number: str) -> str | None:
    try:
        return str(phonenumbers.parse(number, REGION).national_number)
    except phonenumbers.NumberParseException:
        return None


def without_legal_suffix(name: str) -> str:
    return _LEGAL_SUFFIX.sub("", name.strip()).strip(" ,")


class Identifiers(Struct):
    """The identifying values of a set of records (one customer's, or everyone else's)."""

    values: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)  # E.164

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
        elif isinstance(value, (str, int)) and not isinstance(value, bool) \
                and (key in IDENTIFYING_KEYS or (customer_file and key == "id")):
            self.add(key, str(value).strip())

    def add(self, key: str, value: str) -> None:
        if not _long_enough(value):
            return
        self.values.add(value)
        if key in ("phone", "mobile") or _PHONE.match(value):
            number = e164(value)
            if number:
                self.phones.add(number)
        if "@" in value and key == "email":
            domain = value.rsplit("@", 1)[1].casefold()
            if domain not in PUBLIC_DOMAINS and "." in domain:
                self.values.add(domain)
        if key in ("name", "company", "short_name"):
            short = without_legal_suffix(value)
            if short != value and _long_enough(short):
                self.values.add(short)


def _long_enough(value: str) -> bool:
    return len(value) >= (2 if any(ord(ch) > 0x2E7F for ch in value) else 3)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


class Redactor:
    """Replaces every value of `others` that is not also one of `own` by [redacted]."""

    def __init__(self, others: Identifiers, own: Identifiers) -> None:
        self._phones = others.phones - own.phones
        own_folded = {v.casefold() for v in own.values}
        national = sorted({n for n in (_national(number) for number in self._phones) if n is not None}, key=len,
                          reverse=True)
        # The second net, for what the matcher does not take for a number ("020-38881234 / 0755 ..."): the
        # national number with any separators, after an optional +86 / 0086 and trunk 0.
        self._national = re.compile(
            r"(?<![\d+])(?:(?:\+|00)[\s\-.]*86[\s\-.()]*)?\(?0?\)?[\s\-.()]*(?:"
            + "|".join(r"[\s\-.()]*".join(digits) for digits in national if digits) + r")(?!\d)"
        ) if national else None
        own_digits = {_digits(v) for v in own.values if _PHONE.match(v)}
        patterns = []
        for value in sorted(others.values, key=len, reverse=True):
            if value.casefold() in own_folded or (_PHONE.match(value) and _digits(value) in own_digits):
                continue
            patterns.append(_pattern(value))
        self._regex = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def text(self, value: str) -> str:
        if self._phones and any(ch.isdigit() for ch in value):
            value = self._redact_phones(value)
            if self._national is not None:
                value = self._national.sub(REDACTED, value)
        return self._regex.sub(REDACTED, value) if self._regex else value

    def _redact_phones(self, value: str) -> str:
        pieces, last = [], 0
        for start, end, number in phones_in(value):
            if number in self._phones:
                pieces += [value[last:start], REDACTED]
                last = end
        return "".join(pieces) + value[last:] if pieces else value

    def data(self, value: Any) -> Any:
        """Redact every text in a structure of mappings, lists and tuples (keys too), whatever it holds:
        numbers and other values are redacted as their text."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.data(k): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple, set, frozenset)):
            return type(value)(self.data(v) for v in value) if not isinstance(value, (set, frozenset)) \
                else [self.data(v) for v in sorted(value, key=str)]
        if value is None or isinstance(value, bool):
            return value
        text = str(value)
        redacted = self.text(text)
        return value if redacted == text else redacted


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
