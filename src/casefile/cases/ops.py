"""The case lifecycle: what each step changes, and which steps are refused.

Each function changes a `CaseDoc` in place — fields, pauses and one activity
event that records the change (every status, level and assignment change is
in the log) — and returns the `Change`: the action and the words of the commit.  They take the
time and the actor as values and touch no file, so they are tested directly.

    open ──pend──> pending ──resume──> open ──resolve──> resolved ──close──> closed
      └───────────────resolve──────────────┘      ▲          └──reopen──> open
                                                  └──────────reopen───────┘
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.cases.model import (
    AFTER_CLOSE,
    CaseDoc,
    CaseType,
    EventKind,
    NoteKind,
    ReplyKind,
    Status,
    Tier,
    Visibility,
    WaitingOn,
    change,
)
from casefile.errors import CasefileError
from casefile.records import yamlio
from casefile.records.change import Change
from casefile.values import Struct
from casefile.worktime.clock import parse_stored
from casefile.i18n import _
from casefile.cases.vocabulary import STATUS_WORDS, word


class WorkflowError(CasefileError):
    pass


SUBSTANTIATED = "substantiated"
UNSUBSTANTIATED = "unsubstantiated"
FINDINGS = (SUBSTANTIATED, UNSUBSTANTIATED)


class Verdict(Struct, frozen=True):
    """How a complaint was judged: substantiated or not, and the engineer it is about (seed 002)."""

    finding: str
    engineer: str | None = None


def record_verdict(doc: CaseDoc, verdict: Verdict) -> None:
    """A complaint's verdict, recorded with its resolution: a substantiated one counts against the engineer."""
    if doc.get("type") != CaseType.COMPLAINT:
        raise WorkflowError(_("{id} is not a complaint; only complaints have a verdict").format(id=doc.id), _("leave out --verdict"))
    if verdict.finding not in FINDINGS:
        raise WorkflowError(_("verdict {finding!r} is not one of: {names}").format(finding=verdict.finding, names=', '.join(FINDINGS)))
    if verdict.finding == SUBSTANTIATED and not verdict.engineer:
        raise WorkflowError(_("a substantiated complaint names the engineer it is about"),
                            _("say who: --against HANDLE (default: the owner of the case it concerns)"))
    value = {"finding": verdict.finding}
    if verdict.engineer:
        value["engineer"] = verdict.engineer
    doc.set("verdict", yamlio.new_map(value))


def _refuse_closed(doc: CaseDoc, doing: str) -> None:
    if doc.status is Status.CLOSED:
        raise WorkflowError(
            _("{id} is closed; cannot {doing}").format(id=doc.id, doing=doing),
            _("reopen it first: casefile reopen {id} --reason ...").format(id=doc.id),
        )


def _end_pause(doc: CaseDoc, at: str) -> None:
    pause = doc.open_pause()
    if pause is not None:
        pause["until"] = at  # type: ignore[index]


def _status_to(doc: CaseDoc, new: Status) -> dict[str, Any]:
    old = doc.status
    doc.set("status", str(new))
    return {"status": change(str(old), str(new))}


def _need_text(text: str | None, what: str, option: str) -> str:
    if not text or not text.strip():
        raise WorkflowError(_("{what} is empty").format(what=what), _("say it with {option}").format(option=option))
    return text.strip()


def assign(doc: CaseDoc, at: str, by: str, engineer: str, tier: Tier | None) -> Change:
    _refuse_closed(doc, "assign it")
    old_engineer, old_tier = doc.get("assignee"), doc.get("tier")
    new_tier = str(tier) if tier else old_tier
    if old_engineer == engineer and old_tier == new_tier:
        raise WorkflowError(_("{id} is already assigned to {engineer} ({value})").format(id=doc.id, engineer=engineer, value=new_tier or 'no tier'))
    fields: dict[str, Any] = {}
    if old_engineer != engineer:
        fields["assignee"] = change(old_engineer, engineer)
        doc.set("assignee", engineer)
    if old_tier != new_tier:
        fields["tier"] = change(old_tier, new_tier)
        doc.set("tier", new_tier)
    doc.add_event(at, by, EventKind.ASSIGNED, fields=fields)
    tier_words = f" ({new_tier})" if new_tier else ""
    if old_tier and new_tier and old_tier != new_tier:
        tier_words = f" ({old_tier} -> {new_tier})"
    return Change("assign", f"assign to {engineer}{tier_words}")


def respond(doc: CaseDoc, at: str, by: str, text: str | None) -> Change:
    _refuse_closed(doc, "respond to it")
    if doc.get("responded_at"):
        raise WorkflowError(
            _("{id} already had its first response at {get}").format(id=doc.id, get=doc.get('responded_at')),
            _("record further replies with: casefile note {id} --kind reply -m ...").format(id=doc.id),
        )
    doc.set("responded_at", at)
    doc.add_event(at, by, EventKind.RESPONDED, _need_text(text, "the response", "-m"))
    return Change("respond", "first response")


def note(
    doc: CaseDoc,
    at: str,
    by: str,
    text: str | None,
    kind: NoteKind = NoteKind.NOTE,
    authorised_by: str | None = None,
    dispatched_at: str | None = None,
    arrived_at: str | None = None,
) -> Change:
    if doc.status is Status.CLOSED and kind not in AFTER_CLOSE:
        raise WorkflowError(
            _("{id} is closed; only the incident report, call-backs and vendor notes are added to a closed case").format(id=doc.id),
            _("use --kind report, callback or vendor, or reopen it: casefile reopen {id} --reason ...").format(id=doc.id),
        )
    fields: dict[str, Any] = {}
    if kind is NoteKind.REMOTE:
        if not authorised_by:
            raise WorkflowError(
                _("a remote session needs the customer's authorisation (seed 001)"),
                _("say who authorised it: --authorised-by NAME"),
            )
        fields["authorised_by"] = authorised_by
    elif authorised_by:
        raise WorkflowError(_("--authorised-by is for remote sessions"), _("use it with --kind remote"))
    if kind is NoteKind.ONSITE:
        fields["dispatched_at"] = dispatched_at or at
        if arrived_at:
            if parse_stored(arrived_at) < parse_stored(fields["dispatched_at"]):
                raise WorkflowError(_("the engineer cannot arrive before being dispatched"), _("check --arrived-at"))
            fields["arrived_at"] = arrived_at
            if not doc.get("onsite_at"):
                doc.set("onsite_at", arrived_at)
    elif dispatched_at or arrived_at:
        raise WorkflowError(_("--dispatched-at and --arrived-at are for on-site visits"), _("use them with --kind onsite"))
    doc.add_event(at, by, str(kind), _need_text(text, "the note", "-m"), fields or None, Visibility.INTERNAL)
    return Change("note", "note" if kind is NoteKind.NOTE else f"{kind} note")


def reply(doc: CaseDoc, at: str, by: str, text: str | None, kind: ReplyKind = ReplyKind.REPLY) -> Change:
    """A customer-visible entry: what the customer is told (and mailed, as the policy says)."""
    if kind is not ReplyKind.REPORT:  # the incident report (seed 003) may come after the close
        _refuse_closed(doc, "reply on it")
    doc.add_event(at, by, str(kind), _need_text(text, "the reply", "-m"), None, Visibility.CUSTOMER)
    return Change("reply", "reply to the customer" if kind is ReplyKind.REPLY else f"{kind} report to the customer")


def pend(doc: CaseDoc, at: str, by: str, reason: str | None, waiting_on: WaitingOn) -> Change:
    _refuse_closed(doc, "pend it")
    if doc.status is not Status.OPEN:
        raise WorkflowError(_("{id} is {status}, not open; only open cases can wait").format(id=doc.id, status=word(STATUS_WORDS, doc.status)))
    reason = _need_text(reason, "the reason", "--reason")
    fields = _status_to(doc, Status.PENDING)
    fields["waiting_on"] = str(waiting_on)
    doc.add_pause(at, str(waiting_on), reason)
    doc.add_event(at, by, EventKind.PAUSED, reason, fields)
    return Change("pend", f"waiting for {waiting_on}")


def resume(doc: CaseDoc, at: str, by: str, text: str | None) -> Change:
    if doc.status is not Status.PENDING:
        raise WorkflowError(_("{id} is {status}, not pending; nothing to resume").format(id=doc.id, status=word(STATUS_WORDS, doc.status)))
    _end_pause(doc, at)
    fields = _status_to(doc, Status.OPEN)
    doc.add_event(at, by, EventKind.RESUMED, (text or "").strip() or None, fields)
    return Change("resume", "resume work")


def resolve(doc: CaseDoc, at: str, by: str, text: str | None, first_contact: bool = False) -> Change:
    """Service restored; `first_contact`: the desk resolved it at the customer's first contact (seed 004 KPI)."""
    if doc.status not in (Status.OPEN, Status.PENDING):
        raise WorkflowError(
            _("{id} is {status}; only open or pending cases can be resolved").format(id=doc.id, status=word(STATUS_WORDS, doc.status)),
            f"reopen it first: casefile reopen {doc.id} --reason ..." if doc.status is Status.CLOSED else None,
        )
    resolution = _need_text(text, "the resolution", "-m")
    _end_pause(doc, at)
    fields = _status_to(doc, Status.RESOLVED)
    doc.set("resolved_at", at)
    doc.set("resolution", resolution)
    if first_contact:
        doc.set("first_contact", True)
        fields["first_contact"] = True
    verdict = doc.get("verdict")
    if isinstance(verdict, Mapping) and verdict.get("finding"):
        fields["verdict"] = dict(verdict)
    doc.add_event(at, by, EventKind.RESOLVED, resolution, fields)
    return Change("resolve", "resolved at first contact" if first_contact else "resolved (service restored)")


def close(
    doc: CaseDoc, at: str, by: str, confirmed_by: str | None, text: str | None = None, early: bool = False
) -> Change:
    if doc.status is Status.CLOSED:
        raise WorkflowError(_("{id} is already closed").format(id=doc.id))
    if not confirmed_by or not confirmed_by.strip():
        raise WorkflowError(
            _("closing needs the customer's confirmation (seed 002)"),
            _("say who confirmed: --confirmed-by NAME"),
        )
    if doc.get("type") == CaseType.COMPLAINT and (doc.status is not Status.RESOLVED or not doc.get("resolution")):
        # seed 002: a complaint is settled, recorded and confirmed by the customer before it closes
        raise WorkflowError(
            f"{doc.id} is a complaint and has no recorded resolution; it cannot be closed"
            + (" early" if early else ""),
            _("record how it was settled first: casefile resolve {id} -m ...").format(id=doc.id),
        )
    if doc.status is not Status.RESOLVED and not early:
        raise WorkflowError(
            _("{id} is {status}, not resolved").format(id=doc.id, status=word(STATUS_WORDS, doc.status)),
            _("resolve it first, or close it at the customer's request with --early"),
        )
    _end_pause(doc, at)
    fields = _status_to(doc, Status.CLOSED)
    fields["confirmed_by"] = confirmed_by.strip()
    if early:
        fields["early"] = True
    doc.set("closed_at", at)
    doc.set("confirmed_by", confirmed_by.strip())
    doc.add_event(at, by, EventKind.CLOSED, (text or "").strip() or None, fields)
    return Change("close", f"closed, confirmed by {confirmed_by.strip()}" + (" (early)" if early else ""))


def reopen(doc: CaseDoc, at: str, by: str, reason: str | None) -> Change:
    if doc.status not in (Status.RESOLVED, Status.CLOSED):
        raise WorkflowError(_("{id} is {status}; only resolved or closed cases can be reopened").format(id=doc.id, status=word(STATUS_WORDS, doc.status)))
    reason = _need_text(reason, "the reason", "--reason")
    fields = _status_to(doc, Status.OPEN)
    # A reopened case was not resolved at first contact after all, and its resolution is superseded:
    # the old one stays in this event (and in the log of the resolve), not in the case.
    for key in ("resolved_at", "closed_at", "confirmed_by", "closed_as", "resolution", "first_contact"):
        if doc.get(key):
            fields[key] = change(doc.get(key), None)
            doc.set(key, None)
    doc.add_event(at, by, EventKind.REOPENED, reason, fields)
    return Change("reopen", "reopened")


def change_fields(doc: CaseDoc, at: str, by: str, changes: Mapping[str, str], reason: str | None) -> Change:
    """Change level, type, category or title; each change is in the event."""
    fields = {key: change(doc.get(key), value) for key, value in changes.items() if doc.get(key) != value}
    if not fields:
        raise WorkflowError(_("nothing to change on {id}").format(id=doc.id), _("the values given are the current ones"))
    for key, value in changes.items():
        doc.set(key, value)
    doc.add_event(at, by, EventKind.CHANGED, (reason or "").strip() or None, fields)
    words = ", ".join(f"{k} {v['from']} -> {v['to']}" if k != "title" else "title" for k, v in fields.items())
    return Change("change", f"change {words}")


def adopt_policy(doc: CaseDoc, at: str, by: str, version: str, reason: str | None) -> Change:
    """Move the case to policy `version` (the current one): its targets, ladders and calendars apply from now
    on, and every deadline is computed under it — the one way a case's past deadlines change with the policy."""
    if doc.status is Status.CLOSED:
        raise WorkflowError(_("{id} is closed; a closed case keeps the policy it was worked under").format(id=doc.id))
    old = doc.get("policy")
    if old == version:
        raise WorkflowError(_("{id} is under the current policy already ({value})").format(id=doc.id, value=version[:10]))
    why = _need_text(reason, "the reason", "--reason")
    doc.set("policy", version)
    doc.add_event(at, by, EventKind.POLICY, why, {"policy": change(old, version)})
    was = f" (was {str(old)[:10]})" if old else ""
    return Change("adopt-policy", f"adopt the current policy {version[:10]}{was}")
