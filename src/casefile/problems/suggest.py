"""`problem suggest`: recurring incidents that point at a problem, found from the cases themselves.

A candidate is a customer's incidents with the same device (`asset`) or the
same category, at least `incidents` of them opened within `within` of each
other (the policy's `problems.suggest`, three in 30 days by default).  Every
window of that length that holds enough incidents counts, and overlapping
windows make one candidate, so a run of failures is proposed once, with all
its incidents.  Left out: cases that are not incidents, duplicates and the
affected callers of a major incident (counted with another case), and
incidents already linked to a problem.  A category candidate whose incidents
a device candidate already holds is not proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from casefile.values import Struct


class Incident(Struct, frozen=True):
    id: str
    customer: str
    opened: datetime
    category: str | None = None
    asset: str | None = None
    title: str = ""


class Suggestion(Struct, frozen=True):
    customer: str
    by: str  # "device" or "category"
    value: str  # the serial number or the category
    incidents: tuple[Incident, ...]

    @property
    def key(self) -> str:
        """What `problem suggest --accept` takes: customer, what is shared, and the day of the first incident."""
        return f"{self.customer}:{self.by}:{self.value}:{self.incidents[0].opened:%Y-%m-%d}"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(incident.id for incident in self.incidents)


def candidates(incidents: Iterable[Incident], linked: Iterable[str], least: int, within: timedelta) -> list[Suggestion]:
    """The candidates among `incidents` (already filtered to the customer's unlinked incidents or not)."""
    taken = set(linked)
    groups: dict[tuple[str, str, str], list[Incident]] = {}
    for incident in incidents:
        if incident.id in taken or not incident.customer:
            continue
        if incident.asset:
            groups.setdefault((incident.customer, "device", incident.asset), []).append(incident)
        if incident.category:
            groups.setdefault((incident.customer, "category", incident.category), []).append(incident)
    found: list[Suggestion] = []
    for (customer, by, value), members in sorted(groups.items()):
        for run in runs(sorted(members, key=lambda i: (i.opened, i.id)), least, within):
            found.append(Suggestion(customer, by, value, run))
    devices = [set(s.ids) for s in found if s.by == "device"]
    kept = [s for s in found if s.by == "device" or not any(set(s.ids) <= ids for ids in devices)]
    return sorted(kept, key=lambda s: (s.incidents[-1].opened, s.customer, s.by != "device", s.value), reverse=True)


def runs(ordered: list[Incident], least: int, within: timedelta) -> list[tuple[Incident, ...]]:
    """The runs of `ordered` (by opening time): unions of overlapping windows of `within` holding `least` or more."""
    marked: list[tuple[int, int]] = []
    end = 0
    for start in range(len(ordered)):
        end = max(end, start)
        while end + 1 < len(ordered) and ordered[end + 1].opened - ordered[start].opened <= within:
            end += 1
        if end - start + 1 >= least:
            if marked and start <= marked[-1][1]:
                marked[-1] = (marked[-1][0], end)
            else:
                marked.append((start, end))
    return [tuple(ordered[a:b + 1]) for a, b in marked]


def incident_of(row: Mapping[str, Any], opened: datetime) -> Incident:
    return Incident(str(row["id"]), str(row.get("customer") or ""), opened, row.get("category") or None,
                    row.get("asset") or None, str(row.get("title") or ""))
