"""Case numbers: `KMT-00417` — a station code and that station's own counter.

Every clone of a case repository writes cases under its own *station*: three
letters, claimed once per clone by committing `stations/KMT.yaml`.  A clone
numbers its cases 00001, 00002, … under its station, so two clones can never
hand out the same number, however long they work offline — uniqueness comes
from the construction, not from looking at other branches.

The alphabet has no vowels (no accidental words; no O or I to mistake for 0 or 1)
and no L (mistaken for 1), so a number read out on the phone is unambiguous:
"K-M-T, four-one-seven".  Nine characters; people may type `kmt-417`.

A station is claimed at random among the codes not already claimed in the
history this clone has seen; `casefile sync` reports two clones that claimed
the same code while both were offline before either pushed (1 in 8,000 for two
fresh clones), and such a clone then claims a new code for its next cases.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from casefile.records import yamlio
from casefile.errors import CasefileError

ALPHABET = "BCDFGHJKMNPQRSTVWXYZ"
MAX_SEQUENCE = 99_999
STATIONS_DIR = "stations"
CASES_DIR = "cases"

_CASE_NUMBER = re.compile(rf"^([{ALPHABET}]{{3}})-?(\d{{1,5}})$")


class BadCaseNumber(CasefileError):
    def __init__(self, text: str) -> None:
        super().__init__(
            f"{text!r} is not a case number",
            "case numbers look like KMT-00417; `casefile list --all` shows them",
        )


def parse_case_number(text: str) -> str:
    """Normalise `kmt-417`, `KMT00417` or `KMT-00417` to `KMT-00417`."""
    match = _CASE_NUMBER.match(text.strip().upper())
    if not match or int(match.group(2)) == 0:
        raise BadCaseNumber(text)
    return format_case_number(match.group(1), int(match.group(2)))


def format_case_number(station: str, sequence: int) -> str:
    return f"{station}-{sequence:05d}"


def case_path(case_id: str, opened_at: datetime) -> str:
    """Cases are sharded by the month they were opened: cases/2026/11/KMT-00417.md."""
    return f"{CASES_DIR}/{opened_at:%Y}/{opened_at:%m}/{case_id}.md"


def find_case_file(root: Path, case_id: str) -> Path | None:
    """The file of `case_id` in the work tree (a few dozen month folders to look in)."""
    cases = root / CASES_DIR
    if not cases.is_dir():
        return None
    for year in sorted(os.listdir(cases), reverse=True):
        year_dir = cases / year
        if not year.isdigit() or not year_dir.is_dir():
            continue
        for month in sorted(os.listdir(year_dir), reverse=True):
            candidate = year_dir / month / f"{case_id}.md"
            if candidate.is_file():
                return candidate
    return None


@dataclass
class StationState:
    """This clone's station and next number; kept in .git/casefile (never committed)."""

    station: str
    clone: str
    next: int

    @classmethod
    def load(cls, state_dir: Path) -> StationState | None:
        path = state_dir / "station.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(raw["station"]), str(raw["clone"]), int(raw["next"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        tmp = state_dir / "station.json.tmp"
        tmp.write_text(json.dumps({"station": self.station, "clone": self.clone, "next": self.next}))
        os.replace(tmp, state_dir / "station.json")


def pick_station(taken: set[str]) -> str:
    free = [a + b + c for a in ALPHABET for b in ALPHABET for c in ALPHABET if a + b + c not in taken]
    if not free:
        raise CasefileError("every station code is taken", "this cannot happen before 8,000 clones")
    return secrets.choice(free)


def new_station(taken: set[str]) -> StationState:
    return StationState(pick_station(taken), uuid.uuid4().hex, 1)


def station_record(state: StationState, by: str, at: str) -> str:
    """The text of stations/KMT.yaml, the claim that goes into the history."""
    claim = {
        "station": state.station,
        "clone": state.clone,
        "claimed_by": by,
        "claimed_at": at,
        "host": socket.gethostname() or "unknown",
    }
    return "# A station: the case-number prefix of one clone of this repository.\n" + yamlio.dump(
        yamlio.new_map(claim)
    )
