"""Case numbers: `KMT-00417` — a station code and that station's own counter.

Every clone of a case repository writes cases under its own *station*: three
letters, claimed once per clone by committing `stations/KMT.yaml`.  A clone
numbers its cases 00001, 00002, … under its station, so two clones can never
hand out the same number, however long they work offline — uniqueness comes
from the construction, not from looking at other branches.

The alphabet has no vowels (no accidental words; no O or I to mistake for 0 or 1)
and no L (mistaken for 1), so a number read out on the phone is unambiguous:
"K-M-T, four-one-seven".  Nine characters; people may type `kmt-417`.

A station is claimed at random among the codes not already claimed in the
history this clone has seen; `casefile sync` reports two clones that claimed
the same code while both were offline before either pushed (1 in 8,000 for two
fresh clones), and such a clone then claims a new code for its next cases.
"""

from __future__ import annotations

import re

from casefile.errors import CasefileError, NotFound
from casefile.i18n import _

ALPHABET = "BCDFGHJKMNPQRSTVWXYZ"
MAX_SEQUENCE = 99_999
# A case number as stored: three letters of the alphabet, a dash, five digits.
CASE_NUMBER_TEXT = rf"^[{ALPHABET}]{{3}}-\d{{5}}$"
_TYPED = re.compile(rf"^([{ALPHABET}]{{3}})-?(\d{{1,5}})$")  # what people type: kmt-417


class CaseNotFound(NotFound):
    def __init__(self, case_id: str) -> None:
        super().__init__(_("no case {case_id}").format(case_id=case_id), _("try `casefile list --all`"))


class BadCaseNumber(CasefileError):
    def __init__(self, text: str) -> None:
        super().__init__(
            _("{text!r} is not a case number").format(text=text),
            _("case numbers look like KMT-00417; `casefile list --all` shows them"),
        )


_OWN = re.compile(r"^\d{1,5}$")  # `417`: this clone's own station's case 417


def parse_case_number(text: str, station: str | None = None) -> str:
    """Normalise `kmt-417`, `KMT00417` or `KMT-00417` to `KMT-00417`; `417` is `station`'s 417."""
    if _OWN.match(text.strip()):
        if int(text) == 0 or station is None:
            raise BadCaseNumber(text)  # as before: callers reading records catch this one
        return format_case_number(station, int(text))
    match = _TYPED.match(text.strip().upper())
    if not match or int(match.group(2)) == 0:
        raise BadCaseNumber(text)
    return format_case_number(match.group(1), int(match.group(2)))


def format_case_number(station: str, sequence: int) -> str:
    return f"{station}-{sequence:05d}"
