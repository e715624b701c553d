"""The notice of a coming change (变更通知) to an affected customer's contacts: the service-desk KPI
"users told of coming changes".

`check` tells each customer a change names (`customers:`) `changes.notice_days` before its window,
once the change is approved: the mail is staged in the outbox inside the run's commit (sent by that
run with `--notify`, else by the next `check --notify`), and the change records it — an event
`kind: notice` with `fields.key: notice/<customer>@<window start>`, so it goes once across every
clone, and again when the window moves.  A customer without a contact's e-mail address (or one that
opted out of mail) gets a letter to print instead: `casefile rfc notice CHANGE --customer ID`.

What the customer reads is built from an allow-list (`notice_view`): the change's number, title,
window and the customer's own affected devices — never its plan, backout, risk, review or reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.mail.outbox import Message
from casefile.notify.mails import language_of, render_mail
from casefile.notify.threading import message_id
from casefile.render.cells import minute
from casefile.session import Session
from casefile.values import Struct
from casefile.worktime.clock import format_instant, parse_stored

NOTICE = "notice"  # the event kind
NOTICE_FIELDS = ("id", "title", "start", "end", "devices")  # what a customer is shown of a change


def notice_key(customer: str, start: str) -> str:
    return f"notice/{customer}@{start}"


class NoticeTo(Struct, frozen=True):
    name: str
    email: str
    lang: str


def notice_view(change: Mapping[str, Any], customer: Mapping[str, Any]) -> dict[str, Any]:
    """The allow-listed fields of a change an affected customer is shown."""
    found = change.get("window")
    window: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    serials = [str(s) for s in change.get("assets") or []]
    devices = [{"serial": str(a.get("serial")), "model": str(a.get("model") or ""),
                "location": str(a.get("location") or "")}
               for a in customer.get("assets") or [] if isinstance(a, Mapping) and str(a.get("serial")) in serials]
    return {"id": str(change.get("id")), "title": str(change.get("title") or ""),
            "start": str(window.get("start") or ""), "end": str(window.get("end") or ""), "devices": devices}


def notice_recipients(customer: Mapping[str, Any], desk_lang: str) -> list[NoticeTo]:
    """Every contact of the customer with an e-mail address, each address once."""
    found: list[NoticeTo] = []
    for contact in customer.get("contacts") or []:
        if not isinstance(contact, Mapping):
            continue
        email = str(contact.get("email") or "").strip()
        if "@" in email and all(r.email.lower() != email.lower() for r in found):
            found.append(NoticeTo(str(contact.get("name") or ""), email, language_of(contact, customer, desk_lang)))
    return found


def render_notice(session: Session, change: Mapping[str, Any], customer: Mapping[str, Any], lang: str,
                  contact_name: str) -> tuple[str, str]:
    """(subject, body) of the notice in `lang`, from `templates/mail/change-notice.<lang>.txt` (sandboxed)."""
    policy = session.policy
    view = notice_view(change, customer)
    context = {
        "desk": policy.desk_name, "lang": lang, "contact": {"name": contact_name},
        "customer": {"name": str(customer.get("name") or customer.get("id") or "")},
        "change": {**view, "start": minute(view["start"], policy.zone), "end": minute(view["end"], policy.zone)},
    }
    return render_mail(session, "change-notice", lang, context)


def notice_messages(session: Session, path: str, change: Mapping[str, Any], customer: Mapping[str, Any],
                    people: Sequence[NoticeTo], key: str, when: datetime) -> list[Message]:
    """One message per language of the customer's contacts, each naming the change's record and key."""
    ident = str(change.get("id"))
    digest = hashlib.sha1(repr((ident, key)).encode("utf-8")).hexdigest()[:10]
    by_lang: dict[str, list[NoticeTo]] = {}
    for person in people:
        by_lang.setdefault(person.lang, []).append(person)
    messages = []
    for lang, group in by_lang.items():
        local = f"{ident}.notice.{customer.get('id')}.{digest}" + (f".{lang}" if len(by_lang) > 1 else "")
        subject, body = render_notice(session, change, customer, lang, group[0].name if len(group) == 1 else "")
        tag = f"[{ident}]"
        messages.append(Message(
            id=local, to=tuple(p.email for p in group), subject=subject if tag in subject else f"{tag} {subject}",
            body=body, alerts=((path, key),), created_at=format_instant(when, session.policy.zone),
            headers=(("Message-ID", message_id(local)), ("Auto-Submitted", "auto-generated"),
                     ("X-Casefile-Change", ident)),
        ))
    return messages


def days_ahead(notice_at: str, start: str) -> float | None:
    """How many days before the window's start a notice went (negative: after it started)."""
    try:
        return (parse_stored(start) - parse_stored(notice_at)).total_seconds() / 86400
    except (TypeError, ValueError):
        return None
