"""The SLA statement's record and what its figures rest on: pure values, no files.

A customer's monthly statement (`statements/YYYY/ST-CUSTOMER-YYYY-MM.md`) holds the figures of
`report sla --customer ID --month M` and, for every case they count, its *basis*: exactly the fields the
SLA engine reads (`sla.facts`) — level, type, channel, status, the times, the recorded service (rule and
coverage), the pauses (from, until, whose wait) and the events (time and kind; an on-site visit's
departure and arrival) — and nothing else: no text, no names, no contract id.

The digest (`sha256:` + hex) is defined canonically, so anyone can recompute it:

* canonical JSON: `json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`, UTF-8;
* a case's digest: SHA-256 of the canonical JSON of its basis;
* a policy version's digest: SHA-256 of the canonical JSON of its *SLA view* (`sla_view`: the sections
  the clocks read — desk zone and calendar, calendars, levels, clocks, ladders, alerts, roles, and only
  the service rules this customer's cases name, so no other customer's terms travel);
* an official-days file's digest: SHA-256 of its bytes;
* the statement's digest: SHA-256 of the canonical JSON of `{"customer", "month", "at", "cases": {id:
  digest}, "policies": {version: digest}, "official": {path: digest}}`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from casefile.i18n import _
from casefile.records.kinds import STATEMENTS
from casefile.records.problems import Problem

CASE_KEYS = ("id", "level", "type", "channel", "status", "customer", "policy", "opened_at", "responded_at",
             "onsite_at", "resolved_at", "closed_at")
SERVICE_KEYS = ("rule", "coverage")
PAUSE_KEYS = ("from", "until", "waiting_on")
EVENT_FIELD_KEYS = ("dispatched_at", "arrived_at")
POLICY_SECTIONS = ("calendars", "levels", "clocks", "ladders", "alerts", "roles")
DESK_KEYS = ("timezone", "calendar", "language", "name")
STATEMENT_KEYS = ("id", "customer", "month", "status", "issued_at", "issued_by", "at", "digest", "policies",
                  "official", "figures", "cases")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


# Events the engine itself reads whatever the policy says: a close stops clocks, a reopen undoes a restore.
ENGINE_EVENTS = frozenset({"resolved", "closed", "reopened"})


def used_events(policy: Any) -> frozenset[str]:
    """The event kinds a policy version's clocks and ladders start, stop or restart at (an on-site visit
    is the `onsite` event: its departure is `dispatched`)."""
    names: set[str] = set(ENGINE_EVENTS)
    sections = policy if isinstance(policy, Mapping) else {}
    for section, keys in (("clocks", ("start", "stop", "restart", "only_if")), ("ladders", ("start", "stop"))):
        for body in (sections.get(section) or {}).values() if isinstance(sections.get(section), Mapping) else ():
            for key in keys:
                value = body.get(key) if isinstance(body, Mapping) else None
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        names.add(item)
    if "dispatched" in names:
        names.add("onsite")
    return frozenset(names)


def basis_of(data: Mapping[str, Any], policy: str, events: frozenset[str]) -> dict[str, Any]:
    """What the SLA figures of a case rest on: `policy`, the version it is evaluated under; `events`, the
    kinds of event that version's clocks read (`used_events`) — the case's other events are not kept."""
    found: dict[str, Any] = {key: _text(data.get(key)) for key in CASE_KEYS}
    found["policy"] = policy
    service = data.get("service")
    kept = {key: _text(service.get(key)) for key in SERVICE_KEYS} if isinstance(service, Mapping) else {}
    found["service"] = {key: value for key, value in kept.items() if value is not None}
    found["pauses"] = [
        {key: _text(pause.get(key)) for key in PAUSE_KEYS}
        for pause in data.get("pauses") or [] if isinstance(pause, Mapping)
    ]
    kept_events = []
    for event in data.get("events") or []:
        if not isinstance(event, Mapping) or str(event.get("kind")) not in events:
            continue
        item: dict[str, Any] = {"at": _text(event.get("at")), "kind": _text(event.get("kind"))}
        fields = event.get("fields")
        if item["kind"] == "onsite" and isinstance(fields, Mapping):
            item.update({key: _text(fields.get(key)) for key in EVENT_FIELD_KEYS if fields.get(key)})
        kept_events.append(item)
    found["events"] = kept_events
    return {key: value for key, value in found.items() if value is not None}


def facts_data(basis: Mapping[str, Any]) -> dict[str, Any]:
    """A basis as front matter the SLA engine reads (`sla.facts.facts_of`)."""
    data = dict(basis)
    data["events"] = [
        {"at": e.get("at"), "kind": e.get("kind"),
         "fields": {key: e[key] for key in EVENT_FIELD_KEYS if e.get(key)}}
        for e in basis.get("events") or []
    ]
    return data


def sla_view(policy: Mapping[str, Any], rules: Iterable[str]) -> dict[str, Any]:
    """The sections of a policy version the clocks read, with only the service rules named in `rules`."""
    wanted = set(rules)
    raw = policy.get("desk")
    desk: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    view: dict[str, Any] = {"desk": {key: desk[key] for key in DESK_KEYS if key in desk}}
    for section in POLICY_SECTIONS:
        if section in policy:
            view[section] = policy[section]
    named = [rule for rule in policy.get("service_rules") or []
             if isinstance(rule, Mapping) and rule.get("name") in wanted]
    if named:
        view["service_rules"] = named
    return view


def statement_digest(customer: str, month: str, at: str, cases: Mapping[str, str], policies: Mapping[str, str],
                     official: Mapping[str, str]) -> str:
    return sha256(canonical({"customer": customer, "month": month, "at": at, "cases": dict(cases),
                             "policies": dict(policies), "official": dict(official)}))


def differences(stated: Mapping[str, Any], now: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The dotted fields in which two bases differ (`events[3].at`, `resolved_at`, `pauses`)."""
    found = []
    for key in sorted(set(stated) | set(now)):
        a, b = stated.get(key), now.get(key)
        if a == b:
            continue
        where = f"{prefix}{key}"
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for index, (x, y) in enumerate(zip(a, b, strict=True)):
                if x != y:
                    if isinstance(x, Mapping) and isinstance(y, Mapping):
                        kind = f" ({x['kind']})" if x.get("kind") else ""
                        found += [f"{inner}{kind}" for inner in differences(x, y, f"{where}[{index}].")]
                    else:
                        found.append(f"{where}[{index}]")
        elif isinstance(a, list) and isinstance(b, list):
            found.append(f"{where} ({len(a)} then, {len(b)} now)")
        elif isinstance(a, Mapping) and isinstance(b, Mapping):
            found += differences(a, b, f"{where}.")
        else:
            found.append(where)
    return found


def statement_id(customer: str, month: str) -> str:
    return f"ST-{customer}-{month}"


def statement_problems(data: Mapping[str, Any], stem: str | None) -> list[Problem]:
    """The shape of a statement record: its keys, its id and name, its digests."""
    problems = []
    for key in STATEMENT_KEYS:
        if key not in data:
            problems.append(Problem((key,), _("a statement needs `{key}`").format(key=key)))
    if problems:
        return problems
    ident = data.get("id")
    if not isinstance(ident, str) or not STATEMENTS.id_pattern.match(ident):
        problems.append(Problem(("id",), _("{ident!r} is not a statement id like ST-acme-sz-2026-11").format(ident=ident)))
    elif ident != statement_id(str(data.get("customer")), str(data.get("month"))):
        problems.append(Problem(("id",), _("{ident} does not name customer {customer} and month {month}").format(ident=ident, customer=data.get('customer'), month=data.get('month'))))
    if stem is not None and ident != stem:
        problems.append(Problem(("id",), _("the file is named {stem} but the statement is {ident}").format(stem=stem, ident=ident)))
    if not isinstance(data.get("digest"), str) or not _DIGEST.match(str(data["digest"])):
        problems.append(Problem(("digest",), _("the digest is sha256: and 64 hex digits")))
    if not isinstance(data.get("figures"), Mapping):
        problems.append(Problem(("figures",), _("figures is a mapping (overall, levels, targets)")))
    cases = data.get("cases")
    if not isinstance(cases, list) or not all(isinstance(c, Mapping) and isinstance(c.get("basis"), Mapping)
                                              and isinstance(c.get("digest"), str) for c in cases):
        problems.append(Problem(("cases",), _("cases is a list of {id, digest, clocks, basis}")))
    for key in ("policies", "official"):
        if not isinstance(data.get(key), Mapping):
            problems.append(Problem((key,), _("{key} is a mapping of digests").format(key=key)))
    return problems
