"""The steps of a problem's life, as pure operations on its front matter: values in, a `Change` out.

Each step refuses what does not fit the problem's status with a one-line
reason and a hint; the work module commits what a step did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from casefile.errors import CasefileError
from casefile.problems.model import FIELD_ORDER, ProblemEvent, ProblemStatus, incidents_of
from casefile.records import yamlio
from casefile.records.change import Change
from casefile.records.fieldorder import set_in_order
from casefile.i18n import _


class ProblemRefused(CasefileError):
    pass


def new_problem_data(ident: str, title: str, at: str, by: str, customer: str | None = None,
                     category: str | None = None, asset: str | None = None, how: str = "Opened") -> dict[str, Any]:
    """The front matter of a new problem (its incidents are linked by `link`, in the same commit)."""
    if not title.strip():
        raise ProblemRefused(_("the problem's title is empty"), _("give it: --title \"Core switch drops its uplink\""))
    data: dict[str, Any] = {
        "id": ident, "title": title.strip(), "status": str(ProblemStatus.OPEN), "customer": customer or None,
        "category": category or None, "asset": asset or None, "incidents": yamlio.new_seq([]), "root_cause": None,
        "workaround": None, "article": None, "resolution": None, "opened_at": at, "opened_by": by,
        "known_error_at": None, "resolved_at": None, "closed_at": None,
        "events": yamlio.to_block([{"at": at, "by": by, "kind": str(ProblemEvent.OPENED), "text": how}]),
    }
    return data


def _event(data: Any, at: str, by: str, kind: ProblemEvent, text: str | None = None,
           fields: Mapping[str, Any] | None = None) -> None:
    event: dict[str, Any] = {"at": at, "by": by, "kind": str(kind)}
    if text:
        event["text"] = text
    if fields:
        event["fields"] = yamlio.to_block(dict(fields))
    if not isinstance(data.get("events"), list):
        set_in_order(data, "events", yamlio.new_seq([]), FIELD_ORDER)
    yamlio.append_block(data["events"], yamlio.new_map(event))


def _status(data: Any) -> ProblemStatus:
    try:
        return ProblemStatus(str(data.get("status")))
    except ValueError:
        return ProblemStatus.OPEN


def _refuse_closed(data: Any, what: str) -> None:
    if _status(data) is ProblemStatus.CLOSED:
        raise ProblemRefused(_("{get} is closed; {what} needs an open problem").format(get=data.get('id'), what=what),
                             _("open a new problem: casefile problem open --title ..."))


def link(data: Any, at: str, by: str, cases: Sequence[str]) -> Change:
    """Add incidents (case numbers as stored) to the problem; refuses when all are linked already."""
    _refuse_closed(data, "linking incidents")
    have = incidents_of(data)
    new = [case for case in dict.fromkeys(cases) if case not in have]
    if not new:
        raise ProblemRefused(_("{get} already links {names}").format(get=data.get('id'), names=', '.join(cases)), _("`casefile problem show` lists them"))
    if not isinstance(data.get("incidents"), list):
        set_in_order(data, "incidents", yamlio.new_seq([]), FIELD_ORDER)
    for case in new:
        yamlio.append_block(data["incidents"], case)
    _event(data, at, by, ProblemEvent.LINKED, f"Linked {', '.join(new)}", {"incidents": list(new)})
    return Change("problem-link", f"link {', '.join(new)}")


def note(data: Any, at: str, by: str, text: str | None, root_cause: str | None = None,
         workaround: str | None = None, article: str | None = None) -> Change:
    """A note, and what it establishes: the root cause, a workaround, the article of the known error.
    With both a root cause and a workaround the problem is a known error."""
    _refuse_closed(data, "a note")
    fields = {key: value.strip() for key, value in (("root_cause", root_cause), ("workaround", workaround),
                                                     ("article", article)) if value and value.strip()}
    if not (text and text.strip()) and not fields:
        raise ProblemRefused(_("the note is empty"), _("say what was found: -m \"...\" (or --root-cause, --workaround, --article)"))
    for key, value in fields.items():
        set_in_order(data, key, value, FIELD_ORDER)
    _event(data, at, by, ProblemEvent.NOTE, (text or "").strip() or None, fields)
    words = "note" if not fields else f"note ({', '.join(key.replace('_', ' ') for key in fields)})"
    if _status(data) is ProblemStatus.OPEN and data.get("root_cause") and data.get("workaround"):
        set_in_order(data, "status", str(ProblemStatus.KNOWN_ERROR), FIELD_ORDER)
        set_in_order(data, "known_error_at", at, FIELD_ORDER)
        _event(data, at, by, ProblemEvent.KNOWN_ERROR, "Root cause and workaround known",
               {"status": {"from": "open", "to": str(ProblemStatus.KNOWN_ERROR)}})
        words += "; known error"
    return Change("problem-note", words)


def resolve(data: Any, at: str, by: str, text: str | None) -> Change:
    """The cause is removed: the resolution says how."""
    status = _status(data)
    if status not in (ProblemStatus.OPEN, ProblemStatus.KNOWN_ERROR):
        raise ProblemRefused(_("{get} is {status} already").format(get=data.get('id'), status=status), _("`casefile problem show` says what happened"))
    if not (text and text.strip()):
        raise ProblemRefused(_("say how the cause was removed"), _("-m \"MPU firmware upgraded to 17.9.4 on both units\""))
    set_in_order(data, "status", str(ProblemStatus.RESOLVED), FIELD_ORDER)
    set_in_order(data, "resolution", text.strip(), FIELD_ORDER)
    set_in_order(data, "resolved_at", at, FIELD_ORDER)
    _event(data, at, by, ProblemEvent.RESOLVED, text.strip(), {"status": {"from": str(status), "to": "resolved"}})
    return Change("problem-resolve", "resolve")


def close(data: Any, at: str, by: str, text: str | None) -> Change:
    """Closed after the resolution held."""
    status = _status(data)
    if status is not ProblemStatus.RESOLVED:
        raise ProblemRefused(_("{get} is {status}; a problem is closed once resolved").format(get=data.get('id'), status=status),
                             _("resolve it first: casefile problem resolve {get} -m \"...\"").format(get=data.get("id")))
    set_in_order(data, "status", str(ProblemStatus.CLOSED), FIELD_ORDER)
    set_in_order(data, "closed_at", at, FIELD_ORDER)
    _event(data, at, by, ProblemEvent.CLOSED, (text or "").strip() or None, {"status": {"from": "resolved", "to": "closed"}})
    return Change("problem-close", "close")
