"""Issuing a satisfaction survey: when a case closes, or for a customer.

Seed 002: after a service record is closed, the customer gets a confirmation
letter asking them to evaluate the work.  `issue_on_close` runs inside the
close command's transaction, so the survey file, the case's link to it and
the close are one commit.  Whether a case gets a survey is policy: a sample
(decided by the case number, so every clone decides alike) and a per-customer
throttle (no second survey to the same customer within N days).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from casefile.cases.links import LinkRel, add_link, linked
from casefile.cases.model import CaseDoc
from casefile.customers.model import customer_path
from casefile.errors import CasefileError
from casefile.policy.surveys import SurveyPolicy, sampled
from casefile.records.file import EditableRecord, read_record_file
from casefile.records.transaction import Transaction
from casefile.session import Session
from casefile.surveys.model import SURVEYS_DIR, SurveyKind, SurveyStatus, case_survey_id, survey_path
from casefile.values import Struct
from casefile.worktime.clock import format_instant, parse_stored
from casefile.i18n import _

CONTACT_KEYS = ("name", "company", "phone", "email")


class Issued(Struct, frozen=True):
    """What happened to the survey of a close: its id, or why there is none."""

    survey_id: str | None
    note: str


def policy_of(session: Session) -> SurveyPolicy:
    return session.policy.surveys


def survey_data(
    ident: str,
    kind: SurveyKind,
    issued: datetime,
    policy: SurveyPolicy,
    session: Session,
    contact: Mapping[str, Any],
    expires: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A new survey's front matter (times in the desk's zone).

    It expires `expire_days` after it is issued (never when that is 0), or at `expires` when given.
    """
    zone = session.policy.zone
    data: dict[str, Any] = {"id": ident, "kind": str(kind)}
    data.update({k: v for k, v in extra.items() if v})
    data.update(
        {
            "status": str(SurveyStatus.PENDING),
            "issued_at": format_instant(issued, zone),
            "send_after": format_instant(issued + timedelta(hours=policy.delay_hours), zone),
        }
    )
    if expires is not None:
        data["expires_at"] = format_instant(expires, zone)
    elif policy.expire_days:
        data["expires_at"] = format_instant(issued + timedelta(days=policy.expire_days), zone)
    if contact:
        data["contact"] = dict(contact)
    data["questions"] = [q.key for q in policy.questions]
    return data


def contact_of(case: Mapping[str, Any], customer: Mapping[str, Any] | None) -> dict[str, str]:
    """Who is asked: the caller of the case, completed from the customer's contact of that name;
    the customer's first contact when the caller cannot be reached."""
    caller = case.get("caller") or {}
    found = {k: str(caller[k]) for k in CONTACT_KEYS if isinstance(caller, Mapping) and caller.get(k)}
    if not customer:
        return found
    contacts = [c for c in customer.get("contacts") or [] if isinstance(c, Mapping)]
    same = next((c for c in contacts if found.get("name") and c.get("name") == found["name"]), None)
    if same is None and not (found.get("phone") or found.get("email")):
        same, found = (contacts[0] if contacts else None), {}
    for key in CONTACT_KEYS:
        if same is not None and same.get(key) and not found.get(key):
            found[key] = str(same[key])
    if customer.get("name") and not found.get("company"):
        found["company"] = str(customer["name"])
    return {key: found[key] for key in CONTACT_KEYS if found.get(key)}


def recent_survey(surveys: Iterable[Mapping[str, Any]], customer: str, since: datetime) -> str | None:
    """The id of a survey issued to `customer` at or after `since`, if any."""
    for data in surveys:
        if (
            data.get("customer") == customer
            and data.get("issued_at")
            and parse_stored(str(data["issued_at"])) >= since
        ):
            return str(data.get("id"))
    return None


def read_customer(session: Session, customer: str | None) -> dict[str, Any] | None:
    if not customer:
        return None
    path = session.root / customer_path(customer)
    if not path.is_file():
        return None
    return read_record_file(session.root, path).data


def issue_on_close(session: Session, txn: Transaction, doc: CaseDoc, when: datetime, force: bool = False) -> Issued:
    """Write the survey of a case that closes now (sample and throttle permitting) and link it."""
    policy = policy_of(session)
    nth = len(linked(doc.data, LinkRel.SURVEY)) + 1
    ident = case_survey_id(doc.id, nth)
    if not force and not sampled(ident, policy.sample_percent):
        return Issued(None, f"no survey: {doc.id} is not in the {policy.sample_percent}% sample")
    customer_id = doc.get("customer")
    if not force and customer_id and policy.throttle_days:
        surveys = session.catalog.records(SURVEYS_DIR, lambda error: session.notes(_("skipped {error}").format(error=error)))
        recent = recent_survey(
            (e.data for e in surveys), str(customer_id), when - timedelta(days=policy.throttle_days)
        )
        if recent:
            return Issued(None, f"no survey: {customer_id} had {recent} within {policy.throttle_days} days")
    customer = read_customer(session, str(customer_id) if customer_id else None)
    path = survey_path(ident, when.astimezone(session.policy.zone))
    if txn.committed(path) is not None:
        raise CasefileError(_("survey {ident} exists already").format(ident=ident), _("see it with: casefile survey show {ident}").format(ident=ident))
    data = survey_data(
        ident,
        SurveyKind.CASE,
        when,
        policy,
        session,
        contact_of(doc.data, customer),
        case=doc.id,
        customer=customer_id,
    )
    txn.write(path, EditableRecord.new(path, data, "").render())
    add_link(doc, LinkRel.SURVEY, ident)
    return Issued(ident, f"survey {ident} issued")
