"""Satisfaction surveys: issue, record the answers, list, show, the letter, and what `check` needs.

Seams for `casefile check` (issue 3):

* `to_send()` — pending surveys whose delay has passed, not expired, with an e-mail;
* `letter(ref)` — the rendered letter (to, subject, body) for one of them;
* `mark_sent(ref)` — record that it was mailed (one commit);
* `expire()` — record every outstanding survey past its expiry (one commit, or None);
* `schedule()` — create the scheduled surveys due today (idempotent: ids and
  contents depend only on the customer, the period and the policy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time
from typing import Any

from casefile.cases.links import LinkRel, linked
from casefile.cases.model import CaseDoc, Status
from casefile.customers.model import CUSTOMERS_DIR, require_customer
from casefile.errors import CasefileError
from casefile.policy.surveys import SurveyPolicy
from casefile.records import yamlio
from casefile.records.change import Change, CommitMessage, Done, done, open_committed
from casefile.records.fieldorder import set_in_order
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import SURVEYS
from casefile.records.numbers import CaseNotFound
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError
from casefile.render.cells import minute
from casefile.session import Edit, Session
from casefile.surveys.issue import contact_of, issue_on_close, policy_of, read_customer, survey_data
from casefile.surveys.model import (
    FIELD_ORDER,
    OUTSTANDING,
    SURVEY_ID,
    SURVEYS_DIR,
    SurveyKind,
    SurveyNotFound,
    SurveyStatus,
    Via,
    customer_survey_id,
    effective_status,
    find_survey_file,
    survey_path,
    to_send,
)
from casefile.values import Struct, field
from casefile.worktime.cadence import Period
from casefile.worktime.clock import parse_stored
from casefile.i18n import _

LETTER_TEMPLATE = "survey-letter.txt"


class Answers(Struct, frozen=True):
    """What `survey record` is told: ratings by question, opinions, who answered and how."""

    ratings: Mapping[str, str] = field(default_factory=dict)
    opinions: str | None = None
    answered_by: str | None = None
    via: Via = Via.PHONE
    late: bool = False


class Letter(Struct, frozen=True):
    survey_id: str
    to: str | None
    subject: str
    body: str


def scheduled_due(
    customers: Sequence[Mapping[str, Any]],
    surveys: Sequence[Mapping[str, Any]],
    policy: SurveyPolicy,
    now: datetime,
) -> list[tuple[str, Period]]:
    """(customer, period) of every scheduled survey due now and not yet issued.

    Not for customers with on-site staff: their staff survey them and hand the
    forms to the desk (seed 004), who records them with `survey issue --customer`.
    """
    if policy.schedule is None:
        return []
    today = now.date()
    period = policy.schedule.period_of(today)
    if today < policy.schedule.planned_on(period):
        return []
    issued = {str(s.get("id")) for s in surveys}
    return [
        (str(c["id"]), period)
        for c in sorted(customers, key=lambda c: str(c.get("id")))
        if not c.get("onsite_staff") and customer_survey_id(str(c["id"]), period.key) not in issued
    ]


def scheduled_span(policy: SurveyPolicy, period: Period, zone: Any) -> tuple[datetime, datetime]:
    """A scheduled survey is issued at 00:00 of its planned day and open until its period ends.

    Both depend only on the policy and the period, so every clone writes the same survey.
    """
    assert policy.schedule is not None
    end = datetime.combine(period.next().start, time(), zone)
    return datetime.combine(policy.schedule.planned_on(period), time(), zone), end


class SurveyWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    @property
    def policy(self) -> SurveyPolicy:
        return policy_of(self.session)

    # -- reading ---------------------------------------------------------------

    def _skip(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    def all(self) -> list[RecordEntry]:
        return list(self.catalog.records(SURVEYS_DIR, self._skip))

    def path_of(self, ref: str) -> str:
        """The file of a survey named by its id or by its case's number (the latest survey of that case)."""
        text = ref.strip()
        if SURVEY_ID.match(text):
            path = find_survey_file(self.session.root, text)
            if path is None:
                raise SurveyNotFound(text)
            return path
        case = self.catalog.case(text)
        surveys = linked(case.data, LinkRel.SURVEY)
        if not surveys:
            status = case.data.get("status")
            hint = (
                "a survey is issued when it closes"
                if status != Status.CLOSED
                else f"issue one: casefile survey issue {case.data['id']}"
            )
            raise CasefileError(_("{id} has no survey (it is {status})").format(id=case.data['id'], status=status), hint)
        return self.path_of(surveys[-1])

    def entry(self, ref: str) -> RecordEntry:
        return read_record_file(self.session.root, self.session.root / self.path_of(ref))

    def listing(
        self, statuses: frozenset[str] = frozenset(), customer: str | None = None
    ) -> list[tuple[RecordEntry, SurveyStatus]]:
        now = self.session.now()
        rows = []
        for entry in self.all():
            status = effective_status(entry.data, now)
            if statuses and status not in statuses:
                continue
            if customer is not None and entry.data.get("customer") != customer:
                continue
            rows.append((entry, status))
        rows.sort(key=lambda row: (parse_stored(str(row[0].data["issued_at"])), str(row[0].data["id"])))
        return rows

    def to_send(self) -> list[RecordEntry]:
        """Surveys whose letter `check` should mail now."""
        now = self.session.now()
        return [e for e in self.all() if to_send(e.data, now)]

    def letter(self, ref: str) -> Letter:
        return self.letter_of(self.entry(ref).data)

    def letter_of(self, data: Mapping[str, Any]) -> Letter:
        """The letter asking the customer to evaluate the service (seed 002), rendered from its template."""
        from casefile.render import templates as templating

        case = self.catalog.case(str(data["case"])).data if data.get("case") else None
        policy = self.policy
        asked = [policy.question(key) for key in data.get("questions") or [q.key for q in policy.questions]]
        context = {
            "desk": self.session.policy.desk_name,
            "survey": data,
            "case": case,
            "customer": read_customer(self.session, str(data["customer"]) if data.get("customer") else None),
            "contact": data.get("contact") or {},
            "questions": asked,
            "scale": policy.scale,
            "times": {  # as text, to the minute, in the desk's zone
                key: minute(value, self.session.policy.zone)
                for key, value in (
                    ("issued", data.get("issued_at")),
                    ("expires", data.get("expires_at")),
                    ("opened", case.get("opened_at") if case else None),
                    ("closed", case.get("closed_at") if case else None),
                )
            },
        }
        text = templating.render(self.session.root, LETTER_TEMPLATE, context)
        first, __, rest = text.partition("\n")
        if not first.startswith("Subject:"):
            raise CasefileError(
                _("the first line of {LETTER_TEMPLATE} must be 'Subject: ...'").format(LETTER_TEMPLATE=LETTER_TEMPLATE), _("fix the template")
            )
        contact = data.get("contact") or {}
        return Letter(
            str(data["id"]),
            contact.get("email") or None,
            first.removeprefix("Subject:").strip(),
            rest.lstrip("\n"),
        )

    # -- issuing ---------------------------------------------------------------

    def issue_for_case(self, case_number: str) -> Done:
        """A survey for a closed case that has none open (sampled out, or asked for again)."""
        case = self.catalog.case(case_number)
        case_id = str(case.data["id"])
        if case.data.get("status") != Status.CLOSED:
            raise CasefileError(
                _("{case_id} is {get}, not closed; surveys are for closed cases").format(case_id=case_id, get=case.data.get('status')),
                _("a survey is issued by itself when the case closes"),
            )
        actor = self.session.actor

        def body(txn: Transaction) -> Done:
            record = open_committed(txn, case.path, CaseNotFound(case_id))
            doc = CaseDoc(record.data, record.body)
            for earlier in linked(doc.data, LinkRel.SURVEY):
                path = find_survey_file(self.session.root, earlier)
                if (
                    path
                    and effective_status(
                        read_record_file(self.session.root, self.session.root / path).data, self.session.now()
                    )
                    in OUTSTANDING
                ):
                    raise CasefileError(
                        _("{case_id} has an open survey already: {earlier}").format(case_id=case_id, earlier=earlier), _("casefile survey show {earlier}").format(earlier=earlier)
                    )
            when = self.session.now()
            issued = issue_on_close(self.session, txn, doc, when, force=True)
            assert issued.survey_id is not None
            txn.write(case.path, record.render())
            path = survey_path(issued.survey_id, when.astimezone(self.session.policy.zone))
            message = CommitMessage.for_record(SURVEYS, issued.survey_id, f"survey issued for {case_id}",
                                               "survey-issue", {"Casefile-Case": case_id})
            commit = txn.commit(message.text(), self.session.author(actor), when)
            return done(path, (self.session.root / path).read_text(encoding="utf-8"), message, commit)

        return self.session.mutate(body)

    def issue_for_customer(self, customer_id: str) -> Done:
        """A survey of a customer now: the scheduled one of this period if it is not issued yet, else a dated one."""
        customer = require_customer(self.session.root, customer_id)
        data_customer = read_customer(self.session, customer) or {}
        policy = self.policy
        now = self.session.now()
        today = now.date()
        ident, period, expires = customer_survey_id(customer, today.isoformat()), None, None
        if policy.schedule is not None:
            this = policy.schedule.period_of(today)
            if find_survey_file(self.session.root, customer_survey_id(customer, this.key)) is None:
                ident, period = customer_survey_id(customer, this.key), this.key
                expires = scheduled_span(policy, this, self.session.policy.zone)[1]
        if find_survey_file(self.session.root, ident) is not None:
            raise CasefileError(_("survey {ident} exists already").format(ident=ident), _("casefile survey show {ident}").format(ident=ident))
        data = survey_data(
            ident,
            SurveyKind.SCHEDULED,
            now,
            policy,
            self.session,
            contact_of({}, data_customer),
            expires,
            customer=customer,
            period=period,
        )
        result = self._commit_new_surveys(
            [(ident, now, data)], f"survey issued to {customer}", "survey-issue", {"Casefile-Customer": customer}
        )
        if result is None:
            raise CasefileError(_("survey {ident} exists already").format(ident=ident), _("casefile survey show {ident}").format(ident=ident))
        return result

    def schedule(self) -> Done | None:
        """Create the scheduled surveys due now (one commit), or None when every one exists."""
        new = self.scheduled_new(self.session.now())
        if not new:
            return None
        words = "scheduled survey" if len(new) == 1 else f"schedule {len(new)} surveys"
        return self._commit_new_surveys(new, words, "survey-schedule")

    def scheduled_new(self, now: datetime) -> list[tuple[str, datetime, dict[str, Any]]]:
        """(id, issued, front matter) of every scheduled survey due at `now` and not yet issued."""
        policy = self.policy
        customers = [e.data for e in self.catalog.records(CUSTOMERS_DIR, self._skip)]
        new = []
        for customer, period in scheduled_due(customers, [e.data for e in self.all()], policy, now):
            issued, expires = scheduled_span(policy, period, self.session.policy.zone)
            ident = customer_survey_id(customer, period.key)
            contact = contact_of({}, next(c for c in customers if c.get("id") == customer))
            data = survey_data(
                ident, SurveyKind.SCHEDULED, issued, policy, self.session, contact, expires,
                customer=customer, period=period.key,
            )
            new.append((ident, issued, data))
        return new

    def write_new(self, txn: Transaction, new: list[tuple[str, datetime, dict[str, Any]]]) -> list[tuple[str, str]]:
        """Write new surveys into `txn`; (path, text) of those not there already."""
        written = []
        for ident, issued, data in new:
            path = survey_path(ident, issued.astimezone(self.session.policy.zone))
            if txn.committed(path) is not None:
                continue  # another clone issued the same survey: the same file
            record = EditableRecord.new(path, data, "")
            self.session.validate(SURVEYS, record)
            text = record.render()
            txn.write(path, text)
            written.append((path, text))
        return written

    def _commit_new_surveys(
        self,
        new: list[tuple[str, datetime, dict[str, Any]]],
        words: str,
        action: str,
        trailers: Mapping[str, str] | None = None,
    ) -> Done | None:
        actor = self.session.actor

        def body(txn: Transaction) -> Done | None:
            written = self.write_new(txn, new)
            if not written:
                return None
            when = self.session.now()
            message = CommitMessage.for_records(SURVEYS, [ident for ident, _, _ in new], words, action,
                                                trailers=trailers or {})
            commit = txn.commit(message.text(), self.session.author(actor), when)
            return done(
                written[0][0], written[0][1], message, commit, tuple(f"survey {i} issued" for i, _, _ in new)
            )

        return self.session.mutate(body)

    # -- answers ---------------------------------------------------------------

    def record(self, ref: str, answers: Answers) -> Done:
        """Enter a survey's answers; a follow-up answer opens one complaint case in the same commit."""
        path = self.path_of(ref)
        policy = self.policy
        ratings = {policy.question(q).key: policy.answer(a).key for q, a in answers.ratings.items()}
        opinions = (answers.opinions or "").strip() or None
        if not ratings and not opinions:
            raise CasefileError(_("no answers given"), _("give ratings (--rate attitude=很满意) and/or --opinions"))

        def apply(edit: Edit) -> Change:
            data = edit.data
            self._refuse_answer(data, ratings, answers.late, edit.when)
            score = (
                round(sum(policy.answer(a).score for a in ratings.values()) / len(ratings), 2)
                if ratings
                else None
            )
            contact = data.get("contact") or {}
            fields: dict[str, Any] = {
                "status": str(SurveyStatus.ANSWERED),
                "answered_at": edit.at,
                "answered_by": answers.answered_by or contact.get("name"),
                "via": str(answers.via),
                "recorded_by": edit.by,
                "ratings": yamlio.new_map(ratings) if ratings else None,
                "score": score,
                "opinions": opinions,
            }
            for key, value in fields.items():
                if value is not None:
                    set_in_order(data, key, value, FIELD_ORDER)
            trailers = [("Casefile-Case", str(data["case"]))] if data.get("case") else []
            reasons = policy.needs_follow_up(ratings)
            notes: tuple[str, ...] = ()
            if reasons and not data.get("complaint"):
                from casefile.surveys.complaints import open_complaint  # opens a case: the case layer, when needed

                complaint = open_complaint(self.session, edit.txn, data, reasons, policy, edit.by, edit.when)
                set_in_order(data, "complaint", complaint, FIELD_ORDER)
                trailers.append(("Casefile-Complaint", complaint))
                notes = (f"opened complaint {complaint} ({', '.join(reasons)})",)
            words = f"score {score:g}" if score is not None else "opinions"
            return Change("survey-record", f"survey answered ({words})", tuple(trailers), notes, opinions)

        return self.session.change(SURVEYS, SURVEYS.id_of(path), apply, path=path, missing=SurveyNotFound(ref))

    def _refuse_answer(self, data: Any, ratings: Mapping[str, str], late: bool, now: datetime) -> None:
        ident = data.get("id")
        status = effective_status(data, now)
        if status is SurveyStatus.ANSWERED:
            raise CasefileError(
                _("survey {ident} was answered already on {get}").format(ident=ident, get=data.get('answered_at')),
                _("see it with: casefile survey show {ident}").format(ident=ident),
            )
        if status is SurveyStatus.EXPIRED and not late:
            raise CasefileError(
                _("survey {ident} expired on {get}").format(ident=ident, get=data.get('expires_at')), _("record a late answer with --late")
            )
        asked = data.get("questions") or []
        for question in ratings:
            if asked and question not in asked:
                raise CasefileError(
                    _("survey {ident} did not ask about {question!r}").format(ident=ident, question=question), _("it asked: {names}").format(names=', '.join(asked))
                )

    # -- for check ---------------------------------------------------------------

    def mark_sent(self, ref: str) -> Done:
        """Record that the survey letter was mailed (by `check`, or by hand)."""
        path = self.path_of(ref)

        def apply(edit: Edit) -> Change:
            self._mark_sent(edit.record, edit.when)
            return Change("survey-sent", "survey letter sent")

        return self.session.change(SURVEYS, SURVEYS.id_of(path), apply, path=path, missing=SurveyNotFound(ref))

    def mark_queued_in(self, txn: Transaction, path: str, now: datetime) -> tuple[str, str]:
        """Mark the survey at `path` queued for the mail at `now`, in `txn` (which may have just written it):
        (id, new text).  It is `sent` only once the mail server accepted the letter (`mark_sent_in`)."""
        record = self._in_txn(txn, path)
        status = effective_status(record.data, now)
        if status is not SurveyStatus.PENDING:
            raise CasefileError(_("survey {id} is {status}; only pending surveys are mailed").format(id=record.data['id'], status=status))
        set_in_order(record.data, "status", str(SurveyStatus.QUEUED), FIELD_ORDER)
        set_in_order(record.data, "queued_at", self.session.stamp(now), FIELD_ORDER)
        text = record.render()
        txn.write(path, text)
        return str(record.data["id"]), text

    def mark_sent_in(self, txn: Transaction, path: str, sent_at: datetime) -> tuple[str, str]:
        """Mark the survey at `path` sent at `sent_at` (when the mail server took it), in `txn`: (id, new text)."""
        record = self._in_txn(txn, path)
        self._mark_sent(record, sent_at)
        text = record.render()
        txn.write(path, text)
        return str(record.data["id"]), text

    def _in_txn(self, txn: Transaction, path: str) -> EditableRecord:
        written = txn.writes.get(path)
        return (
            EditableRecord.parse(written.decode("utf-8"), path)
            if written is not None
            else open_committed(txn, path, SurveyNotFound(path))
        )

    def _mark_sent(self, record: EditableRecord, now: datetime) -> None:
        status = effective_status(record.data, now)
        if status not in (SurveyStatus.PENDING, SurveyStatus.QUEUED):
            raise CasefileError(_("survey {id} is {status}; only pending or queued surveys are sent").format(id=record.data['id'], status=status))
        set_in_order(record.data, "status", str(SurveyStatus.SENT), FIELD_ORDER)
        set_in_order(record.data, "sent_at", self.session.stamp(now), FIELD_ORDER)

    def expire(self) -> Done | None:
        """Record every outstanding survey past its expiry as expired (one commit), or None."""
        now = self.session.now()
        due = [
            e
            for e in self.all()
            if e.data.get("status") in OUTSTANDING and effective_status(e.data, now) is SurveyStatus.EXPIRED
        ]
        if not due:
            return None
        actor = self.session.actor

        def body(txn: Transaction) -> Done | None:
            written = []
            for entry in due:
                record = open_committed(txn, entry.path, SurveyNotFound(str(entry.data["id"])))
                if record.data.get("status") not in OUTSTANDING:
                    continue
                set_in_order(record.data, "status", str(SurveyStatus.EXPIRED), FIELD_ORDER)
                text = record.render()
                txn.write(entry.path, text)
                written.append((entry.path, text, str(entry.data["id"])))
            if not written:
                return None
            ids = [w[2] for w in written]
            words = "survey expired" if len(ids) == 1 else f"{len(ids)} surveys expired"
            message = CommitMessage.for_records(SURVEYS, ids, words, "survey-expire")
            commit = txn.commit(message.text(), self.session.author(actor), now)
            return done(written[0][0], written[0][1], message, commit)

        return self.session.mutate(body)
