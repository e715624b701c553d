"""A case repository opened for work: the library's front door, and what the command line holds.

    from casefile import Desk

    desk = Desk.open("~/desk", actor="li.na")
    for row in desk.cases.list():
        print(row["id"], row["title"])
    desk.cases.note("KMT-00417", "Called Zhang Wei back; the queue is clear.")

`Desk` composes: it opens a `Session` (the repository, the one clock, the actor,
the policy and the people, and `change()`, the one way a record changes) and
hangs each service on it, built on first use — `desk.cases`, `desk.sla`,
`desk.customers`, `desk.inspections`, `desk.surveys`, `desk.kb`, and the
desk-wide work: `check`, `report`, `export`, `sync`, `setup`.  Services take the
session, never the desk, so they sit below it and import nothing above them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.session import Session, to_stderr

if TYPE_CHECKING:
    from casefile.cases.asof import AsOf
    from casefile.cases.bulk import BulkWork
    from casefile.cases.filters import Query
    from casefile.cases.handedit import HandEdits
    from casefile.cases.phrasebook import PhraseBook
    from casefile.cases.savedviews import SavedView
    from casefile.cases.attachment_work import AttachmentWork
    from casefile.cases.work import CaseWork
    from casefile.cases.workorder_work import WorkOrderWork
    from casefile.changes.work import ChangeWork
    from casefile.check.run import Check
    from casefile.customers.work import CustomerWork
    from casefile.export.site import ExportResult
    from casefile.incidents.work import IncidentReports
    from casefile.index.archive import Carried
    from casefile.inspections.work import InspectionWork
    from casefile.intake.poll import IntakeRun
    from casefile.intake.work import Intake
    from casefile.kb.search import Hit
    from casefile.render.ics import FeedEvent
    from casefile.kb.work import KnowledgeWork
    from casefile.mail.outbox import FlushResult
    from casefile.mail.pages import PageMessage
    from casefile.oncall.work import OnCall
    from casefile.policy.model import Policy
    from casefile.policy.people import People
    from casefile.problems.work import ProblemWork
    from casefile.repo.audit import AuditReport
    from casefile.repo.doctor import DoctorReport
    from casefile.repo.people import PeopleWork
    from casefile.records.change import Done  # noqa: F401 - what a change hands back, for callers' types
    from casefile.reports.issue import Issued
    from casefile.reports.model import Report
    from casefile.reports.period import Period
    from casefile.repo.calendars import CalendarWork
    from casefile.reports.scorenotes import Explained
    from casefile.reports.simulate import WhatIf
    from casefile.reports.statement import IssuedStatement, Verdict
    from casefile.export.evidence import EvidenceResult
    from casefile.sla.work import ServiceLevels
    from casefile.surveys.work import SurveyWork
    from casefile.team.setup import SetupResult
    from casefile.team.sync import SyncReport
    from casefile.vendors.work import VendorWork


class Desk:
    def __init__(self, session: Session) -> None:
        self.session = session

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        now: str | None = None,
        actor: str | None = None,
        notes: Callable[[str], None] = to_stderr,
    ) -> Desk:
        """The case repository at `path` (default: the current directory), at `now` (ISO 8601), as `actor`."""
        return cls(Session.open(path, now, actor, notes))

    # -- the context, as callers read it -------------------------------------

    @property
    def root(self) -> Path:
        return self.session.root

    @property
    def policy(self) -> Policy:
        return self.session.policy

    @property
    def people(self) -> People:
        return self.session.people

    def now(self) -> datetime:
        return self.session.now()

    def head(self) -> str:
        """Where the repository's HEAD stands now, read without running git: a front end that watches the
        desk (`casefile board`) polls it and reads the records again only when it moved."""
        return self.session.repo.head_mark()

    def note(self, message: str) -> None:
        """Tell the person at the terminal (standard error by default)."""
        self.session.notes(message)

    # -- the services of one kind of record ----------------------------------

    @cached_property
    def cases(self) -> CaseWork:
        from casefile.cases.work import CaseWork

        return CaseWork(self.session)

    @cached_property
    def hand_edits(self) -> HandEdits:
        """What was typed in $EDITOR and not taken — a rejected `edit`, a failed `open` — kept to be offered again."""
        from casefile.cases.handedit import HandEdits

        return HandEdits(self.session)

    @cached_property
    def bulk(self) -> BulkWork:
        """One step on many cases in one commit (`casefile bulk`)."""
        from casefile.cases.bulk import BulkWork

        return BulkWork(self.session)

    @cached_property
    def phrases(self) -> PhraseBook:
        """The standard phrases (replies/ and the packaged ones), filled in for a case."""
        from casefile.cases.phrasebook import PhraseBook

        return PhraseBook(self.session)

    def views(self) -> dict[str, SavedView]:
        """The saved views of `list --view`: the packaged ones and views.yaml, each checked."""
        from casefile.cases.savedviews import read_views

        return read_views(self.root, self.policy.zone, list(self.policy.levels))

    def query(self, where: str | None, view: str | None = None) -> tuple[Query | None, SavedView | None]:
        """`--where FILTER` and `--view NAME` as one filter (both must match), and the view."""
        from casefile.cases.filters import both, parse_filter
        from casefile.cases.savedviews import find_view

        levels = list(self.policy.levels)
        chosen = find_view(self.views(), view) if view else None
        given = parse_filter(where, self.policy.zone, levels) if where is not None else None
        return both(chosen.query(self.policy.zone, levels) if chosen else None, given), chosen

    @cached_property
    def attachments(self) -> AttachmentWork:
        """Files kept with a case (`casefile attach`)."""
        from casefile.cases.attachment_work import AttachmentWork

        return AttachmentWork(self.session)

    @cached_property
    def workorders(self) -> WorkOrderWork:
        """On-site visits as work orders (派工单): record, sign, print, list the unsigned."""
        from casefile.cases.workorder_work import WorkOrderWork

        return WorkOrderWork(self.session)

    @cached_property
    def sla(self) -> ServiceLevels:
        from casefile.sla.work import ServiceLevels

        return ServiceLevels(self.session)

    @cached_property
    def team(self) -> PeopleWork:
        """The people of the desk as commands: add, edit, list, remove (people.yaml, one commit each)."""
        from casefile.repo.people import PeopleWork

        return PeopleWork(self.session)

    @cached_property
    def calendars(self) -> CalendarWork:
        """The desk's official days: what each calendar has year by year, and adding a year from the
        State Council's notice."""
        from casefile.repo.calendars import CalendarWork

        return CalendarWork(self.session)

    @cached_property
    def customers(self) -> CustomerWork:
        from casefile.customers.work import CustomerWork

        return CustomerWork(self.session)

    @cached_property
    def incident_reports(self) -> IncidentReports:
        from casefile.incidents.work import IncidentReports

        return IncidentReports(self.session)

    @cached_property
    def vendors(self) -> VendorWork:
        from casefile.vendors.work import VendorWork

        return VendorWork(self.session)

    @cached_property
    def problems(self) -> ProblemWork:
        from casefile.problems.work import ProblemWork

        return ProblemWork(self.session)

    @cached_property
    def changes(self) -> ChangeWork:
        from casefile.changes.work import ChangeWork

        return ChangeWork(self.session)

    @cached_property
    def inspections(self) -> InspectionWork:
        from casefile.inspections.work import InspectionWork

        return InspectionWork(self.session)

    @cached_property
    def surveys(self) -> SurveyWork:
        from casefile.surveys.work import SurveyWork

        return SurveyWork(self.session)

    @cached_property
    def kb(self) -> KnowledgeWork:
        from casefile.kb.work import KnowledgeWork

        return KnowledgeWork(self.session)

    @cached_property
    def oncall(self) -> OnCall:
        """The rota (rota.yaml), swaps, and acknowledging pages."""
        from casefile.oncall.work import OnCall

        return OnCall(self.session)

    # -- desk-wide work ------------------------------------------------------

    def check(self) -> Check:
        """The check cron runs: clocks of cases, inspections, surveys, the bulletin's reminder."""
        from casefile.check.assembly import desk_check

        return desk_check(self.session)

    def calendar_feed(self, since: date | None = None) -> tuple[list[FeedEvent], bytes]:
        """The team's `.ics` feed of change windows and inspections (events, and the feed's bytes)."""
        from casefile.schedule.feed import feed

        return feed(self.session, since)

    def search(self, text: str) -> list[Hit]:
        """Cases (in every status) and knowledge-base articles by words, best first."""
        from casefile.kb.search import search

        return search(self.session, text)

    def report(self, kind: str, period: Period, customer: str | None = None, timelines: int | None = None) -> Report:
        """A report of `kind` (monthly, stats, sla, engineers, desk, surveys, inspections) over `period`;
        a long one shows its progress on a terminal.  `timelines`: how many of the most recent major cases
        `stats` shows with their timeline (None: `reports.kinds.stats.TIMELINES`)."""
        from casefile.render.progress import no_stages, terminal_stages
        from casefile.reports.build import Reports
        from casefile.reports.model import ReportKind

        stages = terminal_stages()
        try:
            return Reports(self.session, stages or no_stages, timelines).build(ReportKind(kind), period, customer)
        finally:
            if stages:
                stages.finish()

    def simulate(self, proposal: Path, period: Period, customer: str | None = None) -> WhatIf:
        """The period's cases replayed under a proposed policy file, beside today's figures; writes nothing."""
        from casefile.render.progress import no_stages, terminal_stages
        from casefile.reports.simulate import Simulation

        stages = terminal_stages()
        try:
            return Simulation(self.session, stages or no_stages).run(proposal, period, customer)
        finally:
            if stages:
                stages.finish()

    def issue_bulletin(self, report: Report, lang: str, reissue: bool, render: Callable[[Report], str]) -> Issued:
        """Commit a month's bulletin under `reports/` as issued (`render` writes its Markdown)."""
        from casefile.reports.issue import issue_bulletin

        return issue_bulletin(self.session, report, lang, reissue, render)

    def explain_score(self, engineer: str, month: str, score: str, text: str | None) -> Explained:
        """Record the written explanation of a score under the pass mark (seed 002)."""
        from casefile.reports.scorenotes import explain_score

        return explain_score(self.session, engineer, month, score, text)

    def export(self, customer: str, fmt: str, output: Path, lang: str | None = None) -> ExportResult:
        from casefile.export.site import export_customer

        return export_customer(self.session, customer, fmt, output, lang)

    def case_as_of(self, case: str, at: datetime) -> AsOf:
        """A case as the desk knew it at `at`: read from its last commit by then, its clocks at `at`."""
        from casefile.cases.asof import show_as_of

        return show_as_of(self.session, case, at)

    def export_evidence(self, customer: str, output: Path) -> EvidenceResult:
        """The customer's evidence bundle: what `verify --bundle` needs, and nothing another customer owns."""
        from casefile.export.evidence import export_evidence

        return export_evidence(self.session, customer, output)

    def issue_statement(self, customer: str, month: str) -> IssuedStatement:
        """Commit the customer's monthly SLA statement, with the events its figures rest on and their digest."""
        from casefile.reports.statement import issue_statement

        return issue_statement(self.session, customer, month)

    def verify_statement(self, statement: str) -> Verdict:
        """Recompute a statement from this repository: do its figures follow, did a record change since?"""
        from casefile.reports.statement import verify_in_repository

        return verify_in_repository(self.session, statement)

    @staticmethod
    def verify_bundle(bundle: Path, statement: str) -> Verdict:
        """Recompute a statement from an evidence bundle alone (no desk repository, no git)."""
        from casefile.reports.statement import verify_bundle

        return verify_bundle(bundle, statement)

    def audit(self, since: str | None = None) -> AuditReport:
        """Every commit (since `since`) that rewrote an activity log."""
        from casefile.repo.audit import audit

        return audit(self.session, since)

    def doctor(self) -> DoctorReport:
        """Stale git locks removed, interrupted commands finished, `git gc --auto`; after a merge by hand,
        one complaint per survey."""
        from casefile.repo.doctor import doctor
        from casefile.surveys.onecomplaint import settle_complaints

        report = doctor(self.session)
        if not report.kept:
            report.complaints = [settled.line() for settled in settle_complaints(self.session)]
        return report

    def export_index(self, target: Path) -> Carried:
        """Write this clone's record index to `target`, compressed, for another clone or a later CI run.

        The index holds what the commands run so far have read (after `check`, every record kind)."""
        from casefile.index.archive import export_index
        from casefile.index.reader import index_path

        return export_index(index_path(self.session.repo), target)

    def import_index(self, archive: Path) -> Carried:
        """Replace this clone's record index with one `export_index` wrote (any clone, any commit)."""
        from casefile.index.archive import import_index
        from casefile.index.reader import index_path
        from casefile.records.transaction import write_lock

        with write_lock(self.session.state_dir):
            return import_index(archive, index_path(self.session.repo))

    def sync(self) -> SyncReport:
        from casefile.team.sync import Sync

        return Sync(self.session).run()

    def setup(self) -> SetupResult:
        from casefile.team.setup import setup_clone

        return setup_clone(self.session)

    def pager_from(self, env: Mapping[str, str], mail: Callable[..., None] | None) -> Callable[[PageMessage], None]:
        """A sender for pages: the channels' addresses and secrets from `CASEFILE_CHANNEL_*` in `env` and this
        clone's git config; e-mail pages through `mail`."""
        from casefile.check.paging import page_sender

        return page_sender(self.session, env, mail)

    def smtp_from(self, env: Mapping[str, str]) -> Callable[..., None]:
        """A sender for the desk's mail, from `CASEFILE_SMTP_*` in `env` and this clone's git config."""
        from casefile.mail.smtp import require_sender

        return require_sender(env, self.session.repo.config)

    def deliver(self, env: Mapping[str, str]) -> FlushResult | None:
        """Send what waits in the outbox now (customer mail a command just queued), when this clone has
        an SMTP server (`CASEFILE_SMTP_*` in `env`, or git config); None when it has none — then
        `casefile check --notify` sends it on its next run."""
        from casefile.mail.outbox import Outbox
        from casefile.mail.smtp import sender_for, smtp_settings

        outbox = Outbox(self.session.state_dir)
        if not outbox.waiting():
            return None
        settings = smtp_settings(env, self.session.repo.config)
        if settings is None:
            return None
        return outbox.flush(sender_for(settings), self.session.stamp(self.session.now()))

    def intake(self) -> Intake:
        """Mail in (`casefile intake`): as `--as` when given, else as the system actor `intake`."""
        from casefile.intake.work import SYSTEM, Intake

        if not self.session.actor_handle:
            self.session.act_as_system(SYSTEM)
        return Intake(self.session)

    def intake_message(self, raw: bytes) -> IntakeRun:
        """Take one RFC 5322 message (what an MTA alias, procmail or getmail pipes in)."""
        from casefile.intake.poll import one

        return one(self.intake(), raw)

    def intake_maildir(self, folder: Path) -> IntakeRun:
        """Take every unseen message of a Maildir, marking each seen once it is taken."""
        from casefile.intake.poll import from_maildir

        return from_maildir(self.intake(), folder)

    def intake_imap(self, env: Mapping[str, str]) -> IntakeRun:
        """Take every unseen message of the IMAP mailbox (`CASEFILE_IMAP_*` in `env`, or git config)."""
        from casefile.intake.poll import from_imap
        from casefile.mail.imap import imap_settings

        return from_imap(self.intake(), imap_settings(env, self.session.repo.config))
