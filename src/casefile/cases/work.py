"""Working cases: open, assign, respond, note, pend, resume, resolve, close, reopen, change, escalate, edit;
and reading them: show, list, history.

Each change is one command: `Session.change` reads the committed record,
applies one step of `cases.ops` (or `cases.escalation`), checks the result
against the schema and commits the file — one commit whose subject names the
case and the action, authored by the person acting.  What goes with a step is
written in the same commit: closing issues the survey, resolving with an
article links it both ways, a complaint links the cases it concerns.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from types import ModuleType
from typing import TYPE_CHECKING, Any

from casefile.cases.model import (
    CaseDoc,
    CaseType,
    Channel,
    EventKind,
    NoteKind,
    ReplyKind,
    Tier,
    WaitingOn,
    new_case_data,
)
from casefile.errors import CasefileError
from casefile.git.objects import blob_id
from casefile.policy.model import POLICY_FILE
from casefile.policy.people import check_handle
from casefile.records.change import Change, Done
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import ARTICLES, CASES, CUSTOMERS, STATIONS
from casefile.records.numbers import MAX_SEQUENCE, CaseNotFound, format_case_number, parse_case_number
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session
from casefile.values import Struct, field, replace
from casefile.worktime.clock import parse_stored
from casefile.i18n import N_, _
from casefile.said import Said

if TYPE_CHECKING:
    from casefile.records.transaction import Transaction
    from casefile.cases.escalation import VendorHandover
    from casefile.customers.assets import EquipmentChange
    from casefile.cases.ops import Verdict
    from casefile.cases.links import LinkRel
    from casefile.cases.filters import Query
    from casefile.cases.listing import CaseFilter
    from casefile.git.history import LogEntry
    from casefile.notify.mails import CustomerMail
    from casefile.records.stations import StationState
    from casefile.sla.engine import CaseSla
    from casefile.sla.explain import CaseExplanation
    from casefile.sla.work import SlaFilter, SlaUnavailable

BROKEN_BEFORE = "fix the record by hand (casefile edit), then try again"
CASE_LINKS = frozenset({"concerns", "parent", "related"})  # links of a new case that name another case
Step = Callable[[CaseDoc, str, str], Change]  # (the case, when as stored, who) -> what it did


class NewCase(Struct, frozen=True):
    """What `casefile open` is told about a new case."""

    title: str
    level: str
    type: CaseType = CaseType.INCIDENT
    channel: Channel = Channel.PHONE
    category: str | None = None
    customer: str | None = None
    caller: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    # lines of the description casefile writes (a complaint from a survey), kept without words (cases.description)
    described: tuple[Said | str, ...] = ()  # a line of plain text: words that are nobody's language (a name)
    assignee: str | None = None
    tier: Tier | None = None
    links: tuple[tuple[str, str], ...] = ()  # (rel, id): a complaint's `concerns` and `survey`; `parent`, `related`
    asset: str | None = None  # the serial number of the customer's device it is about
    notify: bool = True  # mail the caller the case number (as the policy says)
    event_fields: Mapping[str, Any] = field(default_factory=dict)  # more on the `opened` event (a mail's id)


class Adopted(Struct, frozen=True):
    """`casefile policy adopt`: the version the cases moved to, a commit per case, and what was left."""

    version: str
    done: tuple[Done, ...]
    skipped: tuple[str, ...]


class ShownCase(Struct, frozen=True):
    """`casefile show`: the record, and its clocks (or why they cannot be computed)."""

    entry: RecordEntry
    sla: CaseSla | SlaUnavailable
    coverage: str  # the calendar of the case's level under its policy version
    dependents: tuple[dict[str, Any], ...] = ()  # the customer's devices that hang on the case's device


def _ops() -> ModuleType:
    """The case lifecycle (`cases.ops`), loaded by the commands that change a case, not by `show` or `list`."""
    from casefile.cases import ops

    return ops


def _linked(doc: CaseDoc, rel: str) -> list[str]:
    from casefile.cases.links import linked

    return linked(doc.data, rel)  # type: ignore[arg-type]


def _spent(doc: CaseDoc, change: Change, spent: timedelta | None) -> Change:
    """`--spent` on the entry the step just added (`cases.timespent`)."""
    if spent is not None:
        from casefile.cases.timespent import record_spent

        record_spent(doc.data["events"][-1], spent)
    return change


def _normalised_links(new: NewCase) -> NewCase:
    """`kmt-417` as `KMT-00417`, each case once: links are compared as text."""

    links: list[tuple[str, str]] = []
    for rel, target in new.links:
        link = (rel, parse_case_number(target) if rel in CASE_LINKS else target)
        if link not in links:
            links.append(link)
    return replace(new, links=tuple(links))


class CaseWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog
        # Set by `cases.bulk`: each step on a case is handed over (case, path, operation, its mail), not committed.
        self.collect: Callable[[str, str, Callable[[Edit], Change], CustomerMail | None], Done] | None = None

    # -- reading ---------------------------------------------------------------

    def entry(self, case_number: str) -> RecordEntry:
        return self.catalog.case(case_number)

    def show(self, case_number: str) -> ShownCase:
        from casefile.sla.engine import CaseSla
        from casefile.sla.work import ServiceLevels  # the clocks only for the commands that show them

        entry = self.catalog.case(case_number)
        levels = ServiceLevels(self.session)
        sla = levels.try_of(entry.data)
        return ShownCase(entry, sla, sla.coverage if isinstance(sla, CaseSla) else "", self._dependents(entry.data))

    def _dependents(self, data: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
        """What depends on the case's device (part of it, or depending on it), from the customer's file."""
        path = CUSTOMERS.find(self.session.root, str(data["customer"])) if data.get("asset") and data.get("customer") \
            else None
        if path is None:
            return ()
        from casefile.customers.assets import dependents  # only for a case about a device

        try:
            assets = read_record_file(self.session.root, self.session.root / path).data.get("assets") or []
        except RecordError:
            return ()  # `validate` says what is wrong with the customer's file
        return tuple(dependents(assets, str(data["asset"])))

    def explain(self, case_number: str) -> tuple[str, CaseExplanation, builtins.list[Mapping[str, Any]]]:
        """The case's title, how every one of its deadlines was computed, and its events (what was recorded)."""
        from casefile.sla.work import ServiceLevels

        entry = self.catalog.case(case_number)
        events = [e for e in entry.data.get("events") or [] if isinstance(e, Mapping)]
        return str(entry.data.get("title") or ""), ServiceLevels(self.session).explain(entry.data), events

    def list(self, wanted: CaseFilter | None = None, clocks: SlaFilter | None = None,
             where: Query | None = None) -> list[dict[str, Any]]:
        """The rows of `casefile list`: the cases `wanted` asks for (default: the open and pending ones),
        each open one with its next deadline; `where` (`list --where`, a view) filters those rows."""
        from casefile.cases.filters import Context, widened
        from casefile.cases.listing import CaseFilter, select_cases
        from casefile.sla.work import ServiceLevels, SlaFilter, with_sla

        wanted = widened(wanted or CaseFilter(), where)
        skipped: Callable[[RecordError], None] = lambda error: self.session.notes(f"skipped {error}")  # noqa: E731
        rows = select_cases(self.catalog, wanted, skipped)
        live = frozenset(str(row["status"]) for row in rows) - {"closed"}
        found = ServiceLevels(self.session).case_clocks(self.catalog, live) if live else {}
        rows = with_sla(rows, found, clocks or SlaFilter(), self.session.now(), self.session.notes)
        if where is None:
            return rows
        context = Context(self.session.now(), self.session.actor.handle if where.uses_me else None)
        return [row for row in rows if where.matches(row, context)]

    def history(self, case_number: str) -> builtins.list[LogEntry]:
        """Who changed the case, when, in which commit: from git, newest first."""
        _case_id, path = self.catalog.locate(case_number)
        return self.session.repo.log([path])

    # -- open ----------------------------------------------------------------

    def open(self, new: NewCase, also: Callable[[Edit, CaseDoc, CustomerMail], Change] | None = None) -> Done:
        """Open a case; `also` writes what goes with it in the same commit (a mail's attachments)."""
        from casefile.cases.links import INVERSE, LinkRel

        new = _normalised_links(new)
        self._refuse(new)
        by = self.session.actor.handle
        concerns = [target for rel, target in new.links if rel == LinkRel.CONCERNS]
        others = [(LinkRel(rel), target) for rel, target in new.links if rel in (LinkRel.PARENT, LinkRel.RELATED)]

        mail = self._mailer()

        def opened(edit: Edit) -> Change:
            case_id = str(edit.data["id"])
            for target in concerns:
                self.link_back(edit.txn, target, LinkRel.COMPLAINT, case_id)
            for rel, target in others:
                self.link_back(edit.txn, target, INVERSE[rel], case_id)
            notes = (*self._service_notes(edit.data), *self._same_problem(new, case_id, edit.when))
            if new.notify:
                notes = (*notes, *self._tell_opened(mail, edit))
            change = Change("open", f"open {new.level}-level {new.type}: {new.title.strip()}",
                            notes=notes, detail=f"Concerns {', '.join(concerns)}." if concerns else None)
            if also is not None:
                extra = also(edit, CaseDoc(edit.record.data, edit.record.body), mail)
                change = change.with_(extra.trailers, extra.notes)
            return change

        done = self._mailing(mail, lambda: self.session.change(
            CASES, "", opened, new=lambda txn, when: self._new_record(txn, new, by, when)))
        self._note_missing_years(done)
        return done

    # -- the customer's mail ---------------------------------------------------

    def _mailer(self) -> CustomerMail:
        from casefile.notify.mails import CustomerMail

        return CustomerMail(self.session)

    @staticmethod
    def _mailing(mail: CustomerMail | None, run: Callable[[], Done]) -> Done:
        """Run a change that stages customer mail; a change that did not commit takes its mail with it."""
        try:
            return run()
        except BaseException:
            if mail is not None:
                mail.discard()
            raise

    def _tell_opened(self, mail: CustomerMail, edit: Edit) -> builtins.list[str]:
        """The case-number mail: the number, the level and the commitments that apply, in words."""
        from casefile.notify.mails import Commitment
        from casefile.sla.engine import CaseSla
        from casefile.sla.work import ServiceLevels

        doc = CaseDoc(edit.record.data, edit.record.body)
        sla = ServiceLevels(self.session).try_of(doc.data, edit.when)
        commitments = [Commitment(clock.label, clock.label_zh, clock.due_at)
                       for clock in (sla.clocks if isinstance(sla, CaseSla) else ()) if clock.due_at is not None]
        return mail.tell(edit.txn, edit.record.source, doc, doc.data["events"][0], "opened", commitments=commitments)

    def tell_in(self, mail: CustomerMail, edit: Edit, doc: CaseDoc, kind: str, **more: Any) -> builtins.list[str]:
        """Stage the customer's mail about the case's newest event (intake's answers use it too)."""
        return mail.tell(edit.txn, edit.record.source, doc, doc.data["events"][-1], kind, **more)


    def _note_missing_years(self, done: Done) -> None:
        """Say at once when a new case's clocks need a year without official days: from the day `check` starts
        reminding of next year (desk.next_year_reminder, 1 December), when a calendar lacks a year."""
        session = self.session
        today = session.now().date()
        reminder = session.policy.next_year_reminder
        if reminder is None or (today.month, today.day) < reminder:
            return  # most of the year: a new case's clocks end long before the year does
        if all(c.has_year(today.year) and c.has_year(today.year + 1) for c in session.policy.calendars.values()):
            return
        from casefile.sla.engine import CaseSla
        from casefile.sla.work import ServiceLevels

        found = ServiceLevels(session).try_of(done.entry.data)
        if not isinstance(found, CaseSla):
            return
        for run in found.needs_data:
            session.notes(_("{case_id}: the {name} clock cannot be computed until the official days of {needs_year} are in ({fix}); every other clock runs as usual").format(case_id=found.case_id, name=run.name, needs_year=run.needs_year, fix=run.fix))

    def _same_problem(self, new: NewCase, case_id: str, when: datetime) -> tuple[str, ...]:
        """The intake warning: the customer has an open case of the same category or device, opened lately."""
        window = self.session.policy.intake.window
        if window is None or not new.customer or not (new.category or new.asset):
            return ()
        found = []
        for entry in self.catalog.records(CASES.folder, lambda error: None, statuses=("open", "pending")):
            data = entry.data
            if data.get("id") == case_id or data.get("customer") != new.customer:
                continue
            same = [what for what, mine, theirs in (("category", new.category, data.get("category")),
                                                    ("device", new.asset, data.get("asset"))) if mine and mine == theirs]
            try:
                opened = parse_stored(str(data.get("opened_at")))
            except ValueError:
                continue
            if same and when - window <= opened <= when:
                found.append((opened, str(data["id"]), same, str(data.get("title") or "")))
        zone = self.session.policy.zone
        return tuple(
            f"{new.customer} has an open case of the same {' and '.join(same)}: {other} \"{title}\", opened "
            f"{opened.astimezone(zone):%Y-%m-%d %H:%M}. The same problem? casefile close {case_id} --duplicate-of "
            f"{other}; another caller of it: casefile link {case_id} --parent {other}"
            for opened, other, same, title in sorted(found)
        )

    def _service_notes(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        service = data.get("service")
        if not isinstance(service, Mapping):
            return ()
        status, contract = service.get("contract_status"), service.get("contract")
        words = {"expired": "has expired", "not-started": "has not started yet",
                 "unknown": "is not the customer's contract on file"}
        if status not in words:
            return ()
        return (f"{data['id']}: contract {contract or '(none given)'} {words[str(status)]}: the case is flagged "
                f"(service.contract_status: {status}); check the customer's contract",)

    def _refuse(self, new: NewCase) -> None:
        """Refuse a new case that cannot be opened, before anything is written."""
        from casefile.cases.links import LinkRel
        from casefile.customers.model import require_customer

        session = self.session
        if not new.title.strip():
            raise CasefileError(_("the title is empty"), _("give the case a title: casefile open \"Printer offline\" ..."))
        if new.level not in session.policy.levels:
            raise CasefileError(
                _("level {level!r} is not a level of this desk").format(level=new.level),
                _("use one of {names} (policy.yaml)").format(names=', '.join(session.policy.levels)),
            )
        if new.assignee:
            session.people.get(check_handle(new.assignee))
        if new.customer:
            require_customer(session.root, new.customer)
        concerns = [target for rel, target in new.links if rel == LinkRel.CONCERNS]
        if concerns and new.type is not CaseType.COMPLAINT:
            raise CasefileError(
                _("only a complaint concerns other cases"), _("open it with --type complaint, or leave out --concerns")
            )
        for rel, target in new.links:
            if rel in CASE_LINKS:
                self.catalog.locate(target)
        if new.asset and new.customer:
            from casefile.records.file import read_record_file
            from casefile.records.kinds import CUSTOMERS

            customer = read_record_file(session.root, session.root / CUSTOMERS.path(new.customer)).data
            serials = {str(a.get("serial")) for a in customer.get("assets") or [] if isinstance(a, Mapping)}
            if new.asset not in serials:
                raise CasefileError(_("{customer} has no device with serial number {asset}").format(customer=new.customer, asset=new.asset),
                                    _("see its assets: casefile customer show {customer}").format(customer=new.customer))

    def create_in(self, txn: Transaction, new: NewCase, by: str, opened: datetime) -> tuple[str, str, str]:
        """Write a new case into `txn` (and this clone's station claim if needed): (id, path, text).

        A survey's follow-up commits the complaint it opens with the survey's answers.
        """
        self._refuse(new)
        record = self._new_record(txn, new, by, opened)
        self.session.validate(CASES, record)
        text = record.render()
        txn.write(record.source, text)
        return str(record.data["id"]), record.source, text

    def _new_record(self, txn: Transaction, new: NewCase, by: str, opened: datetime) -> EditableRecord:
        """The new case's record, numbered under this clone's station (claimed, and its claim written, if need be)."""
        from casefile.cases.links import LinkRel, add_link
        from casefile.records.stations import StationState, station_for_open

        session = self.session
        policy_text = txn.committed(POLICY_FILE)
        if policy_text is None:
            raise CasefileError(_("{POLICY_FILE} is not committed").format(POLICY_FILE=POLICY_FILE), _("commit it first: git commit {POLICY_FILE}").format(POLICY_FILE=POLICY_FILE))
        at = session.stamp(opened)
        claim = station_for_open(session.repo, txn.head, by, at, session.author(session.people.get(by)), opened)
        if claim.note:
            session.notes(claim.note)
        state = claim.state
        case_id, path = self._next_number(state, opened)
        doc = CaseDoc(new_case_data({
            "id": case_id,
            "title": new.title.strip(),
            "type": str(new.type),
            "level": new.level,
            "status": "open",
            "channel": str(new.channel),
            "category": new.category or None,
            "customer": new.customer or None,
            "caller": {k: v for k, v in new.caller.items() if v not in (None, "")} or None,
            "assignee": None,
            "tier": None,
            "policy": blob_id(policy_text),
            "opened_at": at,
            **({"asset": new.asset} if new.asset else {}),
            **({"described": [line.stored() if isinstance(line, Said) else {"text": line} for line in new.described]}
               if new.described else {}),
            **self._service(new, opened),
        }))
        doc.add_event(at, by, EventKind.OPENED, Said.of(N_("Opened via {channel}"), channel=str(new.channel)), dict(new.event_fields) or None)
        if new.assignee:
            _ops().assign(doc, at, by, new.assignee, new.tier or self._tier_of(new.assignee))
        for rel, target in new.links:
            add_link(doc, LinkRel(rel), target)
        if claim.record:
            txn.write(STATIONS.path(state.station), claim.record)
        state_after = StationState(state.station, state.clone, int(case_id[-5:]) + 1)
        txn.on_commit.append(lambda: state_after.save(session.state_dir))
        description = new.description.strip()
        return EditableRecord.new(path, doc.data, description + "\n" if description else "")

    def _service(self, new: NewCase, opened: datetime) -> dict[str, Any]:
        """`service:` of a new case: the policy rule that applies, the customer's coverage, the contract and
        whether it is in force on the day (SPEC 3: levels are agreed with each customer in the contract)."""
        from casefile.customers.model import contract_state
        from casefile.records.file import read_record_file
        from casefile.records.kinds import CUSTOMERS

        path = self.session.root / CUSTOMERS.path(new.customer) if new.customer else None
        customer = read_record_file(self.session.root, path).data if path is not None and path.is_file() else None
        on_file = customer.get("contract") if customer and isinstance(customer.get("contract"), Mapping) else None
        quoted = str(new.caller.get("contract") or "").strip() or None
        contract = quoted or (str(on_file["id"]) if on_file and on_file.get("id") else None)
        status = None
        if quoted and (not on_file or on_file.get("id") != quoted):
            status = "unknown"
        elif on_file:
            status = contract_state(on_file, opened.astimezone(self.session.policy.zone).date())
        coverage = str(customer["coverage"]) if customer and customer.get("coverage") else None
        rule = self.session.policy.sla.select_rule(new.customer, contract, str(new.channel), new.level, str(new.type))
        service = {"rule": rule.name if rule else None, "coverage": coverage, "contract": contract,
                   "contract_status": status}
        kept = {key: value for key, value in service.items() if value}
        return {"service": kept} if kept else {}

    def link_back(self, txn: Transaction, case_number: str, rel: LinkRel, target: str) -> str:
        """Link `target` from the committed case `case_number` in `txn` (a case names its complaints); its path."""
        from casefile.cases.links import add_link

        case_id, path = self.catalog.locate(case_number)
        self.session.also(txn, CASES, path, lambda record: add_link(CaseDoc(record.data, record.body), rel, target),
                          CaseNotFound(case_id))
        return path

    def _next_number(self, state: StationState, opened: datetime) -> tuple[str, str]:
        sequence = state.next
        while CASES.find(self.session.root, format_case_number(state.station, sequence)):
            sequence += 1  # the local counter was lost or rewound; never reuse a number
        if sequence > MAX_SEQUENCE:
            raise CasefileError(_("this clone's station has no numbers left"), _("run the command again to claim a new one"))
        case_id = format_case_number(state.station, sequence)
        return case_id, CASES.path(case_id, opened)

    def _tier_of(self, handle: str) -> Tier | None:
        tier = self.session.people.get(handle).tier
        return Tier(tier) if tier in {str(t) for t in Tier} else None

    # -- steps on an existing case -------------------------------------------

    def update(
        self,
        case_number: str,
        step: Step,
        detail: str | None = None,
        also: Callable[[Edit, CaseDoc], Change] | None = None,
        tell: str | None = None,
        mail: CustomerMail | None = None,
    ) -> Done:
        """Apply one step to a case and commit it; `also` writes what goes with it in the same commit;
        `tell` names the customer mail the step sends (`opened`, `reply`, `restored`, ...)."""
        case_id, path = self.catalog.locate(case_number)
        mailer = mail or (self._mailer() if tell is not None else None)  # `note` loads no mail code

        def apply(edit: Edit) -> Change:
            from casefile.cases.timeorder import refuse_backwards

            doc = CaseDoc(edit.record.data, edit.record.body)
            try:
                refuse_backwards(doc.data, edit.when)
                out_of_order = None
            except CasefileError as error:
                out_of_order = error  # a step refused for what it is says so first
            done_step = step(doc, edit.at, edit.by)
            if out_of_order is not None:
                raise out_of_order
            change = Change(done_step.action, done_step.words, done_step.trailers, done_step.notes, detail)
            if also is not None:
                extra = also(edit, doc)
                change = change.with_(extra.trailers, extra.notes)
            if tell is not None and mailer is not None:
                change = change.with_((), tuple(self._tell_step(mailer, edit, doc, tell)))
            return change

        if self.collect is not None:  # `casefile bulk` (cases.bulk): committed with the other cases, in one commit
            return self.collect(case_id, path, apply, mailer)
        return self._mailing(mailer, lambda: self.session.change(
            CASES, case_id, apply, path=path, missing=CaseNotFound(case_id), refuse_broken=BROKEN_BEFORE))

    def _tell_step(self, mail: CustomerMail, edit: Edit, doc: CaseDoc, kind: str) -> builtins.list[str]:
        survey_path = None
        if kind == "closed":
            from casefile.surveys.model import survey_path as path_of

            survey = (doc.events[-1].get("fields") or {}).get("survey")
            survey_path = path_of(str(survey), edit.when.astimezone(self.session.policy.zone)) if survey else None
        return self.tell_in(mail, edit, doc, kind, survey_path=survey_path)

    def assign(self, case_number: str, engineer: str, tier: Tier | None = None) -> Done:
        self.session.people.get(check_handle(engineer))
        chosen = tier or self._tier_of(engineer)
        return self.update(case_number, lambda d, at, by: _ops().assign(d, at, by, engineer, chosen))

    def respond(self, case_number: str, text: str | None) -> Done:
        return self.update(case_number, lambda d, at, by: _ops().respond(d, at, by, text), text)

    def note(
        self,
        case_number: str,
        text: str | None,
        kind: NoteKind = NoteKind.NOTE,
        authorised_by: str | None = None,
        dispatched_at: datetime | None = None,
        arrived_at: datetime | None = None,
        replacements: tuple[EquipmentChange, ...] = (),
        spent: timedelta | None = None,
    ) -> Done:
        """A note; an on-site visit that swapped equipment (`replacements`) updates the customer's asset list
        in the same commit, and its event records the swap (`fields.replaced`); `spent`: the time it took."""
        from casefile.cases.timeorder import refuse_outside

        dispatched = self.session.stamp(dispatched_at) if dispatched_at else None
        arrived = self.session.stamp(arrived_at) if arrived_at else None
        if replacements and kind is not NoteKind.ONSITE:
            raise CasefileError(_("--replace records equipment swapped on site"), _("use it with --kind onsite"))

        def step(d: CaseDoc, at: str, by: str) -> Change:
            now = parse_stored(at)
            for option, moment in (("--dispatched-at", dispatched_at), ("--arrived-at", arrived_at)):
                if moment is not None:
                    refuse_outside(d.data, moment, now, option)
            return _spent(d, _ops().note(d, at, by, text, kind, authorised_by, dispatched, arrived), spent)

        return self.update(case_number, step, text, also=self._replace_assets(replacements) if replacements else None)

    def _replace_assets(self, replacements: tuple[EquipmentChange, ...]) -> Callable[[Edit, CaseDoc], Change]:
        def also(edit: Edit, doc: CaseDoc) -> Change:
            from casefile.customers.assets import REPLACED_FIELD, apply_changes
            from casefile.customers.model import CustomerNotFound
            from casefile.records import yamlio
            from casefile.records.kinds import CUSTOMERS

            customer = doc.get("customer")
            if not customer:
                raise CasefileError(_("{id} names no customer, so there is no asset list to update").format(id=doc.id),
                                    _("set it first: casefile change {id} --customer ID").format(id=doc.id))
            day = edit.when.astimezone(self.session.policy.zone).date().isoformat()
            entries: list[dict[str, str]] = []

            def swap(record: EditableRecord) -> None:
                if not isinstance(record.data.get("assets"), list):
                    record.data["assets"] = yamlio.new_seq([])
                entries.extend(apply_changes(record.data["assets"], replacements, day, str(customer)))

            edit.also(CUSTOMERS, CUSTOMERS.path(str(customer)), swap, CustomerNotFound(str(customer)))
            event = doc.data["events"][-1]
            event["fields"][REPLACED_FIELD] = yamlio.to_block(entries)
            notes = tuple(f"{customer}: {e['serial']} replaced by {e['new_serial']} in its asset list" for e in entries)
            return Change("note", "", (("Casefile-Customer", str(customer)),), notes)

        return also

    def reply(self, case_number: str, text: str | None, kind: ReplyKind = ReplyKind.REPLY,
              spent: timedelta | None = None) -> Done:
        """A customer-visible entry, mailed to the customer as the policy says; `progress` restarts
        the progress clock (seed 003), like a progress note; `spent`: the time it took (never mailed)."""
        return self.update(case_number, lambda d, at, by: _spent(d, _ops().reply(d, at, by, text, kind), spent), text,
                           tell=str(kind))

    def pend(self, case_number: str, reason: str | None, waiting_on: WaitingOn) -> Done:
        return self.update(case_number, lambda d, at, by: _ops().pend(d, at, by, reason, waiting_on), reason)

    def resume(self, case_number: str, text: str | None) -> Done:
        return self.update(case_number, lambda d, at, by: _ops().resume(d, at, by, text), text)

    def resolve(self, case_number: str, text: str | None, kb: str | None = None, first_contact: bool = False,
                verdict: Verdict | None = None) -> Done:
        """Resolve; with `kb`, link the article both ways (the article lists the case) in the same commit.

        A major incident's affected callers (`child` links) are restored with it, in the same commit; a
        complaint may record its verdict (substantiated or not, and the engineer it is about)."""
        if verdict is not None and not verdict.engineer:
            verdict = replace(verdict, engineer=self._complained_about(case_number))
        if verdict is not None and verdict.engineer:
            self.session.people.get(check_handle(verdict.engineer))

        def step(d: CaseDoc, at: str, by: str) -> Change:
            if verdict is not None:
                _ops().record_verdict(d, verdict)
            return _ops().resolve(d, at, by, text, first_contact)

        if kb is None:
            mailer = self._mailer()
            return self.update(case_number, step, text, also=self._children("resolve", text, mail=mailer),
                               tell="restored", mail=mailer)
        from casefile.cases.links import LinkRel, add_link
        from casefile.kb.model import ArticleNotFound, list_case, require_article

        slug = require_article(self.session.root, kb)

        def link_article(edit: Edit, doc: CaseDoc) -> Change:
            edit.also(ARTICLES, ARTICLES.path(slug), lambda article: list_case(article.data, doc.id),
                      ArticleNotFound(slug))
            add_link(doc, LinkRel.KB, slug)
            return Change("", "", (("Casefile-Article", slug),), (f"linked article {slug}",))

        def link_and_children(edit: Edit, doc: CaseDoc) -> Change:
            linked_article = link_article(edit, doc)
            children = self._children("resolve", text, mail=mailer)(edit, doc)
            return linked_article.with_(children.trailers, children.notes)

        mailer = self._mailer()
        return self.update(case_number, step, text, also=link_and_children, tell="restored", mail=mailer)

    def _complained_about(self, case_number: str) -> str | None:
        """The engineer a complaint is about, by default: the owner (else the resolver) of the case it concerns."""
        from casefile.cases.links import LinkRel, linked

        for concerned in linked(self.catalog.case(case_number).data, LinkRel.CONCERNS):
            data = self.catalog.case(concerned).data
            if data.get("assignee"):
                return str(data["assignee"])
            resolved = [e for e in data.get("events") or [] if isinstance(e, Mapping) and e.get("kind") == "resolved"]
            if resolved:
                return str(resolved[-1].get("by"))
        return None

    def _children(self, step: str, text: str | None, confirmed_by: str | None = None,
                  mail: CustomerMail | None = None) -> Callable[[Edit, CaseDoc], Change]:
        """What a major incident's affected callers do with it: restored with it, closed with it — and,
        with `mail`, each caller is told so, like the incident's own."""
        def follow(edit: Edit, doc: CaseDoc) -> Change:
            from casefile.cases.linking import close_with_parent, resolve_with_parent
            from casefile.cases.links import LinkRel, linked
            from casefile.cases.timeorder import refuse_backwards

            moved: list[str] = []
            told: list[str] = []
            for child in linked(doc.data, LinkRel.CHILD):
                child_id, path = self.catalog.locate(child)

                def follow_one(record: EditableRecord, child_id: str = child_id) -> None:
                    child_doc = CaseDoc(record.data, record.body)
                    refuse_backwards(child_doc.data, edit.when)
                    if step == "resolve":
                        done = resolve_with_parent(child_doc, edit.at, edit.by, doc.id, (text or "").strip())
                    else:
                        done = close_with_parent(child_doc, edit.at, edit.by, doc.id, (confirmed_by or "").strip())
                    if done:
                        moved.append(child_id)
                        if mail is not None:
                            told.extend(mail.tell(edit.txn, path, child_doc, child_doc.data["events"][-1],
                                                  "restored" if step == "resolve" else "closed"))

                self.session.also(edit.txn, CASES, path, follow_one, CaseNotFound(child_id))
            words = "restored" if step == "resolve" else "closed"
            return Change("", "", tuple(("Casefile-Case", c) for c in moved),
                          ((f"{words} with it: {', '.join(moved)}",) if moved else ()) + tuple(told))

        return follow

    def close(self, case_number: str, confirmed_by: str | None, text: str | None = None, early: bool = False,
              duplicate_of: str | None = None) -> Done:
        """Close with the customer's confirmation; the satisfaction survey is issued in the same commit.

        `duplicate_of`: close it as the duplicate of another case — both name each other, no survey, and
        it is left out of the figures.  A major incident's affected callers are closed with it."""
        if duplicate_of is not None:
            return self._close_duplicate(case_number, duplicate_of, text)

        def also(edit: Edit, doc: CaseDoc) -> Change:
            from casefile.cases.links import counted_with

            children = self._children("close", text, confirmed_by, mail=mailer)(edit, doc)
            if counted_with(doc.data):
                return children  # counted with its major incident: its survey is the incident's
            survey = self._issue_survey(edit, doc)
            return survey.with_(children.trailers, children.notes)

        mailer = self._mailer()
        return self.update(
            case_number, lambda d, at, by: _ops().close(d, at, by, confirmed_by, text, early), text, also=also,
            tell="closed", mail=mailer,
        )

    def _close_duplicate(self, case_number: str, original: str, text: str | None) -> Done:
        from casefile.cases.linking import close_as_duplicate, link_back, refuse_link
        from casefile.cases.links import LinkRel

        original_id, original_path = self.catalog.locate(original)
        other = CaseDoc(self.catalog.case(original_id).data)

        def step(d: CaseDoc, at: str, by: str) -> Change:
            if original_id not in _linked(d, LinkRel.DUPLICATE_OF):
                refuse_link(d, LinkRel.DUPLICATE_OF, other)
            return close_as_duplicate(d, at, by, original_id, text)

        def also(edit: Edit, doc: CaseDoc) -> Change:
            self.session.also(edit.txn, CASES, original_path,
                              lambda record: link_back(CaseDoc(record.data, record.body), LinkRel.DUPLICATE_OF, doc.id),
                              CaseNotFound(original_id))
            return Change("", "", (("Casefile-Case", original_id),),
                          ("no survey: a duplicate is counted with the case it repeats",))

        return self.update(case_number, step, text, also=also)

    def link(self, case_number: str, rel: LinkRel, other_number: str) -> Done:
        """Link two cases both ways in one commit: a duplicate, a major incident's affected caller, related."""
        from casefile.cases.linking import link, link_back, refuse_link

        other_id, other_path = self.catalog.locate(other_number)
        other = CaseDoc(self.catalog.case(other_id).data)

        def step(d: CaseDoc, at: str, by: str) -> Change:
            refuse_link(d, rel, other)
            return link(d, at, by, rel, other_id)

        def also(edit: Edit, doc: CaseDoc) -> Change:
            self.session.also(edit.txn, CASES, other_path,
                              lambda record: link_back(CaseDoc(record.data, record.body), rel, doc.id),
                              CaseNotFound(other_id))
            return Change("", "", (("Casefile-Case", other_id),))

        return self.update(case_number, step, also=also)

    def _issue_survey(self, edit: Edit, doc: CaseDoc) -> Change:
        from casefile.surveys.issue import issue_on_close

        issued = issue_on_close(self.session, edit.txn, doc, edit.when)
        if issued.survey_id is None:
            return Change("", "", notes=(issued.note,))
        doc.data["events"][-1]["fields"]["survey"] = issued.survey_id  # the closed event names its survey
        return Change("", "", (("Casefile-Survey", issued.survey_id),), (issued.note,))

    def reopen(self, case_number: str, reason: str | None) -> Done:
        return self.update(case_number, lambda d, at, by: _ops().reopen(d, at, by, reason), reason)

    def change(self, case_number: str, changes: Mapping[str, str], reason: str | None) -> Done:
        if not changes:
            raise CasefileError(_("nothing to change"), _("give --level, --type, --category, --title or --asset"))
        level = changes.get("level")
        if level is not None and level not in self.session.policy.levels:
            raise CasefileError(
                _("level {level!r} is not a level of this desk").format(level=level), _("use one of {names}").format(names=', '.join(self.session.policy.levels))
            )
        if "title" in changes and not changes["title"].strip():
            raise CasefileError(_("the title is empty"), _("give a title with text in it"))
        if "asset" in changes:
            self._check_asset(case_number, changes["asset"])

        def step(d: CaseDoc, at: str, by: str) -> Change:
            done = _ops().change_fields(d, at, by, changes, reason)
            if "level" in changes or "type" in changes:
                self._reselect_rule(d)
            return done

        return self.update(case_number, step, reason)

    def _check_asset(self, case_number: str, serial: str) -> None:
        """The device a case is about is one of its customer's."""
        customer = self.catalog.case(case_number).data.get("customer")
        if not customer:
            raise CasefileError(_("the case has no customer, so no device of one"), _("give the case a customer first"))
        path = CUSTOMERS.find(self.session.root, str(customer))
        assets = read_record_file(self.session.root, self.session.root / path).data.get("assets") if path else None
        if serial not in {str(a.get("serial")) for a in assets or [] if isinstance(a, Mapping)}:
            raise CasefileError(_("{customer} has no device with serial number {serial}").format(customer=customer, serial=serial),
                                _("see its assets: casefile customer show {customer}").format(customer=customer))

    def _reselect_rule(self, doc: CaseDoc) -> None:
        """A level or type change can change which policy rule applies (under the case's own policy version)."""
        from casefile.records import yamlio

        service = doc.get("service")
        if not isinstance(service, Mapping) and not self.session.policy_version(doc.get("policy")).sla.rules:
            return
        old = service.get("rule") if isinstance(service, Mapping) else None
        sla = self.session.policy_version(doc.get("policy")).sla
        caller = doc.get("caller") or {}
        contract = (service.get("contract") if isinstance(service, Mapping) else None) or caller.get("contract")
        rule = sla.select_rule(doc.get("customer"), contract, doc.get("channel"), doc.level, doc.get("type"))
        new = rule.name if rule else None
        if new == old:
            return
        if not isinstance(service, Mapping):
            doc.set("service", yamlio.new_map({}))
        if new:
            doc.data["service"]["rule"] = new
        else:
            del doc.data["service"]["rule"]
        doc.data["events"][-1]["fields"]["rule"] = {"from": old, "to": new}

    def escalate(self, case_number: str, to: str | None, reason: str | None, owner: str | None = None,
                 vendor: str | None = None, ticket: str | None = None) -> Done:
        """One escalation of one case: to the next tier, a tier, a person or a role; one event, one commit.

        A move to another tier keeps the owner unless `owner` names a new one; `vendor` (with the
        vendor's `ticket`) names the vendor a case goes to, whose commitments become its clocks.
        """
        from casefile.cases.escalation import escalate, target_of
        from casefile.cases.model import Tier

        people = self.session.people
        target = target_of(to, people, self.session.policy.roles)
        if owner:
            people.get(check_handle(owner))
        if ticket and not vendor:
            raise CasefileError(_("--ticket is the vendor's ticket"), _("name the vendor too: --vendor ID --ticket REF"))
        if vendor and target.tier not in (None, Tier.VENDOR):
            raise CasefileError(_("--vendor goes with --to vendor, not --to {to}").format(to=to), _("leave out --to, or say --to vendor"))
        handover = self._vendor_handover(vendor, ticket) if vendor else None
        from casefile.notify.escalation import EscalationMail

        notice = EscalationMail(self.session)  # the owner, the group and the vendor are told by mail

        def tell(edit: Edit, doc: CaseDoc) -> Change:
            return Change("", "", (), tuple(notice.tell(edit.txn, edit.record.source, doc, doc.data["events"][-1], edit.by)))

        try:
            return self.update(case_number, lambda doc, at, by: escalate(doc, at, by, target, reason, people, owner,
                                                                         handover), reason, also=tell)
        except BaseException:
            notice.discard()
            raise

    def _vendor_handover(self, vendor: str, ticket: str | None) -> VendorHandover:
        from casefile.cases.escalation import VendorHandover
        from casefile.records.file import read_record_file
        from casefile.vendors.model import (
            VendorNotFound,
            check_vendor_id,
            commitments_of,
            contact_line,
            contacts_of,
            vendor_path,
        )

        ident = check_vendor_id(vendor)
        if not (self.session.root / vendor_path(ident)).is_file():
            raise VendorNotFound(ident)
        data = read_record_file(self.session.root, self.session.root / vendor_path(ident)).data
        coverage = data.get("coverage")
        return VendorHandover(
            vendor=str(data["id"]), name=str(data.get("name") or data["id"]), ticket=(ticket or "").strip() or None,
            contacts=tuple(contact_line(c) for c in contacts_of(data)), commitments=commitments_of(data),
            calendar=str(coverage) if coverage else None,
        )

    # -- policy ----------------------------------------------------------------

    def adopt_policy(self, case_numbers: builtins.list[str], all_open: bool, reason: str | None) -> Adopted:
        """Move cases to the current (committed) policy version, one commit each, old and new version in
        the event.  Every case named is checked first: a closed or unknown one refuses the whole command.
        With `all_open`, the open and pending cases not under the current version."""
        from casefile.cases.model import OPEN_STATUSES
        from casefile.records.yamlio import RecordError

        if not (reason and reason.strip()):
            raise CasefileError(_("the reason is empty"), _("say why the cases take the new targets: --reason TEXT"))
        committed = self.session.repo.read_blob(f"HEAD:{POLICY_FILE}")
        if committed is None:
            raise CasefileError(_("{POLICY_FILE} is not committed").format(POLICY_FILE=POLICY_FILE), _("commit it first: git commit {POLICY_FILE}").format(POLICY_FILE=POLICY_FILE))
        if (self.session.root / POLICY_FILE).read_bytes() != committed:
            raise CasefileError(_("{POLICY_FILE} has changes that are not committed").format(POLICY_FILE=POLICY_FILE),
                                _("commit them first (git commit {POLICY_FILE}): cases adopt a committed version").format(POLICY_FILE=POLICY_FILE))
        version = blob_id(committed)
        skipped: builtins.list[str] = []
        wanted: builtins.list[tuple[str, str]] = []
        if all_open:
            def broken(error: RecordError) -> None:
                skipped.append(f"{error.source}: skipped, it cannot be read ({error.problem})")

            for entry in self.catalog.records(CASES.folder, broken, statuses=[str(s) for s in OPEN_STATUSES]):
                if entry.data.get("policy") != version:
                    wanted.append((str(entry.data.get("id")), entry.path))
        for number in case_numbers:
            case_id, path = self.catalog.locate(number)
            data = self.catalog.case(case_id).data
            if data.get("status") == "closed":
                raise CasefileError(_("{case_id} is closed; a closed case keeps the policy it was worked under").format(case_id=case_id),
                                    _("name only cases that are not closed"))
            if data.get("policy") == version:
                skipped.append(f"{case_id} is under the current policy already ({version[:10]})")
            elif (case_id, path) not in wanted:
                wanted.append((case_id, path))
        done = []
        for case_id, path in wanted:
            step: Step = lambda d, at, by: _ops().adopt_policy(d, at, by, version, reason)  # noqa: E731
            done.append(self.update(case_id, step, reason.strip()))
        return Adopted(version, tuple(done), tuple(skipped))

    # -- edit by hand ----------------------------------------------------------

    def edit(self, case_number: str, run_editor: Callable[[str], str], discard: bool = False) -> Done | None:
        """Let a person edit the record in $EDITOR; validate and commit it, or keep it aside (`cases.handedit`)."""
        from casefile.cases import handedit

        return handedit.edit(self.session, case_number, run_editor, discard)
