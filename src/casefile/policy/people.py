"""The people of the desk (`people.yaml`): handles, names, e-mail, tiers, roles.

Handles (`li.na`) are what cases record as actor and assignee; roles
(`technical-support-supervisor`) are what escalation ladders notify.  People are
current, not versioned with the policy: whoever holds a role today is paged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from casefile.errors import CasefileError, NotFound
from casefile.records import yamlio
from casefile.records.yamlio import RecordError, load_plain
from casefile.i18n import _
from casefile.values import Struct

PEOPLE_FILE = "people.yaml"
HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")

PEOPLE_HEADER = """\
# People of this desk and the roles they hold.
#
# The key is the person's handle: cases record it as actor (`--as li.na`) and
# assignee (`casefile assign KMT-00417 li.na`).  `roles` are the keys under
# `roles:` in policy.yaml; `casefile check` notifies the holders of a role when a
# ladder step fires.  Add people with `casefile people add` (or edit this file and commit it).
"""


class Person(Struct, frozen=True):
    handle: str
    name: str
    email: str
    phone: str = ""
    tier: str = ""
    roles: tuple[str, ...] = ()


class UnknownPerson(NotFound):
    pass


class People(Struct, frozen=True):
    persons: dict[str, Person]

    def get(self, handle: str) -> Person:
        person = self.persons.get(handle)
        if person is None:
            known = ", ".join(sorted(self.persons)) or "nobody yet"
            raise UnknownPerson(_("no person {handle!r} in {PEOPLE_FILE}").format(handle=handle, PEOPLE_FILE=PEOPLE_FILE), _("known: {known}").format(known=known))
        return person

    def by_email(self, email: str) -> Person | None:
        wanted = email.strip().lower()
        for person in self.persons.values():
            if person.email.lower() == wanted:
                return person
        return None

    def holders(self, role: str) -> list[Person]:
        return [p for p in self.persons.values() if role in p.roles]


def parse_people(text: str, source: str = PEOPLE_FILE, read: Callable[[str, str], Any] = load_plain) -> People:
    """`people.yaml` parsed; `read`: how the YAML is read (see `parse_policy`)."""
    data = read(text, source) or {}
    entries = data.get("people") if isinstance(data, dict) else None
    if entries is None:
        return People({})
    if not isinstance(entries, dict):
        raise RecordError(source, None, _("people must be a mapping of handle to person"))
    persons = {}
    for handle, spec in entries.items():
        persons[str(handle)] = _person(str(handle), spec, source)
    return People(persons)


def _person(handle: str, spec: Any, source: str) -> Person:
    if not HANDLE.match(handle):
        raise RecordError(source, None, _("handle {handle!r} must be lower case letters, digits, '.', '_' or '-'").format(handle=handle))
    if not isinstance(spec, dict):
        raise RecordError(source, None, _("people.{handle} is not a mapping").format(handle=handle))
    roles = spec.get("roles") or []
    if not isinstance(roles, list):
        raise RecordError(source, None, _("people.{handle}.roles is not a list").format(handle=handle))
    return Person(
        handle=handle,
        name=str(spec.get("name") or handle),
        email=str(spec.get("email") or ""),
        phone=str(spec.get("phone") or ""),
        tier=str(spec.get("tier") or ""),
        roles=tuple(str(r) for r in roles),
    )


def check_handle(handle: str) -> str:
    if not HANDLE.match(handle):
        raise CasefileError(
            _("{handle!r} is not a handle").format(handle=handle), _("handles are lower case, like li.na or wang-fang")
        )
    return handle


def render_people(persons: list[Person]) -> str:
    """A new people.yaml (used by `init` and the demo)."""
    data: dict[str, Any] = {"people": {}}
    for p in persons:
        entry: dict[str, Any] = {"name": p.name, "email": p.email}
        if p.phone:
            entry["phone"] = p.phone
        if p.tier:
            entry["tier"] = p.tier
        entry["roles"] = list(p.roles)
        data["people"][p.handle] = entry
    return PEOPLE_HEADER + yamlio.dump(yamlio.new_map(data))
