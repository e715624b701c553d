"""Vendors: add, edit, show (with the cases escalated to them), list.

One method per command; reads go through `Catalog`, writes through
`Session.change` — one commit per command, subject `<vendor>: ...`, trailers
`Casefile-Action:` and `Casefile-Vendor:`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from casefile.customers.model import Contact, parse_day
from casefile.errors import CasefileError
from casefile.records import yamlio
from casefile.records.change import Change, Done
from casefile.records.fieldorder import set_in_order
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import CASES, VENDORS
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session
from casefile.values import Struct, field
from casefile.vendors.model import (
    FIELD_ORDER,
    VendorNotFound,
    check_vendor_id,
    parse_commitment,
    vendor_path,
)
from casefile.i18n import _


class VendorDetails(Struct, frozen=True):
    """What `vendor add` / `vendor edit` are told."""

    name: str | None = None
    contacts: tuple[Contact, ...] = ()  # added, or replacing the contact of the same name
    contract: str | None = None
    service_from: str | None = None
    service_until: str | None = None
    coverage: str | None = None
    commitments: tuple[str, ...] = ()  # `response=30m`
    notes: str = ""


class VendorFile(Struct, frozen=True):
    entry: RecordEntry
    cases: list[dict[str, Any]] = field(default_factory=list)  # the cases escalated to it


class VendorWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    def _skip(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    # -- reading ---------------------------------------------------------------

    def entry(self, vendor_id: str) -> RecordEntry:
        ident = check_vendor_id(vendor_id)
        path = self.session.root / vendor_path(ident)
        if not path.is_file():
            raise VendorNotFound(ident)
        return read_record_file(self.session.root, path)

    def all(self) -> list[RecordEntry]:
        return sorted(self.catalog.records(VENDORS.folder, self._skip), key=lambda e: e.path)

    def show(self, vendor_id: str) -> VendorFile:
        entry = self.entry(vendor_id)
        ident = str(entry.data["id"])
        cases = [
            {key: e.data.get(key) for key in ("id", "title", "level", "status", "vendor_ticket", "opened_at")}
            | {"path": e.path}
            for e in self.catalog.records(CASES.folder, self._skip)
            if e.data.get("vendor") == ident
        ]
        return VendorFile(entry, sorted(cases, key=lambda row: str(row["opened_at"])))

    # -- writing ---------------------------------------------------------------

    def add(self, ident: str, details: VendorDetails) -> Done:
        ident = check_vendor_id(ident)
        if not (details.name or "").strip():
            raise CasefileError(_("the vendor's name is empty"), _("give it: --name \"Huawei Technologies\""))
        data: dict[str, Any] = {"id": ident}
        record = EditableRecord.new(vendor_path(ident), data, details.notes.strip() + "\n" if details.notes.strip() else "")
        apply_details(record.data, details, new=True)
        self.session.validate(VENDORS, record)  # before waiting for the lock
        clash = CasefileError(f"vendor {ident} exists already", f"change it: casefile vendor edit {ident} ...")
        return self.session.change(VENDORS, ident, lambda edit: Change("vendor-add", f"add vendor {details.name}"),
                                   new=record, clash=clash)

    def edit(self, vendor_id: str, details: VendorDetails) -> Done:
        ident = check_vendor_id(vendor_id)
        self.entry(ident)

        def apply(edit: Edit) -> Change:
            changed = apply_details(edit.data, details, new=False)
            if not changed:
                raise CasefileError(_("nothing to change"), _("give --name, --contact, --contract, --commit ... (see --help)"))
            return Change("vendor-edit", f"edit vendor ({', '.join(changed)})")

        return self.session.change(VENDORS, ident, apply, missing=VendorNotFound(ident))


def apply_details(data: Any, details: VendorDetails, new: bool) -> list[str]:
    """Write `details` into a vendor's front matter; the names of what changed."""
    changed: list[str] = []
    name = (details.name or "").strip()
    if name and data.get("name") != name:
        set_in_order(data, "name", name, FIELD_ORDER)
        changed.append("name")
    if details.contacts:
        if not isinstance(data.get("contacts"), list):
            set_in_order(data, "contacts", [], FIELD_ORDER)
        for contact in details.contacts:
            existing = next((c for c in data["contacts"] if isinstance(c, dict) and c.get("name") == contact.name), None)
            if existing is None:
                yamlio.append_block(data["contacts"], yamlio.new_map(contact.as_map()))
            else:
                existing.update(contact.as_map())
        changed.append("contacts")
    contract = {key: value for key, value in (
        ("id", details.contract),
        ("from", parse_day(details.service_from, "--from").isoformat() if details.service_from else None),
        ("until", parse_day(details.service_until, "--until").isoformat() if details.service_until else None),
    ) if value}
    if contract:
        if not isinstance(data.get("contract"), dict):
            set_in_order(data, "contract", yamlio.new_map({}), FIELD_ORDER)
        data["contract"].update(contract)
        changed.append("contract")
    if details.coverage and data.get("coverage") != details.coverage:
        set_in_order(data, "coverage", details.coverage, FIELD_ORDER)
        changed.append("coverage")
    commitments = dict(parse_commitment(text) for text in details.commitments)
    if commitments:
        if not isinstance(data.get("commitments"), dict):
            set_in_order(data, "commitments", yamlio.new_map({}), FIELD_ORDER)
        data["commitments"].update(commitments)
        changed.append("commitments")
    if new and not isinstance(data.get("contacts"), list):
        set_in_order(data, "contacts", [], FIELD_ORDER)
    return changed


def vendor_row(entry: RecordEntry) -> dict[str, Any]:
    data = entry.data
    contract = data.get("contract") if isinstance(data.get("contract"), Mapping) else {}
    return {
        "id": data.get("id"),
        "name": data.get("name"),
        "contract": contract.get("id") if contract else None,
        "until": contract.get("until") if contract else None,
        "coverage": data.get("coverage"),
        "commitments": dict(data.get("commitments") or {}),
        "contacts": len(data.get("contacts") or []),
        "path": entry.path,
    }


def vendor_rows(entries: Sequence[RecordEntry]) -> list[dict[str, Any]]:
    return [vendor_row(entry) for entry in entries]
