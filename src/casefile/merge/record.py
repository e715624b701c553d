"""Merging two versions of one record: the core of the record merge driver.

Any record kind — cases, customers, inspections, surveys, kb articles — is
YAML front matter and a Markdown body, and merges by the same rules.  The
front matter is merged key by key, three-way against the common version:

* changed on one side only: that side's value, with its comments;
* changed on both sides to the same value: that value;
* changed on both sides to different values:
  - `events` (the activity log): every event from both sides, once, in time
    order (`eventmerge`);
  - `pauses`: pause by pause (matched by `from`); a pause both sides ended
    ends at the earlier time — the first resume ended the wait;
  - any other list: both sides' additions and removals;
  - a mapping (`caller`): key by key, by these same rules;
  - when something first happened (`opened_at`, `responded_at`, `onsite_at`):
    the earlier time wins — the first response is the first;
  - anything else: the side whose latest event touching the field is later
    wins ("the later change wins"); a side's events touch a field when their
    `fields` name it (or an `edited` event lists it).  If that cannot tell
    them apart — no such events, or the same time — the version being merged
    in wins (in `casefile sync`: the remote's, which others already have).
  Fields that change together are settled together, so they never mix:
  `status` with `resolved_at`, `resolution`, `closed_at` and `confirmed_by`;
  `assignee` with `tier`.

Nothing is silently dropped: every losing value goes into a `merged` event
(`by: merge`, at the time of the latest merged event, `fields` naming each
field with the `kept` and `lost` values); a record without an activity log
gets the same as a note at the end of its body.  Afterwards a case's status
and pauses are made to agree (`casereconcile`).

The body is merged as text, three-way; where both sides changed the same
lines, both versions are kept one after the other between clearly worded
marks — never git's conflict markers, which `validate` refuses — and the merge
event says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from casefile.merge.body import TextMerger, merge_body
from casefile.merge.events import added_events, canonical, instant, merge_events, merge_items
from casefile.merge.reconcile import reconcile_case, reconcile_change
from casefile.records import yamlio
from casefile.records.file import FIRST_YAML_LINE, RecordText, split
from casefile.records.kinds import STATEMENTS
from casefile.records.yamlio import RecordError
from casefile.i18n import LANGUAGES, N_, _, current, translate
from casefile.said import Said
from casefile.values import Struct, field

EVENTS = "events"
MERGE_ACTOR = "merge"
# The `merged` event is kept without words: this message, and what was settled in each language (`changes`,
# `changes_zh`), so each reader reads it in theirs (`i18n.stored_text`).
MERGED = N_("Merged changes made on two clones at once: {changes}.")
WORDS = ("status",)  # values that are casefile's words (a status), said in the reader's language
MERGE_KIND = "merged"
# Fields that one step changes together; a merge takes them from one side.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("status", "resolved_at", "resolution", "closed_at", "confirmed_by", "known_error_at",
     "started_at", "completed_at", "result"),
    ("assignee", "tier"),
)
# The time something first happened: the earlier wins.
FIRST_TIME_WINS = frozenset({"opened_at", "responded_at", "onsite_at"})
# Lists of mappings matched item by item: list key -> (identity key, fields where the earlier time wins).
KEYED_LISTS: dict[str, tuple[str, frozenset[str]]] = {"pauses": ("from", frozenset({"until"}))}
# Events that set a field without naming it in `fields`.
KIND_TOUCHES: dict[str, frozenset[str]] = {
    "responded": frozenset({"responded_at"}),
    "resolved": frozenset({"resolved_at", "resolution"}),
    "closed": frozenset({"closed_at", "confirmed_by"}),
    "onsite": frozenset({"onsite_at"}),
}
_LAST = datetime.max.replace(tzinfo=timezone.utc)


class NotARecord(Exception):
    """A side is not front matter + body; the driver merges it as plain text."""


class DifferentRecords(Exception):
    """Both sides created this file independently, with different records in it."""


class _Missing:
    def __repr__(self) -> str:
        return "(none)"


MISSING: Any = _Missing()
OURS, THEIRS = "ours", "theirs"


class Resolution(Struct, frozen=True):
    """Values both sides changed differently: what was kept, what lost, and why."""

    keys: tuple[str, ...]
    kept: tuple[Any, ...]
    lost: tuple[Any, ...]
    why: Said

    def sentence(self, lang: str) -> str:
        pairs = [translate(N_("{key} {kept} (not {lost})"), lang).format(key=key, kept=_shown(kept, lang),
                                                                         lost=_shown(lost, lang))
                 for key, kept, lost in zip(self.keys, self.kept, self.lost)]
        return translate(N_("kept {pairs}: {why}"), lang).format(pairs=translate(N_(", "), lang).join(pairs),
                                                                 why=said_in(self.why, lang))


def said_in(said: Said, lang: str) -> str:
    """A sentence of the merge in `lang`; a value that is casefile's word (a status) in that language too."""
    values = {name: translate(str(value), lang) if name in WORDS else value for name, value in said.values}
    return translate(said.key, lang).format(**values)


class MergedRecord(Struct):
    text: str
    resolutions: list[Resolution] = field(default_factory=list)
    notes: list[Said] = field(default_factory=list)


class _Parsed(Struct, frozen=True):
    data: Any
    body: str
    header: str
    indent: yamlio.Indent


def _parse(text: str, source: str) -> _Parsed:
    try:
        parts = split(text, source)
        data = yamlio.load_editable(parts.header, source, FIRST_YAML_LINE)
    except RecordError as error:
        raise NotARecord(str(error)) from None
    return _Parsed(data, parts.body, parts.header, yamlio.guess_indent(parts.header))


def merge_record(
    base_text: str | None, ours_text: str, theirs_text: str, source: str, merge_text: TextMerger
) -> MergedRecord:
    """The merged record; raises NotARecord or DifferentRecords when it cannot be merged as one."""
    ours, theirs = _parse(ours_text, source), _parse(theirs_text, source)
    base = _parse(base_text, source) if base_text else None
    if STATEMENTS.owns(source) and ours_text != theirs_text:
        # An SLA statement is issued once and never changed: two versions are never blended.
        raise DifferentRecords(_("two clones issued different SLA statements for the same month; keep the one issued first (git log) and remove the other"))
    if base is None:
        _same_record_or_raise(ours.data, theirs.data)
    front = _FrontMerge(base, ours, theirs)
    front.run()
    notes = reconcile_case(ours.data) + reconcile_change(ours.data)
    body, body_note = merge_body(base.body if base else "", ours.body, theirs.body, merge_text)
    if body_note:
        notes.append(body_note)
    result = MergedRecord("", front.resolutions, notes)
    if result.resolutions or result.notes:
        body = _record_losses(ours.data, body, result)
    result.text = RecordText(yamlio.dump(ours.data, ours.indent), body).join()
    return result


def _same_record_or_raise(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> None:
    """With no common version, two files are one record only if they began the same way.

    A case begins with its `opened` event.  Records that `check` creates on any
    host (a planned inspection, a scheduled survey) have ids made from what they
    are about (customer and period) and no opening: the same id is the same record.
    """
    if "opened_at" not in ours and "opened_at" not in theirs and ours.get("id") and ours.get("id") == theirs.get("id"):
        return
    first_o, first_t = _first_event(ours), _first_event(theirs)
    if first_o is not None and first_t is not None and canonical(first_o) != canonical(first_t):
        raise DifferentRecords(_("both sides created this record independently, with different first events"))


def _first_event(data: Mapping[str, Any]) -> Any:
    events = data.get(EVENTS)
    return events[0] if isinstance(events, list) and events else None


class _FrontMerge:
    def __init__(self, base: _Parsed | None, ours: _Parsed, theirs: _Parsed) -> None:
        self.base_data: Any = base.data if base else {}
        self.ours_data, self.theirs_data = ours.data, theirs.data
        base_events = _plain_events(self.base_data)
        self.new_events = {
            OURS: added_events(base_events, _plain_events(ours.data)),
            THEIRS: added_events(base_events, _plain_events(theirs.data)),
        }
        self.spans = (
            yamlio.key_spans(base.data, base.header) if base else {},
            yamlio.key_spans(ours.data, ours.header),
            yamlio.key_spans(theirs.data, theirs.header),
        )
        self.resolutions: list[Resolution] = []

    def run(self) -> None:
        self._merge_map(self.base_data, self.ours_data, self.theirs_data, ())

    # -- key by key ----------------------------------------------------------------

    def _merge_map(self, base: Any, ours: Any, theirs: Any, path: tuple[str, ...]) -> None:
        keys = list(dict.fromkeys([*map(str, ours), *map(str, theirs), *map(str, base)]))
        for unit in _units(keys) if not path else [(k,) for k in keys]:
            b, o, t = _values(base, unit), _values(ours, unit), _values(theirs, unit)
            if o == t:
                if not path and len(unit) == 1:
                    self._take_layout(unit[0])
            elif o == b:
                _take(ours, theirs, unit)
            elif t != b:
                self._both_changed(base, ours, theirs, unit, path)

    def _take_layout(self, key: str) -> None:
        """Same value on both sides, but only theirs changed how it is written (a comment)."""
        base, ours, theirs = (spans.get(key) for spans in self.spans)
        if ours == base and theirs != base and key in self.theirs_data:
            yamlio.put_entry(self.ours_data, self.theirs_data, key)

    def _both_changed(self, base: Any, ours: Any, theirs: Any, unit: tuple[str, ...], path: tuple[str, ...]) -> None:
        if len(unit) > 1:
            self._later_change_wins(ours, theirs, unit, path)
            return
        key = unit[0]
        b, o, t = base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING)
        lists = all(isinstance(v, list) for v in (o, t)) and (b is MISSING or isinstance(b, list))
        maps = all(isinstance(v, Mapping) for v in (o, t)) and (b is MISSING or isinstance(b, Mapping))
        if not path and key == EVENTS and lists:
            yamlio.replace_items(o, merge_events(b if b is not MISSING else [], o, t))
        elif not path and key in KEYED_LISTS and lists:
            yamlio.replace_items(o, self._merge_keyed(key, b if b is not MISSING else [], o, t))
        elif lists:
            yamlio.replace_items(o, merge_items(b if b is not MISSING else [], o, t))
        elif maps:
            self._merge_map(b if b is not MISSING else {}, o, t, (*path, key))
        elif not path and key in FIRST_TIME_WINS and instant(o) and instant(t):
            self._first_time_wins(ours, theirs, key)
        else:
            self._later_change_wins(ours, theirs, unit, path)

    # -- the rules -------------------------------------------------------------------

    def _later_change_wins(self, ours: Any, theirs: Any, unit: tuple[str, ...], path: tuple[str, ...]) -> None:
        side, why = self._later_side(set(path[:1]) if path else set(unit))
        self._settle(ours, theirs, unit, path, side, why)

    def _first_time_wins(self, ours: Any, theirs: Any, key: str) -> None:
        earlier_ours = _when(ours[key]) < _when(theirs[key])
        self._settle(ours, theirs, (key,), (), OURS if earlier_ours else THEIRS, Said.of(N_("the first time counts")))

    def _settle(
        self, ours: Any, theirs: Any, unit: tuple[str, ...], path: tuple[str, ...], side: str, why: Said
    ) -> None:
        winner, loser = (ours, theirs) if side == OURS else (theirs, ours)
        changed = [k for k in unit if _value(ours, k) != _value(theirs, k)]
        self.resolutions.append(
            Resolution(
                tuple(".".join((*path, k)) for k in changed),
                tuple(_value(winner, k) for k in changed),
                tuple(_value(loser, k) for k in changed),
                why,
            )
        )
        if side == THEIRS:
            _take(ours, theirs, unit)

    def _later_side(self, keys: set[str]) -> tuple[str, Said]:
        when_ours, when_theirs = self._change_time(OURS, keys), self._change_time(THEIRS, keys)
        if when_ours and when_theirs and when_ours != when_theirs:
            later, earlier = max(when_ours, when_theirs), min(when_ours, when_theirs)
            side = OURS if when_ours > when_theirs else THEIRS
            return side, Said.of(N_("changed later ({later} against {earlier})"), later=later.isoformat(),
                                 earlier=earlier.isoformat())
        return THEIRS, Said.of(N_("no later change tells them apart, so the version merged in wins"))

    def _change_time(self, side: str, keys: set[str]) -> datetime | None:
        events = self.new_events[side]
        touching = [e for e in events if _touches(e, keys)]
        times = [t for t in (instant(e.get("at")) for e in (touching or events)) if t]
        return max(times) if times else None

    def _merge_keyed(self, key: str, base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
        ident, earliest = KEYED_LISTS[key]
        sides = [_index(items, ident) for items in (base, ours, theirs)]
        if any(index is None for index in sides):
            return merge_items(base, ours, theirs)
        ib, io, it = (index or {} for index in sides)
        merged = []
        for name in dict.fromkeys([*io, *it]):
            item = self._merge_item(ib.get(name), io.get(name), it.get(name), f"{key}[{name}]", earliest)
            if item is not None:
                merged.append(item)
        return sorted(merged, key=lambda item: _when(item.get(ident)))

    def _merge_item(self, base: Any, ours: Any, theirs: Any, where: str, earliest: frozenset[str]) -> Any:
        if ours is None or theirs is None:
            present = ours if theirs is None else theirs
            return present if base is None or canonical(present) != canonical(base) else None
        if canonical(ours) == canonical(theirs) or canonical(theirs) == canonical(base):
            return ours
        if canonical(ours) == canonical(base):
            return theirs
        for name in dict.fromkeys([*map(str, ours), *map(str, theirs)]):
            b, o, t = _value(base, name), _value(ours, name), _value(theirs, name)
            if o == t or t == b:
                continue
            if o == b:
                _take(ours, theirs, (name,))
            elif name in earliest and instant(o) and instant(t):
                side = OURS if _when(o) < _when(t) else THEIRS
                self._settle(ours, theirs, (name,), (where,), side,
                             Said.of(N_("a wait ends at the first step that ended it")))
            else:
                self._settle(ours, theirs, (name,), (where,), THEIRS, Said.of(N_("the version merged in wins")))
        return ours

    # -- helpers ---------------------------------------------------------------------


def _units(keys: Sequence[str]) -> list[tuple[str, ...]]:
    units, seen = [], set()
    for key in keys:
        if key in seen:
            continue
        unit = next((group for group in GROUPS if key in group), (key,))
        seen |= set(unit)
        units.append(unit)
    return units


def _when(value: Any) -> datetime:
    return instant(value) or _LAST


def _value(mapping: Any, key: str) -> Any:
    if not isinstance(mapping, Mapping) or key not in mapping:
        return MISSING
    return yamlio.plain(mapping[key])


def _values(mapping: Any, unit: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(_value(mapping, key) for key in unit)


def _take(ours: Any, theirs: Any, unit: tuple[str, ...]) -> None:
    for key in unit:
        if key in theirs:
            yamlio.put_entry(ours, theirs, key)
        elif key in ours:
            del ours[key]


def _index(items: Sequence[Any], ident: str) -> dict[str, Any] | None:
    index = {}
    for item in items:
        if not isinstance(item, Mapping) or item.get(ident) in (None, "") or canonical(item.get(ident)) in index:
            return None
        index[str(yamlio.plain(item.get(ident)))] = item
    return index


def _plain_events(data: Any) -> list[Any]:
    events = data.get(EVENTS) if isinstance(data, Mapping) else None
    return [yamlio.plain(e) for e in events if isinstance(e, Mapping)] if isinstance(events, list) else []


def _touches(event: Mapping[str, Any], keys: set[str]) -> bool:
    fields = event.get("fields")
    named: set[str] = set()
    if isinstance(fields, Mapping):
        named |= {str(k) for k in fields}
        if event.get("kind") == "edited" and isinstance(fields.get("changed"), list):
            named |= {str(k) for k in fields["changed"]}
    named |= KIND_TOUCHES.get(str(event.get("kind")), frozenset())
    return bool(named & keys)


def _shown(value: Any, lang: str) -> str:
    if value is MISSING or value is None:
        return translate(N_("nothing"), lang)
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


# -- what was lost ---------------------------------------------------------------------


def _record_losses(data: Any, body: str, result: MergedRecord) -> str:
    """Put the losing values into a `merged` event, or a note in the body; returns the body."""
    changes = {lang: translate(N_("; "), lang).join([r.sentence(lang) for r in result.resolutions]
                                                     + [said_in(note, lang) for note in result.notes])
               for lang in LANGUAGES}
    said = Said.of(MERGED, changes=changes["en"], changes_zh=changes["zh"])
    events = data.get(EVENTS) if isinstance(data, Mapping) else None
    timed = [e for e in events if isinstance(e, Mapping) and instant(e.get("at"))] if isinstance(events, list) else []
    if not timed:
        separator = "" if not body or body.endswith("\n\n") else ("\n" if body.endswith("\n") else "\n\n")
        # the body is words once, in the desk's language (the driver runs in the desk, which chose it)
        return body + separator + _("> **casefile merge:** {text}").format(text=said.text(current())) + "\n"
    fields: dict[str, Any] = {}
    for resolution in result.resolutions:
        for key, kept, lost in zip(resolution.keys, resolution.kept, resolution.lost):
            fields[key] = {"kept": _stored(kept), "lost": _stored(lost)}
    latest = max(timed, key=lambda e: _when(e.get("at")))
    event: dict[str, Any] = {"at": str(latest.get("at")), "by": MERGE_ACTOR, "kind": MERGE_KIND, **said.stored()}
    if fields:
        event["fields"] = fields
    yamlio.append_block(events, yamlio.to_block(event))
    return body


def _stored(value: Any) -> Any:
    return None if value is MISSING else value
