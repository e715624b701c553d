"""What the shell completes: case ids (this clone's station first), handles, customers, levels, articles.

Completion runs on every <Tab>, so it reads what is cheap and never opens the desk: the record index
(`index.store.indexed_paths`, read-only, as the last command left it) for case ids, customers and
article slugs — the folder itself when there is no index yet — and people.yaml and policy.yaml by
their lines, not through the YAML parser.  A file that does not read gives no candidates, never an
error: a shell must not print a traceback into the line being typed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from casefile.repo.quicktable import RECORDS

INDEX_FILE = Path("casefile") / "index.sqlite"  # under the git directory (index.reader.INDEX_FILE)
STATION_FILE = Path("casefile") / "station.json"  # records.stations.StationState
_PERSON_LINE = re.compile(r"^  ([a-z0-9][a-z0-9._-]{0,39}):\s*(?:#.*)?$")
_LEVEL_LINE = re.compile(r"^  ([A-Za-z0-9][A-Za-z0-9_-]*):")
OPEN_STATUSES = frozenset({"open", "pending"})


def find_root(repo: str | None) -> Path | None:
    """The work tree: --repo / CASEFILE_REPO, else the nearest folder up from here with a `.git`."""
    start = Path(repo).expanduser() if repo else Path.cwd()
    for folder in (start, *start.resolve().parents) if not repo else (start,):
        if (folder / ".git").exists():
            return folder
    return None


def git_dir(root: Path) -> Path:
    """`.git`, or where a linked work tree's `.git` file points (`gitdir: ...`)."""
    dot = root / ".git"
    if dot.is_file():
        text = dot.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            target = Path(text.removeprefix("gitdir:").strip())
            return target if target.is_absolute() else (root / target).resolve()
    return dot


def _common_dir(root: Path) -> Path:
    gitdir = git_dir(root)
    common = gitdir / "commondir"
    if common.is_file():
        target = Path(common.read_text(encoding="utf-8").strip())
        return target if target.is_absolute() else (gitdir / target).resolve()
    return gitdir


def record_folders() -> dict[str, tuple[str, str]]:
    """The folder and file suffix of each kind of record completion offers, from `records.kinds` (the table
    of the fast path stores them, `cli.completion.table_source`, so a <Tab> never imports the kinds)."""
    from casefile.records.kinds import ARTICLES, CASES, CUSTOMERS

    return {kind: (record.folder, record.suffix) for kind, record in
            (("case", CASES), ("customer", CUSTOMERS), ("article", ARTICLES))}


def _records(root: Path, kind: str, glob: str | None = None) -> Iterator[tuple[str, str | None]]:
    """(id, status) of each record of `kind` (whose path matches `glob`, if given: a filter that may let
    more through, never fewer): from the index, else from the folder (status unknown)."""
    from casefile.index.store import indexed_paths

    folder, suffix = RECORDS[kind]
    rows = indexed_paths(git_dir(root) / INDEX_FILE, folder, glob)
    if rows is not None:
        cut = -len(suffix)
        for path, status in rows:
            if path.endswith(suffix):
                yield path[path.rfind("/") + 1:cut], status  # RecordKind.id_of for every kind completion offers
        return
    for _folder, _dirs, files in os.walk(root / folder):
        for name in files:
            if name.endswith(suffix):
                yield name.removesuffix(suffix), None


def _glob(prefix: str) -> str | None:
    """A GLOB for the files whose name starts with `prefix`, or None when `prefix` holds GLOB's own signs."""
    if any(sign in prefix for sign in "*?[]/"):
        return None
    return f"*/{prefix}*"


def own_station(root: Path) -> str | None:
    try:
        return str(json.loads((_common_dir(root) / STATION_FILE).read_text(encoding="utf-8"))["station"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def case_ids(root: Path, incomplete: str) -> list[str]:
    """Case ids starting with what was typed (`kmt-004`, `KMT`, or digits: this clone's own numbers);
    nothing typed: this clone's own cases.  This clone's station first, open and pending ones before the
    others, newest first (for shells that keep the order)."""
    own = own_station(root)
    typed = incomplete.strip().upper()
    found = []
    wanted = f"{own}-" if own is not None and (typed.isdigit() or not typed) else typed
    for case_id, status in _records(root, "case", _glob(wanted)):
        if not typed and own is not None and not case_id.startswith(own + "-"):
            continue  # nothing typed yet: this clone's own cases (type a station's letters for another's)
        if typed.isdigit():
            if own is None or not case_id.startswith(own + "-"):
                continue
            if not case_id.split("-", 1)[1].lstrip("0").startswith(typed.lstrip("0") or typed):
                continue
        elif not case_id.startswith(typed):
            continue
        found.append((case_id.split("-", 1)[0] != own, status not in OPEN_STATUSES, _negated(case_id), case_id))
    return [case_id for *_key, case_id in sorted(found)]


def _negated(case_id: str) -> int:
    digits = case_id.rsplit("-", 1)[-1]
    return -int(digits) if digits.isdigit() else 0


def customers(root: Path, incomplete: str) -> list[str]:
    return sorted(ident for ident, _status in _records(root, "customer", _glob(incomplete)) if ident.startswith(incomplete))


def articles(root: Path, incomplete: str) -> list[str]:
    return sorted(ident for ident, _status in _records(root, "article", _glob(incomplete)) if ident.startswith(incomplete))


def _section_keys(path: Path, section: str, pattern: re.Pattern[str]) -> list[str]:
    """The keys directly under a top-level `section:` of a YAML file, read by its lines."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    keys, inside = [], False
    for line in lines:
        if line and not line[0].isspace() and not line.startswith("#"):
            inside = line.split("#", 1)[0].strip() == f"{section}:"
            continue
        if inside:
            match = pattern.match(line)
            if match:
                keys.append(match.group(1))
    return keys


def handles(root: Path, incomplete: str) -> list[str]:
    return sorted(h for h in _section_keys(root / "people.yaml", "people", _PERSON_LINE) if h.startswith(incomplete))


def levels(root: Path, incomplete: str) -> list[str]:
    found = _section_keys(root / "policy.yaml", "levels", _LEVEL_LINE)
    return [level for level in found if level.upper().startswith(incomplete.upper())]


SOURCES = {"case": case_ids, "handle": handles, "customer": customers, "level": levels, "article": articles}


def complete(kind: str, incomplete: str, repo: str | None) -> list[str]:
    """The candidates of `kind` for what was typed; none when there is no desk here."""
    root = find_root(repo)
    if root is None:
        return []
    try:
        return SOURCES[kind](root, incomplete)
    except (OSError, UnicodeDecodeError, ValueError):
        return []
