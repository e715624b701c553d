"""A customer's equipment changes (customers/assets.py) and what a customer record must hold (customers/model.py)."""

from __future__ import annotations

import pytest

from casefile.customers.assets import EquipmentAction, apply_changes, parse_addition, parse_replacement, retirement
from casefile.customers.model import customer_problems, parse_asset, parse_contact
from casefile.errors import CasefileError


def assets() -> list[dict[str, str]]:
    return [{"model": "APC Smart-UPS SRT3000", "serial": "AS7000001", "location": "Gate house", "status": "in-service"}]


def test_a_replaced_device_stays_listed_and_its_successor_names_it() -> None:
    listed = assets()
    entries = apply_changes(listed, [parse_replacement("AS7000001=AS9000002:APC Smart-UPS SRT5000")],
                            "2026-11-19", "sk-port")
    assert entries == [{"action": "replaced", "serial": "AS7000001", "new_serial": "AS9000002",
                        "model": "APC Smart-UPS SRT5000"}]
    old, new = listed
    assert (old["status"], old["replaced_by"], old["changed_on"]) == ("replaced", "AS9000002", "2026-11-19")
    assert (new["replaces"], new["installed_on"], new["location"]) == ("AS7000001", "2026-11-19", "Gate house")


def test_adding_and_retiring_and_what_is_refused() -> None:
    listed = assets()
    apply_changes(listed, [parse_addition("Cisco C9300;FOC2233X0AB;Core room"), retirement("AS7000001")],
                  "2026-11-19", "sk-port")
    assert [(a["serial"], a["status"]) for a in listed] == [("AS7000001", "retired"), ("FOC2233X0AB", "in-service")]
    with pytest.raises(CasefileError, match="is retired already"):
        apply_changes(listed, [retirement("AS7000001")], "2026-11-20", "sk-port")
    with pytest.raises(CasefileError, match="already has a device with serial number FOC2233X0AB"):
        apply_changes(listed, [parse_addition("X;FOC2233X0AB")], "2026-11-20", "sk-port")
    with pytest.raises(CasefileError, match="has no device with serial number NOPE"):
        apply_changes(listed, [retirement("NOPE")], "2026-11-20", "sk-port")
    assert parse_replacement("A=B").action is EquipmentAction.REPLACED


def test_contacts_assets_and_what_makes_a_customer_record_valid() -> None:
    assert parse_contact("Zhang Wei;0755-86001234;zhang.wei@acme.example;IT manager").role == "IT manager"
    with pytest.raises(CasefileError, match="is not an e-mail address"):
        parse_contact("Zhang Wei;0755;not-mail")
    assert parse_asset("HP M607;CNB1234567").status == "in-service"
    good = {"id": "acme-sz", "name": "ACME Shenzhen", "coverage": "5x24",
            "assets": [{"serial": "A1"}], "contract": {"from": "2026-01-01", "until": "2026-12-31"}}
    assert customer_problems(good, "acme-sz", ["5x24"]) == []
    bad = {**good, "coverage": "9x9", "assets": [{"serial": "A1"}, {"serial": "A1"}],
           "contract": {"from": "2026-12-31", "until": "2026-01-01"}}
    assert [p.message for p in customer_problems(bad, "acme-sz", ["5x24"])] == [
        "coverage '9x9' is not a calendar of the policy (5x24)",
        "the contract ends before it starts",
        "serial number A1 is listed twice",
    ]
