"""Inspection checklists: the system checks of a visit, per customer or system.

The policy may define checklists under `inspections.checklists` (a name and a
list of items); a customer's plan names the one to use (`checklist: network`).
Without one, the default below covers the running-status checks of seed 001
(customer visit, system operation checks and suggestions).
"""

from __future__ import annotations

from casefile.errors import CasefileError
from casefile.inspections.model import CheckResult, result_of
from casefile.policy.inspections import Checklist
from casefile.i18n import _


def parse_check(text: str) -> tuple[str, CheckResult, str]:
    """`ITEM=RESULT` or `ITEM=RESULT:NOTE` from the command line."""
    key, sep, rest = text.partition("=")
    if not sep or not key.strip():
        raise CasefileError(_("cannot read the check {text!r}").format(text=text), _("write it as ITEM=RESULT or ITEM=RESULT:NOTE"))
    result, __, note = rest.partition(":")
    return key.strip(), result_of(result.strip()), note.strip()


def fill(
    checklist: Checklist, given: list[tuple[str, CheckResult, str]], rest: CheckResult
) -> list[dict[str, str]]:
    """One entry per checklist item, in the checklist's order; items not given get `rest`."""
    answers: dict[str, tuple[CheckResult, str]] = {}
    for key, result, note in given:
        checklist.item(key)
        if key in answers:
            raise CasefileError(_("the check {key!r} is given twice").format(key=key))
        answers[key] = (result, note)
    rows = []
    for item in checklist.items:
        result, note = answers.get(item.key, (rest, ""))
        row = {"item": item.key, "result": str(result)}
        if note:
            row["note"] = note
        rows.append(row)
    return rows
