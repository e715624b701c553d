"""Equipment changes at a customer: a device replaced, added or retired.

Seed 004: when equipment is replaced or changed during an inspection, the desk
updates the customer's equipment records.  `apply_changes` does that to the
customer's asset list (in place, a round-trip list, so only the touched lines
change) and returns the entries the inspection records.  A replaced device is
kept in the list with `status: replaced` and `replaced_by`, so the history of a
site stays readable; the new one gets `replaces` and `installed_on`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from casefile.customers.model import Asset, AssetStatus, parse_asset
from casefile.errors import CasefileError
from casefile.records import yamlio
from casefile.records.fieldorder import set_in_order
from casefile.i18n import _
from casefile.values import Struct


class EquipmentAction(StrEnum):
    REPLACED = "replaced"
    ADDED = "added"
    RETIRED = "retired"


ASSET_ORDER = (
    "model",
    "serial",
    "location",
    "status",
    "installed_on",
    "replaces",
    "replaced_by",
    "changed_on",
    "part_of",
    "depends_on",
)
ACTIVE = frozenset({AssetStatus.IN_SERVICE, AssetStatus.SPARE, AssetStatus.FAULTY})


class EquipmentChange(Struct, frozen=True):
    action: EquipmentAction
    serial: str
    new_serial: str | None = None
    model: str | None = None
    location: str | None = None


def parse_replacement(text: str) -> EquipmentChange:
    """`OLD_SERIAL=NEW_SERIAL`, or `OLD_SERIAL=NEW_SERIAL:NEW MODEL` when the model changes too."""
    old, sep, rest = text.partition("=")
    new, __, model = rest.partition(":")
    if not sep or not old.strip() or not new.strip():
        raise CasefileError(
            _("cannot read the replacement {text!r}").format(text=text), _("write it as OLD_SERIAL=NEW_SERIAL[:NEW MODEL]")
        )
    return EquipmentChange(EquipmentAction.REPLACED, old.strip(), new.strip(), model.strip() or None)


def parse_addition(text: str) -> EquipmentChange:
    asset: Asset = parse_asset(text)
    return EquipmentChange(
        EquipmentAction.ADDED, asset.serial, model=asset.model, location=asset.location or None
    )


def retirement(serial: str) -> EquipmentChange:
    return EquipmentChange(EquipmentAction.RETIRED, serial.strip())


def _find_active(assets: Sequence[Any], serial: str, customer: str) -> Any:
    for asset in assets:
        if isinstance(asset, dict) and asset.get("serial") == serial:
            if asset.get("status", str(AssetStatus.IN_SERVICE)) not in ACTIVE:
                raise CasefileError(_("device {serial} of {customer} is {get} already").format(serial=serial, customer=customer, get=asset.get('status')))
            return asset
    raise CasefileError(
        _("{customer} has no device with serial number {serial}").format(customer=customer, serial=serial),
        _("`casefile customer show {customer}` lists its assets").format(customer=customer),
    )


def _refuse_known(assets: Sequence[Any], serial: str, customer: str) -> None:
    if any(isinstance(a, dict) and a.get("serial") == serial for a in assets):
        raise CasefileError(_("{customer} already has a device with serial number {serial}").format(customer=customer, serial=serial))


def apply_changes(
    assets: Any, changes: Sequence[EquipmentChange], on: str, customer: str
) -> list[dict[str, str]]:
    """Change the asset list for each change (dated `on`); the entries for the inspection record."""
    entries = []
    for change in changes:
        entry: dict[str, str] = {"action": str(change.action), "serial": change.serial}
        if change.action is EquipmentAction.REPLACED:
            assert change.new_serial is not None
            old = _find_active(assets, change.serial, customer)
            _refuse_known(assets, change.new_serial, customer)
            model = change.model or str(old.get("model") or "")
            set_in_order(old, "status", str(AssetStatus.REPLACED), ASSET_ORDER)
            set_in_order(old, "replaced_by", change.new_serial, ASSET_ORDER)
            set_in_order(old, "changed_on", on, ASSET_ORDER)
            new = {
                "model": model,
                "serial": change.new_serial,
                "location": old.get("location"),
                "status": str(AssetStatus.IN_SERVICE),
                "installed_on": on,
                "replaces": change.serial,
            }
            yamlio.append_block(assets, yamlio.new_map({k: v for k, v in new.items() if v}))
            entry.update({"new_serial": change.new_serial, "model": model})
        elif change.action is EquipmentAction.ADDED:
            _refuse_known(assets, change.serial, customer)
            new = {
                "model": change.model,
                "serial": change.serial,
                "location": change.location,
                "status": str(AssetStatus.IN_SERVICE),
                "installed_on": on,
            }
            yamlio.append_block(assets, yamlio.new_map({k: v for k, v in new.items() if v}))
            entry.update({k: v for k, v in (("model", change.model), ("location", change.location)) if v})
        else:
            old = _find_active(assets, change.serial, customer)
            set_in_order(old, "status", str(AssetStatus.RETIRED), ASSET_ORDER)
            set_in_order(old, "changed_on", on, ASSET_ORDER)
            if old.get("model"):
                entry["model"] = str(old["model"])
        entries.append(entry)
    return entries


# -- a device's history ---------------------------------------------------------

REPLACED_FIELD = "replaced"  # an on-site note's `fields.replaced`: [{serial, new_serial, model}]


def replacements_in(case: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(time, entry) of each device an on-site note of `case` replaced."""
    found = []
    for event in case.get("events") or []:
        fields = event.get("fields") if isinstance(event, Mapping) else None
        entries = fields.get(REPLACED_FIELD) if isinstance(fields, Mapping) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping):
                found.append((str(event.get("at")), entry))
    return found


def asset_history(serial: str, asset: Mapping[str, Any], cases: Iterable[Mapping[str, Any]],
                  inspections: Iterable[Mapping[str, Any]], problems: Iterable[Mapping[str, Any]],
                  changes: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """What happened to the device `serial`, oldest first: installed, its cases, the problems about it,
    inspections and cases that replaced it (or installed it), the changes to it (by window), retired."""
    rows: list[dict[str, Any]] = []
    if asset.get("installed_on"):
        words = f"installed, replacing {asset['replaces']}" if asset.get("replaces") else "installed"
        rows.append({"on": str(asset["installed_on"]), "kind": "installed", "id": None, "text": words})
    for case in cases:
        if case.get("asset") == serial:
            rows.append({"on": str(case.get("opened_at")), "kind": "case", "id": case.get("id"),
                         "text": f"{case.get('level')} {case.get('status')}: {case.get('title')}"})
        for at, entry in replacements_in(case):
            if entry.get("serial") == serial:
                rows.append({"on": at, "kind": "replaced", "id": case.get("id"),
                             "text": f"replaced by {entry.get('new_serial')} (on-site visit)"})
            elif entry.get("new_serial") == serial:
                rows.append({"on": at, "kind": "installed", "id": case.get("id"),
                             "text": f"installed, replacing {entry.get('serial')} (on-site visit)"})
    for inspection in inspections:
        for entry in inspection.get("equipment") or []:
            if not isinstance(entry, Mapping) or serial not in (entry.get("serial"), entry.get("new_serial")):
                continue
            on = str(inspection.get("inspected_on") or inspection.get("planned_on"))
            if entry.get("serial") == serial:
                words = {"replaced": f"replaced by {entry.get('new_serial')}", "added": "added",
                         "retired": "retired"}.get(str(entry.get("action")), str(entry.get("action")))
            else:
                words = f"installed, replacing {entry.get('serial')}"
            rows.append({"on": on, "kind": "inspection", "id": inspection.get("id"), "text": f"{words} (inspection)"})
    for problem in problems:
        if problem.get("asset") == serial:
            rows.append({"on": str(problem.get("opened_at")), "kind": "problem", "id": problem.get("id"),
                         "text": f"{problem.get('status')}: {problem.get('title')}"})
    for change in changes:
        if serial in [str(a) for a in change.get("assets") or []]:
            window = change.get("window") if isinstance(change.get("window"), Mapping) else {}
            start = str((window or {}).get("start") or change.get("requested_at"))
            result = f", {change['result']}" if change.get("result") else ""
            rows.append({"on": start, "kind": "change", "id": change.get("id"),
                         "text": f"{change.get('status')}{result}: {change.get('title')}"})
    installed_by_record = any(r["kind"] in ("inspection", "installed") and r["id"] for r in rows)
    if installed_by_record:
        rows = [r for r in rows if not (r["kind"] == "installed" and r["id"] is None)]
    return sorted(rows, key=lambda r: (r["on"][:10], r["on"], r["kind"]))


# -- relations: part of, depends on ---------------------------------------------

PART_OF, DEPENDS_ON = "part_of", "depends_on"


def relate(assets: Any, serial: str, other: str, how: str, customer: str) -> None:
    """`serial` is part of (`how` = part_of) or depends on `other`; both devices of `customer`."""
    device = _any(assets, serial, customer)
    _any(assets, other, customer)
    if serial == other:
        raise CasefileError(_("device {serial} cannot be related to itself").format(serial=serial))
    if serial in _ups(assets, other):
        raise CasefileError(_("{other} already depends on {serial}").format(other=other, serial=serial), _("relations must not go round in a circle"))
    if how == PART_OF:
        set_in_order(device, PART_OF, other, ASSET_ORDER)
    else:
        if not isinstance(device.get(DEPENDS_ON), list):
            set_in_order(device, DEPENDS_ON, yamlio.new_seq([]), ASSET_ORDER)
        if other not in [str(s) for s in device[DEPENDS_ON]]:
            device[DEPENDS_ON].append(other)


def unrelate(assets: Any, serial: str, other: str, customer: str) -> None:
    device = _any(assets, serial, customer)
    found = False
    if device.get(PART_OF) == other:
        del device[PART_OF]
        found = True
    depends = device.get(DEPENDS_ON)
    if isinstance(depends, list) and other in [str(s) for s in depends]:
        depends.remove(other)
        if not depends:
            del device[DEPENDS_ON]
        found = True
    if not found:
        raise CasefileError(_("device {serial} of {customer} is not related to {other}").format(serial=serial, customer=customer, other=other))


def _any(assets: Sequence[Any], serial: str, customer: str) -> Any:
    for asset in assets or []:
        if isinstance(asset, dict) and asset.get("serial") == serial:
            return asset
    raise CasefileError(_("{customer} has no device with serial number {serial}").format(customer=customer, serial=serial),
                        _("`casefile customer show {customer}` lists its assets").format(customer=customer))


def _ups(assets: Sequence[Any], serial: str) -> set[str]:
    """What `serial` is part of or depends on, directly or not."""
    by_serial = {str(a.get("serial")): a for a in assets or [] if isinstance(a, Mapping)}
    found: set[str] = set()
    todo = [serial]
    while todo:
        device = by_serial.get(todo.pop()) or {}
        for up in [device.get(PART_OF), *(device.get(DEPENDS_ON) or [])]:
            if up and str(up) not in found:
                found.add(str(up))
                todo.append(str(up))
    return found


def dependents(assets: Sequence[Any], serial: str) -> list[dict[str, Any]]:
    """Every device that is part of `serial` or depends on it, directly or through another, nearest first:
    {serial, model, location, status, how (part-of / depends-on), via (the device it hangs on)}."""
    found: list[dict[str, Any]] = []
    seen = {serial}
    todo = [serial]
    while todo:
        current = todo.pop(0)
        for asset in assets or []:
            if not isinstance(asset, Mapping) or str(asset.get("serial")) in seen:
                continue
            how = "part-of" if asset.get(PART_OF) == current else \
                "depends-on" if current in [str(s) for s in asset.get(DEPENDS_ON) or []] else None
            if how is None:
                continue
            other = str(asset.get("serial"))
            seen.add(other)
            todo.append(other)
            found.append({"serial": other, "model": asset.get("model"), "location": asset.get("location"),
                          "status": asset.get("status") or "in-service", "how": how, "via": current})
    return found


def relations_of(assets: Sequence[Any], serial: str) -> dict[str, Any]:
    """What a device is part of, depends on, and what depends on it."""
    device = next((a for a in assets or [] if isinstance(a, Mapping) and str(a.get("serial")) == serial), {})
    return {"part_of": device.get(PART_OF), "depends_on": [str(s) for s in device.get(DEPENDS_ON) or []],
            "dependents": dependents(assets, serial)}
