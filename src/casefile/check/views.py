"""What `casefile check` prints (grouped by recipient) and its JSON shape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone, tzinfo
from typing import Any

from casefile.check.mail import line_of
from casefile.check.model import CheckResult, Due, Fired
from casefile.check.run import batch_size
from casefile.mail.pages import PageMessage
from casefile.oncall.model import Ack, PagePlan
from casefile.oncall.views import problem_json
from casefile.policy.people import People, Person
from casefile.sla.engine import Alert
from casefile.worktime.clock import format_instant
from casefile.i18n import N_, _, ngettext


def _person_heading(person: Person | None, handle: str) -> str:
    if person is None:
        return handle
    roles = f" — {', '.join(person.roles)}" if person.roles else ""
    mail = f" <{person.email}>" if person.email else _(" (no e-mail address)")
    return f"{person.name} ({handle}){mail}{roles}"


def check_lines(result: CheckResult, people: People, zone: tzinfo) -> Iterator[str]:
    """The report cron mails, line by line as it is written (none when there is nothing new): the first
    check over an archive reports 137,000 alerts, 27 MB of text that is never held whole."""
    started, blank = False, 0
    for line in _report_lines(result, people, zone):
        if not line:
            blank += 1
            continue
        if started:
            yield from [""] * blank  # blank lines between parts; none before the first or after the last
        started, blank = True, 0
        yield line


def _report_lines(result: CheckResult, people: People, zone: tzinfo) -> Iterator[str]:
    if result.quiet:
        return
    for notice in result.notices:
        yield _("casefile check at {now:%Y-%m-%d %H:%M} ({zone}): {text}").format(
            now=result.now.astimezone(zone), zone=zone, text=notice.text)
        yield f"  {notice.fix}"
        yield ""
    if result.fired:
        records = {item.due.record_id for item in result.fired}
        head = _("would record") if result.dry_run else _("recorded")
        yield _("casefile check at {now:%Y-%m-%d %H:%M} ({zone}): {head} {alerts} on {records}").format(
            now=result.now.astimezone(zone), zone=zone, head=head,
            alerts=ngettext("{count} alert", "{count} alerts", len(result.fired)).format(count=len(result.fired)),
            records=ngettext("{count} record", "{count} records", len(records)).format(count=len(records)))
        groups: dict[str, list[Fired]] = {}
        for item in result.fired:
            paged = {plan.to for plan in item.pages}  # shown under "paged", and not mailed
            for handle in item.notified:
                if handle not in paged:
                    groups.setdefault(handle, []).append(item)
            for role in item.unheld:
                groups.setdefault(f"role:{role}", []).append(item)
        for name, items in groups.items():
            yield ""
            if name.startswith("role:"):
                yield _("NOBODY holds the role {role} — add it to someone in people.yaml").format(role=name[5:])
            else:
                yield _person_heading(people.persons.get(name), name)
            for item in items:
                yield line_of(item, zone)
    if result.created or result.letters:
        head = _("would create") if result.dry_run else _("created")
        yield ""
        for line in result.created:
            yield f"{head} {_created(line)}"
        for ident in result.letters:
            yield _("survey letter to the customer queued for {ident}").format(ident=ident)
    if result.no_email:
        yield ""
        yield _("no e-mail address in people.yaml for: {names}").format(names=', '.join(result.no_email))
    if result.mail is not None and (result.mail.sent or result.mail.failed or result.mail.dead):
        yield ""
        yield _mail_line(result)
    for ident in result.delivered:
        yield _("survey letter sent (accepted by the mail server): {ident}").format(ident=ident)
    yield from _paging_lines(result, zone)
    if result.commit:
        yield ""
        line = _("commit {commit}").format(commit=result.commit[:10])
        if len(result.commits) > 1:
            line += _(" (the last of {count}: at most {size:,} records a commit)").format(
                count=len(result.commits), size=batch_size())
        yield line


CREATED = {"scheduled survey ": N_("scheduled survey {id}"), "planned inspection ": N_("planned inspection {id}")}


def _created(line: str) -> str:
    """A record the run made, in the reader's words (the commit message keeps the English line)."""
    for prefix, message in CREATED.items():
        if line.startswith(prefix):
            return _(message).format(id=line[len(prefix):])
    return line


def _mail_line(result: CheckResult) -> str:
    assert result.mail is not None
    text = _("mail: {count} sent").format(count=len(result.mail.sent))
    if result.mail.failed:
        last = result.mail.failed[-1].last_error
        text += (
            _(", {count} NOT sent and kept in the outbox for the next run ({last})").format(count=len(result.mail.failed), last=last)
        )
    for dead in result.mail.dead:
        text += (_("\nmail to {names} refused for good and NOT sent ({last_error}): fix the address in people.yaml; the message is kept in .git/casefile/outbox/dead/ and not tried again").format(names=', '.join(dead.to), last_error=dead.last_error))
    return text


def _paging_lines(result: CheckResult, zone: tzinfo) -> list[str]:
    """Who was paged on which channel, what the pager's outbox did, and the rota's gaps ahead."""
    lines: list[str] = []
    paged = [(item, plan) for item in result.fired for plan in item.pages]
    if paged:
        lines += ["", _("paged (holder on duty by rota.yaml):")]
        for item, plan in paged:
            when = "" if plan.not_before <= item.fired_at else \
                _(", held for quiet hours until {time:%H:%M}").format(time=plan.not_before.astimezone(zone))
            if plan.number > 1:
                when += _(", page {number}: nobody acknowledged").format(number=plan.number)
            lines.append(_("  {record_id:<10} {to} on {channel} ({kind}) as {role}{when} — {label}").format(record_id=item.due.record_id, to=plan.to, channel=plan.channel, kind=plan.kind, role=plan.role, when=when, label=item.alert.label))
    pages = result.pages
    if pages is not None and (pages.sent or pages.retrying or pages.refused):
        text = _("pages: {count} sent").format(count=len(pages.sent))
        if pages.retrying:
            text += _(", {count} NOT sent, retried later ({last_error})").format(count=len(pages.retrying), last_error=pages.retrying[-1].last_error)
        lines += ["", text]
        for page in pages.refused:
            nxt = next((m for m in pages.moved_on if m.id.startswith(page.id)), None)
            then = _("; paging on {channel} instead").format(channel=nxt.channel) if nxt else _("; no other channel for this person")
            lines.append(_("  REFUSED: page to {to} on {channel} for {case}: {last_error}{then}").format(to=page.to, channel=page.channel, case=page.case, last_error=page.last_error, then=then))
    fresh = [problem for problem, new in result.rota if new]
    if fresh:
        from casefile.oncall.views import problem_line

        lines += ["", _("rota.yaml in the coming week (casefile rota check):"),
                  *(f"  {problem_line(p, zone)}" for p in fresh)]
    return lines


def render_broken(result: CheckResult) -> list[str]:
    return [_("{path}: {reason} (skipped; every other record was checked)").format(path=broken.path, reason=broken.reason) for broken in result.broken]


def _alert_json(due: Due, alert: Alert, zone: tzinfo) -> dict[str, Any]:
    return {
        "record": due.record_id,
        "provider": due.provider,
        "path": due.path,
        "level": due.level,
        "key": alert.key,
        "kind": str(alert.kind),
        "subject": alert.subject,
        "step": alert.step or None,
        "text": alert.label,
        "roles": list(alert.roles),
        "due_at": format_instant(alert.due_at, zone),
        "page_at": format_instant(alert.page_at, zone),
    }


def check_json(result: CheckResult, zone: tzinfo) -> dict[str, Any]:
    fired = []
    for item in result.fired:
        row = _alert_json(item.due, item.alert, zone)
        row.update(
            notified=list(item.notified),
            nobody_holds=list(item.unheld),
            fired_at=format_instant(item.fired_at, zone),
            paged=[_plan_json(item, plan, result, zone) for plan in item.pages],
        )
        fired.append(row)
    mail = None
    if result.mail is not None:
        mail = {
            "sent": [m.id for m in result.mail.sent],
            "failed": [{"id": m.id, "to": list(m.to), "attempts": m.attempts, "error": m.last_error}
                       for m in result.mail.failed],
            "dead": [{"id": m.id, "to": list(m.to), "attempts": m.attempts, "error": m.last_error}
                     for m in result.mail.dead],
            "busy": result.mail.busy,
        }
    return {
        "now": format_instant(result.now, zone),
        "dry_run": result.dry_run,
        "evaluated": result.evaluated,
        "commit": result.commit,
        "commits": list(result.commits),
        "fired": fired,
        "deferred": [_alert_json(due, alert, zone) for due, alert in result.deferred],
        "breached": [{"record": due.record_id, "path": due.path, "clock": name} for due, name in result.breached],
        "broken": [{"path": b.path, "reason": b.reason} for b in result.broken],
        "created": list(result.created),
        "letters": list(result.letters),
        "delivered": list(result.delivered),
        "delivered_commit": result.delivered_commit,
        "no_email": list(result.no_email),
        "notices": [{"key": n.key, "text": n.text, "fix": n.fix} for n in result.notices],
        "mail": mail,
        "pages": _pages_json(result, zone),
        "paging": [{"record": record, "pages": [
            p.as_json(zone, paged.ack_of(p) is not None, (paged.ack_of(p) or _NO_ACK).by or None)
            for p in paged.pages]} for record, paged in sorted(result.paging.items())],
        "rota": [{**problem_json(p, zone), "new": new} for p, new in result.rota],
    }


_NO_ACK = Ack("", datetime.min.replace(tzinfo=timezone.utc))


def _delivery(item: Fired, plan: PagePlan, result: CheckResult) -> tuple[str, PageMessage | None]:
    """What became of the page of `plan` for `item` in this run: sent, retrying, refused, waiting, not sent."""
    if result.pages is None:
        return _("not sent (no --notify)") if not result.dry_run else _("not sent (dry run)"), None
    key = (item.due.path, item.alert.key)
    for state, pages in ((_("sent"), result.pages.sent), (_("refused"), result.pages.refused),
                         (_("retrying"), result.pages.retrying), (_("waiting"), result.pages.waiting)):
        for page in reversed(pages):
            if key in page.alerts and page.to == plan.to:
                return state, page
    return _("queued"), None


def _plan_json(item: Fired, plan: PagePlan, result: CheckResult, zone: tzinfo) -> dict[str, Any]:
    state, page = _delivery(item, plan, result)
    return {"to": plan.to, "role": plan.role, "channel": page.channel if page else plan.channel,
            "kind": page.kind if page else plan.kind, "number": plan.number,
            "not_before": format_instant(plan.not_before, zone), "delivery": state,
            "error": page.last_error if page else None, "acknowledged": False}


def _pages_json(result: CheckResult, zone: tzinfo) -> dict[str, Any] | None:
    pages = result.pages
    if pages is None:
        return None

    def row(page: PageMessage) -> dict[str, Any]:
        return {"id": page.id, "record": page.case, "to": page.to, "channel": page.channel, "kind": page.kind,
                "attempts": page.attempts, "error": page.last_error, "not_before": page.not_before}

    return {"sent": [row(p) for p in pages.sent], "retrying": [row(p) for p in pages.retrying],
            "refused": [row(p) for p in pages.refused], "moved_on": [row(p) for p in pages.moved_on],
            "waiting": [row(p) for p in pages.waiting], "busy": pages.busy}
