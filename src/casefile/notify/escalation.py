"""The mail an escalation sends (issue 14): the owner and the group, and the vendor's contacts.

`casefile escalate` names in its event whom it tells (`fields.notified`: the
owner and the group that follows the case up, or the role or person it went
to; for the vendor, `fields.vendor_contacts`).  This stages those mails in the
outbox inside the escalation's commit, exactly as the customer's mail is
staged (`notify/mails.py`): promoted by the commit, discarded when the change
does not commit, recovered by the next `check --notify` after a kill (the
event records `fields.key` and `fields.mailed_to`), sent at once when the
clone has SMTP settings.

* **The desk's people**: one mail to everyone named who has an e-mail address
  in people.yaml, except the person escalating (they know), in the desk's
  language — `templates/mail/escalated.<lang>.txt`.
* **The vendor**: one mail to the vendor's contacts that have an address, in
  the vendor's language (`lang:` in `vendors/ID.md`, else the desk's) —
  `templates/mail/vendor.<lang>.txt`.  It carries the case as the customer
  may see it (`cases.public.status_view`), the reason, the vendor's ticket and
  commitments, and the owner to call back — nothing else from the record.
Nobody is mailed at night's end: an escalation is urgent, and the mail goes now.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from email.utils import parseaddr
from typing import Any

from casefile.cases.model import CaseDoc
from casefile.cases.public import status_view
from casefile.mail.outbox import Message, Outbox
from casefile.mail.queued import MailQueued
from casefile.notify.mails import KEY_PREFIX, LANGS, Staged, render_mail
from casefile.notify.threading import message_id, root_id, tagged
from casefile.policy.sla import VENDOR_COMMITMENTS
from casefile.records import yamlio
from casefile.records.file import read_record_file
from casefile.records.transaction import Transaction
from casefile.render.cells import minute
from casefile.session import Session
from casefile.values import Struct
from casefile.worktime.clock import format_instant

KIND = "escalated"


class Letter(Struct, frozen=True):
    """One mail of an escalation: to whom, in which language, from which template."""

    template: str
    lang: str
    to: tuple[str, ...]


def vendor_addresses(contacts: Sequence[str]) -> list[str]:
    """The e-mail addresses among a vendor's contact lines (`Huawei TAC <tac@huawei.example>`); a contact
    reached by phone only has none."""
    found: list[str] = []
    for line in contacts:
        address = parseaddr(str(line))[1]
        if "@" in address and address.lower() not in {a.lower() for a in found}:
            found.append(address)
    return found


def _commitment(clock: str, target: str) -> dict[str, str]:
    found = VENDOR_COMMITMENTS.get(clock)
    return {"clock": found.label if found else clock, "clock_zh": found.label_zh if found else clock, "target": target}


class EscalationMail:
    """Stages one escalation's mails; `staged.ids` are promoted by its commit."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.outbox = Outbox(session.state_dir)
        self.staged = Staged()

    def tell(self, txn: Transaction, path: str, doc: CaseDoc, event: Any, by: str) -> list[str]:
        """Stage the mails about the escalation `event` (the newest in the case's log); notes for the terminal."""
        fields = event.get("fields") or {}
        policy = self.session.policy
        people = self.session.people
        notes: list[str] = []
        staff: list[str] = []
        for handle in fields.get("notified") or []:
            if handle == by or handle not in people.persons:
                continue
            email = people.get(handle).email
            if email and email.lower() not in {a.lower() for a in staff}:
                staff.append(email)
            elif not email:
                notes.append(f"not mailed: {handle} has no e-mail in people.yaml")
        vendor = str(fields.get("vendor") or "")
        vendor_to = vendor_addresses(fields.get("vendor_contacts") or [])
        if vendor and not vendor_to:
            notes.append(f"not mailed: vendor {vendor} has no contact with an e-mail address (vendors/{vendor}.md)")
        letters = []
        if staff:
            letters.append(Letter(KIND, policy.language if policy.language in LANGS else "zh", tuple(staff)))
        if vendor_to:
            letters.append(Letter("vendor", self._vendor_lang(vendor), tuple(vendor_to)))
        if not letters:
            return notes
        when = self.session.now()
        digest = hashlib.sha1(repr((doc.id, KIND, event.get("at"), event.get("text"))).encode("utf-8")).hexdigest()[:10]
        key = f"{KEY_PREFIX}{doc.id}/{KIND}/{digest}"
        context = self._context(doc, event, fields)
        for letter in letters:
            subject, body = render_mail(self.session, letter.template, letter.lang, {**context, "lang": letter.lang})
            local = f"{doc.id}.{letter.template}.{digest}"
            headers = (("Message-ID", message_id(local)), ("References", root_id(doc.id)),
                       ("Auto-Submitted", "auto-generated"), ("X-Casefile-Case", doc.id))
            message = Message(id=local, to=letter.to, subject=tagged(subject, doc.id), body=body,
                              alerts=((path, key),), created_at=format_instant(when, policy.zone), headers=headers)
            self.outbox.stage(message)
            self.staged.ids.append(message.id)
        if event.get("fields") is None:
            event["fields"] = yamlio.new_map({})
        event["fields"]["key"] = key
        event["fields"]["mailed_to"] = [address for letter in letters for address in letter.to]
        ids = list(self.staged.ids)
        txn.on_commit.append(lambda: self.outbox.promote(ids))
        return [MailQueued(a for letter in letters for a in letter.to), *notes]

    def discard(self) -> None:
        """The change did not commit: its staged mail goes too."""
        self.outbox.discard(self.staged.ids)

    # -- pieces --------------------------------------------------------------

    def _context(self, doc: CaseDoc, event: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
        policy = self.session.policy
        level = policy.levels.get(doc.level)
        owner_handle = str(doc.get("assignee") or "")
        owner = self.session.people.get(owner_handle) if owner_handle in self.session.people.persons else None
        commitments = fields.get("commitments") or {}
        return {
            "desk": policy.desk_name,
            "case": status_view(doc.data, (level.name, level.name_zh) if level else None),
            "event": {"text": str(event.get("text") or "").strip(), "at": minute(event.get("at"), policy.zone),
                      "by": str(event.get("by") or "")},
            "tier": str(doc.get("tier") or ""),
            "role": str(fields.get("role") or ""),
            "owner": {"handle": owner_handle, "name": owner.name if owner else owner_handle,
                      "email": owner.email if owner else ""},
            "vendor": {"id": str(fields.get("vendor") or ""), "ticket": str(fields.get("ticket") or "")},
            "commitments": [_commitment(str(clock), str(target)) for clock, target in commitments.items()],
        }

    def _vendor_lang(self, vendor: str) -> str:
        from casefile.vendors.model import vendor_path

        path = self.session.root / vendor_path(vendor)
        if path.is_file():
            lang = str(read_record_file(self.session.root, path).data.get("lang") or "")
            if lang in LANGS:
                return lang
        return self.session.policy.language if self.session.policy.language in LANGS else "zh"
