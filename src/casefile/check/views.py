"""What `casefile check` prints (grouped by recipient) and its JSON shape."""

from __future__ import annotations

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


def _person_heading(person: Person | None, handle: str) -> str:
    if person is None:
        return handle
    roles = f" — {', '.join(person.roles)}" if person.roles else ""
    mail = f" <{person.email}>" if person.email else " (no e-mail address)"
    return f"{person.name} ({handle}){mail}{roles}"


def render_check(result: CheckResult, people: People, zone: tzinfo) -> str:
    """The report cron mails: empty when there is nothing new."""
    if result.quiet:
        return ""
    lines: list[str] = []
    for notice in result.notices:
        lines += [f"casefile check at {result.now.astimezone(zone):%Y-%m-%d %H:%M} ({zone}): {notice.text}",
                  f"  {notice.fix}", ""]
    if result.fired:
        records = {item.due.record_id for item in result.fired}
        head = "would record" if result.dry_run else "recorded"
        lines.append(
            f"casefile check at {result.now.astimezone(zone):%Y-%m-%d %H:%M} ({zone}): {head} "
            f"{len(result.fired)} alert{'s' * (len(result.fired) != 1)} on {len(records)} "
            f"record{'s' * (len(records) != 1)}"
        )
        groups: dict[str, list[Fired]] = {}
        for item in result.fired:
            paged = {plan.to for plan in item.pages}  # shown under "paged", and not mailed
            for handle in item.notified:
                if handle not in paged:
                    groups.setdefault(handle, []).append(item)
            for role in item.unheld:
                groups.setdefault(f"role:{role}", []).append(item)
        for name, items in groups.items():
            lines.append("")
            if name.startswith("role:"):
                lines.append(f"NOBODY holds the role {name[5:]} — add it to someone in people.yaml")
            else:
                lines.append(_person_heading(people.persons.get(name), name))
            lines.extend(line_of(item, zone) for item in items)
    if result.created or result.letters:
        head = "would create" if result.dry_run else "created"
        lines += ["", *(f"{head} {line}" for line in result.created)]
        lines += [f"survey letter to the customer queued for {ident}" for ident in result.letters]
    if result.no_email:
        lines += ["", f"no e-mail address in people.yaml for: {', '.join(result.no_email)}"]
    if result.mail is not None and (result.mail.sent or result.mail.failed or result.mail.dead):
        lines += ["", _mail_line(result)]
    if result.delivered:
        lines += [f"survey letter sent (accepted by the mail server): {ident}" for ident in result.delivered]
    lines += _paging_lines(result, zone)
    if result.commit:
        lines += ["", f"commit {result.commit[:10]}"]
        if len(result.commits) > 1:
            lines[-1] += f" (the last of {len(result.commits)}: at most {batch_size():,} records a commit)"
    return "\n".join(lines).strip("\n")


def _mail_line(result: CheckResult) -> str:
    assert result.mail is not None
    text = f"mail: {len(result.mail.sent)} sent"
    if result.mail.failed:
        last = result.mail.failed[-1].last_error
        text += (
            f", {len(result.mail.failed)} NOT sent and kept in the outbox for the next run ({last})"
        )
    for dead in result.mail.dead:
        text += (f"\nmail to {', '.join(dead.to)} refused for good and NOT sent ({dead.last_error}): fix the "
                 "address in people.yaml; the message is kept in .git/casefile/outbox/dead/ and not tried again")
    return text


def _paging_lines(result: CheckResult, zone: tzinfo) -> list[str]:
    """Who was paged on which channel, what the pager's outbox did, and the rota's gaps ahead."""
    lines: list[str] = []
    paged = [(item, plan) for item in result.fired for plan in item.pages]
    if paged:
        lines += ["", "paged (holder on duty by rota.yaml):"]
        for item, plan in paged:
            when = "" if plan.not_before <= item.fired_at else \
                f", held for quiet hours until {plan.not_before.astimezone(zone):%H:%M}"
            if plan.number > 1:
                when += f", page {plan.number}: nobody acknowledged"
            lines.append(f"  {item.due.record_id:<10} {plan.to} on {plan.channel} ({plan.kind}) as {plan.role}"
                         f"{when} — {item.alert.label}")
    pages = result.pages
    if pages is not None and (pages.sent or pages.retrying or pages.refused):
        text = f"pages: {len(pages.sent)} sent"
        if pages.retrying:
            text += f", {len(pages.retrying)} NOT sent, retried later ({pages.retrying[-1].last_error})"
        lines += ["", text]
        for page in pages.refused:
            nxt = next((m for m in pages.moved_on if m.id.startswith(page.id)), None)
            then = f"; paging on {nxt.channel} instead" if nxt else "; no other channel for this person"
            lines.append(f"  REFUSED: page to {page.to} on {page.channel} for {page.case}: {page.last_error}{then}")
    fresh = [problem for problem, new in result.rota if new]
    if fresh:
        from casefile.oncall.views import problem_line

        lines += ["", "rota.yaml in the coming week (casefile rota check):",
                  *(f"  {problem_line(p, zone)}" for p in fresh)]
    return lines


def render_broken(result: CheckResult) -> list[str]:
    return [f"{broken.path}: {broken.reason} (skipped; every other record was checked)" for broken in result.broken]


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
        return "not sent (no --notify)" if not result.dry_run else "not sent (dry run)", None
    key = (item.due.path, item.alert.key)
    for state, pages in (("sent", result.pages.sent), ("refused", result.pages.refused),
                         ("retrying", result.pages.retrying), ("waiting", result.pages.waiting)):
        for page in reversed(pages):
            if key in page.alerts and page.to == plan.to:
                return state, page
    return "queued", None


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
