"""Pages and acknowledgements as a case records them; when the next page is due; the words of a page.

A case records every page in its activity log, so every clone computes the
same re-pages from the record alone:

* the first page of an alert is in the alert's own event (`ladder` or `breach`,
  written by `check`): `fields.paged`, a list of `{to, role, channel}`;
* every later page is a `paged` event with `fields.key: page/<alert key>/<n>`
  (n = 2, 3, ...), `alert`, `to`, `role`, `channel`;
* `casefile ack` writes an `acknowledged` event; it acknowledges every page of the
  case made up to then (`fields.pages` lists their keys), and takes the case: no
  page of it is sent again after one.

An unacknowledged page of a level whose coverage never closes (7x24) is sent
again after `paging.repage_after`, `paging.resend` times to the same person, and
then goes to the next person in line (the shift's next holder, then the role
above's holder on duty), until someone acknowledges or the case is restored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from casefile.index.catalog import RecordView
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

PAGED = "paged"  # event kind of a re-page
ACKNOWLEDGED = "acknowledged"  # event kind of `casefile ack`
PAGE_PREFIX = "page/"
ALERT_KINDS = ("ladder", "breach")  # what pages the person on duty (warnings are mailed)
OPEN = ("open", "pending")


class Page(Struct, frozen=True):
    key: str  # the alert's key for the first page, page/<alert>/<n> for the others
    alert: str
    to: str
    role: str
    channel: str
    at: datetime
    number: int  # 1 for the first page of the alert

    def as_json(self, zone: tzinfo, acknowledged: bool, by: str | None = None) -> dict[str, Any]:
        return {"key": self.key, "alert": self.alert, "to": self.to, "role": self.role, "channel": self.channel,
                "at": self.at.astimezone(zone).isoformat(timespec="seconds"), "acknowledged": acknowledged,
                "acknowledged_by": by}


class Ack(Struct, frozen=True):
    by: str
    at: datetime


class Paged(Struct, frozen=True):
    """A case's pages and acknowledgements."""

    pages: tuple[Page, ...]
    acks: tuple[Ack, ...]

    def ack_of(self, page: Page) -> Ack | None:
        return next((a for a in self.acks if a.at >= page.at), None)

    def unacked(self) -> tuple[Page, ...]:
        return tuple(p for p in self.pages if self.ack_of(p) is None)

    def chains(self) -> dict[str, list[Page]]:
        """The pages of each alert, in order."""
        found: dict[str, list[Page]] = {}
        for page in self.pages:
            found.setdefault(page.alert, []).append(page)
        for pages in found.values():
            pages.sort(key=lambda p: (p.number, p.at))
        return found


def paged_of(data: Mapping[str, Any]) -> Paged:
    """The pages and acknowledgements recorded in a case's events."""
    pages: list[Page] = []
    acks: list[Ack] = []
    for event in data.get("events") or []:
        if not isinstance(event, Mapping):
            continue
        raw = event.get("fields")
        fields: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        try:
            at = parse_stored(str(event.get("at")))
        except ValueError:
            continue
        kind = str(event.get("kind"))
        if kind in ALERT_KINDS and isinstance(fields.get("paged"), list):
            for item in fields["paged"]:
                if isinstance(item, Mapping) and item.get("to"):
                    fired = _instant(fields.get("fired_at")) or at
                    pages.append(Page(str(fields.get("key")), str(fields.get("key")), str(item["to"]),
                                      str(item.get("role") or ""), str(item.get("channel") or ""), fired, 1))
        elif kind == PAGED and fields.get("key"):
            key = str(fields["key"])
            number = key.rsplit("/", 1)[-1]
            pages.append(Page(key, str(fields.get("alert") or ""), str(fields.get("to") or ""),
                              str(fields.get("role") or ""), str(fields.get("channel") or ""), at,
                              int(number) if number.isdigit() else 2))
        elif kind == ACKNOWLEDGED:
            acks.append(Ack(str(event.get("by") or ""), at))
    return Paged(tuple(pages), tuple(acks))


def _paging_row(data: dict[str, Any], _body: str) -> dict[str, Any]:
    """What paging needs of a case: a few fields and the events that page or acknowledge."""
    events = []
    for event in data.get("events") or []:
        if not isinstance(event, Mapping):
            continue
        fields = event.get("fields") if isinstance(event.get("fields"), Mapping) else {}
        kind = str(event.get("kind"))
        if kind in (PAGED, ACKNOWLEDGED) or (kind in ALERT_KINDS and fields and fields.get("paged")):
            events.append(_plain(event))
    return {"id": str(data.get("id")), "title": str(data.get("title") or ""), "level": str(data.get("level") or ""),
            "status": str(data.get("status") or ""), "assignee": data.get("assignee") or None,
            "customer": str(data.get("customer") or "") or None, "events": events}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# Kept in the record index; read with `contains=("paged",)`, so cases that never paged are skipped unread.
PAGING_VIEW = RecordView("case-paging/1", _paging_row)  # raise the number when `_paging_row` changes


def _instant(value: Any) -> datetime | None:
    try:
        return parse_stored(str(value)) if value else None
    except ValueError:
        return None


class Repage(Struct, frozen=True):
    """The next page of an alert's chain: to whom, as which role, when, which number."""

    alert: str
    to: str
    role: str
    due_at: datetime
    number: int
    since: datetime | None = None  # the chain's first page

    @property
    def key(self) -> str:
        return f"{PAGE_PREFIX}{self.alert}/{self.number}"


def waiting_chains(paged: Paged, repage_after: timedelta) -> list[tuple[str, datetime, list[Page]]]:
    """(alert, when its next page is due, its pages) for every alert of a case nobody has acknowledged.

    An acknowledgement takes the case: after one, no page of it is sent again (a
    later ladder step still pages its holder once, and shows as unacknowledged).
    """
    if paged.acks:
        return []
    return [(alert, pages[-1].at + repage_after, pages) for alert, pages in paged.chains().items()]


def choose_next(pages: Sequence[Page], resend: int, order: Sequence[tuple[str, str]], at: datetime) -> Repage | None:
    """Whom the next page of a chain goes to: the same person `resend` more times (while on duty), then the
    next in `order`.

    `order` is (handle, role) in paging order at `at` (the rota's `line` of the
    first page's role).  None when the line is exhausted.
    """
    last = pages[-1]
    number = last.number + 1
    since = pages[0].at
    handles = [h for h, _r in order]
    sent_to_last = sum(1 for p in pages if p.to == last.to)
    if sent_to_last <= resend and last.to in handles:  # still on duty: once more
        return Repage(last.alert, last.to, last.role, at, number, since)
    tried = {p.to for p in pages}
    start = handles.index(last.to) + 1 if last.to in handles else 0  # off duty since: the holder now
    for handle, role in list(order[start:]) + list(order[:start]):
        if handle not in tried:
            return Repage(last.alert, handle, role, at, number, since)
    return None


def ack_fields(paged: Paged) -> dict[str, Any]:
    return {"pages": [p.key for p in paged.unacked()]}


# -- the words of a page ---------------------------------------------------------

TEXTS = {
    "zh": {
        "ladder": "升级至{role}", "breach": "{clock}超时", "page": "再次呼叫",
        "overdue": "已超{late}", "due": "应于{due}", "ack": "确认：casefile ack {case}",
        "again": "（第{n}次，未确认）",
    },
    "en": {
        "ladder": "escalate to {role}", "breach": "{clock} breached", "page": "page again",
        "overdue": "{late} overdue", "due": "due {due}", "ack": "ack: casefile ack {case}",
        "again": " (page {n}, not acknowledged)",
    },
}
TITLE_CHARS = 24


def late_words(late: timedelta, lang: str) -> str:
    minutes = max(0, int(late.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if lang == "zh":
        return (f"{hours}小时" if hours else "") + f"{minutes}分钟"
    return (f"{hours}h" if hours else "") + f"{minutes}m"


def page_text(
    lang: str, case: str, level: str, customer: str | None, title: str, what: str, due_at: datetime,
    now: datetime, zone: tzinfo, number: int = 1,
) -> str:
    """A page short enough for a phone: case, level, customer, what fell due, how overdue, how to acknowledge."""
    words = TEXTS.get(lang, TEXTS["en"])
    short = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
    head = f"[{level}] {case}" + (f" {customer}" if customer else "")
    due = words["due"].format(due=due_at.astimezone(zone).strftime("%H:%M"))
    late = words["overdue"].format(late=late_words(now - due_at, lang))
    again = words["again"].format(n=number) if number > 1 else ""
    sep, stop = ("，", "。") if lang == "zh" else (", ", ". ")
    return f"{head} {short}: {what}{again}{sep}{due}{sep}{late}{stop}{words['ack'].format(case=case)}"


class PagePlan(Struct, frozen=True):
    """One page `check` sends: to whom, as which role, on which channel, not before when, and what next."""

    to: str
    role: str
    channel: str
    kind: str
    not_before: datetime
    fallbacks: tuple[tuple[str, str], ...] = ()  # (channel, kind) after a refusal
    number: int = 1

    def fields(self) -> dict[str, str]:
        return {"to": self.to, "role": self.role, "channel": self.channel}
