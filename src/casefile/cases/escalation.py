"""`casefile escalate`: functional escalation to the next tier, or to a person or role.

Functional escalation follows the tiers of seed 000/001/004: service desk (L1)
→ engineers (L2) → expert group (L3) → vendor.  A case has an owner (a
person: `assignee`) and a working group (its tier); moving it to another
group keeps the owner unless a new one is named (`--owner`), and tells the
owner and the group (the holders of the tier's role).  Escalating to the
vendor names the vendor and its ticket: the vendor's contacts are told, and
its commitments (copied from `vendors/ID.md` into the event, so a later edit
of the vendor does not move the deadline) become clocks of the case; the
expert group that hands it over stays the group that follows it up.
Escalating to a person makes them the owner (at their tier); escalating to a
role (e.g. technical-support-supervisor) is a management escalation: the
case stays where it is and the role holders are named.  Every escalation is
one `escalated` event with the reason, and one commit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from casefile.cases.model import CaseDoc, EventKind, Status, Tier, change
from casefile.cases.ops import WorkflowError
from casefile.errors import CasefileError
from casefile.policy.people import People
from casefile.records.change import Change
from casefile.i18n import _
from casefile.cases.vocabulary import STATUS_WORDS, word
from casefile.values import Struct

TIERS = (Tier.L1, Tier.L2, Tier.L3, Tier.VENDOR)
TIER_ROLES = {Tier.L1: "service-desk", Tier.L2: "engineer", Tier.L3: "expert-group", Tier.VENDOR: None}
TIER_WORDS = {Tier.L1: "service desk", Tier.L2: "engineers", Tier.L3: "expert group", Tier.VENDOR: "vendor"}


class EscalationTarget(Struct, frozen=True):
    tier: Tier | None = None  # functional: to this tier (None with no person/role: the next one)
    person: str | None = None
    role: str | None = None


class VendorHandover(Struct, frozen=True):
    """The vendor a case goes to, as its record says today, and the vendor's ticket."""

    vendor: str
    name: str
    ticket: str | None
    contacts: tuple[str, ...]  # `Huawei TAC <tac@huawei.example>`
    commitments: Mapping[str, str]  # {response: 30m}
    calendar: str | None  # the vendor's coverage, if it names one


def target_of(to: str | None, people: People, roles: Collection[str]) -> EscalationTarget:
    """Read `--to`: a tier (L2, L3, vendor), a person's handle, or a role; nothing: the next tier."""
    if not to:
        return EscalationTarget()
    text = to.strip()
    for tier in TIERS:
        if text.lower() == str(tier).lower():
            return EscalationTarget(tier=tier)
    if text in people.persons:
        return EscalationTarget(person=text)
    if text in roles:
        return EscalationTarget(role=text)
    raise CasefileError(
        _("{text!r} is not a tier, a person in people.yaml or a role in policy.yaml").format(text=text),
        _("use L2, L3, vendor, a handle like li.na, or a role like technical-support-supervisor"),
    )


def escalate(
    doc: CaseDoc,
    at: str,
    by: str,
    target: EscalationTarget,
    reason: str | None,
    people: People,
    owner: str | None = None,
    vendor: VendorHandover | None = None,
) -> Change:
    if doc.status not in (Status.OPEN, Status.PENDING):
        raise WorkflowError(_("{id} is {status}; only open or pending cases can be escalated").format(id=doc.id, status=word(STATUS_WORDS, doc.status)))
    if not reason or not reason.strip():
        raise WorkflowError(_("the reason is empty"), _("say why with --reason"))
    if (owner or vendor) and (target.role or target.person):
        raise WorkflowError(_("--owner and --vendor go with an escalation to a tier"),
                            _("escalate to a tier (--to L3, --to vendor), or to a person or role without them"))
    fields: dict[str, object] = {}
    if target.role:
        fields["role"] = target.role
        notified = [p.handle for p in people.holders(target.role)]
        words = f"escalate to {target.role}"
    elif target.person:
        person = people.get(target.person)
        _move(doc, fields, "assignee", target.person)
        if person.tier in {str(t) for t in Tier}:
            _move(doc, fields, "tier", person.tier)
        notified = [target.person]
        words = f"escalate to {target.person}"
    else:
        tier = target.tier or (Tier.VENDOR if vendor else _next_tier(doc))
        current = _tier_of(doc)
        if TIERS.index(tier) <= TIERS.index(current):
            raise WorkflowError(
                _("{id} is at {current} ({value}); escalation goes up").format(id=doc.id, current=current, value=TIER_WORDS[current]),
                _("to hand it to someone at the same or a lower tier, use: casefile assign {id} HANDLE").format(id=doc.id),
            )
        if vendor is not None and tier is not Tier.VENDOR:
            raise WorkflowError(_("--vendor is for an escalation to the vendor"), _("use it with --to vendor"))
        _move(doc, fields, "tier", str(tier))
        if owner:
            _move(doc, fields, "assignee", owner)
        # The group that follows it up: the new tier's role, or for the vendor the group handing it over.
        role = TIER_ROLES[tier] or TIER_ROLES[current]
        group = [p.handle for p in people.holders(role)] if role else []
        keeper = doc.get("assignee")
        notified = ([str(keeper)] if keeper else []) + [h for h in group if h != keeper]
        words = f"escalate to {tier} ({TIER_WORDS[tier]})"
        if vendor is not None:
            doc.set("vendor", vendor.vendor)
            fields["vendor"] = vendor.vendor
            if vendor.ticket or doc.get("vendor_ticket"):
                doc.set("vendor_ticket", vendor.ticket)
            if vendor.ticket:
                fields["ticket"] = vendor.ticket
            if vendor.commitments:
                fields["commitments"] = dict(vendor.commitments)
                if vendor.calendar:
                    fields["calendar"] = vendor.calendar
            fields["vendor_contacts"] = list(vendor.contacts)
            ticket = f", ticket {vendor.ticket}" if vendor.ticket else ""
            words = f"escalate to vendor {vendor.vendor}{ticket}"
    fields["notified"] = notified
    doc.add_event(at, by, EventKind.ESCALATED, reason.strip(), fields)
    return Change("escalate", words)


def _tier_of(doc: CaseDoc) -> Tier:
    value = doc.get("tier")
    return Tier(value) if value in {str(t) for t in Tier} else Tier.L1


def _next_tier(doc: CaseDoc) -> Tier:
    current = _tier_of(doc)
    if current is Tier.VENDOR:
        raise WorkflowError(_("{id} is already with the vendor, the last tier").format(id=doc.id),
                            _("escalate to a person or role instead: --to technical-support-supervisor"))
    return TIERS[TIERS.index(current) + 1]


def _move(doc: CaseDoc, fields: dict[str, object], key: str, value: str | None) -> None:
    old = doc.get(key)
    if old != value:
        fields[key] = change(old, value)
        doc.set(key, value)
