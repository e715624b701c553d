"""Working cases: open, assign, respond, note, pend, resume, resolve, close, reopen, change, edit.

Each public method is one command: it reads the committed record, applies one
workflow step, checks the result against the schema, and commits the file —
one commit whose subject names the case and the action, with
`Casefile-Case:` and `Casefile-Action:` trailers, authored by the person acting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import workflow
from .casemodel import CaseDoc, CaseType, Channel, EventKind, NoteKind, Tier, WaitingOn, new_case_data
from .catalog import Catalog, CaseEntry, CaseNotFound
from .desk import Desk, blob_id
from .errors import CasefileError
from .numbering import (
    MAX_SEQUENCE,
    STATIONS_DIR,
    StationState,
    case_path,
    find_case_file,
    format_case_number,
)
from .stations import station_for_open
from .people import check_handle
from .policy import POLICY_FILE
from .recordfile import EditableRecord, read_plain, split
from .schema import case_problems, record_error
from .store import Transaction
from .workflow import Step


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


def commit_message(case_id: str, step: Step, detail: str | None = None, extra: Mapping[str, str] | None = None) -> str:
    lines = [f"{case_id}: {step.summary}", ""]
    if detail and detail.strip():
        lines += [detail.strip(), ""]
    lines += [f"Casefile-Case: {case_id}", f"Casefile-Action: {step.action}"]
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Done:
    """A committed step: the case as it is now, the commit subject and id."""

    entry: CaseEntry
    subject: str
    commit: str


def _done(path: str, text: str, message: str, commit: str) -> Done:
    data, body = read_plain(text, path)
    return Done(CaseEntry(path, data, body), message.splitlines()[0], commit)


class CaseWork:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.catalog = Catalog(desk.root)

    # -- open ----------------------------------------------------------------

    def open(self, new: NewCase) -> Done:
        desk = self.desk
        title = new.title.strip()
        if not title:
            raise CasefileError("the title is empty", 'give the case a title: casefile open "Printer offline" ...')
        if new.level not in desk.policy.levels:
            raise CasefileError(
                f"level {new.level!r} is not a level of this desk",
                f"use one of {', '.join(desk.policy.levels)} (policy.yaml)",
            )
        actor = desk.actor
        if new.assignee:
            desk.people.get(check_handle(new.assignee))

        def body(txn: Transaction) -> Done:
            policy_text = txn.committed(POLICY_FILE)
            if policy_text is None:
                raise CasefileError(f"{POLICY_FILE} is not committed", f"commit it first: git commit {POLICY_FILE}")
            opened = desk.now()
            at = desk.stamp(opened)
            claim = station_for_open(desk, txn.head, actor.handle, at, desk.author(actor), opened)
            if claim.note:
                desk.notes(claim.note)
            state = claim.state
            case_id, path = self._next_number(state, opened)
            doc = CaseDoc(
                new_case_data(
                    {
                        "id": case_id,
                        "title": title,
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
            doc.add_event(at, actor.handle, EventKind.OPENED, f"Opened via {new.channel}")
            if new.assignee:
                workflow.assign(doc, at, actor.handle, new.assignee, new.tier or self._tier_of(new.assignee))
            description = new.description.strip()
            record = EditableRecord.new(path, doc.data, description + "\n" if description else "")
            self._check(record)
            if claim.record:
                txn.write(f"{STATIONS_DIR}/{state.station}.yaml", claim.record)
            state_after = StationState(state.station, state.clone, int(case_id[-5:]) + 1)
            txn.on_commit.append(lambda: state_after.save(desk.state_dir))
            subject = f"open {new.level}-level {new.type}: {title}"
            text = record.render()
            txn.write(path, text)
            message = commit_message(case_id, Step("open", subject))
            return _done(path, text, message, txn.commit(message, desk.author(actor), opened))

        return desk.mutate(body)

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
    ) -> Done:
        """Apply one step to a case and commit it."""
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
            self._check(record)
            text = record.render()
            txn.write(path, text)
            message = commit_message(case_id, step, detail)
            return _done(path, text, message, txn.commit(message, self.desk.author(actor), when))

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

    def resolve(self, case_number: str, text: str | None, first_contact: bool = False) -> Done:
        return self.update(case_number, lambda d, at, by: workflow.resolve(d, at, by, text, first_contact), text)

    def close(self, case_number: str, confirmed_by: str | None, text: str | None = None, early: bool = False) -> Done:
        return self.update(
            case_number, lambda d, at, by: workflow.close(d, at, by, confirmed_by, text, early), text
        )

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
