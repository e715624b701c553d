"""What a vendor (原厂商 / 第三方厂家) is: its file, contacts, contract and commitments.

The last tier of functional escalation (seed 000/001/004) is the original
vendor or a third party.  One file per vendor, `vendors/<id>.md`:

    ---
    id: huawei
    name: Huawei Technologies
    contacts:
      - name: Huawei TAC
        phone: 400-822-9999
        email: tac@huawei.example
        role: Technical assistance centre
    contract:
      id: HW-SVC-2026-88
      from: '2026-01-01'
      until: '2026-12-31'
    coverage: 7x24            # the calendar its commitments count on (a calendar of the policy)
    commitments:              # what the vendor's contract promises, each a clock on our cases
      response: 30m           # it answers our ticket (casefile note CASE -k vendor)
      restore: 8h             # service restored (casefile resolve)
    ---
    Notes about the vendor (Markdown).

`casefile escalate CASE --to vendor --vendor huawei --ticket HW-1` copies the
commitments and the calendar into the escalation event, so a later change
of the vendor's file does not move a past deadline (like a case's policy
version).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from casefile.errors import CasefileError, NotFound
from casefile.policy.sla import VENDOR_COMMITMENTS
from casefile.records.kinds import VENDORS
from casefile.records.problems import Checker, Problem
from casefile.worktime.duration import DurationError, WorkingDays, parse_duration
from casefile.i18n import _

FIELD_ORDER = ("id", "name", "contacts", "contract", "coverage", "commitments")
CONTACT_FIELDS = ("name", "phone", "email", "role")


class VendorNotFound(NotFound):
    def __init__(self, vendor_id: str) -> None:
        super().__init__(_("no vendor {vendor_id!r}").format(vendor_id=vendor_id),
                         _("`casefile vendor list` shows them; add one with `casefile vendor add`"))


def check_vendor_id(text: str) -> str:
    value = text.strip()
    if not VENDORS.id_pattern.match(value):
        raise CasefileError(_("{text!r} is not a vendor id").format(text=text), _("vendor ids are lower-case letters, digits and '-', like huawei"))
    return value


def vendor_path(vendor_id: str) -> str:
    return VENDORS.path(vendor_id)


def parse_commitment(text: str) -> tuple[str, str]:
    """`response=30m` -> (response, 30m)."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or key not in VENDOR_COMMITMENTS:
        raise CasefileError(_("cannot read the commitment {text!r}").format(text=text),
                            _("write it like response=30m (commitments: {names})").format(names=', '.join(VENDOR_COMMITMENTS)))
    try:
        duration = parse_duration(value, where=f"--commit {key}")
    except DurationError as error:
        raise CasefileError(error.message, _("e.g. response=30m, restore=8h")) from None
    if isinstance(duration, WorkingDays):
        raise CasefileError(_("--commit {key}: give hours or minutes, like 4h").format(key=key), _("e.g. restore=8h"))
    return key, value


def commitments_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The commitments of a vendor record, as written (`{response: 30m}`)."""
    found = data.get("commitments")
    if not isinstance(found, Mapping):
        return {}
    return {str(key): str(value) for key, value in found.items() if str(key) in VENDOR_COMMITMENTS and value}


def contacts_of(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [c for c in data.get("contacts") or [] if isinstance(c, Mapping) and c.get("name")]


def contact_line(contact: Mapping[str, Any]) -> str:
    """`Huawei TAC <tac@huawei.example>` (or with the phone when there is no e-mail)."""
    reach = contact.get("email") or contact.get("phone")
    return f"{contact['name']} <{reach}>" if reach else str(contact["name"])


def vendor_problems(data: Mapping[str, Any], file_stem: str | None, calendars: Collection[str] = ()) -> list[Problem]:
    """What is wrong with a vendor record (empty when it is valid)."""
    c = Checker()
    ident = data.get("id")
    if not isinstance(ident, str) or not VENDORS.id_pattern.match(ident):
        c.add(("id",), _("id {ident!r} is not a vendor id like huawei").format(ident=ident))
    elif file_stem is not None and file_stem != ident:
        c.add(("id",), _("id {ident} does not match the file name {file_stem}.md").format(ident=ident, file_stem=file_stem))
    c.text(data, "name", required=True)
    coverage = data.get("coverage")
    if coverage is not None and calendars and coverage not in calendars:
        c.add(("coverage",), _("coverage {coverage!r} is not a calendar of the policy ({choices})").format(coverage=coverage, choices=', '.join(sorted(calendars))))
    contacts = data.get("contacts")
    if contacts is not None and not isinstance(contacts, list):
        c.add(("contacts",), _("contacts must be a list of name, phone, email, role"))
    for index, contact in enumerate(contacts if isinstance(contacts, list) else []):
        if not isinstance(contact, dict):
            c.add(("contacts", index), _("contacts[{index}] must be a mapping with name, phone, email, role").format(index=index))
            continue
        for key in CONTACT_FIELDS:
            c.text(contact, key, ("contacts", index), required=key == "name")
    c.contract(data.get("contract"))
    _check_commitments(c, data.get("commitments"))
    return c.problems


def _check_commitments(c: Checker, commitments: Any) -> None:
    if commitments is None:
        return
    if not isinstance(commitments, dict):
        c.add(("commitments",), _("commitments must map a commitment to a duration, like response: 30m"))
        return
    for key, value in commitments.items():
        if key not in VENDOR_COMMITMENTS:
            c.add(("commitments", str(key)),
                  _("commitments.{key} is not a vendor commitment (known: {choices})").format(key=key, choices=', '.join(VENDOR_COMMITMENTS)))
            continue
        try:
            duration = parse_duration(value, where=f"commitments.{key}")
        except DurationError as error:
            c.add(("commitments", str(key)), error.message)
            continue
        if isinstance(duration, WorkingDays):
            c.add(("commitments", str(key)), _("commitments.{key}: give hours or minutes, like 4h").format(key=key))
