"""Customers: add, edit, show (with their cases, inspections and surveys), list.

One method per command; reads go through `Catalog`, writes through
`Session.change` — one commit per command, subject `<customer>: ...`, trailers
`Casefile-Action:` and `Casefile-Customer:`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from casefile.cases.listing import CaseFilter, select
from casefile.customers.assets import ASSET_ORDER, asset_history, replacements_in
from casefile.customers.model import (
    CUSTOMERS_DIR,
    FIELD_ORDER,
    Asset,
    AssetStatus,
    Contact,
    CustomerNotFound,
    check_customer_id,
    customer_path,
    new_customer_data,
)
from casefile.errors import CasefileError, NotFound
from casefile.inspections.model import INSPECTIONS_DIR
from casefile.records import yamlio
from casefile.records.change import Change, Done
from casefile.records.fieldorder import set_in_order
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import CHANGES, CUSTOMERS, PROBLEMS
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session
from casefile.surveys.model import SURVEYS_DIR
from casefile.i18n import _
from casefile.values import Struct, field


class NewCustomer(Struct, frozen=True):
    id: str
    name: str
    contacts: tuple[Contact, ...] = ()
    contract: str | None = None
    service_from: date | None = None
    service_until: date | None = None
    coverage: str | None = None
    service_level: str | None = None
    onsite_staff: bool = False
    assets: tuple[Asset, ...] = ()
    notes: str = ""


class CustomerChanges(Struct, frozen=True):
    name: str | None = None
    contract: str | None = None
    service_from: date | None = None
    service_until: date | None = None
    coverage: str | None = None
    service_level: str | None = None
    onsite_staff: bool | None = None
    contacts: tuple[Contact, ...] = ()  # added, or replacing the contact of the same name
    remove_contacts: tuple[str, ...] = ()
    assets: tuple[Asset, ...] = ()  # added, or updating the asset with the same serial
    asset_status: Mapping[str, AssetStatus] = field(default_factory=dict)
    relations: tuple[tuple[str, str, str], ...] = ()  # (serial, part_of | depends_on | unrelate, other)
    availability: float | None = None  # the contract's availability target, percent

    def empty(self) -> bool:
        return not any(
            (
                self.name,
                self.contract,
                self.service_from,
                self.service_until,
                self.coverage,
                self.service_level,
                self.onsite_staff is not None,
                self.contacts,
                self.remove_contacts,
                self.assets,
                self.asset_status,
                self.relations,
                self.availability is not None,
            )
        )


class CustomerFile(Struct, frozen=True):
    """A customer with the records that belong to it."""

    entry: RecordEntry
    cases: list[dict[str, Any]]
    inspections: list[RecordEntry]
    surveys: list[RecordEntry]
    asset_cases: dict[str, list[str]] = field(default_factory=dict)  # serial -> the cases about that device


class AssetFile(Struct, frozen=True):
    """A device of a customer and what happened to it."""

    customer: str
    asset: dict[str, Any]
    history: list[dict[str, Any]]
    relations: dict[str, Any] = field(default_factory=dict)  # part of, depends on, what depends on it


def contract_map(contract: str | None, start: date | None, until: date | None) -> dict[str, str]:
    result = {
        "id": contract,
        "from": start.isoformat() if start else None,
        "until": until.isoformat() if until else None,
    }
    return {key: value for key, value in result.items() if value}


class CustomerWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    # -- reading ---------------------------------------------------------------

    def entry(self, customer_id: str) -> RecordEntry:
        ident = check_customer_id(customer_id)
        path = self.session.root / customer_path(ident)
        if not path.is_file():
            raise CustomerNotFound(ident)
        return read_record_file(self.session.root, path)

    def all(self) -> list[RecordEntry]:
        return list(self.catalog.records(CUSTOMERS_DIR, self._skip))

    def show(self, customer_id: str) -> CustomerFile:
        entry = self.entry(customer_id)
        ident = str(entry.data["id"])
        own = [e for e in self.catalog.cases(self._skip) if e.data.get("customer") == ident]
        cases = select(own, CaseFilter(everything=True, customer=ident))
        inspections = [
            e for e in self.catalog.records(INSPECTIONS_DIR, self._skip) if e.data.get("customer") == ident
        ]
        surveys = [
            e for e in self.catalog.records(SURVEYS_DIR, self._skip) if e.data.get("customer") == ident
        ]
        asset_cases: dict[str, list[str]] = {}
        for case in sorted(own, key=lambda e: str(e.data.get("opened_at"))):
            serials = [str(case.data["asset"])] if case.data.get("asset") else []
            serials += [str(x[k]) for _at, x in replacements_in(case.data) for k in ("serial", "new_serial") if x.get(k)]
            for serial in dict.fromkeys(serials):
                asset_cases.setdefault(serial, []).append(str(case.data.get("id")))
        return CustomerFile(entry, cases, inspections, surveys, asset_cases)

    def asset(self, serial: str, customer_id: str | None = None) -> AssetFile:
        """The device `serial` (of `customer_id`, or of the one customer that has it) and its history."""
        serial = serial.strip()
        owners = [self.entry(customer_id)] if customer_id else self.all()
        found = [(e, a) for e in owners for a in e.data.get("assets") or []
                 if isinstance(a, Mapping) and str(a.get("serial")) == serial]
        if not found:
            where = customer_id or "any customer"
            raise NotFound(_("{where} has no device with serial number {serial}").format(where=where, serial=serial),
                           _("`casefile customer show ID` lists a customer's assets"))
        if len({str(e.data.get("id")) for e, _a in found}) > 1:
            names = ", ".join(sorted(str(e.data.get("id")) for e, _a in found))
            raise CasefileError(_("customers {names} each have a device {serial}").format(names=names, serial=serial), _("say which: --customer ID"))
        entry, asset = found[0]
        ident = str(entry.data.get("id"))
        cases = [e.data for e in self.catalog.cases(self._skip) if e.data.get("customer") == ident]
        inspections = [e.data for e in self.catalog.records(INSPECTIONS_DIR, self._skip)
                       if e.data.get("customer") == ident]
        problems = [e.data for e in self.catalog.records(PROBLEMS.folder, self._skip) if e.data.get("customer") == ident]
        from casefile.customers.assets import relations_of

        changes = [e.data for e in self.session.catalog.records(CHANGES.folder, self._skip)]
        assets = entry.data.get("assets") or []
        return AssetFile(ident, dict(asset), asset_history(serial, asset, cases, inspections, problems, changes),
                         relations_of(assets, serial))

    def _skip(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    # -- writing ---------------------------------------------------------------

    def add(self, new: NewCustomer) -> Done:
        ident = check_customer_id(new.id)
        if not new.name.strip():
            raise CasefileError(_("the customer's name is empty"), _("give it: --name \"ACME Shenzhen\""))
        data = new_customer_data(
            {
                "id": ident,
                "name": new.name.strip(),
                "contacts": [c.as_map() for c in new.contacts],
                "contract": contract_map(new.contract, new.service_from, new.service_until),
                "coverage": new.coverage,
                "service_level": new.service_level,
                "onsite_staff": new.onsite_staff,
                "assets": [a.as_map() for a in new.assets],
            }
        )
        notes = new.notes.strip()
        record = EditableRecord.new(customer_path(ident), data, notes + "\n" if notes else "")
        self.session.validate(CUSTOMERS, record)  # before waiting for the lock
        clash = CasefileError(f"customer {ident} exists already", f"change it: casefile customer edit {ident} ...")
        return self.session.change(CUSTOMERS, ident, lambda edit: Change("customer-add", f"add customer {new.name.strip()}"),
                                   new=record, clash=clash)

    def edit(self, customer_id: str, changes: CustomerChanges) -> Done:
        ident = check_customer_id(customer_id)
        if changes.empty():
            raise CasefileError(
                _("nothing to change"), _("give --name, --contact, --asset, --contract ... (see --help)")
            )
        self.entry(ident)

        def apply(edit: Edit) -> Change:
            changed = apply_customer_changes(edit.data, changes)
            return Change("customer-edit", f"edit customer ({', '.join(changed)})")

        return self.session.change(CUSTOMERS, ident, apply, missing=CustomerNotFound(ident))


def apply_customer_changes(data: Any, changes: CustomerChanges) -> list[str]:
    """Change a customer's round-trip front matter; the names of what changed."""
    changed: list[str] = []
    for key, value in (
        ("name", changes.name),
        ("coverage", changes.coverage),
        ("service_level", changes.service_level),
    ):
        if value is not None and data.get(key) != value:
            set_in_order(data, key, value, FIELD_ORDER)
            changed.append(key)
    if changes.onsite_staff is not None and data.get("onsite_staff") != changes.onsite_staff:
        set_in_order(data, "onsite_staff", changes.onsite_staff, FIELD_ORDER)
        changed.append("onsite_staff")
    contract = contract_map(changes.contract, changes.service_from, changes.service_until)
    if contract:
        if not isinstance(data.get("contract"), dict):
            set_in_order(data, "contract", yamlio.new_map({}), FIELD_ORDER)
        for key, value in contract.items():
            data["contract"][key] = value
        changed.append("contract")
    if changes.contacts or changes.remove_contacts:
        _change_contacts(data, changes)
        changed.append("contacts")
    if changes.availability is not None:
        if not 0 < changes.availability <= 100:
            raise CasefileError(_("availability {availability} is not a percentage").format(availability=changes.availability), _("give it like 99.9"))
        if not isinstance(data.get("contract"), dict):
            set_in_order(data, "contract", yamlio.new_map({}), FIELD_ORDER)
        data["contract"]["availability"] = changes.availability
        changed.append("contract")
    if changes.assets or changes.asset_status:
        _change_assets(data, changes)
        changed.append("assets")
    if changes.relations:
        from casefile.customers.assets import relate, unrelate

        for serial, how, other in changes.relations:
            if how == "unrelate":
                unrelate(data.get("assets"), serial, other, str(data.get("id")))
            else:
                relate(data.get("assets"), serial, other, how, str(data.get("id")))
        if "assets" not in changed:
            changed.append("assets")
    if not changed:
        raise CasefileError(_("nothing to change"), _("the values given are the current ones"))
    return changed


def _list(data: Any, key: str) -> Any:
    if not isinstance(data.get(key), list):
        set_in_order(data, key, [], FIELD_ORDER)
    return data[key]


def _change_contacts(data: Any, changes: CustomerChanges) -> None:
    contacts = _list(data, "contacts")
    for name in changes.remove_contacts:
        index = next(
            (i for i, c in enumerate(contacts) if isinstance(c, dict) and c.get("name") == name), None
        )
        if index is None:
            raise CasefileError(_("{get} has no contact named {name!r}").format(get=data.get('id'), name=name))
        del contacts[index]
    for contact in changes.contacts:
        existing = next((c for c in contacts if isinstance(c, dict) and c.get("name") == contact.name), None)
        if existing is None:
            yamlio.append_block(contacts, yamlio.new_map(contact.as_map()))
        else:
            for key, value in contact.as_map().items():
                existing[key] = value


def _change_assets(data: Any, changes: CustomerChanges) -> None:
    assets = _list(data, "assets")
    for asset in changes.assets:
        existing = next((a for a in assets if isinstance(a, dict) and a.get("serial") == asset.serial), None)
        if existing is None:
            yamlio.append_block(assets, yamlio.new_map(asset.as_map()))
        else:
            for key, value in asset.as_map().items():
                set_in_order(existing, key, value, ASSET_ORDER)
    for serial, status in changes.asset_status.items():
        existing = next((a for a in assets if isinstance(a, dict) and a.get("serial") == serial), None)
        if existing is None:
            raise CasefileError(_("{get} has no device with serial number {serial}").format(get=data.get('id'), serial=serial))
        set_in_order(existing, "status", str(status), ASSET_ORDER)
