"""The words of one fired alert, on the terminal and in the mail `check --notify` sends each person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from casefile.check.model import Fired
from casefile.policy.people import Person

KIND_WORDS = {"warning": "warning", "breach": "BREACH", "ladder": "escalate", "uncomputable": "NO DATA"}


def _hm(value: datetime, zone: tzinfo, now: datetime) -> str:
    local = value.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%a %m-%d %H:%M")


def line_of(item: Fired, zone: tzinfo) -> str:
    alert, due = item.alert, item.due
    if str(alert.kind) == "uncomputable":  # said once; it has no due time of its own
        return f"  {due.record_id:<10} {due.level:<2} {KIND_WORDS['uncomputable']:<9}{alert.label} — {due.title}"
    when = f"due {_hm(alert.due_at, zone, item.fired_at)}"
    if alert.deferred:
        when += f", held until the desk opened at {_hm(alert.page_at, zone, item.fired_at)}"
    return (
        f"  {due.record_id:<10} {due.level:<2} {KIND_WORDS.get(str(alert.kind), str(alert.kind)):<9}"
        f"{alert.label} ({when}) — {due.title}"
    )

def mail_body(person: Person, items: Sequence[Fired], zone: tzinfo) -> str:
    lines = [f"{person.name},", "", "casefile check recorded these alerts for you:", ""]
    for item in items:
        lines.append(line_of(item, zone).strip())
        lines.append(f"    casefile show {item.due.record_id}    casefile explain {item.due.record_id}")
    lines += ["", "-- ", "casefile check (sent once per alert; replies are not read)"]
    return "\n".join(lines) + "\n"
