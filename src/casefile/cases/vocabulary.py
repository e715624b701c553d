"""The words of a case: statuses, types, channels, tiers, kinds of activity.

Import-free but for the standard library and `casefile.i18n` (as light), so the
command line builds its choices (`--tier L1|L2|L3|vendor`) without loading the
YAML or the index.  The words of the codes on a terminal are at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from casefile.i18n import N_, _, translate


class Status(StrEnum):
    OPEN = "open"
    PENDING = "pending"  # waiting for the customer or a vendor: clocks pause
    RESOLVED = "resolved"  # service restored, waiting for the customer's confirmation
    CLOSED = "closed"


class CaseType(StrEnum):
    INCIDENT = "incident"  # 故障
    REQUEST = "request"  # 服务请求
    CONSULTATION = "consultation"  # 咨询
    COMPLAINT = "complaint"  # 投诉


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    FAX = "fax"
    WEB = "web"
    ONLINE = "online"
    QQ = "qq"


class Tier(StrEnum):
    """Functional escalation: desk -> engineer -> expert group -> vendor."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    VENDOR = "vendor"


class NoteKind(StrEnum):
    NOTE = "note"
    CALL = "call"
    REPLY = "reply"
    REMOTE = "remote"  # a remote session; needs the customer's authorisation (seed 001)
    ONSITE = "onsite"  # dispatch and arrival on site
    VENDOR = "vendor"  # a request to the original vendor / third party
    PROGRESS = "progress"  # a progress report to the customer (seed 003)
    REPORT = "report"  # the incident report after restore, sent to the customer (seed 003)
    CALLBACK = "callback"  # a call-back to the customer after the work (回访)


# What may still be recorded on a closed case, without reopening it: the incident report
# (due 48 h after the restore, seed 003), call-backs (回访) and what the vendor still sends.
AFTER_CLOSE = frozenset({NoteKind.REPORT, NoteKind.CALLBACK, NoteKind.VENDOR})


class ReplyKind(StrEnum):
    """What `casefile reply` tells the customer; every one is customer-visible and mailed."""

    REPLY = "reply"
    PROGRESS = "progress"  # the progress report of seed 003: restarts the progress clock
    REPORT = "report"  # the incident report after restore (seed 003)


class Visibility(StrEnum):
    """Who may see an entry of the activity log: the customer, or only the desk (no key: internal)."""

    CUSTOMER = "customer"
    INTERNAL = "internal"


class WaitingOn(StrEnum):
    CUSTOMER = "customer"
    VENDOR = "vendor"


class EventKind(StrEnum):
    OPENED = "opened"
    ASSIGNED = "assigned"
    RESPONDED = "responded"
    PAUSED = "paused"
    RESUMED = "resumed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    CHANGED = "changed"
    EDITED = "edited"
    ESCALATED = "escalated"  # `casefile escalate`: functional or to a person/role
    LINKED = "linked"  # `casefile link`: a duplicate, a major incident's affected caller, a related case
    WARNING = "warning"  # recorded by `casefile check`: a clock is close to its deadline
    BREACH = "breach"  # recorded by `casefile check`: a clock passed its deadline
    LADDER = "ladder"  # recorded by `casefile check`: a management escalation step
    UNCOMPUTABLE = "uncomputable"  # recorded by `casefile check`: a clock needs a year without official days
    POLICY = "policy"  # `casefile policy adopt`: the case moved to the current policy version
    MAIL = "mail"  # a mail from the customer taken in by `casefile intake` (customer-visible)
    STATUS_ASKED = "status-asked"  # a contact asked the case's status by mail and was answered
    ATTACHMENT_REFUSED = "attachment-refused"  # `intake` refused an attachment over the size limit
    ATTACHED = "attached"  # `casefile attach`: files kept with the case (cases.attachments)
    WORKORDER_SIGNED = "workorder-signed"  # `casefile workorder sign`: the customer signed a work order later


EVENT_KINDS = frozenset({*EventKind, *NoteKind})




OPEN_STATUSES = frozenset({Status.OPEN, Status.PENDING})


DUPLICATE = "duplicate"  # `closed_as`: closed as the duplicate of another case (no survey, not counted)
WITH_PARENT = "with-parent"  # `closed_as`: closed with its major incident
CLOSED_AS = (DUPLICATE, WITH_PARENT)


# The words of the vocabulary on a terminal (the JSON and the options keep the codes).
STATUS_WORDS = {"open": N_("open"), "pending": N_("pending"), "resolved": N_("resolved"), "closed": N_("closed")}
TYPE_WORDS = {"incident": N_("incident"), "request": N_("request"), "consultation": N_("consultation"),
              "complaint": N_("complaint")}

CHANNEL_WORDS = {"phone": N_("phone"), "email": N_("email"), "fax": N_("fax"), "web": N_("web"),
                 "online": N_("online"), "qq": N_("qq")}
EVENT_WORDS = {
    "opened": N_("opened"), "assigned": N_("assigned"), "responded": N_("responded"), "paused": N_("paused"),
    "resumed": N_("resumed"), "resolved": N_("resolved"), "closed": N_("closed"), "reopened": N_("reopened"),
    "changed": N_("changed"), "edited": N_("edited"), "escalated": N_("escalated"), "linked": N_("linked"),
    "warning": N_("warning"), "breach": N_("breach"), "ladder": N_("ladder"), "policy": N_("policy"),
    "mail": N_("mail"), "note": N_("note"), "call": N_("call"), "reply": N_("reply"), "remote": N_("remote"),
    "onsite": N_("onsite"), "vendor": N_("vendor"), "progress": N_("progress"), "report": N_("report"),
    "callback": N_("callback"), "paged": N_("paged"), "acknowledged": N_("acknowledged"),
    "renumbered": N_("renumbered"),
}


def word(table: Mapping[str, str], code: Any) -> str:
    """A status or type in the reader's language; a code that is not in the table as it is."""
    return _(table[code]) if code in table else str(code)


# One word table per concept: a case's type, status and channel are named here, each name a message of the
# catalogs, so its Chinese is written once (locale/zh/.../casefile.po) and the terminal, the reports and the
# customer's pages all read it from there.  A document (a report's table, the export) says a few of them at
# more length than the terminal's column; those longer names are messages too.
DOCUMENT_WORDS = {"request": N_("service request"), "email": N_("e-mail"), "online": N_("online chat"),
                  "qq": N_("QQ")}
VOCABULARY_TABLES = {"types": TYPE_WORDS, "statuses": STATUS_WORDS, "channels": CHANNEL_WORDS}


def document_word(kind: str, code: Any, lang: str | None = None) -> str:
    """A type (`kind` "types"), status ("statuses") or channel ("channels") as a document names it, in `lang`."""
    message = DOCUMENT_WORDS.get(str(code)) or VOCABULARY_TABLES[kind].get(str(code))
    return translate(message, lang) if message else str(code)


def document_words(kind: str, lang: str | None = None) -> dict[str, str]:
    """Every name of `kind` as a document says it in `lang`: {code: words}."""
    return {code: document_word(kind, code, lang) for code in VOCABULARY_TABLES[kind]}


# An English `show` names the type in Chinese beside it (`incident 故障`).  Reading the Chinese catalog for that
# would cost every English `show` the catalog's start-up (issue 17), so these four are copied here; a test keeps
# them equal to the catalog (tests/i18n/test_one_word_table.py), which stays their owner.
TYPE_NAMES_ZH = {"incident": "故障", "request": "服务请求", "consultation": "咨询", "complaint": "投诉"}


def type_zh(code: Any) -> str:
    """The Chinese name of a type (shown beside the English: `incident 故障`)."""
    return TYPE_NAMES_ZH.get(str(code), "")
