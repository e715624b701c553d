"""`casefile check` warns before a customer's or a vendor's contract ends (policy `contracts.warn_days`).

A `DueProvider` (see `check.model`): a contract whose `until` is within
`warn_days` of today is reminded of once, to the roles of
`contracts.remind` (default: the service desk), from the first working hour
of the desk's default calendar on the day the warning falls due.  The
reminder is recorded in the customer's (or vendor's) record, keyed
`contract-ends/<contract>@<until>`, so it fires once across every clone and
again for a renewed contract.  Cases opened under an expired or unknown
contract are flagged at `open` (`service.contract_status`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from casefile.check.model import Broken, Due, Fired, recorded_keys
from casefile.check.writing import fired_events, is_recorded, with_events
from casefile.records.kinds import CUSTOMERS, VENDORS, RecordKind
from casefile.session import Session
from casefile.sla.engine import Alert, AlertKind, page_time
from casefile.worktime.officialdays import MissingYear
from casefile.i18n import N_
from casefile.said import Said


def contract_key(contract: Mapping[str, Any], until: date) -> str:
    return f"contract-ends/{contract.get('id') or 'contract'}@{until.isoformat()}"


class ContractReminder:
    """Customers' (or vendors') contracts that end soon."""

    def __init__(self, session: Session, kind: RecordKind = CUSTOMERS) -> None:
        self.session = session
        self.kind = kind
        self.name = kind.folder  # its records' folder

    def collect(self, now: datetime, broken: Callable[[Broken], None]) -> Iterator[Due]:
        rule = self.session.policy.sla.contracts
        if not rule.warn_days:
            return
        zone = self.session.policy.zone
        today = now.astimezone(zone).date()
        for entry in self.session.catalog.records(self.kind.folder, lambda e: broken(Broken(e.source, e.problem))):
            contract = entry.data.get("contract")
            if not isinstance(contract, Mapping) or not contract.get("until"):
                continue
            try:
                until = date.fromisoformat(str(contract["until"]))
            except ValueError:
                continue  # `validate` says what is wrong with it
            warn_on = until - timedelta(days=rule.warn_days)
            if not warn_on <= today <= until:
                continue
            key = contract_key(contract, until)
            if key in recorded_keys(entry.data):
                continue
            try:
                due_at = datetime.combine(warn_on, time(), zone)
                calendar = self.session.policy.sla.calendars[self.session.policy.sla.default_calendar]
                page_at = page_time(due_at, now, calendar)
            except MissingYear as error:
                broken(Broken(entry.path, str(error)))
                continue
            ident = str(entry.data.get("id") or self.kind.id_of(entry.path))
            words = Said.of(N_("The contract {contract} of {kind} {record} ends on {day} ({days} days): renew it or "
                               "tell the customer"), contract=str(contract.get("id") or "—"), kind=self.kind.name,
                            record=ident, day=str(until), days=(until - today).days)
            alert = Alert(key, AlertKind.REMINDER, "contract", words, due_at, page_at, rule.remind)
            yield Due(self.name, entry.path, ident, f"{self.kind.name} {ident}: {entry.data.get('name') or ident}",
                      "", None, (alert,) if page_at <= now else (), (alert,) if page_at > now else ())

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        return with_events(text, due.path, fired_events(fired, stamp))[0]

    def recorded(self, text: str, key: str) -> bool:
        return is_recorded(text, key)


def contract_reminders(session: Session) -> list[ContractReminder]:
    return [ContractReminder(session, CUSTOMERS), ContractReminder(session, VENDORS)]
