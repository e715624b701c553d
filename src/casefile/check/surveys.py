"""Surveys in `casefile check`: scheduled surveys (seed 004) and survey letters.

- Scheduled satisfaction surveys are created by every run, like planned inspections.
- With `--notify`, each survey letter that is due (seed 002: the confirmation letter asking for
  an evaluation) goes to the customer's e-mail through the outbox, and the survey is marked
  `queued` in the run's commit — so a letter is never lost and never sent twice, with the
  outbox's one documented exception.  It is marked `sent` (with the time the mail server took
  it) only once the server accepted it: by the same run after its mail went out, or by a later
  run when the server was down (the letter waits in the outbox, the survey stays `queued`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from casefile.check.model import Broken
from casefile.mail.outbox import Message
from casefile.records.file import read_plain
from casefile.records.transaction import Transaction
from casefile.session import Session
from casefile.surveys.model import SurveyStatus, to_send
from casefile.surveys.work import SurveyWork
from casefile.values import Struct
from casefile.worktime.clock import format_instant

SENT_KEY = "survey/sent"  # the "alert" an outbox letter stands for: the survey records its sending

class Letter(Struct, frozen=True):
    survey: str
    path: str
    message: Message


class SurveyUpkeep:
    """Scheduled surveys created by every run; with --notify, survey letters mailed to customers."""

    name = "surveys"  # its records' folder

    def __init__(self, session: Session) -> None:
        self.session = session
        self.work = SurveyWork(session)
        self.created: list[tuple[str, dict[str, Any]]] = []
        self.unsent: list[Broken] = []

    def prepare(self, txn: Transaction | None, now: datetime) -> list[str]:
        new = self.work.scheduled_new(now)
        if txn is not None:
            self.created = [(path, read_plain(text, path)[0]) for path, text in self.work.write_new(txn, new)]
            return [f"scheduled survey {data['id']}" for _path, data in self.created]
        return [f"scheduled survey {ident}" for ident, _, _ in new]

    def letters(self, txn: Transaction, now: datetime) -> list[Letter]:
        """Mark every survey whose letter is due as sent in `txn`; the letters to stage."""
        from casefile.render.templates import TemplateFailed

        result = []
        surveys = [(e.path, e.data) for e in self.work.all()] + self.created
        for path, data in surveys:
            if not to_send(data, now):
                continue
            try:
                letter = self.work.letter_of(data)
            except TemplateFailed as error:  # a desk's broken letter stops that letter, not the run
                self.unsent.append(Broken(path, f"survey letter not sent: {error}"))
                continue
            if not letter.to:
                continue
            ident, _text = self.work.mark_queued_in(txn, path, now)
            message = Message(
                id=f"survey-{ident}",
                to=(letter.to,),
                subject=letter.subject,
                body=letter.body,
                alerts=((path, SENT_KEY),),
                created_at=format_instant(now, self.session.policy.zone),
            )
            result.append(Letter(ident, path, message))
        return result

    def confirm(self, txn: Transaction, delivered: Callable[[str], datetime | None]) -> list[str]:
        """Mark sent, in `txn`, every queued survey whose letter the mail server accepted; their ids."""
        done = []
        for entry in self.work.all():
            if entry.data.get("status") != SurveyStatus.QUEUED:
                continue
            sent_at = delivered(f"survey-{entry.data['id']}")
            if sent_at is not None:
                ident, _text = self.work.mark_sent_in(txn, entry.path, sent_at)
                done.append(ident)
        return done

    def recorded(self, text: str, key: str) -> bool:
        data, _body = read_plain(text, "record")
        return key == SENT_KEY and bool(data.get("queued_at") or data.get("sent_at"))
