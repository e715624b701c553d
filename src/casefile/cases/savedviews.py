"""Saved views (`views.yaml`): named filters for `casefile list --view NAME`.

    # views.yaml
    network-a:
      about: Level-A network faults, soonest deadline first
      where: level = A and category ~ network
      sort: deadline

Each view has a `where` (the filter language of `cases.filters`), and may have
`sort` (opened or deadline) and `about`.  The package brings a few every desk
wants (`mine`, `my-breaching`, `unassigned`, `breaching`); the desk's file adds
views and overrides those.  The file is validated as a whole when it is read:
a view that does not parse is refused with its name.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import tzinfo
from pathlib import Path

from casefile.cases.filters import FilterError, Query, parse_filter
from casefile.errors import CasefileError, NotFound
from casefile.records.yamlio import RecordError, load_plain
from casefile.i18n import _
from casefile.values import Struct

VIEWS_FILE = "views.yaml"
SORTS = ("opened", "deadline")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
KEYS = ("where", "sort", "about")

PACKAGED: dict[str, dict[str, str]] = {
    "mine": {"where": "assignee = me", "about": "my open and pending cases"},
    "my-breaching": {"where": "assignee = me and (breached or due < 2h)", "sort": "deadline",
                     "about": "my cases that breached a commitment or are due within 2 hours"},
    "unassigned": {"where": "assignee = none", "about": "open and pending cases nobody owns"},
    "breaching": {"where": "breached or due < 1h", "sort": "deadline",
                  "about": "every case that breached a commitment or is due within the hour"},
}


class SavedView(Struct, frozen=True):
    name: str
    where: str
    sort: str | None
    about: str
    source: str  # "package" or views.yaml

    def query(self, zone: tzinfo, levels: Collection[str] | None) -> Query:
        return parse_filter(self.where, zone, levels, where=f"view {self.name}")


def read_views(root: Path, zone: tzinfo, levels: Collection[str] | None) -> dict[str, SavedView]:
    """The packaged views and the desk's `views.yaml` (which wins), every one checked."""
    views = {name: _view(name, spec, "package", zone, levels) for name, spec in PACKAGED.items()}
    path = root / VIEWS_FILE
    if path.is_file():
        views.update(parse_views(path.read_text(encoding="utf-8"), zone, levels))
    return views


def parse_views(text: str, zone: tzinfo, levels: Collection[str] | None) -> dict[str, SavedView]:
    """The views of a `views.yaml`, every one checked (`casefile validate` and the hooks check it too)."""
    data = load_plain(text, VIEWS_FILE)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RecordError(VIEWS_FILE, None, _("must be a mapping of view names to views (where, sort, about)"))
    return {str(name): _view(str(name), spec, VIEWS_FILE, zone, levels) for name, spec in data.items()}


def _view(name: str, spec: object, source: str, zone: tzinfo, levels: Collection[str] | None) -> SavedView:
    where = f"{source}: view {name}"
    if not _NAME.match(name):
        raise CasefileError(_("{where}: a view name is lowercase letters, digits and '-', like my-breaching").format(where=where))
    if not isinstance(spec, dict):
        raise CasefileError(_("{where}: must be a mapping with where (and sort, about)").format(where=where))
    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise CasefileError(_("{where}: unknown key {value!r}").format(where=where, value=unknown[0]), _("a view has {names}").format(names=', '.join(KEYS)))
    text = spec.get("where")
    if not isinstance(text, str) or not text.strip():
        raise CasefileError(_("{where}: needs where: FILTER").format(where=where), _("like where: \"assignee = me and breached\""))
    sort = spec.get("sort")
    if sort is not None and sort not in SORTS:
        raise CasefileError(_("{where}: sort {sort!r} is not one of {names}").format(where=where, sort=sort, names=', '.join(SORTS)))
    view = SavedView(name, text, sort, str(spec.get("about") or ""), source)
    try:
        view.query(zone, levels)
    except FilterError as error:
        raise CasefileError(f"{source}: {error.message}", error.hint) from None
    return view


def find_view(views: dict[str, SavedView], name: str) -> SavedView:
    if name not in views:
        raise NotFound(_("no view {name!r}").format(name=name), _("known: {names} (packaged, and {VIEWS_FILE})").format(names=', '.join(sorted(views)), VIEWS_FILE=VIEWS_FILE))
    return views[name]
