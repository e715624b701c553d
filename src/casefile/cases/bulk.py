"""`casefile bulk assign|tag|close|note`: one step on many cases, in ONE commit — or on none.

The cases come from a filter (`--where`, the language of `cases.filters`: the
cases `list --where` shows) or as case numbers on standard input.  Each case
goes through the single command's own method of `CaseWork` — its checks and
its operation, what goes with it (a survey issued on close, a major incident's
callers) — but instead of committing, the step is collected
(`CaseWork.collect`); `Session.change_many` then applies every step in one
transaction and makes one commit whose subject names the cases (all of them up
to four, else their number) and whose body has one line per case; every case
is a `Casefile-Case` trailer.  A refusal of any case (closed, broken, edited by
hand and not committed) stops the whole command before the commit and names
the case: nothing changes.  `dry_run` does everything but the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from casefile.cases.model import NoteKind, Tier
from casefile.cases.work import BROKEN_BEFORE, CaseWork
from casefile.errors import CasefileError
from casefile.records.change import Change, CommitMessage, Done
from casefile.records.file import RecordEntry
from casefile.records.kinds import CASES
from casefile.records.numbers import parse_case_number
from casefile.session import Edit, Session
from casefile.i18n import _
from casefile.values import Struct

if TYPE_CHECKING:
    from casefile.cases.tags import TagChange
    from casefile.notify.mails import CustomerMail

SUBJECT_NAMES = 4  # up to this many cases are named in the subject; the body always names every one


class BulkDone(Struct, frozen=True):
    """What a bulk command did (or, with `dry_run`, would do): per case the words of its step."""

    action: str
    changes: tuple[tuple[str, str], ...]  # (case id, what was done to it)
    subject: str
    commit: str | None  # None: a dry run
    entries: tuple[RecordEntry, ...]
    notes: tuple[str, ...] = ()

    @property
    def dry_run(self) -> bool:
        return self.commit is None


class BulkWork:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- which cases ---------------------------------------------------------

    def select(self, where: str | None, numbers: Sequence[str]) -> list[str]:
        """The cases a bulk command works on: those `list --where FILTER` shows, or the case numbers given
        (each once, in the order given)."""
        if where is not None and numbers:
            raise CasefileError(_("give --where FILTER or case numbers on standard input, not both"))
        if where is not None:
            from casefile.cases.filters import parse_filter
            from casefile.cases.listing import CaseFilter

            query = parse_filter(where, self.session.policy.zone, list(self.session.policy.levels))
            rows = CaseWork(self.session).list(CaseFilter(), None, query)
            chosen = [str(row["id"]) for row in rows]
            if not chosen:
                raise CasefileError(_("no case matches {where!r}: nothing was changed").format(where=where),
                                    _("see what it matches: casefile list --where \"{where}\"").format(where=where))
            return chosen
        chosen = []
        for number in numbers:
            case_id = parse_case_number(number)
            if case_id not in chosen:
                chosen.append(case_id)
        if not chosen:
            raise CasefileError(_("no cases given"), _("say --where FILTER, or pipe case numbers: echo KMT-00417 | ..."))
        return chosen

    # -- the steps -----------------------------------------------------------

    def assign(self, cases: Sequence[str], engineer: str, tier: Tier | None, dry_run: bool = False) -> BulkDone:
        return self._run("assign", f"assign to {engineer}", cases,
                         lambda work, case: work.assign(case, engineer, tier), dry_run)

    def tag(self, cases: Sequence[str], change: TagChange, dry_run: bool = False) -> BulkDone:
        from casefile.cases.tags import tag_step

        return self._run("tag", f"tag {change.words()}", cases,
                         lambda work, case: work.update(case, tag_step(change)), dry_run)

    def close(self, cases: Sequence[str], confirmed_by: str | None, text: str | None, early: bool,
              dry_run: bool = False) -> BulkDone:
        words = f"closed, confirmed by {(confirmed_by or '').strip()}" + (" (early)" if early else "")
        return self._run("close", words, cases,
                         lambda work, case: work.close(case, confirmed_by, text, early), dry_run)

    def note(self, cases: Sequence[str], text: str | None, kind: NoteKind, phrase: str | None = None,
             dry_run: bool = False) -> BulkDone:
        """A note on each case; with `phrase`, the standard phrase filled in for each case (desk's language),
        `text` after it."""
        def one(work: CaseWork, case: str) -> Done:
            return work.note(case, self._phrased(case, phrase, text) if phrase else text, kind)

        return self._run("note", "note" if kind is NoteKind.NOTE else f"{kind} note", cases, one, dry_run)

    def _phrased(self, case: str, phrase: str, text: str | None) -> str:
        from casefile.cases.phrasebook import PhraseBook

        filled = PhraseBook(self.session).fill_for(case, phrase, for_customer=False).text
        return f"{filled}\n\n{text.strip()}" if text and text.strip() else filled

    # -- one commit ----------------------------------------------------------

    def _run(self, action: str, words: str, cases: Sequence[str], step: Callable[[CaseWork, str], Done],
             dry_run: bool) -> BulkDone:
        work = CaseWork(self.session)
        collected: list[tuple[str, str, Callable[[Edit], Change]]] = []
        mailers: list[CustomerMail] = []

        def collect(case_id: str, path: str, apply: Callable[[Edit], Change], mail: CustomerMail | None) -> Done:
            if any(case_id == other for other, _path, _apply in collected):
                raise CasefileError(_("{case_id} is named twice").format(case_id=case_id), _("name each case once"))
            collected.append((case_id, path, apply))
            if mail is not None:
                mailers.append(mail)
            return Done(RecordEntry(path, {}, ""), "", "")  # committed below, with the others

        work.collect = collect
        try:
            for case in cases:
                step(work, case)
            done = self.session.change_many(CASES, collected, lambda changes: _message(action, words, changes),
                                            refuse_broken=BROKEN_BEFORE, dry_run=dry_run)
        except BaseException:
            for mail in mailers:
                mail.discard()  # the commit did not happen: its mail goes with it
            raise
        if dry_run:
            for mail in mailers:
                mail.discard()
        return BulkDone(action, tuple((ident, change.words) for ident, change in done.changes), done.subject,
                        done.commit, done.entries, done.notes)


def _message(action: str, words: str, changes: Sequence[tuple[str, Change]]) -> CommitMessage:
    """Subject `KMT-00001, KMT-00002: assign to wang.fang` (or `cases: assign to wang.fang (12 cases)`), a
    line per case in the body, a `Casefile-Case` trailer per case and what the steps add (surveys)."""
    ids = [ident for ident, _change in changes]
    if len(ids) <= SUBJECT_NAMES:
        subject = f"{', '.join(ids)}: {words}"
    else:
        subject = f"{CASES.folder}: {words} ({len(ids)} cases)"
    detail = "\n".join(f"{ident}: {change.words}" for ident, change in changes)
    trailers: list[tuple[str, str]] = [(CASES.trailer, ident) for ident in ids]
    for _ident, change in changes:
        trailers += [pair for pair in change.trailers if pair not in trailers]
    return CommitMessage(subject, action, tuple(trailers), detail)
