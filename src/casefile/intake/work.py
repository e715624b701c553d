"""Taking in one message: what it is, and the one commit it makes (or none).

In order (RT's mail gateway and Znuny's PostMaster are the models):

1. A machine's mail — auto-reply, bounce, mailing list (`mail.incoming`) — and our own mail
   coming back (a Message-ID of ours, or the desk's own address) are ignored: they never open a
   case and are never answered, so two robots cannot mail each other for ever.
2. A message whose Message-ID a case already records was taken before (delivered twice, or
   polled again after a crash between the commit and marking it read): taken once.
3. A subject that is only a case number (`KMT-00417`, `查询 KMT-00417`, `status KMT-00417`) from
   the case's caller or a contact of its customer is a status query: the customer-visible
   status goes back to the sender, and the case records that it was asked.  Anyone else gets
   nothing.
4. A reply — In-Reply-To or References naming one of our mails, or the case number in the
   subject of a mail from the case's people — becomes a customer-visible entry on its case.
   A resolved case is reopened when the reply comes within `intake.reopen_days` of the
   restore; a case waiting for the customer resumes; a closed case gets a new case that
   names it.
5. Anything else opens a case: from a customer's contact with that customer and caller, the
   level and category from `intake.rules` (default the intake level), mailed its case
   number; from a stranger marked for triage (category `triage`) and not answered — nobody
   verified who wrote (seed 002).

Attachments are kept with the case (`attachments/<case>/<name>`, named as `cases.attachments` names
them) up to the smaller of `intake.max_attachment` and `attachments.max_size`; a larger one is
refused, and the sender told so.  They are the case's files (`show` lists them), never public.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from casefile.cases.model import CaseDoc, Channel, EventKind, Status, Visibility, WaitingOn
from casefile.cases.work import CaseWork, NewCase
from casefile.errors import CasefileError
from casefile.index.catalog import RecordView
from casefile.mail.incoming import Attachment, Incoming, parse_message
from casefile.notify.mails import TRIAGE, CustomerMail, Recipient, language_of
from casefile.notify.threading import case_in_subject, cases_referenced, is_ours
from casefile.policy.people import Person
from casefile.records.change import Change
from casefile.records.kinds import CASES, CUSTOMERS
from casefile.records.numbers import BadCaseNumber, CaseNotFound, parse_case_number
from casefile.session import Edit, Session
from casefile.values import Struct, field
from casefile.worktime.clock import parse_stored
from casefile.i18n import N_, _
from casefile.said import Said

SYSTEM = Person("intake", "casefile intake", "intake@casefile.invalid")
ATTACHMENTS = "attachments"
STATUS_SUBJECT = re.compile(
    r"^\s*(?:(?:re|aw|回复|答复|fw|fwd|转发)\s*[:：]\s*)*(?:查询|状态|进度|status|query|stand)?\s*[:：]?\s*"
    r"\[?([A-Za-z]{3}-\d{5})\]?\s*(?:查询|状态|进度|status)?\s*[?？]?\s*$", re.IGNORECASE)
MESSAGE_IDS = RecordView("mail-ids/1", lambda data, _body: {"ids": _message_ids(data)})
TITLE_LIMIT = 120


def _message_ids(data: Mapping[str, Any]) -> list[str]:
    found = []
    for event in data.get("events") or []:
        fields = event.get("fields") if isinstance(event, Mapping) else None
        if isinstance(fields, Mapping) and fields.get("message_id"):
            found.append(str(fields["message_id"]))
    return found


class Taken(Struct, frozen=True):
    """What became of one message."""

    message_id: str
    action: str  # opened, triage, entry, reopened, status, ignored, duplicate
    case: str | None = None
    reason: str = ""
    notes: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        words = {
            "opened": f"opened {self.case}",
            "triage": f"opened {self.case} for triage (unknown sender)",
            "entry": f"added to {self.case}",
            "reopened": f"reopened {self.case}",
            "status": f"answered the status of {self.case}",
            "ignored": "ignored",
            "duplicate": f"taken before{f' ({self.case})' if self.case else ''}",
        }[self.action]
        return f"{self.message_id}: {words}" + (f" — {self.reason}" if self.reason else "")

    def as_json(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "action": self.action, "case": self.case, "reason": self.reason,
                "notes": list(self.notes)}


class Contact(Struct, frozen=True):
    customer: str
    name: str
    email: str
    phone: str
    company: str
    lang: str


class _Kept(Struct):
    paths: list[str] = field(default_factory=list)
    refused: list[Attachment] = field(default_factory=list)


class Intake:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.cases = CaseWork(session)
        self.policy = session.policy.mail_intake

    # -- one message -----------------------------------------------------------

    def take(self, raw: bytes) -> Taken:
        mail = parse_message(raw)
        if mail.automatic:
            return Taken(mail.message_id, "ignored", reason=f"written by a machine: {mail.automatic}")
        if is_ours(mail.message_id) or (self.policy.address and mail.sender == self.policy.address):
            return Taken(mail.message_id, "ignored", reason="our own mail came back (a loop)")
        if not mail.sender or "@" not in mail.sender:
            return Taken(mail.message_id, "ignored", reason="no sender address")
        earlier = self.taken_by(mail.message_id)
        if earlier is not None:
            return Taken(mail.message_id, "duplicate", earlier)
        contact = self.contact(mail.sender)
        asked = STATUS_SUBJECT.match(mail.subject)
        if asked and not mail.in_reply_to:
            return self._status(mail, asked.group(1).upper(), contact)
        case = self._thread(mail, contact)
        if case is not None:
            return self._reply(mail, case, contact)
        return self._open(mail, contact)

    def taken_by(self, message_id: str) -> str | None:
        """The case that records `message_id`, if one does."""
        rows = self.session.catalog.rows(CASES.folder, MESSAGE_IDS, lambda _error: None, contains=(message_id,))
        for path, row in rows:
            if message_id in row.get("ids", []):
                return CASES.id_of(path)
        return None

    def contact(self, address: str) -> Contact | None:
        """The customer contact with this e-mail address, if there is one."""
        for entry in self.session.catalog.records(CUSTOMERS.folder, lambda _error: None):
            customer = entry.data
            for person in customer.get("contacts") or []:
                if isinstance(person, Mapping) and str(person.get("email") or "").strip().lower() == address:
                    return Contact(CUSTOMERS.id_of(entry.path), str(person.get("name") or ""), address,
                                   str(person.get("phone") or ""), str(customer.get("name") or ""),
                                   language_of(person, customer, self.session.policy.language))
        return None

    # -- status by mail --------------------------------------------------------

    def _status(self, mail: Incoming, case_id: str, contact: Contact | None) -> Taken:
        try:
            entry = self.cases.entry(case_id)
        except (CaseNotFound, BadCaseNumber):
            return Taken(mail.message_id, "ignored", reason=f"a status query for {case_id}, which is not a case here")
        if not self._may_see(entry.data, mail.sender, contact):
            return Taken(mail.message_id, "ignored", reason=f"a status query for {case_id} from someone not its customer's")
        to = Recipient(contact.name if contact else mail.sender_name, mail.sender,
                       contact.lang if contact else self.session.policy.language)
        mailer = CustomerMail(self.session)

        def asked(doc: CaseDoc, at: str, by: str) -> Change:
            doc.add_event(at, by, EventKind.STATUS_ASKED, None, self._fields(mail), Visibility.INTERNAL)
            return Change("intake", f"status asked by mail by {mail.sender}")

        def answer(edit: Edit, doc: CaseDoc) -> Change:
            return Change("", "", notes=tuple(self.cases.tell_in(mailer, edit, doc, "status", to=[to],
                                                                  answers=mail.message_id)))

        done = self.cases.update(case_id, asked, also=answer, mail=mailer)
        return Taken(mail.message_id, "status", case_id, notes=done.notes)

    @staticmethod
    def _may_see(data: Mapping[str, Any], sender: str, contact: Contact | None) -> bool:
        caller = data.get("caller") if isinstance(data.get("caller"), Mapping) else {}
        if str((caller or {}).get("email") or "").strip().lower() == sender:
            return True
        return contact is not None and bool(data.get("customer")) and contact.customer == data.get("customer")

    # -- replies ---------------------------------------------------------------

    def _thread(self, mail: Incoming, contact: Contact | None) -> str | None:
        """The case a reply belongs to: named by our Message-IDs it answers, or by the subject."""
        for case_id in cases_referenced(mail.in_reply_to, mail.references):
            if self._exists(case_id):
                return case_id
        named = case_in_subject(mail.subject)
        if named and self._exists(named):
            if self._may_see(self.cases.entry(named).data, mail.sender, contact):
                return named
        return None

    def _exists(self, case_id: str) -> bool:
        try:
            self.cases.entry(parse_case_number(case_id))
        except (CaseNotFound, BadCaseNumber):
            return False
        return True

    def _reply(self, mail: Incoming, case_id: str, contact: Contact | None) -> Taken:
        from casefile.cases import ops

        entry = self.cases.entry(case_id)
        status = str(entry.data.get("status"))
        if status == Status.CLOSED:
            return self._open(mail, contact, follows=case_id)
        resolved_at = entry.data.get("resolved_at")
        window = timedelta(days=self.policy.reopen_days)
        staff = self.session.people.by_email(mail.sender)  # a desk member answering in the thread: internal
        reopen = staff is None and status == Status.RESOLVED and bool(resolved_at) and \
            self.session.now() <= parse_stored(str(resolved_at)) + window
        mailer = CustomerMail(self.session)
        kept = _Kept()

        def step(doc: CaseDoc, at: str, by: str) -> Change:
            words = f"mail from {mail.sender}"
            if reopen:
                ops.reopen(doc, at, by, f"The customer replied by mail within {self.policy.reopen_days} days "
                                         "of the restore")
                words += ", reopened"
            elif staff is None and doc.status is Status.PENDING and \
                    (doc.open_pause() or {}).get("waiting_on") == WaitingOn.CUSTOMER:
                ops.resume(doc, at, by, "The customer replied by mail")
                words += ", resumed"
            return Change("intake", words)

        def entry_and_files(edit: Edit, doc: CaseDoc) -> Change:
            self._keep(edit, doc.id, mail, kept)
            self._entry(doc, edit.at, mail, kept, staff.handle if staff else None)
            return Change("", "", notes=tuple(self._refusal(mailer, edit, doc, mail, contact, kept)))

        done = self.cases.update(case_id, step, mail.text or None, also=entry_and_files, mail=mailer)
        return Taken(mail.message_id, "reopened" if reopen else "entry", case_id, notes=done.notes)

    # -- new cases -------------------------------------------------------------

    def _open(self, mail: Incoming, contact: Contact | None, follows: str | None = None) -> Taken:
        subject = mail.subject.strip() or (mail.text.strip().splitlines() or ["(no subject)"])[0]
        customer = contact.customer if contact else None
        level, category = self.policy.classify(subject, mail.text, customer)
        description = mail.text
        if follows:
            description = f"Follow-up by mail to {follows}, which is closed.\n\n{description}".strip()
        caller = {"name": (contact.name if contact else "") or mail.sender_name, "email": mail.sender,
                  "phone": contact.phone if contact else None, "company": contact.company if contact else None}
        new = NewCase(
            title=subject[:TITLE_LIMIT], level=level, channel=Channel.EMAIL,
            category=category if contact else TRIAGE, customer=customer, caller=caller, description=description,
            notify=contact is not None, event_fields=self._fields(mail),
        )
        kept = _Kept()

        def files(edit: Edit, doc: CaseDoc, mailer: CustomerMail) -> Change:
            self._keep(edit, doc.id, mail, kept)
            if kept.paths:
                doc.data["events"][0]["fields"]["attachments"] = kept.paths
            notes = self._refusal(mailer, edit, doc, mail, contact, kept)
            return Change("", "", notes=tuple(notes))

        done = self.cases.open(new, also=files)
        case_id = str(done.entry.data["id"])
        return Taken(mail.message_id, "opened" if contact else "triage", case_id, notes=done.notes)

    # -- pieces ----------------------------------------------------------------

    @staticmethod
    def _fields(mail: Incoming) -> dict[str, Any]:
        fields: dict[str, Any] = {"message_id": mail.message_id, "from": mail.from_line}
        if mail.subject:
            fields["subject"] = mail.subject
        return fields

    def _entry(self, doc: CaseDoc, at: str, mail: Incoming, kept: _Kept, staff: str | None = None) -> None:
        """The customer's mail as a customer-visible entry; a desk member's (copied to the desk) as a note."""
        fields = self._fields(mail)
        if kept.paths:
            fields["attachments"] = kept.paths
        if staff is not None:
            doc.add_event(at, staff, EventKind.MAIL, mail.text or Said.of(N_("(no text)")), fields, Visibility.INTERNAL)
            return
        doc.add_event(at, SYSTEM.handle, EventKind.MAIL, mail.text or Said.of(N_("(no text)")), fields,
                      Visibility.CUSTOMER)

    def _keep(self, edit: Edit, case_id: str, mail: Incoming, kept: _Kept) -> None:
        """Write the attachments that fit under the limit beside the case, in the same commit."""
        limit = self.attachment_limit
        for attachment in mail.attachments:
            if len(attachment.data) > limit:
                kept.refused.append(attachment)
                continue
            from casefile.cases.attachment_work import store_file

            path = self._free_path(edit, case_id, attachment.name)
            store_file(edit, path, attachment.data)  # through Git LFS when the repository keeps attachments there
            kept.paths.append(path)

    def _free_path(self, edit: Edit, case_id: str, name: str) -> str:
        """`attachments/<case>/<safe name>` (`cases.attachments`: the same names `casefile attach` writes)."""
        from casefile.cases.attachments import free_path

        return free_path(case_id, name, lambda path: path in edit.txn.writes or (self.session.root / path).exists())

    @property
    def attachment_limit(self) -> int:
        """The smaller of `intake.max_attachment` and `attachments.max_size`: what validate and the hooks accept."""
        return min(self.policy.max_attachment, self.session.policy.attachments.max_size)

    def _refusal(self, mailer: CustomerMail, edit: Edit, doc: CaseDoc, mail: Incoming, contact: Contact | None,
                 kept: _Kept) -> list[str]:
        """Record the refused attachments and tell a known sender (a stranger is not answered)."""
        if not kept.refused:
            return []
        limit = _size(self.attachment_limit)
        refused = [{"name": a.name, "size": _size(len(a.data))} for a in kept.refused]
        doc.add_event(edit.at, SYSTEM.handle, EventKind.ATTACHMENT_REFUSED,
                      Said.of(N_("Not kept, larger than {limit}: {files}"), limit=limit,
                              files=", ".join(f"{a['name']} ({a['size']})" for a in refused)),
                      {"message_id_refused": mail.message_id}, Visibility.INTERNAL)
        notes = [f"refused {len(refused)} attachment(s) over {limit}"]
        if contact is None and not self._may_see(doc.data, mail.sender, None):
            return notes
        to = Recipient(contact.name if contact else mail.sender_name, mail.sender,
                       contact.lang if contact else self.session.policy.language)
        return notes + self.cases.tell_in(mailer, edit, doc, "refused", to=[to], answers=mail.message_id,
                                          extra={"refused": refused, "limit": limit})


def _size(count: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= factor:
            value = count / factor
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else f"{value:.1f} {unit}"
    return f"{count} B"
