"""The `notify:` and `intake:` sections of the policy: which events mail the customer, and how mail comes in.

Defaults (what a desk gets without the sections; `casefile init` writes them out):

    notify:
      events:                   # which events mail the case's caller, per level
        A: [opened, reply, progress, restored, closed]
        B: [opened, reply, progress, restored, closed]
        C: [opened, reply, closed]
        D: [opened, reply, closed]
      contacts: {}              # per level, the roles of the customer's contacts who get a copy
                                #   e.g. A: [IT manager]
      opt_out: []               # customers who get no mail from the desk at all
      night: false              # mail customers whose coverage is a business-hours calendar (5x8)
                                #   outside those hours; false: held until the next opening
    intake:
      level: C                  # the level of a case opened by mail
      reopen_days: 7            # a reply to a resolved case within this many days reopens it
      max_attachment: 10MB      # larger attachments are refused, with a reply saying so
      address: null             # the desk's own address (mail from it is a loop)
      rules: []                 # [{subject: 'outage|宕机', level: A, category: network}, {customer: szmetro, level: B}]

A `reply` is always in the events of the shipped levels: it is the engineer
writing to the customer.  `progress` is the progress report of seed 003.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from casefile.records.yamlio import RecordError
from casefile.i18n import _
from casefile.values import Struct, field

EVENTS = ("opened", "reply", "progress", "restored", "closed")
ALWAYS = ("opened", "reply", "progress", "restored", "closed")
OPEN_AND_CLOSE = ("opened", "reply", "closed")
DEFAULT_EVENTS = {"A": ALWAYS, "B": ALWAYS, "C": OPEN_AND_CLOSE, "D": OPEN_AND_CLOSE}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


class NotifyPolicy(Struct, frozen=True):
    events: Mapping[str, frozenset[str]]
    contacts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    opt_out: frozenset[str] = frozenset()
    night: bool = False

    def notifies(self, level: str, event: str, customer: str | None) -> bool:
        if customer and customer in self.opt_out:
            return False
        return event in self.events.get(level, frozenset(OPEN_AND_CLOSE))

    def copied_roles(self, level: str) -> tuple[str, ...]:
        return self.contacts.get(level, ())


class IntakeRule(Struct, frozen=True):
    level: str | None
    category: str | None
    subject: re.Pattern[str] | None = None
    customer: str | None = None

    def matches(self, subject: str, body: str, customer: str | None) -> bool:
        if self.customer is not None and self.customer != customer:
            return False
        if self.subject is not None and not (self.subject.search(subject) or self.subject.search(body)):
            return False
        return True


class IntakePolicy(Struct, frozen=True):
    level: str = "C"
    reopen_days: int = 7
    max_attachment: int = 10 * 1024**2
    address: str | None = None
    rules: tuple[IntakeRule, ...] = ()

    def classify(self, subject: str, body: str, customer: str | None) -> tuple[str, str | None]:
        """(level, category) for a new case: the first rule that matches, else the intake level."""
        for rule in self.rules:
            if rule.matches(subject, body, customer):
                return rule.level or self.level, rule.category
        return self.level, None


def _mapping(data: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RecordError(source, None, _("{key} must be a mapping").format(key=key))
    return value


def _names(value: Any, where: str, source: str, allowed: Sequence[str] | None = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(source, None, _("{where} must be a list of names").format(where=where))
    if allowed is not None:
        for name in value:
            if name not in allowed:
                raise RecordError(source, None, _("{where}: {name!r} is not one of {names}").format(where=where, name=name, names=', '.join(allowed)))
    return tuple(value)


def notify_policy(data: Mapping[str, Any], levels: Sequence[str], source: str) -> NotifyPolicy:
    section = _mapping(data, "notify", source)
    events: dict[str, frozenset[str]] = {
        level: frozenset(DEFAULT_EVENTS.get(level, OPEN_AND_CLOSE)) for level in levels
    }
    given = section.get("events")
    if given is not None and not isinstance(given, Mapping):
        raise RecordError(source, None, _("notify.events must map levels to lists of events"))
    for level, names in (given or {}).items():
        if str(level) not in levels:
            raise RecordError(source, None, _("notify.events: {level!r} is not a level of this desk").format(level=level))
        events[str(level)] = frozenset(_names(names, f"notify.events.{level}", source, EVENTS))
    contacts_given = section.get("contacts")
    if contacts_given is not None and not isinstance(contacts_given, Mapping):
        raise RecordError(source, None, _("notify.contacts must map levels to lists of contact roles"))
    contacts = {str(level): _names(roles, f"notify.contacts.{level}", source)
                for level, roles in (contacts_given or {}).items()}
    night = section.get("night", False)
    if not isinstance(night, bool):
        raise RecordError(source, None, _("notify.night must be true or false"))
    return NotifyPolicy(events, contacts, frozenset(_names(section.get("opt_out"), "notify.opt_out", source)), night)


def parse_size(text: Any, where: str, source: str) -> int:
    match = _SIZE.match(str(text))
    if isinstance(text, bool) or match is None:
        raise RecordError(source, None, _("{where} {text!r} is not a size").format(where=where, text=text), _("write it like 10MB, 512KB"))
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "B").upper()])


MAIL_KEYS = frozenset({"level", "reopen_days", "max_attachment", "address", "rules"})


def intake_policy(data: Mapping[str, Any], levels: Sequence[str], source: str) -> IntakePolicy:
    """The mail keys of `intake:` (the section may hold others: how `open` itself takes a case in)."""
    section = _mapping(data, "intake", source)
    level = str(section.get("level") or ("C" if "C" in levels else levels[-1]))
    if level not in levels:
        raise RecordError(source, None, _("intake.level {level!r} is not a level of this desk").format(level=level))
    reopen = section.get("reopen_days", 7)
    if not isinstance(reopen, int) or isinstance(reopen, bool) or reopen < 0:
        raise RecordError(source, None, _("intake.reopen_days must be a whole number of days"))
    rules = []
    for index, spec in enumerate(section.get("rules") or []):
        where = f"intake.rules[{index}]"
        if not isinstance(spec, Mapping):
            raise RecordError(source, None, _("{where} must be a mapping").format(where=where))
        rule_level = spec.get("level")
        if rule_level is not None and str(rule_level) not in levels:
            raise RecordError(source, None, _("{where}.level {rule_level!r} is not a level of this desk").format(where=where, rule_level=rule_level))
        try:
            pattern = re.compile(str(spec["subject"]), re.IGNORECASE) if spec.get("subject") else None
        except re.error as error:
            raise RecordError(source, None, _("{where}.subject is not a regular expression: {error}").format(where=where, error=error)) from None
        rules.append(IntakeRule(str(rule_level) if rule_level else None,
                                str(spec["category"]) if spec.get("category") else None,
                                pattern, str(spec["customer"]) if spec.get("customer") else None))
    address = section.get("address")
    return IntakePolicy(
        level=level,
        reopen_days=reopen,
        max_attachment=parse_size(section.get("max_attachment", "10MB"), "intake.max_attachment", source),
        address=str(address).strip().lower() if address else None,
        rules=tuple(rules),
    )
