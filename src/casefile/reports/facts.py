"""What reports read from one case record: who answered, who resolved, the handover, links.

Pure: plain front matter in (as the fast reader gives it), values out.  The
rules, written once for every report kind:

* the *responder* recorded the `responded` event (the first response);
* the *resolver* recorded the last `resolved` event; a resolution is *undone*
  when a `reopened` event follows it;
* the *handover to second line* is the first `assigned` or `escalated` event
  that moved the case to tier L2, L3 or vendor (functional escalation, seed
  004); a case opened straight into an engineer's hands is handed over at once;
* a case was *resolved at first contact* when its `first_contact` flag is true
  (`casefile resolve --first-contact`; a reopen clears it);
* a complaint *concerns* the cases it links with `rel: concerns`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.values import Struct
from casefile.worktime.clock import parse_stored
from casefile.i18n import _
from casefile.i18n import N_, Deferred, _, stored_text

SECOND_LINE = frozenset({"L2", "L3", "vendor"})
OPEN = frozenset({"open", "pending"})
DONE = frozenset({"resolved", "closed"})
# Events `casefile check` records: part of a case's history, not of its handling.
CHECK_EVENTS = frozenset({"warning", "breach", "ladder"})


def when(value: Any) -> datetime | None:
    return parse_stored(str(value)) if value else None


def opened_at(data: Mapping[str, Any]) -> datetime:
    value = when(data.get("opened_at"))
    if value is None:
        raise ValueError(_("the case has no opened_at"))
    return value


def events(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [e for e in data.get("events") or [] if isinstance(e, Mapping)]


def _fields(event: Mapping[str, Any]) -> Mapping[str, Any]:
    fields = event.get("fields")
    return fields if isinstance(fields, Mapping) else {}


def responder(data: Mapping[str, Any]) -> str | None:
    for event in events(data):
        if event.get("kind") == "responded":
            return str(event.get("by"))
    return None


def resolution_event(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The last `resolved` event."""
    found = [e for e in events(data) if e.get("kind") == "resolved"]
    return found[-1] if found else None


def resolver(data: Mapping[str, Any]) -> str | None:
    event = resolution_event(data)
    return str(event.get("by")) if event else None


def resolutions(data: Mapping[str, Any]) -> list[tuple[str, bool]]:
    """Every resolution: (who, undone by a later reopen)."""
    found: list[tuple[str, bool]] = []
    for event in events(data):
        if event.get("kind") == "resolved":
            found.append((str(event.get("by")), False))
        elif event.get("kind") == "reopened" and found:
            found = [(who, True) for who, _undone in found]
    return found


def is_resolved(data: Mapping[str, Any]) -> bool:
    return str(data.get("status")) in DONE


def handover_at(data: Mapping[str, Any]) -> datetime | None:
    """When the case first reached second line (L2, L3 or vendor), if it did."""
    for event in events(data):
        if event.get("kind") not in ("assigned", "escalated"):
            continue
        tier = _fields(event).get("tier")
        if isinstance(tier, Mapping) and tier.get("to") in SECOND_LINE:
            return when(event.get("at"))
    return None


def first_contact(data: Mapping[str, Any]) -> bool:
    return data.get("first_contact") is True


def linked(data: Mapping[str, Any], rel: str) -> list[str]:
    links = data.get("links") or []
    if not isinstance(links, list):
        return []
    return [str(link["to"]) for link in links if isinstance(link, Mapping) and link.get("rel") == rel
            and link.get("to")]


def caller_name(data: Mapping[str, Any]) -> str | None:
    caller = data.get("caller")
    return str(caller["name"]) if isinstance(caller, Mapping) and caller.get("name") else None


class Step(Struct, frozen=True):
    """One entry of a case's activity log, as reports show it."""

    at: datetime
    by: str
    kind: str
    text: str | Deferred | None  # an engine's words are made in the report's language when it is rendered
    detail: str | Deferred | None  # what changed: "→ li.na (L2)", "level C → B", "(Zhang Wei)"


def _to(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("to")
    return str(value) if value not in (None, "") else None


CHANGED_FIELDS = {"level": N_("level"), "type": N_("type"), "category": N_("category"), "title": N_("title"),
                  "customer": N_("customer")}


def detail(kind: str, fields: Mapping[str, Any]) -> str | Deferred | None:
    """A few words for the fields of an event, as the activity log shows them."""
    if kind in ("assigned", "escalated"):
        who, tier, role = _to(fields.get("assignee")), _to(fields.get("tier")), fields.get("role")
        words = " ".join(part for part in (who, f"({tier})" if tier else None) if part)
        target = str(role) if role else words
        return f"→ {target}" if target else None
    if kind == "changed":
        changes = [(key, _to({"to": v.get("from")}) or "—", _to(v) or "—")
                   for key, v in fields.items() if isinstance(v, Mapping) and key != "status"]
        if not changes:
            return None
        # The field's name in the report's language: "变更 级别 C → B", not "变更 level C → B".
        return Deferred(lambda: "; ".join(f"{_(CHANGED_FIELDS.get(key, key))} {old} → {new}"
                                          for key, old, new in changes))
    name = _to(fields.get("authorised_by" if kind == "remote" else "confirmed_by")) if kind in (
        "remote", "closed") else None
    return f"({name})" if name else None


def timeline(data: Mapping[str, Any], leave_out: Sequence[str] = ()) -> tuple[Step, ...]:
    steps = []
    for event in events(data):
        kind = str(event.get("kind"))
        at = when(event.get("at"))
        if kind in leave_out or at is None:
            continue
        text = event.get("text")
        said: str | Deferred | None = str(text) if text else None
        if event.get("text_key"):
            said = Deferred(lambda event=event: stored_text(event))  # type: ignore[misc]
        steps.append(Step(at, str(event.get("by") or ""), kind, said, detail(kind, _fields(event))))
    return tuple(steps)
