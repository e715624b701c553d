"""What a problem (问题, ITIL problem management) is: the cause behind recurring incidents.

Seed 000 asks the desk to find the causes behind incidents from the case
statistics and prevent them.  One file per problem, numbered like cases under
this clone's station, sharded by the month it was opened,
`problems/2026/10/PRB-KMT-00001.md`:

    ---
    id: PRB-KMT-00001
    title: Core switch SW-FT-01 drops its uplink
    status: known-error          # open, known-error, resolved, closed
    customer: sz-metro
    category: network/switch
    asset: FOC2345X0AB           # the customer's device it is about (a serial of its assets)
    incidents: [KMT-00001, KMT-00004, KMT-00009]   # each case links back (rel: problem)
    root_cause: The MPU's firmware leaks memory under multicast load.
    workaround: Reload the standby MPU at night.
    article: c9300-mpu-reload    # the knowledge-base article of the known error
    resolution:
    opened_at: '2026-10-28T10:00:00+08:00'
    opened_by: wang.fang
    known_error_at: '2026-10-29T16:00:00+08:00'
    resolved_at:
    closed_at:
    events:
      - at: '2026-10-28T10:00:00+08:00'
        by: wang.fang
        kind: opened
        text: From recurring incidents (casefile problem suggest)
    ---
    What is known (Markdown).

A problem becomes a *known error* once both its root cause and a workaround
are recorded (ITIL); it is resolved when the cause is removed, and closed
after that.  Events name the fields they set (`fields`), so the record merge
driver settles two clones' edits by the later change, as for cases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from casefile.errors import CasefileError, NotFound
from casefile.records.kinds import PROBLEMS
from casefile.records.numbers import ALPHABET
from casefile.records.problems import Checker, Problem
from casefile.i18n import _


class ProblemStatus(StrEnum):
    OPEN = "open"
    KNOWN_ERROR = "known-error"
    RESOLVED = "resolved"
    CLOSED = "closed"


class ProblemEvent(StrEnum):
    OPENED = "opened"
    LINKED = "linked"
    NOTE = "note"
    KNOWN_ERROR = "known-error"
    RESOLVED = "resolved"
    CLOSED = "closed"
    MERGED = "merged"  # the record merge driver's account of what it settled


STATUSES = tuple(str(s) for s in ProblemStatus)
ACTIVE = frozenset({ProblemStatus.OPEN, ProblemStatus.KNOWN_ERROR})
FIELD_ORDER = (
    "id", "title", "status", "customer", "category", "asset", "incidents", "root_cause", "workaround",
    "article", "resolution", "opened_at", "opened_by", "known_error_at", "resolved_at", "closed_at", "events",
)
TEXTS = ("title", "customer", "category", "asset", "root_cause", "workaround", "article", "resolution", "opened_by")
TIMES = ("opened_at", "known_error_at", "resolved_at", "closed_at")
_TYPED = re.compile(rf"^(?:PRB-?)?([{ALPHABET}]{{3}})-?(\d{{1,5}})$")
_CASE = re.compile(rf"^[{ALPHABET}]{{3}}-\d{{5}}$")


class ProblemNotFound(NotFound):
    def __init__(self, ident: str) -> None:
        super().__init__(_("no problem {ident}").format(ident=ident), _("`casefile problem list --all` shows them"))


def parse_problem_id(text: str) -> str:
    """`prb-kmt-1`, `PRB-KMT-00001` or `KMT-1` as `PRB-KMT-00001`."""
    match = _TYPED.match(text.strip().upper())
    if not match or int(match[2]) == 0:
        raise CasefileError(_("{text!r} is not a problem number").format(text=text),
                            _("problem numbers look like PRB-KMT-00001; `casefile problem list --all` shows them"))
    return f"PRB-{match[1]}-{int(match[2]):05d}"


def next_problem_id(station: str, taken: set[str]) -> str:
    """The next number under `station`: one more than the highest it has used (numbers are never reused)."""
    used = [int(ident[-5:]) for ident in taken if ident.startswith(f"PRB-{station}-")]
    sequence = max(used, default=0) + 1
    if sequence > 99_999:
        raise CasefileError(_("station {station} has no problem numbers left").format(station=station), _("open it from another clone"))
    return f"PRB-{station}-{sequence:05d}"


def problem_problems(data: Mapping[str, Any], file_stem: str | None) -> list[Problem]:
    """What is wrong with a problem record (empty when it is valid)."""
    c = Checker()
    ident = data.get("id")
    if not isinstance(ident, str) or not PROBLEMS.id_pattern.match(ident):
        c.add(("id",), _("id {ident!r} is not a problem number like PRB-KMT-00001").format(ident=ident))
    elif file_stem is not None and file_stem != ident:
        c.add(("id",), _("id {ident} does not match the file name {file_stem}.md").format(ident=ident, file_stem=file_stem))
    c.choice(data, "status", STATUSES)
    for key in TEXTS:
        if key == "title":
            c.line(data, key, required=True)
        else:
            c.text(data, key)
    for key in TIMES:
        c.instant(data, key, required=key == "opened_at")
    incidents = data.get("incidents")
    if incidents is not None and not isinstance(incidents, list):
        c.add(("incidents",), _("incidents must be a list of case numbers like KMT-00417"))
    for index, case in enumerate(incidents if isinstance(incidents, list) else []):
        if not isinstance(case, str) or not _CASE.match(case):
            c.add(("incidents", index), _("incidents[{index}] {case!r} is not a case number like KMT-00417").format(index=index, case=case))
    status = data.get("status")
    if status == ProblemStatus.KNOWN_ERROR and not (data.get("root_cause") and data.get("workaround")):
        c.add(("status",), _("a known error needs its root_cause and workaround"))
    if status in (ProblemStatus.RESOLVED, ProblemStatus.CLOSED) and not (data.get("resolved_at") and data.get("resolution")):
        c.add(("status",), _("a {status} problem needs resolved_at and its resolution").format(status=status))
    if status == ProblemStatus.CLOSED and not data.get("closed_at"):
        c.add(("status",), _("a closed problem needs closed_at"))
    _check_events(c, data.get("events"))
    return c.problems


def _check_events(c: Checker, events: Any) -> None:
    if not isinstance(events, list) or not events:
        c.add(("events",), _("events must be a list with at least the 'opened' event"))
        return
    kinds = {str(k) for k in ProblemEvent}
    for index, event in enumerate(events):
        where = ("events", index)
        if not isinstance(event, dict):
            c.add(where, _("events[{index}] must be a mapping with at, by and kind").format(index=index))
            continue
        c.instant(event, "at", where, required=True)
        c.text(event, "by", where, required=True)
        if event.get("kind") not in kinds:
            c.add((*where, "kind"), _("events[{index}].kind {kind!r} is not one of: {choices}").format(index=index, kind=event.get('kind'), choices=', '.join(sorted(kinds))))
        if event.get("text") is not None and not isinstance(event.get("text"), str):
            c.add((*where, "text"), _("events[{index}].text must be text").format(index=index))
        if event.get("fields") is not None and not isinstance(event.get("fields"), dict):
            c.add((*where, "fields"), _("events[{index}].fields must be a mapping").format(index=index))


def incidents_of(data: Mapping[str, Any]) -> list[str]:
    found = data.get("incidents")
    return [str(case) for case in found] if isinstance(found, list) else []
