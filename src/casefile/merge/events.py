"""Merging two activity logs: every event from both sides, once, in time order.

The rules (documented in the README, "How records merge"):

1. An event is its whole content — `at`, `by`, `kind`, `text`, `fields` —
   compared as plain data (quoting, comments and layout do not matter).
2. Three-way: the result starts from the common version's events; an event one
   side removed or rewrote by hand is removed or replaced; events either side
   added are added; an event both sides added (the same event, e.g. both
   merged a third clone) appears once.
3. Events whose `fields.key` is equal are one logical event — the same
   escalation step fired by `casefile check` on two hosts.  The earliest
   firing stays; every other firing is listed in its `fields.also_fired`
   (`at`, `by`, and `host` when the event names one), so the audit trail still
   shows that several hosts fired it.  This is idempotent: merging the result
   again with either side changes nothing.
4. The result is ordered by `at` (as instants, so offsets compare correctly);
   events at the same instant keep the order they had.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from casefile.records import yamlio
from casefile.worktime.clock import parse_stored

ALSO_FIRED = "also_fired"
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
_LATEST = datetime.max.replace(tzinfo=timezone.utc)


def canonical(value: Any) -> str:
    """One string per meaning: equal values give equal strings."""
    return json.dumps(yamlio.plain(value), sort_keys=True, ensure_ascii=False, default=str)


def instant(value: Any) -> datetime | None:
    try:
        return parse_stored(str(value)) if value else None
    except ValueError:
        return None


def added_events(base: Sequence[Any], side: Sequence[Any]) -> list[Any]:
    """The events of `side` that the common version does not have."""
    known = Counter(canonical(e) for e in base)
    result = []
    for event in side:
        key = canonical(event)
        if known[key]:
            known[key] -= 1
        else:
            result.append(event)
    return result


def merge_events(base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
    """The merged log (objects taken from `ours` where it has them, so their comments stay)."""
    return _in_time_order(fold_keyed(merge_items(base, ours, theirs)))


def merge_items(base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
    """A three-way merge of a list as a multiset: both sides' additions and removals.

    The result keeps `ours`' order, followed by what only `theirs` added."""
    counts_b = Counter(canonical(e) for e in base)
    counts_o = Counter(canonical(e) for e in ours)
    counts_t = Counter(canonical(e) for e in theirs)
    wanted = {key: _combined(counts_b[key], counts_o[key], counts_t[key]) for key in counts_b | counts_o | counts_t}
    chosen: list[Any] = []
    for source in (ours, theirs, base):
        for item in source:
            key = canonical(item)
            if wanted.get(key, 0) > 0:
                wanted[key] -= 1
                chosen.append(item)
    return chosen


def _combined(base: int, ours: int, theirs: int) -> int:
    """How often an event occurs after the merge: both sides' changes, a shared change once."""
    d_ours, d_theirs = ours - base, theirs - base
    if d_ours >= 0 and d_theirs >= 0:
        change = max(d_ours, d_theirs)
    elif d_ours <= 0 and d_theirs <= 0:
        change = min(d_ours, d_theirs)
    else:
        change = d_ours + d_theirs
    return max(0, base + change)


def event_key(event: Any) -> str | None:
    fields = event.get("fields") if isinstance(event, Mapping) else None
    key = fields.get("key") if isinstance(fields, Mapping) else None
    return str(key) if key not in (None, "") else None


def _firing(event: Mapping[str, Any]) -> dict[str, Any]:
    fields = event.get("fields") or {}
    firing = {"at": yamlio.plain(event.get("at")), "by": yamlio.plain(event.get("by"))}
    if isinstance(fields, Mapping) and fields.get("host"):
        firing["host"] = yamlio.plain(fields["host"])
    return firing


def _firings(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    fields = event.get("fields") or {}
    listed = fields.get(ALSO_FIRED) if isinstance(fields, Mapping) else None
    extra = [yamlio.plain(f) for f in listed if isinstance(f, Mapping)] if isinstance(listed, list) else []
    return [_firing(event), *extra]


def fold_keyed(events: Iterable[Any]) -> list[Any]:
    """Rule 3: one event per `fields.key`, the earliest, listing the other firings."""
    events = list(events)
    groups: dict[str, list[Any]] = {}
    for event in events:
        key = event_key(event)
        if key is not None:
            groups.setdefault(key, []).append(event)
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        firings = {canonical(f): f for event in group for f in _firings(event)}
        ordered = sorted(firings.values(), key=lambda f: (_sort_instant(f.get("at")), canonical(f)))
        first = ordered[0]
        keeper = next(e for e in group if canonical(_firing(e)) == canonical(first))
        _set_also_fired(keeper, ordered[1:])
        dropped |= {id(e) for e in group if e is not keeper}
    return [e for e in events if id(e) not in dropped]


def _set_also_fired(event: Any, others: list[dict[str, Any]]) -> None:
    fields = event.get("fields")
    current = yamlio.plain(fields.get(ALSO_FIRED)) if isinstance(fields, Mapping) else None
    if current == (others or None):
        return
    if others:
        fields[ALSO_FIRED] = yamlio.new_seq([yamlio.new_map(f) for f in others])
    else:
        del fields[ALSO_FIRED]


def _sort_instant(value: Any) -> datetime:
    return instant(value) or _LATEST


def _in_time_order(events: list[Any]) -> list[Any]:
    """Stable sort by `at`; an event without a readable time stays after the one before it."""
    keys: list[datetime] = []
    previous: datetime | None = None
    for event in events:
        when = instant(event.get("at")) if isinstance(event, Mapping) else None
        when = when or previous
        keys.append(when if when is not None else _EARLIEST)
        previous = keys[-1]
    order = sorted(range(len(events)), key=lambda i: keys[i])
    return [events[i] for i in order]
