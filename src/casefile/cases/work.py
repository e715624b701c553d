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
from dataclasses import dataclass, field, replace
from datetime import datetime
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
from casefile.records.file import EditableRecord, RecordEntry, read_plain, split
from casefile.records.kinds import ARTICLES, CASES, STATIONS
from casefile.records.numbers import MAX_SEQUENCE, CaseNotFound, format_case_number, parse_case_number
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session

if TYPE_CHECKING:
    from casefile.cases.links import LinkRel
    from casefile.cases.listing import CaseFilter
    from casefile.git.history import LogEntry
    from casefile.notify.mails import CustomerMail
    from casefile.records.stations import StationState
    from casefile.sla.engine import CaseSla
    from casefile.sla.explain import CaseExplanation
    from casefile.sla.work import SlaFilter, SlaUnavailable

BROKEN_BEFORE = "fix the record by hand (casefile edit), then try again"
Step = Callable[[CaseDoc, str, str], Change]  # (the case, when as stored, who) -> what it did


@dataclass(frozen=True)
class NewCase:
    """What `casefile open` is told about a new case."""

    title: str
    level: str
    type: CaseType = CaseType.INCIDENT
    channel: Channel = Channel.PHONE
    category: str | None = None
    customer: str | None = None
    caller: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    assignee: str | None = None
    tier: Tier | None = None
    links: tuple[tuple[str, str], ...] = ()  # (rel, id): a complaint's `concerns` and `survey`
    notify: bool = True  # mail the caller the case number (as the policy says)
    event_fields: Mapping[str, Any] = field(default_factory=dict)  # more on the `opened` event (a mail's id)


@dataclass(frozen=True)
class ShownCase:
    """`casefile show`: the record, and its clocks (or why they cannot be computed)."""

    entry: RecordEntry
    sla: CaseSla | SlaUnavailable
    coverage: str  # the calendar of the case's level under its policy version


def _ops() -> ModuleType:
    """The case lifecycle (`cases.ops`), loaded by the commands that change a case, not by `show` or `list`."""
    from casefile.cases import ops

    return ops


def _normalised_links(new: NewCase) -> NewCase:
    """`kmt-417` as `KMT-00417`, each case once: links are compared as text."""
    from casefile.cases.links import LinkRel

    links: list[tuple[str, str]] = []
    for rel, target in new.links:
        link = (rel, parse_case_number(target) if rel == LinkRel.CONCERNS else target)
        if link not in links:
            links.append(link)
    return replace(new, links=tuple(links))


class CaseWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    # -- reading ---------------------------------------------------------------

    def entry(self, case_number: str) -> RecordEntry:
        return self.catalog.case(case_number)

    def show(self, case_number: str) -> ShownCase:
        from casefile.sla.engine import CaseSla
        from casefile.sla.work import ServiceLevels  # the clocks only for the commands that show them

        entry = self.catalog.case(case_number)
        levels = ServiceLevels(self.session)
        sla = levels.try_of(entry.data)
        coverage = ""
        if isinstance(sla, CaseSla):
            coverage = levels.policy_of(entry.data).sla.level(sla.level).coverage
        return ShownCase(entry, sla, coverage)

    def explain(self, case_number: str) -> tuple[str, CaseExplanation]:
        """The case's title, and how every one of its deadlines was computed."""
        from casefile.sla.work import ServiceLevels

        entry = self.catalog.case(case_number)
        return str(entry.data.get("title") or ""), ServiceLevels(self.session).explain(entry.data)

    def list(self, wanted: CaseFilter | None = None, clocks: SlaFilter | None = None) -> list[dict[str, Any]]:
        """The rows of `casefile list`: the cases `wanted` asks for (default: the open and pending ones),
        each open one with its next deadline."""
        from casefile.cases.listing import CaseFilter, select_cases
        from casefile.sla.work import ServiceLevels, SlaFilter, with_sla

        wanted = wanted or CaseFilter()
        skipped: Callable[[RecordError], None] = lambda error: self.session.notes(f"skipped {error}")  # noqa: E731
        rows = select_cases(self.catalog, wanted, skipped)
        live = frozenset(str(row["status"]) for row in rows) - {"closed"}
        found = ServiceLevels(self.session).case_clocks(self.catalog, live) if live else {}
        return with_sla(rows, found, clocks or SlaFilter(), self.session.now(), self.session.notes)

    def history(self, case_number: str) -> builtins.list[LogEntry]:
        """Who changed the case, when, in which commit: from git, newest first."""
        _case_id, path = self.catalog.locate(case_number)
        return self.session.repo.log([path])

    # -- open ----------------------------------------------------------------

    def open(self, new: NewCase, also: Callable[[Edit, CaseDoc, CustomerMail], Change] | None = None) -> Done:
        """Open a case; `also` writes what goes with it in the same commit (a mail's attachments)."""
        from casefile.cases.links import LinkRel

        new = _normalised_links(new)
        self._refuse(new)
        by = self.session.actor.handle
        concerns = [target for rel, target in new.links if rel == LinkRel.CONCERNS]

        mail = self._mailer()

        def link_concerned(edit: Edit) -> Change:
            case_id = str(edit.data["id"])
            for target in concerns:
                self.link_back(edit.txn, target, LinkRel.COMPLAINT, case_id)
            notes = self._tell_opened(mail, edit) if new.notify else []
            change = Change("open", f"open {new.level}-level {new.type}: {new.title.strip()}",
                            detail=f"Concerns {', '.join(concerns)}." if concerns else None, notes=tuple(notes))
            if also is not None:
                extra = also(edit, CaseDoc(edit.record.data, edit.record.body), mail)
                change = change.with_(extra.trailers, extra.notes)
            return change

        return self._mailing(mail, lambda: self.session.change(
            CASES, "", link_concerned, new=lambda txn, when: self._new_record(txn, new, by, when)))

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

    def _refuse(self, new: NewCase) -> None:
        """Refuse a new case that cannot be opened, before anything is written."""
        from casefile.cases.links import LinkRel
        from casefile.customers.model import require_customer

        session = self.session
        if not new.title.strip():
            raise CasefileError("the title is empty", 'give the case a title: casefile open "Printer offline" ...')
        if new.level not in session.policy.levels:
            raise CasefileError(
                f"level {new.level!r} is not a level of this desk",
                f"use one of {', '.join(session.policy.levels)} (policy.yaml)",
            )
        if new.assignee:
            session.people.get(check_handle(new.assignee))
        if new.customer:
            require_customer(session.root, new.customer)
        concerns = [target for rel, target in new.links if rel == LinkRel.CONCERNS]
        if concerns and new.type is not CaseType.COMPLAINT:
            raise CasefileError(
                "only a complaint concerns other cases", "open it with --type complaint, or leave out --concerns"
            )
        for target in concerns:
            self.catalog.locate(target)

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
            raise CasefileError(f"{POLICY_FILE} is not committed", f"commit it first: git commit {POLICY_FILE}")
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
        }))
        doc.add_event(at, by, EventKind.OPENED, f"Opened via {new.channel}", dict(new.event_fields) or None)
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
            raise CasefileError("this clone's station has no numbers left", "run the command again to claim a new one")
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
            doc = CaseDoc(edit.record.data, edit.record.body)
            done_step = step(doc, edit.at, edit.by)
            change = Change(done_step.action, done_step.words, done_step.trailers, done_step.notes, detail)
            if also is not None:
                extra = also(edit, doc)
                change = change.with_(extra.trailers, extra.notes)
            if tell is not None and mailer is not None:
                change = change.with_((), tuple(self._tell_step(mailer, edit, doc, tell)))
            return change

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
    ) -> Done:
        dispatched = self.session.stamp(dispatched_at) if dispatched_at else None
        arrived = self.session.stamp(arrived_at) if arrived_at else None
        return self.update(
            case_number, lambda d, at, by: _ops().note(d, at, by, text, kind, authorised_by, dispatched, arrived), text
        )

    def reply(self, case_number: str, text: str | None, kind: ReplyKind = ReplyKind.REPLY) -> Done:
        """A customer-visible entry, mailed to the customer as the policy says; `progress` restarts
        the progress clock (seed 003), like a progress note."""
        return self.update(case_number, lambda d, at, by: _ops().reply(d, at, by, text, kind), text, tell=str(kind))

    def pend(self, case_number: str, reason: str | None, waiting_on: WaitingOn) -> Done:
        return self.update(case_number, lambda d, at, by: _ops().pend(d, at, by, reason, waiting_on), reason)

    def resume(self, case_number: str, text: str | None) -> Done:
        return self.update(case_number, lambda d, at, by: _ops().resume(d, at, by, text), text)

    def resolve(self, case_number: str, text: str | None, kb: str | None = None, first_contact: bool = False) -> Done:
        """Resolve; with `kb`, link the article both ways (the article lists the case) in the same commit."""
        step: Step = lambda d, at, by: _ops().resolve(d, at, by, text, first_contact)  # noqa: E731
        if kb is None:
            return self.update(case_number, step, text, tell="restored")
        from casefile.cases.links import LinkRel, add_link
        from casefile.kb.model import ArticleNotFound, list_case, require_article

        slug = require_article(self.session.root, kb)

        def link_article(edit: Edit, doc: CaseDoc) -> Change:
            edit.also(ARTICLES, ARTICLES.path(slug), lambda article: list_case(article.data, doc.id),
                      ArticleNotFound(slug))
            add_link(doc, LinkRel.KB, slug)
            return Change("", "", (("Casefile-Article", slug),), (f"linked article {slug}",))

        return self.update(case_number, step, text, also=link_article, tell="restored")

    def close(self, case_number: str, confirmed_by: str | None, text: str | None = None, early: bool = False) -> Done:
        """Close with the customer's confirmation; the satisfaction survey is issued in the same commit."""
        return self.update(
            case_number, lambda d, at, by: _ops().close(d, at, by, confirmed_by, text, early), text,
            also=self._issue_survey, tell="closed",
        )

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
            raise CasefileError("nothing to change", "give --level, --type, --category or --title")
        level = changes.get("level")
        if level is not None and level not in self.session.policy.levels:
            raise CasefileError(
                f"level {level!r} is not a level of this desk", f"use one of {', '.join(self.session.policy.levels)}"
            )
        if "title" in changes and not changes["title"].strip():
            raise CasefileError("the title is empty", "give a title with text in it")
        return self.update(case_number, lambda d, at, by: _ops().change_fields(d, at, by, changes, reason), reason)

    def escalate(self, case_number: str, to: str | None, reason: str | None) -> Done:
        """One escalation of one case: to the next tier, a tier, a person or a role; one event, one commit."""
        from casefile.cases.escalation import escalate, target_of

        people = self.session.people
        target = target_of(to, people, self.session.policy.roles)
        return self.update(case_number, lambda doc, at, by: escalate(doc, at, by, target, reason, people), reason)

    # -- edit by hand ----------------------------------------------------------

    def edit(self, case_number: str, run_editor: Callable[[str], str]) -> Done | None:
        """Let a person edit the record in $EDITOR; validate and commit it, or keep it aside."""
        case_id, path = self.catalog.locate(case_number)
        before = (self.session.root / path).read_text(encoding="utf-8")
        after = run_editor(before)
        if after == before:
            return None
        try:
            old, _ = read_plain(before, path)
            record = EditableRecord.parse(after, path)
            if record.data.get("id") != case_id:
                raise CasefileError(f"the case number cannot change (it is {case_id})", "put the id back")
            self.session.validate(CASES, record)
        except CasefileError as error:
            kept = self._keep_edit(case_id, after)
            error.hint = f"your edit is kept in {kept}; fix it and run `casefile edit {case_id}` again"
            raise
        changed = sorted(k for k in set(old) | set(record.data) if old.get(k) != record.data.get(k))
        if record.body != split(before, path).body:
            changed.append("description")

        def take_edit(edit: Edit) -> Change:
            committed = edit.txn.committed(path)
            if committed is None or committed.decode("utf-8") != before:
                kept = self._keep_edit(case_id, after)
                raise CasefileError(f"{case_id} changed while you were editing", f"your edit is kept in {kept}")
            edit.record.data, edit.record.body, edit.record.indent = record.data, record.body, record.indent
            CaseDoc(edit.record.data, edit.record.body).add_event(
                edit.at, edit.by, EventKind.EDITED, fields={"changed": changed})
            return Change("edit", "edit by hand: " + (", ".join(changed) or "layout"))

        return self.session.change(CASES, case_id, take_edit, path=path, missing=CaseNotFound(case_id))

    def _keep_edit(self, case_id: str, text: str) -> str:
        folder = self.session.state_dir / "edits"
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"{case_id}.md"
        kept.write_text(text, encoding="utf-8")
        return str(kept)
