"""The words of one fired alert, on the terminal and in the mail `check --notify` sends each person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from casefile.check.model import Fired
from casefile.i18n import N_, _
from casefile.policy.people import Person
from casefile.render.width import pad

KIND_WORDS = {"warning": N_("warning"), "breach": N_("BREACH"), "ladder": N_("escalate"), "uncomputable": N_("NO DATA")}
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def _hm(value: datetime, zone: tzinfo, now: datetime) -> str:
    local = value.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return f"{_(WEEKDAYS[local.weekday()])} {local:%m-%d %H:%M}"


def line_of(item: Fired, zone: tzinfo) -> str:
    alert, due = item.alert, item.due
    if str(alert.kind) == "uncomputable":  # said once; it has no due time of its own
        return f"  {due.record_id:<10} {due.level:<2} {pad(_(KIND_WORDS['uncomputable']), 9)}{alert.label} — {due.title}"
    when = _("due {time}").format(time=_hm(alert.due_at, zone, item.fired_at))
    if alert.deferred:
        when += _(", held until the desk opened at {time}").format(time=_hm(alert.page_at, zone, item.fired_at))
    return (
        f"  {due.record_id:<10} {due.level:<2} {pad(_(KIND_WORDS.get(str(alert.kind), str(alert.kind))), 9)}"
        f"{alert.label} ({when}) — {due.title}"
    )

def mail_body(person: Person, items: Sequence[Fired], zone: tzinfo) -> str:
    lines = [_("{name},").format(name=person.name), "", _("casefile check recorded these alerts for you:"), ""]
    for item in items:
        lines.append(line_of(item, zone).strip())
        if item.pages:  # the holder on duty was paged (rota.yaml); an ack is theirs to give
            lines.append(_("    paged: {pages} (acknowledge: casefile ack {case})").format(
                pages=", ".join(_("{to} on {channel} as {role}").format(to=p.to, channel=p.channel, role=p.role)
                                for p in item.pages), case=item.due.record_id))
        lines.append(_("    casefile show {record_id}    casefile explain {record_id}").format(record_id=item.due.record_id))
    lines += ["", "-- ", _("casefile check (sent once per alert; replies are not read)")]
    return "\n".join(lines) + "\n"
