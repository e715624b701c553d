"""How cases look on a terminal, and their JSON shapes.

Times are stored to the second and shown to the minute, in the desk's zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from casefile.cases.description import description_of
from casefile.cases.vocabulary import CHANNEL_WORDS, EVENT_WORDS, STATUS_WORDS, TYPE_WORDS, type_zh, word
from casefile.git.history import LogEntry
from casefile.i18n import N_, Words, _, current, pick, stored_text
from casefile.policy.model import Policy
from casefile.records.file import RecordEntry
from casefile.render.cells import minute
from casefile.render.width import pad
from casefile.values import plain
from casefile.worktime.clock import format_instant

if TYPE_CHECKING:
    from casefile.cases.asof import AsOf
    from casefile.cases.work import ShownCase
    from casefile.cases.workorders import WorkOrder


def case_json(entry: RecordEntry, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`show --json`: the front matter as stored, the description, the file."""
    result = dict(entry.data)
    result["description"] = description_of(entry.data, entry.body)  # in the reader's language (cases.description)
    result["path"] = entry.path
    result.update(extra or {})
    return result


def _service_text(service: Any) -> str | None:
    """`rule metro-emergency · coverage 7x24 (the customer's) · contract JQ-2026-031 (EXPIRED)`."""
    if not isinstance(service, Mapping):
        return None
    parts = []
    if service.get("rule"):
        parts.append(_("rule {rule}").format(rule=service["rule"]))
    if service.get("coverage"):
        parts.append(_("coverage {coverage} (the customer's)").format(coverage=service["coverage"]))
    if service.get("contract"):
        status = service.get("contract_status")
        flag = f" ({str(status).upper()})" if status and status != "valid" else ""
        parts.append(_("contract {contract}{flag}").format(contract=service["contract"], flag=flag))
    return " · ".join(parts) or None


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Mapping) and set(value) == {"from", "to"}:
        return f"{_value(value['from'])} → {_value(value['to'])}"
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {_value(item)}" for key, item in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_value(item) if isinstance(item, Mapping) else str(item) for item in value) or "—"
    return str(value)


def describe_fields(fields: Mapping[str, Any] | None, zone: tzinfo) -> str:
    if not fields:
        return ""
    parts = []
    for key, value in fields.items():
        if key.endswith("_at") and isinstance(value, str):
            value = minute(value, zone)
        parts.append(f"{key}: {_value(value)}")
    return "; ".join(parts)


def render_case(entry: RecordEntry, policy: Policy, lines_after: Sequence[str] = ()) -> str:
    data, zone = entry.data, policy.zone
    level = data.get("level")
    level_name = pick(policy.levels[level].name, policy.levels[level].name_zh) if level in policy.levels else "?"
    kind = data.get("type")
    out = [
        f"{data.get('id')}  {data.get('title')}",
        _("  level {level} ({level_name}) · {type} {type_zh} · {status} · {channel} · {category}").format(
            level=level, level_name=level_name, type=word(TYPE_WORDS, kind),
            type_zh="" if current() == "zh" else type_zh(kind),
            status=word(STATUS_WORDS, data.get("status")), channel=word(CHANNEL_WORDS, data.get("channel") or "—"),
            category=data.get("category") or _("no category")),
    ]
    caller = data.get("caller") or {}
    caller_text = ", ".join(
        str(caller[k]) for k in ("name", "company", "phone", "email") if isinstance(caller, dict) and caller.get(k)
    )
    assignee = data.get("assignee")
    group = str(data.get("tier") or "") or None
    if data.get("vendor"):
        ticket = _(", ticket {ticket}").format(ticket=data["vendor_ticket"]) if data.get("vendor_ticket") else ""
        tier = group or _("vendor")
        group = f"{tier}: {data['vendor']}{ticket}"
    rows = [
        (N_("customer"), data.get("customer")),
        (N_("caller"), caller_text + (_(" (identity verified)") if isinstance(caller, dict) and caller.get("verified")
                                      else "")),
        (N_("owner"), assignee),
        (N_("group"), group),
        (N_("service"), _service_text(data.get("service"))),
        (N_("links"), ", ".join(f"{link.get('rel')} {link.get('to')}" for link in data.get("links") or []
                            if isinstance(link, Mapping)) or None),
        (N_("opened"), minute(data.get("opened_at"), zone)),
        (N_("responded"), minute(data.get("responded_at"), zone)),
        (N_("on site"), minute(data.get("onsite_at"), zone)),
        (N_("resolved"), minute(data.get("resolved_at"), zone)),
        (N_("closed"), minute(data.get("closed_at"), zone)
         + (_(" (confirmed by {person})").format(person=data.get("confirmed_by")) if data.get("confirmed_by") else "")),
    ]
    out += [f"  {pad(_(label), 11)}{_value(value)}" for label, value in rows]
    if data.get("closed_as"):
        out.append("  " + pad(_("closed as"), 11) + str(data["closed_as"]))
    if isinstance(data.get("tags"), list) and data["tags"]:
        out.append("  " + pad(_("tags"), 11) + ", ".join(str(t) for t in data["tags"]))
    if data.get("resolution") and data.get("status") in ("resolved", "closed"):
        out.append("  " + pad(_("resolution"), 11) + str(data["resolution"]))
    verdict = data.get("verdict")
    if isinstance(verdict, Mapping) and verdict.get("finding"):
        against = _(" (against {engineer})").format(engineer=verdict["engineer"]) if verdict.get("engineer") else ""
        out.append("  " + pad(_("verdict"), 11) + f"{verdict['finding']}{against}")
    out.extend(lines_after)
    pauses = data.get("pauses") or []
    if pauses:
        out += ["", _("Pauses")]
        for pause in pauses:
            until = minute(pause.get("until"), zone) if pause.get("until") else _("(still waiting)")
            out.append(
                f"  {minute(pause.get('from'), zone)} – {until}  "
                + _("waiting for {waiting_on}: {reason}").format(waiting_on=pause.get("waiting_on"),
                                                                 reason=pause.get("reason") or "")
            )
    out += ["", _("Activity")]
    for event in data.get("events") or []:
        detail = " ".join(
            part for part in (stored_text(event).replace("\n", " "), describe_fields(event.get("fields"), zone)) if part
        )
        if event.get("visibility") == "customer":  # what the customer sees (cases.public): said so on the line
            detail = (_("[from the customer] ") if event.get("kind") == "mail" else _("[to the customer] ")) + detail
        kind_word = pad(word(EVENT_WORDS, event.get("kind")), 10)
        out.append(f"  {minute(event.get('at'), zone)}  {str(event.get('by')):<12} {kind_word} {detail}".rstrip())
    description = description_of(entry.data, entry.body)
    if description:
        out += ["", _("Description"), *("  " + line if line else "" for line in description.splitlines())]
    return "\n".join(out)


# The column headings of `list`, by the key of the summary they show (`casefile board` shows the same).
LIST_HEADINGS = Words({  # in the reader's language when looked up
    "id": N_("CASE"), "level": N_("LV"), "type": N_("TYPE"), "status": N_("STATUS"), "assignee": N_("ASSIGNEE"),
    "opened_at": N_("OPENED"), "sla": N_("NEXT DUE"), "title": N_("TITLE"),
})

# What the markers of NEXT DUE mean (`list --help` says it too).
DUE_LEGEND = N_("! a commitment is breached    ? the clocks cannot be computed (casefile explain CASE says why)")


def render_list(rows: Sequence[Mapping[str, Any]], zone: tzinfo, empty: str, columns: int | None = None) -> str:
    """The table of `list`; padded by display width (a Chinese title counts two columns a character), each
    row cut to `columns` when given (a terminal's width), a legend under it when a marker appears."""
    from casefile.render.width import fit

    if not rows:
        return empty
    due = any("sla" in row for row in rows)
    head = {key: LIST_HEADINGS[key] for key in LIST_HEADINGS}
    due_head = f"{pad(head['sla'], 24)} " if due else ""
    lines = [f"{pad(head['id'], 10)} {pad(head['level'], 2)} {pad(head['type'], 12)} {pad(head['status'], 9)} "
             f"{pad(head['assignee'], 12)} {pad(head['opened_at'], 16)}  {due_head}{head['title']}"]
    marked = False
    for row in rows:
        due_text = next_due(row.get("sla"), zone) if due else ""
        marked = marked or due_text.startswith(("!", "?"))
        due_cell = f"{pad(due_text, 24)} " if due else ""
        lines.append(
            f"{pad(str(row['id']), 10)} {pad(str(row['level']), 2)} {pad(word(TYPE_WORDS, row['type']), 12)} "
            f"{pad(word(STATUS_WORDS, row['status']), 9)} {pad(str(row['assignee'] or '—'), 12)} "
            f"{pad(minute(row['opened_at'], zone), 16)}  {due_cell}{row['title']}"
        )
    if columns:
        lines = [fit(line, columns) for line in lines]
    if marked:
        legend = _(DUE_LEGEND)
        lines += ["", fit(legend, columns) if columns else legend]
    return "\n".join(lines)


def next_due(sla: Any, zone: tzinfo) -> str:
    """`restore 11-19 04:00`, with `!` when a commitment is breached (SLA columns of `list`)."""
    if not isinstance(sla, Mapping) or "error" in sla:
        return "?" if sla else "—"
    mark = "!" if sla.get("breached") else ""
    if not sla.get("next_due_at"):
        needs = sla.get("needs") or []
        if needs:  # a running clock whose deadline lies in a year without official days
            return mark + _("{clock} needs {year}").format(clock=needs[0]["clock"], year=needs[0]["year"])
        return mark + _("breached") if mark else (_("paused") if sla.get("paused") else "—")
    return f"{mark}{sla['next_clock']} {minute(sla['next_due_at'], zone)[5:]}"


def history_json(entries: Sequence[LogEntry]) -> list[dict[str, Any]]:
    return [
        {
            "commit": e.commit,
            "author": e.author.name,
            "email": e.author.email,
            "at": e.authored_at,
            "action": e.trailers.get("Casefile-Action"),
            "subject": e.subject,
        }
        for e in entries
    ]


def render_history(entries: Sequence[LogEntry], zone: tzinfo) -> str:
    lines = []
    for e in reversed(entries):  # oldest first, like the activity log
        action = e.trailers.get("Casefile-Action", _("(by hand)"))
        lines.append(f"{minute(e.authored_at, zone)}  {e.commit[:10]}  {action:<9} {e.author.name:<14} {e.subject}")
    return "\n".join(lines)


def shown_json(found: ShownCase, zone: tzinfo) -> dict[str, Any]:
    """`show --json`: the record with its clocks under `sla`."""
    from casefile.sla.views import show_json

    return case_json(found.entry, {"sla": show_json(found.sla, zone), "dependents": list(found.dependents),
                                   **handling_json(found.entry.data)})


def handling_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """`show --json`: the files kept, the work orders and the time spent (per person), worked out."""
    from casefile.cases.attachments import attachments_of
    from casefile.cases.timespent import spent_by
    from casefile.worktime.duration import format_duration

    spent = spent_by(data.get("events") or [])
    return {"attachments": [a.as_json() for a in attachments_of(data)],
            "workorders": [o.as_json() for o in _orders(data)],
            "time_spent": {"total": format_duration(sum(spent.values(), timedelta(0))),
                           "by": {who: format_duration(took) for who, took in spent.items()}}}


def handling_lines(data: Mapping[str, Any], zone: tzinfo) -> list[str]:
    """`show`: time spent, work orders and files, each section only when the case has some."""
    from casefile.cases.attachments import attachments_of
    from casefile.cases.timespent import spent_by
    from casefile.worktime.duration import format_duration

    out: list[str] = []
    spent = spent_by(data.get("events") or [])
    if spent:
        by = ", ".join(f"{who} {format_duration(took)}" for who, took in spent.items())
        out.append(f"  {'time spent':<11}{format_duration(sum(spent.values(), timedelta(0)))} ({by})")
    orders = _orders(data)
    if orders:
        out += ["", "Work orders"]
        for order in orders:
            signed = f"signed by {order.signed_by} {minute(order.signed_at, zone)}" if order.signed else "NOT SIGNED"
            times = " – ".join(minute(t, zone) for t in (order.arrived_at, order.departed_at) if t)
            out.append(f"  {order.number:<14} {order.engineer:<10} {times}  {signed}")
    files = attachments_of(data)
    if files:
        from casefile.policy.attachments import size_text  # with the policy's mail sizes: only for a case with files

        out += ["", "Attachments"]
        for item in files:
            size = size_text(item.size) if item.size is not None else "—"
            seen = "public" if item.public else "internal"
            lfs = ", Git LFS" if item.lfs else ""
            out.append(f"  {item.path}  {size}  {seen}{lfs}  ({item.source} {minute(item.at, zone)} {item.by})")
    return out


def _orders(data: Mapping[str, Any]) -> list[WorkOrder]:
    """The case's work orders; the module that reads them (its classes cost a few milliseconds to make)
    is loaded only for a case with an entry that names one (`fields.workorder`, which `orders_of` needs)."""
    if not any(isinstance(e, Mapping) and isinstance(e.get("fields"), Mapping) and e["fields"].get("workorder")
               not in (None, "") for e in data.get("events") or []):
        return []
    from casefile.cases.workorders import orders_of

    return orders_of(data)


def render_shown(found: ShownCase, policy: Policy) -> str:
    """`show`: the record, its clocks and ladder, pauses, activity and description."""
    from casefile.sla.views import show_lines

    lines = [*handling_lines(found.entry.data, policy.zone),
             *show_lines(found.sla, found.coverage, found.entry.data.get("events") or [], policy.zone)]
    if found.dependents:
        lines = [*lines, "", f"依赖此设备 Depends on {found.entry.data.get('asset')}:"]
        for d in found.dependents:
            how = "part of" if d["how"] == "part-of" else "depends on"
            lines.append(f"  {d['serial']:<16} {d.get('model') or '—'} @ {d.get('location') or '—'} — {how} {d['via']}")
    return render_case(found.entry, policy, lines)


def as_of_json(found: AsOf, zone: tzinfo) -> dict[str, Any]:
    """`show --as-of --json`: `show --json` of the case as committed then, with `as_of` saying from where."""
    shown = shown_json(found.shown, zone)
    shown["as_of"] = {"at": format_instant(found.at, zone), "commit": found.commit, "committed_at": found.committed_at,
                      "subject": found.subject, "notices": [plain(n) for n in found.notices]}
    return shown


def render_as_of(found: AsOf, policy: Policy) -> str:
    """`show --as-of`: a heading saying which moment and commit, then the case as `show` shows it."""
    zone = policy.zone
    head = [f"As of {format_instant(found.at, zone)}: from commit {found.commit[:10]} of {found.committed_at} "
            f"({found.subject})"]
    for notice in found.notices:
        told = ", ".join(notice.notified) or "nobody"
        paged = f"; paged {', '.join(notice.paged)}" if notice.paged else ""
        head.append(f"  {notice.at}  {notice.key}: told {told}{paged}")
    return "\n".join(head) + "\n\n" + render_shown(found.shown, policy)
