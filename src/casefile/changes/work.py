"""Changes (RFC): request, review, start, complete; list and show.

Each step is one `Session.change` — one commit, subject `<change>: ...`,
trailers `Casefile-Action:` and `Casefile-Change:`.  The review the policy asks
for (`changes.review`) is copied into the change at its request, so a later
policy edit does not approve a change nobody reviewed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.changes import ops
from casefile.changes.model import ChangeNotFound, Result, Verdict, next_change_id, parse_change_id, told_customers
from casefile.errors import CasefileError
from casefile.problems.model import parse_problem_id
from casefile.records.change import Change, Done
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import CHANGES, CUSTOMERS, PROBLEMS, STATIONS
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session
from casefile.i18n import _
from casefile.values import Struct

REPORT_HEADING = "## 实施报告 Implementation report"


class NewChange(Struct, frozen=True):
    title: str
    risk: str
    plan: str
    backout: str
    start: datetime
    end: datetime
    why: str | None = None
    customers: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    incidents: tuple[str, ...] = ()


class NoticeLetter(Struct, frozen=True):
    """The notice of a change to one customer, as a letter to print (or to read before it is mailed)."""

    customer: str
    lang: str
    view: dict[str, Any]
    subject: str
    body: str


class ChangeWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    def _skip(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    def locate(self, text: str) -> tuple[str, str]:
        ident = parse_change_id(text)
        path = CHANGES.find(self.session.root, ident)
        if path is None:
            raise ChangeNotFound(ident)
        return ident, path

    def entry(self, text: str) -> RecordEntry:
        _ident, path = self.locate(text)
        return read_record_file(self.session.root, self.session.root / path)

    def all(self, statuses: Collection[str] | None = None) -> list[RecordEntry]:
        found = list(self.catalog.records(CHANGES.folder, self._skip, statuses))
        return sorted(found, key=lambda e: (str((e.data.get("window") or {}).get("start")), e.path))

    def notice(self, text: str, customer_id: str, lang: str | None = None) -> NoticeLetter:
        """The notice of change `text` to its affected customer `customer_id` (to the first contact)."""
        from casefile.notify.changes import notice_view, render_notice
        from casefile.notify.mails import customer_of, language_of

        entry = self.entry(text)
        ident = str(entry.data.get("id"))
        if customer_id not in [str(c) for c in entry.data.get("customers") or []]:
            raise CasefileError(_("{ident} does not affect {customer_id}").format(ident=ident, customer_id=customer_id),
                                _("its customers: {value}").format(value=', '.join(entry.data.get('customers') or []) or 'none'))
        customer = customer_of(self.session, customer_id)
        if customer is None:
            from casefile.customers.model import CustomerNotFound

            raise CustomerNotFound(customer_id)
        contacts = [c for c in customer.get("contacts") or [] if isinstance(c, Mapping)]
        contact = contacts[0] if contacts else None
        if lang is None:
            lang = language_of(contact, customer, self.session.policy.language)
        subject, body = render_notice(self.session, entry.data, customer, lang, str((contact or {}).get("name") or ""))
        tag = f"[{ident}]"
        return NoticeLetter(customer_id, lang, notice_view(entry.data, customer),
                            subject if tag in subject else f"{tag} {subject}", body)

    # -- writing ---------------------------------------------------------------

    def request(self, new: NewChange) -> Done:
        session, rule = self.session, self.session.policy.changes
        if new.risk not in rule.risks:
            raise CasefileError(_("risk {risk!r} is not one of the policy's: {names}").format(risk=new.risk, names=', '.join(rule.risks)),
                                _("see changes.risks in policy.yaml"))
        if new.end <= new.start:
            raise CasefileError(_("the window ends before it starts"), _("give --start before --end"))
        self._check_refs(new)
        incidents = tuple(self.catalog.locate(case)[0] for case in new.incidents)
        problems = tuple(parse_problem_id(p) for p in new.problems)
        approvals = rule.approvals if rule.needs_review(new.risk) else 0

        def make(txn: Transaction, when: datetime) -> EditableRecord:
            from casefile.records.stations import station_for_open

            by, at = session.actor.handle, session.stamp(when)
            claim = station_for_open(session.repo, txn.head, by, at, session.author(), when)
            if claim.note:
                session.notes(claim.note)
            if claim.record:
                txn.write(STATIONS.path(claim.state.station), claim.record)
            taken = {CHANGES.id_of(p.relative_to(session.root).as_posix()) for p in CHANGES.files(session.root)}
            ident = next_change_id(claim.state.station, taken)
            data = ops.new_change_data(
                ident, at, by, title=new.title, risk=new.risk, why=new.why, plan=new.plan, backout=new.backout,
                start=session.stamp(new.start), end=session.stamp(new.end), customers=new.customers,
                assets=new.assets, problems=problems, incidents=incidents, approvals=approvals, role=rule.role)
            return EditableRecord.new(CHANGES.path(ident, when.astimezone(session.policy.zone)), data, "")

        def apply(edit: Edit) -> Change:
            review = f"; needs {approvals} approvals" if approvals else ""
            return Change("rfc-request", f"request change {edit.data['title']} ({new.risk} risk{review})")

        return session.change(CHANGES, "new", apply, new=make)

    def review(self, text: str, verdict: Verdict, message: str | None) -> Done:
        rule = self.session.policy.changes
        actor = self.session.actor
        if rule.role not in actor.roles:
            raise CasefileError(_("{handle} does not hold the {role} role, which reviews changes").format(handle=actor.handle, role=rule.role),
                                _("a holder of {role} in people.yaml reviews it").format(role=rule.role))
        return self._step(text, lambda edit: ops.review(edit.data, edit.at, edit.by, verdict, message), message)

    def start(self, text: str, message: str | None) -> Done:
        return self._step(text, lambda edit: ops.start(edit.data, edit.at, edit.by, message), message)

    def complete(self, text: str, result: Result, message: str | None) -> Done:
        def step(edit: Edit) -> Change:
            done = ops.complete(edit.data, edit.at, edit.by, result, message)
            body = edit.record.body.rstrip("\n")
            edit.record.body = (body + "\n\n" if body else "") + f"{REPORT_HEADING}\n\n{(message or '').strip()}\n"
            return done

        return self._step(text, step, message)

    def _step(self, text: str, step: Callable[[Edit], Change], detail: str | None) -> Done:
        ident, path = self.locate(text)

        def apply(edit: Edit) -> Change:
            done = step(edit)
            return Change(done.action, done.words, done.trailers, done.notes, detail)

        return self.session.change(CHANGES, ident, apply, path=path, missing=ChangeNotFound(ident),
                                   refuse_broken="fix the record by hand (casefile edit), then try again")

    def _check_refs(self, new: NewChange) -> None:
        from casefile.customers.model import CustomerNotFound, check_customer_id

        serials: set[str] = set()
        for customer in new.customers:
            path = self.session.root / CUSTOMERS.path(check_customer_id(customer))
            if not path.is_file():
                raise CustomerNotFound(customer)
            serials |= {str(a.get("serial")) for a in read_record_file(self.session.root, path).data.get("assets") or []
                        if isinstance(a, Mapping)}
        for asset in new.assets:
            if asset not in serials:
                raise CasefileError(_("no affected customer has a device with serial number {asset}").format(asset=asset),
                                    _("name its customer with --customer, or check the serial (casefile asset show)"))
        for problem in new.problems:
            ident = parse_problem_id(problem)
            if PROBLEMS.find(self.session.root, ident) is None:
                raise CasefileError(_("no problem {ident}").format(ident=ident), _("`casefile problem list --all` shows them"))


def change_row(entry: RecordEntry) -> dict[str, Any]:
    data = entry.data
    window = _mapping(data.get("window"))
    review = _mapping(data.get("review"))
    approvals = [r.get("by") for r in data.get("reviews") or [] if isinstance(r, Mapping) and r.get("verdict") == "approve"]
    return {
        "id": data.get("id"), "title": data.get("title"), "status": data.get("status"), "risk": data.get("risk"),
        "start": window.get("start"), "end": window.get("end"), "customers": list(data.get("customers") or []),
        "approvals": approvals, "approvals_needed": review.get("approvals", 0), "result": data.get("result"),
        "told": sorted(told_customers(data)), "path": entry.path,
    }


def change_rows(entries: Sequence[RecordEntry]) -> list[dict[str, Any]]:
    return [change_row(e) for e in entries]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
