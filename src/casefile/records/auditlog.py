"""The activity log only grows (SPEC 7): what a commit may do to a record's history.

A record's `events` are its audit trail.  A commit may add events at the end
of the log and nothing else: it may not change an existing event (its time,
author, kind, text or fields), insert one before the last, or remove one, and
it may not change the record's `id` or `opened_at`.  A merge commit may join
the logs of its parents — every parent's log must still be there, in its own
order, unchanged (the merge driver interleaves them by time) — and add events
after them.

`log_rewrites` compares front matters and says what was rewritten;
`commit_rewrites` does it for every record a commit changed.  The server hook
refuses a push with such a commit; `casefile audit` replays a history (for
repositories without the hook) and names each commit that broke the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from casefile.git.repo import GitRepo
from casefile.i18n import _
from casefile.records.file import read_plain
from casefile.records.kinds import kind_of
from casefile.records.yamlio import RecordError
from casefile.values import Struct

FIXED_KEYS = ("id", "opened_at")


class Rewrite(Struct, frozen=True):
    commit: str
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.commit[:12]} {self.path}: {self.problem}"

    def as_json(self) -> dict[str, str]:
        return {"commit": self.commit, "path": self.path, "problem": self.problem}


def _events(data: Mapping[str, Any]) -> list[Any]:
    events = data.get("events")
    return list(events) if isinstance(events, list) else []


def _describe(event: Any, number: int) -> str:
    if isinstance(event, Mapping):
        return _("event {number} ({at}, {kind})").format(number=number + 1, at=event.get('at', '?'), kind=event.get('kind', '?'))
    return _("event {number}").format(number=number + 1)


def log_rewrites(parents: Sequence[Mapping[str, Any]], after: Mapping[str, Any]) -> list[str]:
    """What `after` rewrote of the record as it was in each of `parents` (one for an ordinary commit)."""
    problems: list[str] = []
    for key in FIXED_KEYS:
        for before in parents:
            if key in before and before.get(key) != after.get(key):
                problems.append(_("{key} changed from {before!r} to {after!r}; it never changes").format(key=key, before=before.get(key), after=after.get(key)))
                break
    new = _events(after)
    if len(parents) == 1:
        old = _events(parents[0])
        for number, event in enumerate(old):
            if number >= len(new):
                problems.append(_("{event} was removed; the activity log only grows").format(event=_describe(event, number)))
                break
            if new[number] != event:
                moved = event in new[number:]
                problems.append(f"{_describe(event, number)} was "
                                + ("moved: an event was inserted before it" if moved else "changed or removed")
                                + "; the activity log only grows, add a new event instead")
                break
        return problems
    # A merge: every parent's events are still there (the driver orders the union by time, and folds the
    # firings of one escalation step on two hosts into the earliest, listing the others in `also_fired`).
    matched: set[int] = set()
    for before in parents:
        taken: set[int] = set()
        for number, event in enumerate(_events(before)):
            found = next((i for i, candidate in enumerate(new) if i not in taken and _same(event, candidate)), None)
            if found is None:
                found = next((i for i, candidate in enumerate(new) if _same(event, candidate)), None)
            if found is None:
                problems.append(_("{event} of a merged parent was changed or removed").format(event=_describe(event, number)))
                break
            taken.add(found)
        matched |= taken
    last = max(matched, default=-1)
    for number, event in enumerate(new[: last + 1]):
        if number not in matched and not any(_same(e, event) for before in parents for e in _events(before)):
            problems.append(_("{event} was inserted among the merged events; add new ones at the end").format(event=_describe(event, number)))
            break
    return problems


def _same(old: Any, new: Any) -> bool:
    """`new` is `old`, or what a merge made of it: `also_fired` added, or a firing of the same step folded."""
    if old == new:
        return True
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return False
    old_fields, new_fields = old.get("fields"), new.get("fields")
    if isinstance(old_fields, Mapping) and isinstance(new_fields, Mapping):
        if old_fields.get("key") is not None and old_fields.get("key") == new_fields.get("key") \
                and old.get("kind") == new.get("kind"):
            return True
        if {**old, "fields": _without_also(old_fields)} == {**new, "fields": _without_also(new_fields)}:
            return True
    return False


def _without_also(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "also_fired"}


def _plain(content: bytes | None, path: str) -> Mapping[str, Any] | None:
    if content is None:
        return None
    try:
        data, _body = read_plain(content.decode("utf-8"), path)
    except (RecordError, UnicodeDecodeError):
        return None  # unreadable: validation says why, here there is no log to compare
    return data


def _logged(path: str) -> bool:
    return path.endswith(".md") and kind_of(path) is not None


def commit_rewrites(repo: GitRepo, commit: str, parents: Sequence[str]) -> list[Rewrite]:
    """The rewrites of activity logs in one commit, against its parents."""
    if not parents:
        return []
    changed: set[str] = set()
    for parent in parents:
        changed |= {path for status, path in repo.changed_paths(parent, commit) if status == "M" and _logged(path)}
    if not changed:
        return []
    paths = sorted(changed)
    specs = [f"{rev}:{path}" for path in paths for rev in (commit, *parents)]
    found = iter(repo.read_objects(specs))
    rewrites = []
    for path in paths:
        after = _plain(_content(next(found)), path)
        befores = [_plain(_content(next(found)), path) for _parent in parents]
        present = [b for b in befores if b is not None]
        if after is None or not present:
            continue
        rewrites += [Rewrite(commit, path, problem) for problem in log_rewrites(present, after)]
    return rewrites


def _content(item: tuple[str, bytes] | None) -> bytes | None:
    return item[1] if item is not None and item[0] == "blob" else None


def history_rewrites(repo: GitRepo, revs: Iterable[str]) -> list[Rewrite]:
    """Every rewrite in the commits `git rev-list REVS` lists, oldest first."""
    found: list[Rewrite] = []
    for commit, parents in repo.commits_with_parents(*revs):
        found += commit_rewrites(repo, commit, parents)
    return found
