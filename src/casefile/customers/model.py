"""What a customer (unit, `业主单位`) is: its file, contacts, contract and assets.

One file per customer, `customers/<id>.md`; the id is a short slug
(`acme-sz`) that cases, inspections and surveys refer to.

    ---
    id: acme-sz
    name: ACME Shenzhen
    contacts:
      - name: Zhang Wei
        phone: 0755-86001234
        email: zhang.wei@acme.example
        role: IT manager
    contract:
      id: JQ-2026-017
      from: '2026-01-01'
      until: '2026-12-31'
    coverage: 7x24            # a calendar of the policy: what they bought
    service_level: Gold, 4 inspections a year
    onsite_staff: false       # our staff on site submit their surveys themselves (seed 004)
    inspection_plan:
      cadence: quarterly
      since: '2026-10-01'
    assets:
      - model: HP M607
        serial: CNB1234567
        location: 3F, 88 Keyuan Rd
        status: in-service
    ---
    Notes about the customer (Markdown).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from casefile.errors import CasefileError, NotFound
from casefile.records.kinds import CUSTOMERS
from casefile.records.problems import Checker, Problem
from casefile.i18n import _
from casefile.values import Struct

CUSTOMERS_DIR = CUSTOMERS.folder
CUSTOMER_ID = CUSTOMERS.id_pattern

FIELD_ORDER = (
    "id",
    "name",
    "contacts",
    "contract",
    "coverage",
    "service_level",
    "onsite_staff",
    "inspection_plan",
    "assets",
)
CONTACT_FIELDS = ("name", "phone", "email", "role")
ASSET_FIELDS = ("model", "serial", "location", "status")


class AssetStatus(StrEnum):
    IN_SERVICE = "in-service"
    SPARE = "spare"
    FAULTY = "faulty"
    REPLACED = "replaced"  # swapped out for another device (replaced_by names it)
    RETIRED = "retired"


ASSET_STATUSES = frozenset(str(s) for s in AssetStatus)


class BadCustomerId(CasefileError):
    def __init__(self, text: str) -> None:
        super().__init__(
            _("{text!r} is not a customer id").format(text=text),
            _("customer ids are lower-case letters, digits and '-', like acme-sz"),
        )


class CustomerNotFound(NotFound):
    def __init__(self, customer_id: str) -> None:
        super().__init__(
            _("no customer {customer_id!r}").format(customer_id=customer_id),
            _("`casefile customer list` shows them; add one with `casefile customer add`"),
        )


def check_customer_id(text: str) -> str:
    value = text.strip()
    if not CUSTOMER_ID.match(value):
        raise BadCustomerId(text)
    return value


def customer_path(customer_id: str) -> str:
    return CUSTOMERS.path(customer_id)


def customer_exists(root: Path, customer_id: str) -> bool:
    return CUSTOMER_ID.match(customer_id) is not None and (root / customer_path(customer_id)).is_file()


def require_customer(root: Path, customer_id: str) -> str:
    """The customer id if it names a customer file, else a one-line refusal."""
    check_customer_id(customer_id)
    if not customer_exists(root, customer_id):
        raise CustomerNotFound(customer_id)
    return customer_id


class Contact(Struct, frozen=True):
    name: str
    phone: str = ""
    email: str = ""
    role: str = ""

    def as_map(self) -> dict[str, str]:
        return {
            key: value
            for key, value in zip(CONTACT_FIELDS, (self.name, self.phone, self.email, self.role), strict=True)
            if value
        }


class Asset(Struct, frozen=True):
    model: str
    serial: str
    location: str = ""
    status: AssetStatus = AssetStatus.IN_SERVICE

    def as_map(self) -> dict[str, str]:
        result = {"model": self.model, "serial": self.serial}
        if self.location:
            result["location"] = self.location
        result["status"] = str(self.status)
        return result


def _parts(text: str, what: str, example: str, least: int, most: int) -> list[str]:
    parts = [part.strip() for part in text.split(";")]
    if not least <= len(parts) <= most or not parts[0]:
        raise CasefileError(_("cannot read {what} {text!r}").format(what=what, text=text), _("write it like {example!r}").format(example=example))
    return parts + [""] * (most - len(parts))


def parse_contact(text: str) -> Contact:
    """`NAME;PHONE;EMAIL;ROLE` (phone, e-mail and role may be left out)."""
    name, phone, email, role = _parts(
        text, "the contact", "Zhang Wei;0755-86001234;zhang.wei@acme.example", 1, 4
    )
    if email and "@" not in email:
        raise CasefileError(
            _("{email!r} is not an e-mail address").format(email=email), _("write the contact as NAME;PHONE;EMAIL;ROLE")
        )
    return Contact(name, phone, email, role)


def parse_asset(text: str) -> Asset:
    """`MODEL;SERIAL;LOCATION;STATUS` (location and status may be left out)."""
    model, serial, location, status = _parts(text, "the asset", "HP M607;CNB1234567;3F server room", 2, 4)
    if not serial:
        raise CasefileError(_("the asset {text!r} has no serial number").format(text=text), _("write it as MODEL;SERIAL;LOCATION"))
    return Asset(model, serial, location, parse_asset_status(status or str(AssetStatus.IN_SERVICE)))


def parse_asset_status(text: str) -> AssetStatus:
    if text not in ASSET_STATUSES:
        raise CasefileError(_("asset status {text!r} is not one of: {names}").format(text=text, names=', '.join(sorted(ASSET_STATUSES))))
    return AssetStatus(text)


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CasefileError(_("{what} {text!r} is not a date").format(what=what, text=text), _("write it like 2026-11-20")) from None


def new_customer_data(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new customer's front matter in the usual key order; empty optional values are left out."""
    data: dict[str, Any] = {}
    for key in FIELD_ORDER:
        value = fields.get(key)
        if key in ("contacts", "assets"):
            data[key] = list(value or [])
        elif key == "onsite_staff":
            data[key] = bool(value)
        elif value not in (None, "", [], {}):
            data[key] = value
    return data


def first_contact(data: Mapping[str, Any]) -> dict[str, str]:
    contacts = data.get("contacts") or []
    if contacts and isinstance(contacts[0], Mapping):
        return {str(k): str(v) for k, v in contacts[0].items() if v is not None}
    return {}


def contract_state(contract: Any, on: date) -> str | None:
    """`valid`, `expired` or `not-started` for a contract mapping on a day; None without dates."""
    if not isinstance(contract, Mapping):
        return None
    try:
        start = date.fromisoformat(str(contract["from"])) if contract.get("from") else None
        until = date.fromisoformat(str(contract["until"])) if contract.get("until") else None
    except ValueError:
        return None
    if start is not None and on < start:
        return "not-started"
    if until is not None and on > until:
        return "expired"
    return "valid" if start or until else None


def customer_problems(
    data: Mapping[str, Any], file_stem: str | None, coverages: Collection[str] = ()
) -> list[Problem]:
    """What is wrong with a customer record (empty when it is valid)."""
    c = Checker()
    customer_id = data.get("id")
    if not isinstance(customer_id, str) or not CUSTOMER_ID.match(customer_id):
        c.add(("id",), _("id {customer_id!r} is not a customer id like acme-sz").format(customer_id=customer_id))
    elif file_stem is not None and file_stem != customer_id:
        c.add(("id",), _("id {customer_id} does not match the file name {file_stem}.md").format(customer_id=customer_id, file_stem=file_stem))
    c.line(data, "name", required=True)
    c.text(data, "service_level")
    coverage = data.get("coverage")
    if coverage is not None and coverages and coverage not in coverages:
        c.add(
            ("coverage",),
            _("coverage {coverage!r} is not a calendar of the policy ({choices})").format(coverage=coverage, choices=', '.join(sorted(coverages))),
        )
    if data.get("onsite_staff") is not None and not isinstance(data.get("onsite_staff"), bool):
        c.add(("onsite_staff",), _("onsite_staff must be true or false"))
    _check_contacts(c, data.get("contacts"))
    c.contract(data.get("contract"))
    contract = data.get("contract")
    target = contract.get("availability") if isinstance(contract, dict) else None
    if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float)) or not 0 < target <= 100):
        c.add(("contract", "availability"), _("contract.availability {target!r} must be a percentage like 99.9").format(target=target))
    _check_assets(c, data.get("assets"))
    return c.problems


def _check_contacts(c: Checker, contacts: Any) -> None:
    if contacts is None:
        return
    if not isinstance(contacts, list):
        c.add(("contacts",), _("contacts must be a list of name, phone, email"))
        return
    for index, contact in enumerate(contacts):
        if not isinstance(contact, dict):
            c.add(("contacts", index), _("contacts[{index}] must be a mapping with name, phone, email").format(index=index))
            continue
        for key in CONTACT_FIELDS:
            c.text(contact, key, ("contacts", index), required=key == "name")


def _check_assets(c: Checker, assets: Any) -> None:
    if assets is None:
        return
    if not isinstance(assets, list):
        c.add(("assets",), _("assets must be a list of model, serial, location, status"))
        return
    seen: set[str] = set()
    for index, asset in enumerate(assets):
        where = ("assets", index)
        if not isinstance(asset, dict):
            c.add(where, _("assets[{index}] must be a mapping with model, serial, location, status").format(index=index))
            continue
        for key in ("model", "serial", "location"):
            c.text(asset, key, where, required=key == "serial")
        status = asset.get("status")
        if status is not None and (not isinstance(status, str) or status not in ASSET_STATUSES):
            c.add(
                (*where, "status"),
                _("assets[{index}].status {status!r} is not one of: {choices}").format(index=index, status=status, choices=', '.join(sorted(ASSET_STATUSES))),
            )
        serial = asset.get("serial")
        if isinstance(serial, str):
            if serial in seen:
                c.add((*where, "serial"), _("serial number {serial} is listed twice").format(serial=serial))
            seen.add(serial)
    serials = {str(a.get("serial")) for a in assets if isinstance(a, dict)}
    for index, asset in enumerate(assets):
        if not isinstance(asset, dict):
            continue
        where = ("assets", index)
        part_of, depends = asset.get("part_of"), asset.get("depends_on")
        if part_of is not None and (not isinstance(part_of, str) or part_of not in serials or part_of == asset.get("serial")):
            c.add((*where, "part_of"), _("assets[{index}].part_of {part_of!r} is not another device of this customer").format(index=index, part_of=part_of))
        if depends is not None and (not isinstance(depends, list) or any(
                not isinstance(d, str) or d not in serials or d == asset.get("serial") for d in depends)):
            c.add((*where, "depends_on"),
                  _("assets[{index}].depends_on must list serial numbers of other devices of this customer").format(index=index))
