"""What the customer sees of a case: an allow-list of its fields and of its activity log.

The mails to the customer, the status answered by mail and the customer's export
all show this one view, so they never disagree about what is customer-visible.

An entry of the activity log is shown when it says `visibility: customer` (a
reply, a progress or incident report, a mail from the customer), or when it is
one of the milestones the customer is told about anyway — opened, the first
response (what was said to them), waiting and resuming, the restore with its
resolution, close and reopen — and then only with the text that is theirs: a
first response and a resolution, never the reason written for a pause or a
reopen, never `fields` (alert keys, roles, who was paged).  Everything else —
notes, assignments, escalations, warnings, breaches, ladder steps, edits — is
internal, and so is any entry written by hand without a visibility.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.cases.vocabulary import EventKind, ReplyKind, Visibility
from casefile.i18n import stored_text
from casefile.values import Struct

# kind -> (English, Chinese)
ENTRY_LABELS = {
    str(EventKind.OPENED): ("Case opened", "服务记录已开设"),
    str(EventKind.RESPONDED): ("First response", "首次响应"),
    str(ReplyKind.REPLY): ("Reply", "答复"),
    str(ReplyKind.PROGRESS): ("Progress report", "进展报告"),
    str(ReplyKind.REPORT): ("Incident report", "事件报告"),
    str(EventKind.MAIL): ("Your message", "您的来信"),
    str(EventKind.PAUSED): ("Waiting", "等待中"),
    str(EventKind.RESUMED): ("Work resumed", "继续处理"),
    str(EventKind.RESOLVED): ("Service restored", "服务已恢复"),
    str(EventKind.CLOSED): ("Closed", "已关闭"),
    str(EventKind.REOPENED): ("Reopened", "已重新打开"),
}
STATUS_WORDS = {
    "open": ("In progress", "处理中"),
    "pending": ("Waiting", "等待中"),
    "resolved": ("Service restored, waiting for your confirmation", "服务已恢复，待您确认"),
    "closed": ("Closed", "已关闭"),
}
# Milestones shown without an explicit visibility, and whether their text is the customer's.
MILESTONES = {
    str(EventKind.OPENED): False,
    str(EventKind.RESPONDED): True,
    str(EventKind.PAUSED): False,
    str(EventKind.RESUMED): False,
    str(EventKind.RESOLVED): True,
    str(EventKind.CLOSED): False,
    str(EventKind.REOPENED): False,
}
FROM_CUSTOMER = frozenset({str(EventKind.MAIL)})


class Entry(Struct, frozen=True):
    at: str
    kind: str
    label: str
    label_zh: str
    text: str
    from_customer: bool

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at, "kind": self.kind, "label": self.label, "label_zh": self.label_zh,
                "text": self.text, "from_customer": self.from_customer}


def is_customer_visible(event: Mapping[str, Any]) -> bool:
    visibility = event.get("visibility")
    if visibility == Visibility.CUSTOMER:
        return True
    return visibility is None and str(event.get("kind")) in MILESTONES


def visible_text(event: Mapping[str, Any], lang: str | None = None) -> str:
    """The text of a customer-visible entry the customer may read ('' for a milestone's own reason), an
    engine's words in `lang`."""
    keeps_text = event.get("visibility") == Visibility.CUSTOMER or MILESTONES.get(str(event.get("kind")), False)
    if keeps_text and isinstance(event.get("text_key"), str):
        return stored_text(event, lang).strip()
    text = event.get("text")
    return str(text).strip() if keeps_text and isinstance(text, (str, int, float)) else ""


def customer_entries(data: Mapping[str, Any]) -> list[Entry]:
    """The customer-visible entries of a case's activity log, oldest first."""
    entries = []
    for event in data.get("events") or []:
        if not isinstance(event, Mapping) or not is_customer_visible(event):
            continue
        kind = str(event.get("kind"))
        label, label_zh = ENTRY_LABELS.get(kind, ("Update", "更新"))
        text = visible_text(event)
        if kind == EventKind.PAUSED:
            fields = event.get("fields") if isinstance(event.get("fields"), Mapping) else {}
            if (fields or {}).get("waiting_on") == "customer":
                label, label_zh = "Waiting for you", "等待您的答复"
        entries.append(Entry(str(event.get("at") or ""), kind, label, label_zh, text, kind in FROM_CUSTOMER))
    return entries


def status_view(data: Mapping[str, Any], level_words: tuple[str, str] | None = None) -> dict[str, Any]:
    """The case as its customer may see it: number, title, status in words, times, resolution, entries."""
    status = str(data.get("status") or "")
    words, words_zh = STATUS_WORDS.get(status, (status, status))
    level = str(data.get("level") or "")
    return {
        "id": str(data.get("id") or ""),
        "title": str(data.get("title") or ""),
        "status": status,
        "status_words": words,
        "status_words_zh": words_zh,
        "level": level,
        "level_words": level_words[0] if level_words else level,
        "level_words_zh": level_words[1] if level_words else level,
        "opened_at": data.get("opened_at"),
        "resolved_at": data.get("resolved_at"),
        "closed_at": data.get("closed_at"),
        "confirmed_by": data.get("confirmed_by"),
        "resolution": data.get("resolution") if data.get("resolved_at") or status == "closed" else None,
        "entries": [entry.as_dict() for entry in customer_entries(data)],
    }
