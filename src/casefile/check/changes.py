"""Changes (RFC) in `casefile check`: the customer notice before a window, and the reminders.

- **The notice** (`Upkeep`): from `changes.notice_days` before an approved change's window until it
  starts, each affected customer is told once (`notify/changes.py`): mail to its contacts staged in
  the outbox inside the run's commit, or — no address, or a customer that takes no mail — a letter
  to print (`casefile rfc notice`).  The change records it (`kind: notice`, key
  `notice/<customer>@<start>`), so it is the KPI "users told of coming changes".
- **The reminders** (`DueProvider`), each recorded once in the change like an SLA warning:
  `review/pending` — the change waits for the expert review (to the review role);
  `window/soon@<start>` — it starts within `changes.remind_hours` (to the requester and the desk;
  said louder when it is still not approved); `window/over@<end>` — the window has ended and the
  change is not completed (in progress: it ran over; not started: the window was missed).
  A moved window is a new key, so it is reminded again; a change decided or done is not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from casefile.cases.model import new_event
from casefile.check.model import CHECK_ACTOR, host, Broken, Due, Fired, recorded_keys
from casefile.check.writing import fired_events, is_recorded, with_events
from casefile.i18n import N_
from casefile.said import Said
from casefile.mail.outbox import Outbox
from casefile.policy.sla import OWNER, SERVICE_DESK
from casefile.records.kinds import CHANGES
from casefile.records.transaction import Transaction
from casefile.render.cells import minute
from casefile.session import Session
from casefile.sla.engine import Alert, AlertKind, page_time
from casefile.worktime.clock import parse_stored
from casefile.worktime.officialdays import MissingYear

CHANGE = "change"  # the alerts' subject
OPEN_STATUSES = ("planned", "approved", "in-progress")


def _window(data: Mapping[str, Any]) -> tuple[datetime, datetime, str, str] | None:
    window = data.get("window")
    if not isinstance(window, Mapping):
        return None
    try:
        start, end = str(window.get("start")), str(window.get("end"))
        return parse_stored(start), parse_stored(end), start, end
    except (TypeError, ValueError):
        return None  # `validate` says what is wrong with it


class ChangeAlerts:
    """Tells the affected customers before a window, and reminds the desk of reviews and windows."""

    name = CHANGES.folder  # its records' folder

    def __init__(self, session: Session) -> None:
        self.session = session
        self.outbox = Outbox(session.state_dir)

    # -- the notice ---------------------------------------------------------------

    def prepare(self, txn: Transaction | None, now: datetime) -> list[str]:
        """Record (in `txn`, staging its mail) each notice that is due; without `txn` only say them."""
        lines: list[str] = []
        rule = self.session.policy.changes
        for entry in self.session.catalog.records(CHANGES.folder, lambda error: None, ("approved",)):
            data = entry.data
            window = _window(data)
            if window is None or not data.get("customers"):
                continue
            start, _end, start_text, _ = window
            if not start - timedelta(days=rule.notice_days) <= now < start:
                continue
            from casefile.notify.changes import notice_key  # a window within its notice days: rare

            done = recorded_keys(data)
            for customer_id in data.get("customers") or []:
                key = notice_key(str(customer_id), start_text)
                if key in done:
                    continue
                line = self._notice(txn, entry.path, data, str(customer_id), key, now)
                if line:
                    lines.append(line)
        return lines

    def _notice(self, txn: Transaction | None, path: str, data: Mapping[str, Any], customer_id: str, key: str,
                now: datetime) -> str | None:
        from casefile.notify.changes import NOTICE, notice_messages, notice_recipients
        from casefile.notify.mails import customer_of

        session = self.session
        customer = customer_of(session, customer_id)
        if customer is None:
            return None  # `validate` names the unknown customer
        ident = str(data.get("id"))
        opted_out = customer_id in session.policy.notify.opt_out
        people = [] if opted_out else notice_recipients(customer, session.policy.language)
        if people:
            line = f"change notice for {ident} to {customer_id} mailed to {', '.join(p.email for p in people)}"
        else:
            line = (f"change notice for {ident} to {customer_id}: no e-mail address, print the letter "
                    f"(casefile rfc notice {ident} --customer {customer_id})")
        if txn is None:
            return line
        written = txn.writes.get(path)
        committed = written if written is not None else txn.committed(path)
        if committed is None:
            return None  # an uncommitted change: `check` reports nothing it cannot record
        from casefile.render.templates import TemplateFailed

        try:
            messages = notice_messages(session, path, data, customer, people, key, now) if people else []
        except TemplateFailed as error:  # a desk's broken template stops that notice (tried again), not the run
            session.notes(f"change notice for {ident} to {customer_id} not sent: {error}")
            return None
        fields: dict[str, Any] = {"key": key, "customer": customer_id, "window_start": key.split("@", 1)[1]}
        if people:
            fields["mailed_to"] = [p.email for p in people]
        else:
            fields["letter"] = True
        fields["host"] = host()  # two clones that tell the same customer merge into one event naming both
        words = (f"Notice of the window to {customer_id}: " +
                 (f"mailed to {', '.join(p.email for p in people)}" if people else "letter to print"))
        event = new_event(session.stamp(now), CHECK_ACTOR, NOTICE, words, fields)
        text, _data = with_events(committed.decode("utf-8"), path, [event])
        for message in messages:
            self.outbox.stage(message)
        ids = [m.id for m in messages]
        if ids:
            txn.on_commit.append(lambda: self.outbox.promote(ids))
        txn.write(path, text)
        return line

    # -- the reminders -------------------------------------------------------------

    def collect(self, now: datetime, broken: Callable[[Broken], None]) -> Iterator[Due]:
        rule = self.session.policy.changes
        for entry in self.session.catalog.records(CHANGES.folder, lambda e: broken(Broken(e.source, e.problem)),
                                                  OPEN_STATUSES):
            data = entry.data
            window = _window(data)
            if window is None:
                continue
            start, end, start_text, end_text = window
            ident, status = str(data.get("id")), str(data.get("status"))
            done = recorded_keys(data)
            alerts: list[Alert] = []
            try:
                if status == "planned" and data.get("requested_at"):
                    found = data.get("review")
                    review: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
                    have = len({r.get("by") for r in data.get("reviews") or []
                                if isinstance(r, Mapping) and r.get("verdict") == "approve"})
                    at = parse_stored(str(data["requested_at"]))
                    alerts.append(Alert("review/pending", AlertKind.REMINDER, CHANGE,
                                        Said.of(N_("Change {change} waits for the expert review: {have} of {needed} "
                                                   "approvals (window {window})"), change=ident, have=have,
                                                needed=review.get("approvals"), window=minute(start_text, self._zone)),
                                        at, self._page_time(at, now, start), (rule.role,)))
                soon = start - timedelta(hours=rule.remind_hours)
                if status in ("planned", "approved") and now < end:
                    message = N_("Change {change} starts at {start} and is NOT approved") if status == "planned" \
                        else N_("Change {change} starts at {start}")
                    alerts.append(Alert(f"window/soon@{start_text}", AlertKind.REMINDER, CHANGE,
                                        Said.of(message, change=ident, start=minute(start_text, self._zone)),
                                        soon, self._page_time(soon, now, start), (OWNER, SERVICE_DESK)))
                if now >= end:
                    message = N_("Change {change} ran over its window: it ended at {end}") \
                        if status == "in-progress" else \
                        N_("Change {change} missed its window (still {status}): it ended at {end}")
                    alerts.append(Alert(f"window/over@{end_text}", AlertKind.BREACH, CHANGE,
                                        Said.of(message, change=ident, status=status, end=minute(end_text, self._zone)),
                                        end, end, (OWNER, SERVICE_DESK)))
            except MissingYear as error:
                broken(Broken(entry.path, str(error)))
                continue
            new = tuple(a for a in alerts if a.key not in done and a.due_at <= now and a.page_at <= now)
            deferred = tuple(a for a in alerts if a.key not in done and a not in new)
            if not new and not deferred:
                continue
            yield Due(self.name, entry.path, ident, f"change {ident}: {data.get('title')}", "",
                      str(data.get("requested_by") or "") or None, new, deferred)

    @property
    def _zone(self) -> Any:
        return self.session.policy.zone

    def _page_time(self, due_at: datetime, now: datetime, start: datetime) -> datetime:
        """Business hours of the desk's default calendar — but never after the window has begun."""
        sla = self.session.policy.sla
        return min(page_time(due_at, now, sla.calendars[sla.default_calendar]), max(due_at, start))

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        return with_events(text, due.path, fired_events(fired, stamp))[0]

    def recorded(self, text: str, key: str) -> bool:
        return is_recorded(text, key)
