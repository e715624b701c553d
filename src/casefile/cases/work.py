"""Working cases: open, assign, respond, note, pend, resume, resolve, close, reopen, change, edit.

Each public method is one command: it reads the committed record, applies one
workflow step, checks the result against the schema, and commits the file —
one commit whose subject names the case and the action, with
`Casefile-Case:` and `Casefile-Action:` trailers, authored by the person acting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from casefile.cases import ops as workflow
from casefile.cases.model import CaseDoc, CaseType, Channel, EventKind, NoteKind, Tier, WaitingOn, new_case_data
from casefile.index.catalog import CaseNotFound
from casefile.desk import Desk, blob_id
from casefile.errors import CasefileError
from casefile.records.numbers import (
    MAX_SEQUENCE,
    STATIONS_DIR,
    StationState,
    case_path,
    find_case_file,
    format_case_number,
    parse_case_number,
)
from casefile.customers.model import require_customer
from casefile.cases.links import LinkRel, add_link
from casefile.records.stations import station_for_open
from casefile.policy.people import check_handle
from casefile.policy.model import POLICY_FILE
from casefile.records.file import EditableRecord, read_plain, split
from casefile.records.change import Done, Extra, done as _done, open_committed, raise_problems
from casefile.records.problems import case_problems, record_error
from casefile.records.transaction import Transaction
from casefile.cases.ops import Step


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


def _normalised_links(new: NewCase) -> NewCase:
    """`kmt-417` as `KMT-00417`, each case once: links are compared as text."""
    links: list[tuple[str, str]] = []
    for rel, target in new.links:
        link = (rel, parse_case_number(target) if rel == LinkRel.CONCERNS else target)
        if link not in links:
            links.append(link)
    return replace(new, links=tuple(links))


def commit_message(case_id: str, step: Step, detail: str | None = None, extra: Mapping[str, str] | None = None) -> str:
    lines = [f"{case_id}: {step.summary}", ""]
    if detail and detail.strip():
        lines += [detail.strip(), ""]
    lines += [f"Casefile-Case: {case_id}", f"Casefile-Action: {step.action}"]
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


class CaseWork:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.catalog = desk.catalog

    # -- open ----------------------------------------------------------------

    def open(self, new: NewCase) -> Done:
        desk = self.desk
        new = _normalised_links(new)
        self._refuse(new)
        actor = desk.actor

        def body(txn: Transaction) -> Done:
            opened = desk.now()
            case_id, path, text = self.create_in(txn, new, actor.handle, opened)
            concerns = [target for rel, target in new.links if rel == LinkRel.CONCERNS]
            for target in concerns:
                self.link_back(txn, target, LinkRel.COMPLAINT, case_id)
            message = commit_message(
                case_id,
                Step("open", f"open {new.level}-level {new.type}: {new.title.strip()}"),
                f"Concerns {', '.join(concerns)}." if concerns else None,
            )
            return _done(path, text, message, txn.commit(message, desk.author(actor), opened))

        return desk.mutate(body)

    def _refuse(self, new: NewCase) -> None:
        """Refuse a new case that cannot be opened, before anything is written."""
        desk = self.desk
        if not new.title.strip():
            raise CasefileError("the title is empty", 'give the case a title: casefile open "Printer offline" ...')
        if new.level not in desk.policy.levels:
            raise CasefileError(
                f"level {new.level!r} is not a level of this desk",
                f"use one of {', '.join(desk.policy.levels)} (policy.yaml)",
            )
        if new.assignee:
            desk.people.get(check_handle(new.assignee))
        if new.customer:
            require_customer(desk.root, new.customer)
        concerns = [target for rel, target in new.links if rel == LinkRel.CONCERNS]
        if concerns and new.type is not CaseType.COMPLAINT:
            raise CasefileError(
                "only a complaint concerns other cases", "open it with --type complaint, or leave out --concerns"
            )
        for target in concerns:
            self.catalog.locate(target)

    def create_in(self, txn: Transaction, new: NewCase, by: str, opened: datetime) -> tuple[str, str, str]:
        """Write a new case into `txn` (and this clone's station claim if needed): (id, path, text).

        `open` commits it alone; a survey's follow-up commits it with the survey.
        """
        desk = self.desk
        self._refuse(new)
        policy_text = txn.committed(POLICY_FILE)
        if policy_text is None:
            raise CasefileError(f"{POLICY_FILE} is not committed", f"commit it first: git commit {POLICY_FILE}")
        at = desk.stamp(opened)
        claim = station_for_open(desk, txn.head, by, at, desk.author(desk.people.get(by)), opened)
        if claim.note:
            desk.notes(claim.note)
        state = claim.state
        case_id, path = self._next_number(state, opened)
        doc = CaseDoc(
            new_case_data(
                {
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
                }
            )
        )
        doc.add_event(at, by, EventKind.OPENED, f"Opened via {new.channel}")
        if new.assignee:
            workflow.assign(doc, at, by, new.assignee, new.tier or self._tier_of(new.assignee))
        for rel, target in new.links:
            add_link(doc, LinkRel(rel), target)
        description = new.description.strip()
        record = EditableRecord.new(path, doc.data, description + "\n" if description else "")
        self._check(record)
        if claim.record:
            txn.write(f"{STATIONS_DIR}/{state.station}.yaml", claim.record)
        state_after = StationState(state.station, state.clone, int(case_id[-5:]) + 1)
        txn.on_commit.append(lambda: state_after.save(desk.state_dir))
        text = record.render()
        txn.write(path, text)
        return case_id, path, text

    def link_back(self, txn: Transaction, case_number: str, rel: LinkRel, target: str) -> str:
        """Link `target` from the committed case `case_number` in `txn` (a case names its complaints); its path."""
        case_id, file = self.catalog.locate(case_number)
        path = self.desk.relative(file)
        record = open_committed(txn, path, CaseNotFound(case_id))
        add_link(CaseDoc(record.data, record.body), rel, target)
        stem = path.rsplit("/", 1)[-1].removesuffix(".md")
        raise_problems(record, case_problems(record.data, self.desk.policy.levels, stem))
        txn.write(path, record.render())
        return path

    def _next_number(self, state: StationState, opened: datetime) -> tuple[str, str]:
        sequence = state.next
        while find_case_file(self.desk.root, format_case_number(state.station, sequence)):
            sequence += 1  # the local counter was lost or rewound; never reuse a number
        if sequence > MAX_SEQUENCE:
            raise CasefileError("this clone's station has no numbers left", "run the command again to claim a new one")
        case_id = format_case_number(state.station, sequence)
        return case_id, case_path(case_id, opened)

    def _tier_of(self, handle: str) -> Tier | None:
        tier = self.desk.people.get(handle).tier
        return Tier(tier) if tier in {str(t) for t in Tier} else None

    # -- steps on an existing case -------------------------------------------

    def update(
        self,
        case_number: str,
        apply: Callable[[CaseDoc, str, str], Step],
        detail: str | None = None,
        also: Callable[[Transaction, CaseDoc, datetime], Extra] | None = None,
    ) -> Done:
        """Apply one step to a case and commit it; `also` writes what goes with it in the same commit."""
        case_id, file = self.catalog.locate(case_number)
        path = self.desk.relative(file)
        actor = self.desk.actor

        def body(txn: Transaction) -> Done:
            content = txn.committed(path)
            if content is None:
                raise CaseNotFound(case_id)
            record = EditableRecord.parse(content.decode("utf-8"), path)
            self._check(record, before=True)
            when = self.desk.now()
            doc = CaseDoc(record.data, record.body)
            step = apply(doc, self.desk.stamp(when), actor.handle)
            extra = also(txn, doc, when) if also else Extra()
            self._check(record)
            text = record.render()
            txn.write(path, text)
            message = commit_message(case_id, step, detail, extra.trailers)
            return _done(path, text, message, txn.commit(message, self.desk.author(actor), when), extra.notes)

        return self.desk.mutate(body)

    def _check(self, record: EditableRecord, before: bool = False) -> None:
        stem = record.source.rsplit("/", 1)[-1].removesuffix(".md")
        problems = case_problems(record.data, self.desk.policy.levels, stem)
        if problems:
            error = record_error(record.render(), record.source, problems[0])
            if before:
                error.hint = "fix the record by hand (casefile edit), then try again"
            raise error

    def assign(self, case_number: str, engineer: str, tier: Tier | None = None) -> Done:
        self.desk.people.get(check_handle(engineer))
        chosen = tier or self._tier_of(engineer)
        return self.update(case_number, lambda d, at, by: workflow.assign(d, at, by, engineer, chosen))

    def respond(self, case_number: str, text: str | None) -> Done:
        return self.update(case_number, lambda d, at, by: workflow.respond(d, at, by, text), text)

    def note(
        self,
        case_number: str,
        text: str | None,
        kind: NoteKind,
        authorised_by: str | None = None,
        dispatched_at: datetime | None = None,
        arrived_at: datetime | None = None,
    ) -> Done:
        dispatched = self.desk.stamp(dispatched_at) if dispatched_at else None
        arrived = self.desk.stamp(arrived_at) if arrived_at else None
        return self.update(
            case_number,
            lambda d, at, by: workflow.note(d, at, by, text, kind, authorised_by, dispatched, arrived),
            text,
        )

    def pend(self, case_number: str, reason: str | None, waiting_on: WaitingOn) -> Done:
        return self.update(case_number, lambda d, at, by: workflow.pend(d, at, by, reason, waiting_on), reason)

    def resume(self, case_number: str, text: str | None) -> Done:
        return self.update(case_number, lambda d, at, by: workflow.resume(d, at, by, text), text)

    def resolve(self, case_number: str, text: str | None, kb: str | None = None, first_contact: bool = False) -> Done:
        """Resolve; with `kb`, link the article both ways (the article lists the case) in the same commit."""
        step = lambda d, at, by: workflow.resolve(d, at, by, text, first_contact)  # noqa: E731
        if kb is None:
            return self.update(case_number, step, text)
        from casefile.kb.work import link_article, require_article

        slug = require_article(self.desk.root, kb)
        return self.update(case_number, step, text, also=lambda txn, doc, when: link_article(txn, doc, slug))

    def close(self, case_number: str, confirmed_by: str | None, text: str | None = None, early: bool = False) -> Done:
        """Close with the customer's confirmation; the satisfaction survey is issued in the same commit."""
        return self.update(
            case_number, lambda d, at, by: workflow.close(d, at, by, confirmed_by, text, early), text,
            also=self._issue_survey,
        )

    def _issue_survey(self, txn: Transaction, doc: CaseDoc, when: datetime) -> Extra:
        from casefile.surveys.issue import issue_on_close

        issued = issue_on_close(self.desk, txn, doc, when)
        if issued.survey_id is None:
            return Extra(notes=(issued.note,))
        doc.data["events"][-1]["fields"]["survey"] = issued.survey_id  # the closed event names its survey
        return Extra({"Casefile-Survey": issued.survey_id}, (issued.note,))

    def reopen(self, case_number: str, reason: str | None) -> Done:
        return self.update(case_number, lambda d, at, by: workflow.reopen(d, at, by, reason), reason)

    def change(self, case_number: str, changes: Mapping[str, str], reason: str | None) -> Done:
        if not changes:
            raise CasefileError("nothing to change", "give --level, --type, --category or --title")
        level = changes.get("level")
        if level is not None and level not in self.desk.policy.levels:
            raise CasefileError(
                f"level {level!r} is not a level of this desk", f"use one of {', '.join(self.desk.policy.levels)}"
            )
        if "title" in changes and not changes["title"].strip():
            raise CasefileError("the title is empty", "give a title with text in it")
        return self.update(
            case_number, lambda d, at, by: workflow.change_fields(d, at, by, changes, reason), reason
        )

    # -- edit by hand ----------------------------------------------------------

    def edit(self, case_number: str, run_editor: Callable[[str], str]) -> Done | None:
        """Let a person edit the record in $EDITOR; validate and commit it, or keep it aside."""
        case_id, file = self.catalog.locate(case_number)
        path = self.desk.relative(file)
        before = file.read_text(encoding="utf-8")
        after = run_editor(before)
        if after == before:
            return None
        actor = self.desk.actor
        try:
            old, _ = read_plain(before, path)
            record = EditableRecord.parse(after, path)
            if record.data.get("id") != case_id:
                raise CasefileError(f"the case number cannot change (it is {case_id})", "put the id back")
            self._check(record)
        except CasefileError as error:
            kept = self._keep_edit(case_id, after)
            error.hint = f"your edit is kept in {kept}; fix it and run `casefile edit {case_id}` again"
            raise
        changed = sorted(k for k in set(old) | set(record.data) if old.get(k) != record.data.get(k))
        if record.body != split(before, path).body:
            changed.append("description")

        def body(txn: Transaction) -> Done:
            content = txn.committed(path)
            if content is None or content.decode("utf-8") != before:
                kept = self._keep_edit(case_id, after)
                raise CasefileError(f"{case_id} changed while you were editing", f"your edit is kept in {kept}")
            when = self.desk.now()
            CaseDoc(record.data, record.body).add_event(
                self.desk.stamp(when), actor.handle, EventKind.EDITED, fields={"changed": changed}
            )
            text = record.render()
            txn.write(path, text)
            message = commit_message(case_id, Step("edit", "edit by hand: " + (", ".join(changed) or "layout")))
            return _done(path, text, message, txn.commit(message, self.desk.author(actor), when))

        return self.desk.mutate(body)

    def _keep_edit(self, case_id: str, text: str) -> str:
        folder = self.desk.state_dir / "edits"
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"{case_id}.md"
        kept.write_text(text, encoding="utf-8")
        return str(kept)
