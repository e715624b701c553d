"""`casefile show CASE --as-of TIME`: the case as the desk knew it at that moment.

Read from the commits, not the current file: the last commit at or before TIME (by the time it was
made, which is the desk's clock, `--now`, when it was made) that touched the case's file
(`git.history.History.version_at`), its clocks evaluated at TIME under the policy version it was opened
under, and who had been told and paged by then (the alerts `check` had recorded in it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casefile.cases.work import ShownCase
from casefile.errors import NotFound
from casefile.records.file import RecordEntry, read_plain
from casefile.session import Session
from casefile.sla.engine import CaseSla
from casefile.sla.work import ServiceLevels
from casefile.i18n import _
from casefile.values import Struct


class Notice(Struct, frozen=True):
    """An alert `check` had recorded in the case by then: who was told (mail) and paged (rota)."""

    at: str
    key: str
    kind: str
    notified: tuple[str, ...]
    paged: tuple[str, ...]


class AsOf(Struct, frozen=True):
    shown: ShownCase
    at: datetime  # the moment asked for
    commit: str  # the commit the case is read from
    committed_at: str
    subject: str
    notices: tuple[Notice, ...]


def notices_of(data: Mapping[str, Any]) -> tuple[Notice, ...]:
    """Every alert and re-page recorded in a case's events, oldest first."""
    found = []
    for event in data.get("events") or []:
        fields = event.get("fields") if isinstance(event, Mapping) else None
        if not isinstance(fields, Mapping) or not fields.get("key") or str(event.get("kind")) == "opened":
            continue
        if str(fields["key"]).startswith("mail/"):  # the mail a step sent (an escalation's), not an alert of check
            continue
        paged = fields.get("paged") or []
        to = [str(p.get("to")) for p in paged if isinstance(p, Mapping) and p.get("to")]
        if fields.get("to"):  # a re-page (`paged` event)
            to.append(str(fields["to"]))
        notified = fields.get("notified") or []
        if not to and not notified:
            continue
        found.append(Notice(str(event.get("at")), str(fields["key"]), str(event.get("kind")),
                            tuple(str(n) for n in notified if n), tuple(to)))
    return tuple(found)


def show_as_of(session: Session, case_number: str, at: datetime) -> AsOf:
    case_id, path = session.catalog.locate(case_number)
    version = session.repo.version_at(path, at)
    if version is None:
        raise NotFound(_("{case_id} did not exist yet at {stamp}").format(case_id=case_id, stamp=session.stamp(at)),
                       _("`casefile history {case_id}` lists its commits and their times").format(case_id=case_id))
    entry, content = version
    data, body = read_plain(content.decode("utf-8"), path)
    record = RecordEntry(path, data, body)
    sla = ServiceLevels(session).try_of(data, at)
    shown = ShownCase(record, sla, sla.coverage if isinstance(sla, CaseSla) else "")
    return AsOf(shown, at, entry.commit, entry.authored_at, entry.subject, notices_of(data))
