"""The mails a change of a case sends its customer: open, reply, progress, restore, close — and the
answers `intake` gives (a case's status, a refused attachment).

Each mail goes through the outbox like `check`'s alerts: it is staged (`.pending`) inside the
change, before its commit, and promoted by the commit; the event it is about records it
(`fields.key: mail/...`, and `fields.mailed_to`), so a run that died between the two is
resolved by the next `check --notify` (promoted if the event is committed, removed if not).
So a customer mail is never lost and never sent twice (the outbox's one documented exception
aside), it is retried until the server takes it, and `check` reports it.

Who gets it: the case's caller, and the customer's contacts whose role the policy names for the
level (`notify.contacts`); nobody for a customer that opted out, for a case still to be triaged
(a stranger's mail: nobody verified who wrote), or for an event the level does not notify
(`notify.events`).  In the contact's language (`lang:` of the customer's contact, else the
customer's, else the desk's), from `templates/mail/<kind>.<lang>.txt`, rendered in the sandbox.
Nothing internal is in the context the templates get: only `cases.public`'s view of the case.
A customer whose coverage is a business-hours calendar gets no mail outside those hours unless
`notify.night` says so: the mail waits in the outbox until the next opening.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.cases.model import CaseDoc
from casefile.cases.public import status_view
from casefile.i18n import _, stored_text
from casefile.mail.outbox import Message, Outbox
from casefile.mail.queued import MailQueued
from casefile.notify.threading import message_id, root_id, tagged
from casefile.records import yamlio
from casefile.records.fieldorder import set_in_order
from casefile.records.file import EditableRecord, read_record_file
from casefile.records.kinds import CUSTOMERS
from casefile.records.transaction import Transaction
from casefile.render.cells import minute
from casefile.session import Session
from casefile.values import Struct, field
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.clock import format_instant

TRIAGE = "triage"  # the category of a case opened from a stranger's mail
KEY_PREFIX = "mail/"
LANGS = ("zh", "en")
ASKED = frozenset({"reply", "progress", "report"})  # mail a person asked for: say when it is not sent


class Recipient(Struct, frozen=True):
    name: str
    email: str
    lang: str


class Commitment(Struct, frozen=True):
    """One service commitment of a new case, in words: 'on site by 02:30'."""

    label: str
    label_zh: str
    due_at: datetime


class Staged(Struct):
    """The mails one change staged (their outbox ids) and what to tell the person at the terminal."""

    ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def customer_of(session: Session, customer: str | None) -> Mapping[str, Any] | None:
    if not customer:
        return None
    path = CUSTOMERS.find(session.root, customer)
    if path is None:
        return None
    return read_record_file(session.root, session.root / path).data


def _contacts(customer: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    if not customer:
        return []
    return [c for c in customer.get("contacts") or [] if isinstance(c, Mapping)]


def language_of(contact: Mapping[str, Any] | None, customer: Mapping[str, Any] | None, desk: str) -> str:
    for source in (contact, customer):
        lang = str((source or {}).get("lang") or (source or {}).get("language") or "")
        if lang in LANGS:
            return lang
    return desk if desk in LANGS else "zh"


def recipients(doc: CaseDoc, customer: Mapping[str, Any] | None, roles: Sequence[str], desk_lang: str) -> list[Recipient]:
    """The caller, then the contacts with one of `roles`; each address once."""
    found: list[Recipient] = []
    contacts = _contacts(customer)

    def add(name: str, email: str) -> None:
        email = email.strip()
        if not email or "@" not in email or any(r.email.lower() == email.lower() for r in found):
            return
        contact = next((c for c in contacts if str(c.get("email") or "").lower() == email.lower()), None)
        found.append(Recipient(name.strip(), email, language_of(contact, customer, desk_lang)))

    caller = doc.get("caller") or {}
    if isinstance(caller, Mapping):
        add(str(caller.get("name") or ""), str(caller.get("email") or ""))
    for contact in contacts:
        if str(contact.get("role") or "") in roles:
            add(str(contact.get("name") or ""), str(contact.get("email") or ""))
    return found


def _has_nights(calendar: WorkCalendar) -> bool:
    """A business-hours calendar (5x8): its working days end before midnight. A 5x24 customer's
    working days are whole: mail on their holiday is not mail at night."""
    return sum(opening.end - opening.start for opening in calendar.workday_hours) < 24 * 60


def render_mail(session: Session, kind: str, lang: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of `templates/mail/<kind>.<lang>.txt`, rendered in the sandbox; its first line is the subject."""
    from casefile.render import templates as templating

    name = f"mail/{kind}.{lang}.txt"
    text = templating.render(session.root, name, context, session.policy.zone)
    first, __, rest = text.partition("\n")
    if not first.startswith("Subject:"):
        raise templating.TemplateFailed(_("the first line of {name} must be 'Subject: ...'").format(name=name))
    return first.removeprefix("Subject:").strip(), rest.lstrip("\n")


class CustomerMail:
    """Stages the customer's mail of one change; `staged.ids` are promoted by its commit."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.outbox = Outbox(session.state_dir)
        self.staged = Staged()

    # -- what a change tells -------------------------------------------------

    def tell(
        self,
        txn: Transaction,
        path: str,
        doc: CaseDoc,
        event: Any,
        kind: str,
        *,
        commitments: Sequence[Commitment] = (),
        survey_path: str | None = None,
        answers: str | None = None,
        extra: Mapping[str, Any] | None = None,
        to: Sequence[Recipient] | None = None,
    ) -> list[str]:
        """Stage the mail of `kind` about `event` (a mapping in the case's log) to the case's
        customer (or to `to`: the sender a status answer or a refusal goes to), if the policy
        says so; `answers` is the Message-ID of the customer's mail it answers. The notes for
        the terminal."""
        policy = self.session.policy
        customer_id = str(doc.get("customer") or "") or None
        event_name = "reply" if kind == "report" else kind  # the incident report is a reply, policy-wise
        if kind not in ("status", "refused") and not policy.notify.notifies(doc.level, event_name, customer_id):
            if kind in ASKED:
                return [f"not mailed: the policy does not mail {kind} on level {doc.level} cases"
                        + (f" of {customer_id}" if customer_id else "")]
            return []
        if doc.get("category") == TRIAGE and to is None:
            return ["not mailed: the case waits for triage (the sender is not a known contact)"]
        customer = customer_of(self.session, customer_id)
        people = list(to) if to is not None else \
            recipients(doc, customer, policy.notify.copied_roles(doc.level), policy.language)
        if not people:
            return ["not mailed: the caller has no e-mail address"] if kind in ASKED else []
        when = self.session.now()
        held = None if answers else self._held_until(customer, when)  # an answer to their mail goes now
        survey = self._survey(txn, survey_path, when, people[0]) if survey_path else None
        digest = hashlib.sha1(repr((doc.id, kind, event.get("at"), event.get("text") or event.get("text_values"))).encode("utf-8")).hexdigest()[:10]
        key = f"{KEY_PREFIX}{doc.id}/{kind}/{digest}"
        view = status_view(doc.data, self._level_words(doc.level))
        by_lang: dict[str, list[Recipient]] = {}
        for person in people:
            by_lang.setdefault(person.lang, []).append(person)
        for lang, group in by_lang.items():
            local = doc.id if kind == "opened" else f"{doc.id}.{kind}.{digest}"
            context = {
                "desk": policy.desk_name,
                "lang": lang,
                "case": view,
                "contact": {"name": group[0].name} if len(group) == 1 else {"name": ""},
                "event": {"kind": kind, "text": stored_text(event, lang).strip(),
                          "at": minute(event.get("at"), policy.zone)},
                "commitments": [{"label": c.label, "label_zh": c.label_zh, "due": minute(c.due_at, policy.zone)}
                                for c in commitments],
                "survey": survey,
                "held": minute(held, policy.zone) if held else None,
                **(extra or {}),
            }
            subject, body = self._render(kind, lang, context)
            headers = self._headers(doc, kind, local, answers)
            ident = local if len(by_lang) == 1 else f"{local}.{lang}"
            if survey is not None and people[0] in group:
                ident = f"survey-{survey['id']}"  # check confirms the survey sent when this one is accepted
            message = Message(
                id=ident,
                to=tuple(p.email for p in group),
                subject=tagged(subject, doc.id),
                body=body,
                alerts=((path, key),),
                created_at=format_instant(when, policy.zone),
                headers=headers,
                not_before=format_instant(held, policy.zone) if held else None,
            )
            self.outbox.stage(message)
            self.staged.ids.append(message.id)
        fields = event.get("fields")
        if fields is None:
            event["fields"] = yamlio.new_map({})
            fields = event["fields"]
        fields["key"] = key
        fields["mailed_to"] = [p.email for p in people]
        if held:
            fields["mail_held_until"] = format_instant(held, policy.zone)
        if survey is not None:
            fields["survey_sent"] = survey["id"]
        ids = list(self.staged.ids)
        txn.on_commit.append(lambda: self.outbox.promote(ids))
        return [MailQueued((p.email for p in people), minute(held, policy.zone) if held else None)]

    def discard(self) -> None:
        """The change did not commit: its staged mail goes too."""
        self.outbox.discard(self.staged.ids)

    # -- pieces --------------------------------------------------------------

    def _level_words(self, level: str) -> tuple[str, str] | None:
        found = self.session.policy.levels.get(level)
        return (found.name, found.name_zh) if found else None

    def _render(self, kind: str, lang: str, context: Mapping[str, Any]) -> tuple[str, str]:
        return render_mail(self.session, kind, lang, context)

    def _headers(self, doc: CaseDoc, kind: str, local: str, answers: str | None) -> tuple[tuple[str, str], ...]:
        root = root_id(doc.id)
        first = self._first_mail_id(doc)
        headers = [("Message-ID", message_id(local))]
        if kind != "opened" or first or answers:
            replying_to = answers or (root if kind != "opened" else first)
            references = [ref for ref in (first, root if kind != "opened" else None, answers) if ref]
            headers.append(("In-Reply-To", str(replying_to)))
            headers.append(("References", " ".join(dict.fromkeys(references))))
        headers.append(("Auto-Submitted", "auto-replied" if answers else "auto-generated"))
        headers.append(("X-Casefile-Case", doc.id))
        return tuple(headers)

    @staticmethod
    def _first_mail_id(doc: CaseDoc) -> str | None:
        """The Message-ID of the customer's mail the case was opened from, if it was."""
        for event in doc.events:
            fields = event.get("fields") if isinstance(event.get("fields"), Mapping) else None
            if fields and fields.get("message_id"):
                return str(fields["message_id"])
        return None

    def _held_until(self, customer: Mapping[str, Any] | None, when: datetime) -> datetime | None:
        policy = self.session.policy
        if policy.notify.night or not customer or not customer.get("coverage"):
            return None
        calendar = policy.calendars.get(str(customer["coverage"]))
        if calendar is None or calendar.always or not _has_nights(calendar) or calendar.is_open(when):
            return None
        return calendar.next_opening(when)

    def _survey(self, txn: Transaction, path: str, when: datetime, to: Recipient) -> dict[str, Any] | None:
        """The survey issued with this close, as the confirmation letter shows it, marked queued —
        when it is due now and asks the person mailed (else `check` mails it when due)."""
        from casefile.surveys.model import FIELD_ORDER, SurveyStatus, to_send

        written = txn.writes.get(path)
        if written is None:
            return None
        record = EditableRecord.parse(written.decode("utf-8"), path)
        data = record.data
        contact = data.get("contact") or {}
        if not to_send(data, when) or str(contact.get("email") or "").lower() != to.email.lower():
            return None
        # Queued with this letter; `check` marks it sent once the mail server took the letter
        # (the outbox message is `survey-<id>`, as for the letters check mails itself).
        set_in_order(data, "status", str(SurveyStatus.QUEUED), FIELD_ORDER)
        set_in_order(data, "queued_at", self.session.stamp(when), FIELD_ORDER)
        txn.write(path, record.render())
        surveys = self.session.policy.surveys
        asked = [surveys.question(key) for key in data.get("questions") or [q.key for q in surveys.questions]]
        return {
            "id": str(data["id"]),
            "questions": [{"label": q.label, "label_zh": q.label_zh} for q in asked],
            "scale": [{"label": a.label, "label_zh": a.label_zh} for a in surveys.scale],
            "expires": minute(data.get("expires_at"), self.session.policy.zone) if data.get("expires_at") else None,
        }
