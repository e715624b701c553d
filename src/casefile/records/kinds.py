"""The kinds of record a case repository holds, each declared once: its folder, its ids, its sharding.

| kind       | a file                                  | its id            | sharded by                 |
|------------|-----------------------------------------|-------------------|----------------------------|
| case       | `cases/2026/11/KMT-00417.md`            | `KMT-00417`       | the month it was opened    |
| customer   | `customers/acme-sz.md`                  | `acme-sz`         | —                          |
| inspection | `inspections/2026/acme-sz-2026-Q4.md`   | `acme-sz-2026-Q4` | the year of its period     |
| survey     | `surveys/2026/11/SV-KMT-00417.md`       | `SV-KMT-00417`    | the month it was issued    |
| article    | `kb/printer-e04.md`                     | `printer-e04`     | —                          |
| vendor     | `vendors/huawei.md`                     | `huawei`          | —                          |
| incident report | `incident-reports/2026/10/IR-KMT-00001.md` | `IR-KMT-00001` | the month of its case's opening |
| problem    | `problems/2026/11/PRB-KMT-00001.md`     | `PRB-KMT-00001`   | the month it was opened    |
| change     | `changes/2026/11/CHG-KMT-00001.md`      | `CHG-KMT-00001`   | the month it was requested |
| report     | `reports/2026-11/monthly.md`            | `2026-11/monthly` | — (the month is in the id) |
| station    | `stations/KMT.yaml`                     | `KMT`             | —                          |
| statement  | `statements/2026/ST-acme-sz-2026-11.md` | `ST-acme-sz-2026-11` | the year of its month   |

Sharded folders keep every folder small at 100,000 records; `find` looks in the
newest shards first.  Validation, the server hook, the index, reports and
export all iterate `KINDS` rather than spelling folder names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path

from casefile.records.numbers import CASE_NUMBER_TEXT
from casefile.i18n import _
from casefile.values import Struct


class Sharding(StrEnum):
    NONE = "none"
    YEAR = "year"  # folder/YYYY/ID
    MONTH = "month"  # folder/YYYY/MM/ID


class RecordKind(Struct, frozen=True):
    name: str  # "case"
    folder: str  # "cases"
    id_pattern: re.Pattern[str]
    sharded_by: Sharding = Sharding.NONE
    suffix: str = ".md"
    trailer: str = ""  # the commit trailer naming a record of this kind: Casefile-Case

    def path(self, ident: str, on: date | None = None) -> str:
        """The file of a record: `on` is the day that shards it (a case's opening); a year-sharded
        kind whose id carries its year (an inspection's period) needs none."""
        if self.sharded_by is Sharding.NONE:
            return f"{self.folder}/{ident}{self.suffix}"
        if on is None:
            match = self.id_pattern.match(ident)
            if self.sharded_by is not Sharding.YEAR or match is None or "year" not in match.groupdict():
                raise ValueError(_("{name} {ident}: the day that places its file is needed").format(name=self.name, ident=ident))
            return f"{self.folder}/{match['year']}/{ident}{self.suffix}"
        if self.sharded_by is Sharding.YEAR:
            return f"{self.folder}/{on:%Y}/{ident}{self.suffix}"
        return f"{self.folder}/{on:%Y}/{on:%m}/{ident}{self.suffix}"

    def find(self, root: Path, ident: str) -> str | None:
        """The path of the record `ident` in the work tree at `root`, or None (newest shards first)."""
        if not self.id_pattern.match(ident):
            return None
        if self.sharded_by is Sharding.NONE or (self.sharded_by is Sharding.YEAR and "year" in self.id_pattern.groupindex):
            path = self.path(ident)
            return path if (root / path).is_file() else None
        top = root / self.folder
        for shard in _shards(top, 2 if self.sharded_by is Sharding.MONTH else 1):
            if (top / shard / f"{ident}{self.suffix}").is_file():
                return f"{self.folder}/{shard}/{ident}{self.suffix}"
        return None

    def owns(self, path: str) -> bool:
        """Whether `path` lies among this kind's files (whatever its name: validation says if it is wrong)."""
        return path.startswith(f"{self.folder}/") and path.endswith(self.suffix)

    def id_of(self, path: str) -> str:
        """The id a file of this kind stands for: its name (a report's is its path under `reports/`)."""
        inner = path.removeprefix(f"{self.folder}/").removesuffix(self.suffix)
        return inner if self.name == "report" else inner.rsplit("/", 1)[-1]

    def files(self, root: Path) -> Iterator[Path]:
        """Every file of this kind under `root`, in path order, at any depth."""
        top = root / self.folder
        if not top.is_dir():
            return
        for current, dirs, names in os.walk(top):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(self.suffix):
                    yield Path(current) / name


def _shards(top: Path, depth: int) -> Iterator[str]:
    """`2026/11`, `2026/10`, ... (or `2026`, `2025`, ...): the shard folders under `top`, newest first."""
    if not top.is_dir():
        return
    for year in sorted(os.listdir(top), reverse=True):
        if not year.isdigit() or not (top / year).is_dir():
            continue
        if depth == 1:
            yield year
            continue
        for month in sorted(os.listdir(top / year), reverse=True):
            yield f"{year}/{month}"


CASES = RecordKind("case", "cases", re.compile(CASE_NUMBER_TEXT), Sharding.MONTH, trailer="Casefile-Case")
CUSTOMERS = RecordKind("customer", "customers", re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"),
                       trailer="Casefile-Customer")
INSPECTIONS = RecordKind(
    "inspection", "inspections",
    re.compile(r"^(?P<customer>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-"
               r"(?P<when>(?P<year>\d{4})(?:-Q[1-4]|-H[12]|-\d{2}(?:-\d{2})?)?)$"),
    Sharding.YEAR, trailer="Casefile-Inspection",
)
SURVEYS = RecordKind("survey", "surveys", re.compile(r"^SV-[A-Za-z0-9][A-Za-z0-9-]*$"), Sharding.MONTH,
                     trailer="Casefile-Survey")
ARTICLES = RecordKind("article", "kb", re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"),
                      trailer="Casefile-Article")
VENDORS = RecordKind("vendor", "vendors", re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"),
                     trailer="Casefile-Vendor")
INCIDENT_REPORTS = RecordKind("incident report", "incident-reports", re.compile(r"^IR-" + CASE_NUMBER_TEXT.strip("^$") + r"$"),
                              Sharding.MONTH, trailer="Casefile-Incident-Report")
PROBLEMS = RecordKind("problem", "problems", re.compile(r"^PRB-" + CASE_NUMBER_TEXT.strip("^$") + r"$"),
                      Sharding.MONTH, trailer="Casefile-Problem")
CHANGES = RecordKind("change", "changes", re.compile(r"^CHG-" + CASE_NUMBER_TEXT.strip("^$") + r"$"),
                     Sharding.MONTH, trailer="Casefile-Change")
REPORTS = RecordKind("report", "reports", re.compile(r"^\d{4}-\d{2}/[a-z0-9./-]+$"), trailer="Casefile-Report")
STATIONS = RecordKind("station", "stations", re.compile(r"^[A-Z]{3}$"), suffix=".yaml", trailer="Casefile-Station")

# A customer's monthly SLA statement (issue 21): issued once, never changed.
STATEMENTS = RecordKind(
    "statement", "statements",
    re.compile(r"^ST-(?P<customer>[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)-(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$"),
    Sharding.YEAR, trailer="Casefile-Statement",
)
KINDS = (CASES, CUSTOMERS, INSPECTIONS, SURVEYS, ARTICLES, VENDORS, INCIDENT_REPORTS, PROBLEMS, CHANGES, REPORTS,
         STATIONS, STATEMENTS)


def kind_of(path: str) -> RecordKind | None:
    """The kind whose files `path` is among, if any."""
    return next((kind for kind in KINDS if kind.owns(path)), None)
