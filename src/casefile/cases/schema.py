"""What a valid case record is: the checks `validate`, the hooks and every command that writes a case run.

Keys people add by hand are allowed; known keys must have the right shape, and
the fields that go together (a closed case's confirmation, a pending case's
open pause) must agree.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from casefile.cases.description import described_problems
from casefile.cases.links import LINK_RELS
from casefile.cases.vocabulary import CLOSED_AS
from casefile.cases.model import CALLER_FIELDS, CaseType, Channel, Status, Tier, Visibility, WaitingOn
from casefile.cases.tags import tag_problems
from casefile.cases.timeorder import time_problems
from casefile.i18n import _
from casefile.records.numbers import BadCaseNumber, parse_case_number
from casefile.records.problems import Checker, KeyPath, Problem
from casefile.worktime.clock import parse_stored

VISIBILITIES = frozenset(str(v) for v in Visibility)
# Made once: every record read is screened with this schema (100,000 in a fresh clone's first command).
_TYPES, _STATUSES = frozenset(str(t) for t in CaseType), frozenset(str(s) for s in Status)
_CHANNELS, _TIERS = frozenset(str(ch) for ch in Channel), frozenset(str(t) for t in Tier)
_WAITING_ON = frozenset(str(w) for w in WaitingOn)
_EVENT_KIND = re.compile(r"^[a-z][a-z-]*$")


def case_problems(
    data: Mapping[str, Any], levels: Collection[str] | None, file_stem: str | None = None
) -> list[Problem]:
    """What is wrong with a case; with `levels` None, any level that is text will do (the shape alone:
    what every reader needs, judged without the policy)."""
    c = Checker()
    case_id = data.get("id")
    try:
        if parse_case_number(str(case_id)) != case_id:
            raise BadCaseNumber(str(case_id))
        if file_stem is not None and file_stem != case_id:
            c.add(("id",), _("id {case_id} does not match the file name {file_stem}.md").format(case_id=case_id, file_stem=file_stem))
    except BadCaseNumber:
        c.add(("id",), _("id {case_id!r} is not a case number like KMT-00417").format(case_id=case_id))
    c.line(data, "title", required=True)
    c.choice(data, "type", _TYPES)
    if levels is None:
        c.text(data, "level", required=True)
    else:
        c.choice(data, "level", levels)
    c.choice(data, "status", _STATUSES)
    c.choice(data, "channel", _CHANNELS, required=False)
    c.choice(data, "tier", _TIERS, required=False)
    for key in ("category", "customer", "assignee", "policy", "confirmed_by"):
        c.line(data, key)
    c.text(data, "resolution")
    for key in ("opened_at", "responded_at", "onsite_at", "resolved_at", "closed_at"):
        c.instant(data, key, required=key == "opened_at")
    if data.get("first_contact") is not None and not isinstance(data.get("first_contact"), bool):
        c.add(("first_contact",), _("first_contact must be true or false"))
    _check_service(c, data.get("service"))
    verdict = data.get("verdict")
    if verdict is not None and (not isinstance(verdict, dict) or verdict.get("finding") not in
                                ("substantiated", "unsubstantiated")):
        c.add(("verdict",), _("verdict must be {finding: substantiated|unsubstantiated, engineer: HANDLE}"))
    for key in ("vendor", "vendor_ticket", "asset", "closed_as"):
        c.text(data, key)
    _check_caller(c, data.get("caller"))
    for problem in tag_problems(data.get("tags")):
        c.add(("tags",), problem)
    for problem in described_problems(data):
        c.add(("described",), problem)
    _check_events(c, data.get("events"))
    _check_entries(c, data.get("events"), case_id)
    _check_pauses(c, data.get("pauses"))
    _check_links(c, data.get("links"))
    _check_consistency(c, data)
    time_problems(c, data)
    return c.problems


CONTRACT_STATUSES = ("valid", "expired", "not-started", "unknown")


def _check_service(c: Checker, service: Any) -> None:
    if service is None:
        return
    if not isinstance(service, dict):
        c.add(("service",), _("service must be a mapping (rule, coverage, contract, contract_status)"))
        return
    for key in ("rule", "coverage", "contract"):
        c.text(service, key, ("service",))
    status = service.get("contract_status")
    if status is not None and status not in CONTRACT_STATUSES:
        c.add(("service", "contract_status"), _("service.contract_status must be one of: {choices}").format(choices=', '.join(CONTRACT_STATUSES)))


def _check_caller(c: Checker, caller: Any) -> None:
    if caller is None:
        return
    if not isinstance(caller, dict):
        c.add(("caller",), _("caller must be a mapping (name, company, phone, email, address, contract)"))
        return
    for key in CALLER_FIELDS:
        if key == "verified":
            if caller.get(key) is not None and not isinstance(caller.get(key), bool):
                c.add(("caller", "verified"), _("caller.verified must be true or false"))
        elif key == "address":
            c.text(caller, key, ("caller",))
        else:
            c.line(caller, key, ("caller",))


def _check_events(c: Checker, events: Any) -> None:
    if not isinstance(events, list) or not events:
        c.add(("events",), _("events must be a list with at least the 'opened' event"))
        return
    for index, event in enumerate(events):
        where: KeyPath = ("events", index)
        if not isinstance(event, dict):
            c.add(where, _("events[{index}] must be a mapping with at, by and kind").format(index=index))
            continue
        c.instant(event, "at", where, required=True)
        c.line(event, "by", where, required=True)
        kind = event.get("kind")
        if not isinstance(kind, str) or not _EVENT_KIND.match(kind):
            c.add((*where, "kind"), _("events[{index}].kind {kind!r} is not a kind of activity").format(index=index, kind=kind))
        if event.get("text") is not None and not isinstance(event.get("text"), str):
            c.add((*where, "text"), _("events[{index}].text must be text").format(index=index))
        if event.get("text_key") is not None and not isinstance(event.get("text_key"), str):
            c.add((*where, "text_key"), _("events[{index}].text_key must be text (an engine's message)").format(index=index))
        if event.get("text_values") is not None and not isinstance(event.get("text_values"), dict):
            c.add((*where, "text_values"), _("events[{index}].text_values must be a mapping").format(index=index))
        if event.get("visibility") is not None and event.get("visibility") not in VISIBILITIES:
            c.add((*where, "visibility"), _("events[{index}].visibility must be customer or internal").format(index=index))
        if event.get("fields") is not None and not isinstance(event.get("fields"), dict):
            c.add((*where, "fields"), _("events[{index}].fields must be a mapping").format(index=index))


def _check_entries(c: Checker, events: Any, case_id: Any) -> None:
    """Time spent (`fields.spent`) and kept files (`attached`) as casefile writes them."""
    from casefile.cases.attachments import files_problems
    from casefile.cases.timespent import spent_problems

    for index, message in spent_problems(events):
        c.add(("events", index, "fields", "spent"), message)
    for index, message in files_problems(events, case_id):
        c.add(("events", index, "fields", "files"), message)


def _check_pauses(c: Checker, pauses: Any) -> None:
    if pauses is None:
        return
    if not isinstance(pauses, list):
        c.add(("pauses",), _("pauses must be a list"))
        return
    for index, pause in enumerate(pauses):
        where: KeyPath = ("pauses", index)
        if not isinstance(pause, dict):
            c.add(where, _("pauses[{index}] must be a mapping with from, until, waiting_on and reason").format(index=index))
            continue
        c.instant(pause, "from", where, required=True)
        c.instant(pause, "until", where)
        if pause.get("waiting_on") not in _WAITING_ON:
            c.add((*where, "waiting_on"), _("pauses[{index}].waiting_on must be customer or vendor").format(index=index))
        if pause.get("until") and pause.get("from"):
            try:
                if parse_stored(str(pause["until"])) < parse_stored(str(pause["from"])):
                    c.add((*where, "until"), _("pauses[{index}] ends before it starts").format(index=index))
            except ValueError:
                pass


def _check_links(c: Checker, links: Any) -> None:
    if links is None:
        return
    if not isinstance(links, list):
        c.add(("links",), _("links must be a list of {rel, to}"))
        return
    for index, link in enumerate(links):
        if not isinstance(link, dict) or not isinstance(link.get("rel"), str) or link.get("rel") not in LINK_RELS \
                or not isinstance(link.get("to"), str):
            c.add(("links", index), _("links[{index}] must be {{rel: {choices}, to: ID}}").format(index=index, choices='|'.join(sorted(LINK_RELS))))


def _check_consistency(c: Checker, data: Mapping[str, Any]) -> None:
    status = data.get("status")
    if status == Status.CLOSED:
        for key in ("closed_at", "confirmed_by"):
            # a duplicate is closed without a confirmation of its own
            if not data.get(key) and not (key == "confirmed_by" and data.get("closed_as") in CLOSED_AS):
                c.add(("status",), _("a closed case needs {key}").format(key=key))
    if data.get("closed_as") is not None and data.get("closed_as") not in CLOSED_AS:
        c.add(("closed_as",), _("closed_as must be one of: {choices}").format(choices=', '.join(CLOSED_AS)))
    if (status == Status.CLOSED and data.get("type") == CaseType.COMPLAINT and not data.get("resolution")
            and data.get("closed_as") not in CLOSED_AS):  # a duplicate's resolution is its original's
        c.add(("status",), _("a closed complaint needs its resolution"))
    if status == Status.RESOLVED and not data.get("resolved_at"):
        c.add(("status",), _("a resolved case needs resolved_at"))
    pauses = data.get("pauses")
    if not isinstance(pauses, list):
        pauses = []
    open_pauses = [p for p in pauses if isinstance(p, dict) and not p.get("until")]
    if status == Status.PENDING and len(open_pauses) != 1:
        c.add(("status",), _("a pending case needs exactly one pause without 'until'"))
    if status != Status.PENDING and open_pauses:
        c.add(("pauses",), _("a {status} case has a pause without 'until'").format(status=status))
