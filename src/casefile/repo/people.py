"""`casefile people`: the desk's team in people.yaml — add, edit, list, remove — each change one commit.

Every change is validated before it is written: a handle as cases record it, an e-mail that looks like
one, a tier of the desk (L1, L2, L3, vendor), roles the policy has.  Removing someone is refused while
they still own cases that are not closed or stand in the rota (rota.yaml), so no case loses its owner
and no shift its holder; the person acting cannot remove themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from casefile.cases.vocabulary import Tier
from casefile.errors import CasefileError
from casefile.policy.people import PEOPLE_FILE, People, Person, check_handle, parse_people
from casefile.policy.rota import ROTA_FILE
from casefile.records import yamlio
from casefile.records.change import CommitMessage
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError
from casefile.session import Session
from casefile.i18n import _
from casefile.values import Struct, replace

TIERS = tuple(str(tier) for tier in Tier)
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
NOT_CLOSED = ("open", "pending", "resolved")


class PersonChange(Struct, frozen=True):
    """What `people add` / `edit` sets; None leaves a field as it is (edit)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    tier: str | None = None
    roles: tuple[str, ...] | None = None
    add_roles: tuple[str, ...] = ()
    drop_roles: tuple[str, ...] = ()


class PeopleWork:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[Person]:
        return sorted(self.session.people.persons.values(), key=lambda p: p.handle)

    def add(self, handle: str, change: PersonChange) -> tuple[Person, str]:
        check_handle(handle)
        if not change.name:
            raise CasefileError(_("a new person needs a name"), _("give --name, e.g. --name \"Li Na 李娜\""))

        def apply(people: People) -> Person:
            if handle in people.persons:
                raise CasefileError(_("{handle} is in {PEOPLE_FILE} already").format(handle=handle, PEOPLE_FILE=PEOPLE_FILE),
                                    _("change them with: casefile people edit {handle}").format(handle=handle))
            return self._person(Person(handle=handle, name="", email=""), change)

        person, commit = self._write(handle, apply, "add", "add")
        return person, commit

    def edit(self, handle: str, change: PersonChange) -> tuple[Person, str]:
        def apply(people: People) -> Person:
            return self._person(people.get(check_handle(handle)), change)

        return self._write(handle, apply, "edit", "edit")

    def remove(self, handle: str) -> str:
        check_handle(handle)
        if handle == self.session.actor.handle:
            raise CasefileError(_("you cannot remove yourself"), _("ask another member of the desk to do it"))
        owned = sorted(self._owned_cases(handle))
        if owned:
            shown = ", ".join(owned[:5]) + (f" and {len(owned) - 5} more" if len(owned) > 5 else "")
            raise CasefileError(_("{handle} still owns cases that are not closed: {shown}").format(handle=handle, shown=shown),
                                _("assign them to someone else first: casefile assign {value} HANDLE").format(value=owned[0]))
        if self._in_rota(handle):
            raise CasefileError(_("{handle} stands in {ROTA_FILE}").format(handle=handle, ROTA_FILE=ROTA_FILE),
                                _("give their shifts to someone else in {ROTA_FILE} first").format(ROTA_FILE=ROTA_FILE))

        def apply(people: People) -> None:
            people.get(handle)

        __, commit = self._write(handle, apply, "remove", "remove")
        return commit

    # -- checks ----------------------------------------------------------------------

    def _person(self, person: Person, change: PersonChange) -> Person:
        roles = list(change.roles) if change.roles is not None else list(person.roles)
        roles += [role for role in change.add_roles if role not in roles]
        roles = [role for role in roles if role not in change.drop_roles]
        known = self.session.policy.roles
        unknown = [role for role in roles if role not in known]
        if unknown:
            raise CasefileError(_("role {value!r} is not a role of the policy").format(value=unknown[0]),
                                _("roles: {names}").format(names=', '.join(sorted(known))))
        updated = replace(
            person,
            name=(change.name if change.name is not None else person.name).strip(),
            email=(change.email if change.email is not None else person.email).strip(),
            phone=(change.phone if change.phone is not None else person.phone).strip(),
            tier=change.tier if change.tier is not None else person.tier,
            roles=tuple(roles),
        )
        if not updated.name or "\n" in updated.name:
            raise CasefileError(_("the name must be one line of text"), _("give --name \"Li Na 李娜\""))
        if updated.email and not EMAIL.match(updated.email):
            raise CasefileError(_("{email!r} is not an e-mail address").format(email=updated.email), _("give --email li.na@example.com"))
        if updated.tier and updated.tier not in TIERS:
            raise CasefileError(_("tier {tier!r} is not one of: {names}").format(tier=updated.tier, names=', '.join(TIERS)), _("give --tier L2"))
        return updated

    def _owned_cases(self, handle: str) -> Iterator[str]:
        session = self.session
        for entry in session.catalog.cases(lambda error: session.notes(f"skipped {error}"), statuses=NOT_CLOSED):
            if entry.data.get("assignee") == handle:
                yield str(entry.data.get("id"))

    def _in_rota(self, handle: str) -> bool:
        path = self.session.root / ROTA_FILE
        if not path.is_file():
            return False
        try:
            data = yamlio.load_plain(path.read_text(encoding="utf-8"), ROTA_FILE)
        except RecordError:
            return True  # a rota that does not read cannot be shown free of them: fix it first
        return any(value == handle for value in _strings(data))

    # -- writing ---------------------------------------------------------------------

    def _write(self, handle: str, apply: Any, verb: str, action: str) -> tuple[Any, str]:
        session = self.session
        actor = session.actor

        def body(txn: Transaction) -> tuple[Any, str]:
            committed = txn.committed(PEOPLE_FILE)
            text = committed.decode("utf-8") if committed is not None else ""
            on_disk = session.root / PEOPLE_FILE
            if on_disk.is_file() and on_disk.read_text(encoding="utf-8") != text:
                raise CasefileError(_("{PEOPLE_FILE} has changes that are not committed").format(PEOPLE_FILE=PEOPLE_FILE),
                                    _("commit or undo them first (git diff {PEOPLE_FILE})").format(PEOPLE_FILE=PEOPLE_FILE))
            people = parse_people(text) if text else People({})
            person = apply(people)
            data = yamlio.load_editable(text, PEOPLE_FILE) if text.strip() else yamlio.new_map({})
            if data.get("people") is None:
                data["people"] = yamlio.new_map({})
            entries = data["people"]
            if person is None:
                del entries[handle]
            else:
                entry = entries.get(handle)
                if entry is None:
                    entry = yamlio.new_map({})
                    entries[handle] = entry
                _set(entry, person)
            new_text = yamlio.dump(data)
            if text.startswith("#") and not new_text.startswith("#"):
                new_text = "".join(line for line in text.splitlines(keepends=True)
                                   if line.startswith("#")) + new_text
            try:
                parse_people(new_text)
            except RecordError as error:
                raise CasefileError(str(error)) from None
            txn.write(PEOPLE_FILE, new_text)
            named = f"{handle} ({person.name})" if person is not None else handle
            message = CommitMessage(f"people: {verb} {named}", f"people-{action}", (("Casefile-Person", handle),))
            return person, txn.commit(message.text(), session.author(actor), session.now())

        result: tuple[Any, str] = session.mutate(body)
        return result


def _set(entry: Any, person: Person) -> None:
    """Write the person's fields into their entry in the usual order, dropping empty optional ones."""
    values: dict[str, Any] = {"name": person.name, "email": person.email, "phone": person.phone,
                              "tier": person.tier, "roles": yamlio.new_seq(list(person.roles))}
    for key in ("phone", "tier"):
        if not values[key] and key in entry:
            del entry[key]
    for key, value in values.items():
        if key in ("phone", "tier") and not value:
            continue
        entry[key] = value


def _strings(value: Any) -> Iterator[Any]:
    """Every scalar and every mapping key in a parsed YAML document."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    else:
        yield value


def person_json(person: Person) -> dict[str, Any]:
    return {"handle": person.handle, "name": person.name, "email": person.email, "phone": person.phone or None,
            "tier": person.tier or None, "roles": list(person.roles)}
