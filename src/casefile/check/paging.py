"""Paging in `casefile check`: a ladder step or breach pages the role's holder on duty, and re-pages.

* `Pager.plan` — for a fired ladder step or breach, the on-duty holder (by the
  rota) of each of its roles that the rota covers, on their first channel not in
  quiet hours.  The other holders get the digest mail as before.
* `RepageAlerts` — a provider of the run: for every open 7x24 case with a chain of
  pages nobody acknowledged, the next page once `paging.repage_after` has passed
  (see `oncall.model`).  A re-page is an alert of kind `page` recorded as a
  `paged` event, so it fires once, like every alert.
* `Pager.messages` — the pages for the pager's outbox (`mail/pages.py`), one per
  case and person in a run.
* `Pager.rota_ahead` — gaps and overlaps of the rota in the coming
  `paging.look_ahead`; each is reported by the first run that sees it in a clone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Any

from casefile.cases.model import new_event
from casefile.check.model import CHECK_ACTOR, host, Broken, Due, Fired
from casefile.check.writing import is_recorded, with_events
from casefile.errors import CasefileError
from casefile.oncall.model import (
    OPEN,
    PAGED,
    PAGING_VIEW,
    Paged,
    PagePlan,
    Repage,
    choose_next,
    page_text,
    paged_of,
    waiting_chains,
)
from casefile.policy.rota import Rota, RotaProblem, read_rota
from casefile.policy.sla import ASSIGNEE, GROUP, OWNER, SERVICE_DESK
from casefile.records.file import read_plain
from casefile.records.kinds import CASES
from casefile.records.yamlio import RecordError
from casefile.render.output import write_atomic
from casefile.session import Session
from casefile.sla.engine import Alert, AlertKind
from casefile.worktime.clock import format_instant, wall_seconds
from casefile.i18n import N_, _
from casefile.said import Said

if TYPE_CHECKING:  # the mail layer is loaded when a page is made or sent, not by every quiet `check`
    from casefile.mail.outbox import Message
    from casefile.mail.pages import PageMessage

PAGED_KINDS = (AlertKind.LADDER, AlertKind.BREACH)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
PAGED_MARK = '"paged"'  # in the JSON row of every case that ever paged (an event kind or a field)
REPORTED_FILE = "rota-reported.json"


class Pager:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.repages: dict[tuple[str, str], Repage] = {}  # (path, key) -> the re-page a provider found
        self.cases: dict[str, Mapping[str, Any]] = {}  # path -> front matter, of cases paged this run
        self.seen: dict[str, Paged] = {}  # case id -> its pages and acknowledgements, of open cases looked at
        self.error: str | None = None  # why rota.yaml could not be read

    @cached_property
    def rota(self) -> Rota | None:
        """The desk's rota; None without one, or when it cannot be read (`error` says why: the run reports it
        as a broken record and mails every holder as if there were no rota)."""
        policy, people = self.session.policy, self.session.people
        try:
            return read_rota(self.session.root, policy.zone, policy.calendars, policy.roles, people.persons)
        except RecordError as error:
            self.error = str(error)
            return None

    # -- whom a fired alert pages ---------------------------------------------------

    def plan(self, due: Due, alert: Alert, now: datetime) -> tuple[PagePlan, ...]:
        rota = self.rota
        if rota is None or due.provider != CASES.folder:
            return ()
        if alert.kind is AlertKind.PAGE:
            repage = self.repages.get((due.path, alert.key))
            if repage is None:
                return ()
            return (self._plan(rota, repage.to, repage.role, now, repage.number),)
        if alert.kind not in PAGED_KINDS:
            return ()
        plans: list[PagePlan] = []
        for named in alert.roles:  # the pseudo-roles as the mail reads them (`check.run.recipients`)
            if named in (ASSIGNEE, OWNER):
                if due.assignee:
                    continue  # the owner is told by mail; the rota says who is on duty, not who owns it
                role = SERVICE_DESK
            elif named == GROUP:
                if not due.group:
                    continue
                role = due.group  # the working group's holder on duty, when its role is on the rota
            else:
                role = named
            holders = rota.on_duty(role, now)
            if holders and holders[0] not in [p.to for p in plans]:
                plans.append(self._plan(rota, holders[0], role, now, 1))
        return tuple(plans)

    def _plan(self, rota: Rota, handle: str, role: str, now: datetime, number: int) -> PagePlan:
        channel, when, rest = rota.choose(handle, now)
        return PagePlan(handle, role, channel.name, channel.type, when, tuple((c.name, c.type) for c in rest), number)

    # -- the pages of a run -------------------------------------------------------

    def messages(self, fired: Sequence[Fired], now: datetime) -> list[PageMessage]:
        """One page per case and person in this run naming the alerts that paged them, and one per re-page."""
        from casefile.mail.pages import PageMessage

        policy, people = self.session.policy, self.session.people
        groups: dict[tuple[str, str, str], list[tuple[Fired, PagePlan]]] = {}
        for item in fired:
            for plan in item.pages:  # first pages of a case together; each re-page on its own
                chain = item.alert.key if item.alert.kind is AlertKind.PAGE else ""
                groups.setdefault((item.due.path, plan.to, chain), []).append((item, plan))
        pages = []
        for (path, handle, _chain), items in groups.items():
            first, plan = items[0]
            due = first.due
            whats = [self._what(item.alert, plan) for item, plan in items]
            data = self.cases.get(path) or self._read(path)
            customer = str(data.get("customer") or "") or None
            target = max(items, key=lambda pair: pair[0].alert.due_at)[0].alert
            repage = self.repages.get((path, target.key))
            due_at = repage.since if repage is not None and repage.since is not None else target.due_at
            text = page_text(policy.language, due.record_id, due.level, customer, due.title,
                             "; ".join(dict.fromkeys(whats)), due_at, now, policy.zone, plan.number)
            keys = tuple(sorted((path, item.alert.key) for item, _plan in items))
            person = people.persons.get(handle)
            ident = "page-" + hashlib.sha1(repr((handle, keys)).encode("utf-8")).hexdigest()[:20]
            pages.append(PageMessage(
                id=ident, case=due.record_id, path=path, to=handle, name=person.name if person else handle,
                role=plan.role, channel=plan.channel, kind=plan.kind, text=text, alerts=keys,
                created_at=format_instant(now, policy.zone), not_before=format_instant(plan.not_before, policy.zone),
                mobile=person.phone if person else "", email=person.email if person else "", level=due.level,
                fallbacks=plan.fallbacks,
            ))
        return pages

    def _what(self, alert: Alert, plan: PagePlan) -> str:
        from casefile.oncall.model import TEXTS

        policy = self.session.policy
        words = TEXTS.get(policy.language, TEXTS["en"])
        zh = policy.language == "zh"
        if alert.kind is AlertKind.LADDER:
            role = policy.roles.get(plan.role)
            name = (role.name_zh if zh else role.name) if role else plan.role
            return words["ladder"].format(role=name)
        if alert.kind is AlertKind.BREACH:
            clock = policy.sla.clocks.get(alert.subject)
            name = (clock.label_zh if zh else clock.label) if clock else alert.subject
            return words["breach"].format(clock=name)
        if alert.kind is AlertKind.PAGE:  # a re-page: the words of the alert its chain began with
            return self._what_of_key(alert.subject)
        return alert.label

    def _what_of_key(self, key: str) -> str:
        """`ladder/<role>` or `breach/<clock>[@cycle]` in words."""
        kind, _sep, subject = key.partition("/")
        if kind == "ladder":
            return self._what(Alert(key, AlertKind.LADDER, "", Said(key), _EPOCH, _EPOCH, (subject,)),
                              PagePlan(subject, subject, "", "", _EPOCH))
        if kind == "breach":
            clock = subject.split("@", 1)[0]
            return self._what(Alert(key, AlertKind.BREACH, clock, Said(key), _EPOCH, _EPOCH, ()),
                              PagePlan("", "", "", "", _EPOCH))
        return key

    def _read(self, path: str) -> Mapping[str, Any]:
        try:
            data, _body = read_plain((self.session.root / path).read_text(encoding="utf-8"), path)
        except Exception:  # noqa: BLE001 - the page goes without the customer's name
            return {}
        return data

    # -- rota ahead ---------------------------------------------------------------

    def rota_ahead(self, now: datetime, remember: bool) -> list[tuple[RotaProblem, bool]]:
        """(problem, new in this clone) for the coming look-ahead; `remember` records the new ones."""
        rota = self.rota
        if rota is None:
            return []
        problems = rota.problems(now, now + rota.paging.look_ahead)
        path = self.session.state_dir / REPORTED_FILE
        try:
            seen = set(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            seen = set()
        found = [(p, p.key() not in seen) for p in problems]
        if remember and any(new for _p, new in found):
            keep = sorted(seen | {p.key() for p in problems})
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(keep, indent=0).encode("utf-8"))
        return found


class RepageAlerts:
    """The provider of re-pages: open 7x24 cases whose pages nobody acknowledged."""

    name = CASES.folder

    def __init__(self, session: Session, pager: Pager) -> None:
        self.session = session
        self.pager = pager

    def collect(self, now: datetime, broken: Callable[[Broken], None]) -> Iterator[Due]:
        rota = self.pager.rota
        if rota is None:
            return
        policy = self.session.policy
        paging = rota.paging
        rows = self.session.catalog.rows(CASES.folder, PAGING_VIEW, lambda error: broken(
            Broken(error.source, error.problem)), statuses=OPEN, contains=(PAGED_MARK,))
        for path, data in rows:
            level = policy.levels.get(str(data.get("level")))
            calendar = policy.calendars.get(level.coverage) if level else None
            if calendar is None or data.get("status") not in OPEN:
                continue
            paged = paged_of(data)
            if not paged.pages:
                continue
            self.pager.seen[str(data.get("id"))] = paged
            if not calendar.always:
                continue
            alerts = []
            for alert_key, due_at, pages in waiting_chains(paged, paging.repage_after):
                if due_at > now:
                    continue
                repage = choose_next(pages, paging.resend, rota.line(pages[0].role, now), now)
                if repage is None:
                    continue
                self.pager.repages[(path, repage.key)] = repage
                label = Said.of(N_("not acknowledged: page {to} ({role})"), to=repage.to, role=repage.role)
                alerts.append(Alert(repage.key, AlertKind.PAGE, alert_key, label, due_at, due_at,
                                    (repage.role,), str(repage.number)))
            if alerts:
                self.pager.cases[path] = data
                yield Due(self.name, path, str(data.get("id")), str(data.get("title") or ""),
                          str(data.get("level")), data.get("assignee"), tuple(alerts))

    def record(self, text: str, due: Due, fired: Sequence[Fired], stamp: Callable[[datetime], str]) -> str:
        events = []
        for item in fired:
            plan = next(iter(item.pages), None)
            fields: dict[str, Any] = {"key": item.alert.key, "alert": item.alert.subject}
            if plan is not None:
                fields.update(plan.fields())
            fields.update(fired_at=stamp(item.fired_at), host=host())
            events.append(new_event(stamp(item.fired_at), CHECK_ACTOR, PAGED, item.alert.says, fields))
        return with_events(text, due.path, events)[0]

    def recorded(self, text: str, key: str) -> bool:
        return is_recorded(text, key)


# -- delivering a page -------------------------------------------------------------


def page_sender(
    session: Session, env: Mapping[str, str], mail: Callable[[Message], None] | None
) -> Callable[[PageMessage], None]:
    """A function that delivers one page on its channel: a robot or webhook, or e-mail through `mail`."""
    from casefile.mail.channels import Outgoing, Refused, channel_secrets, post
    from casefile.mail.outbox import Message

    git_config = session.repo.config

    def send(page: PageMessage) -> None:
        if page.kind == "email":
            if not page.email:
                raise Refused(_("{to} has no e-mail address in people.yaml").format(to=page.to))
            if mail is None:
                raise Refused(_("e-mail pages need an SMTP server (CASEFILE_SMTP_HOST)"))
            mail(Message(id=page.id, to=(page.email,), subject=page.text[:78], body=page.text + "\n",
                         alerts=page.alerts, created_at=page.created_at))
            return
        try:
            secrets = channel_secrets(page.channel, env, git_config)
        except CasefileError as error:
            raise Refused(str(error)) from None
        post(page.kind, secrets, Outgoing(page.id, page.text, page.to, page.name, page.mobile, page.case, page.level),
             wall_seconds())

    return send
