"""Everything a report reads, read once: the period's cases (with their clocks), surveys, inspections.

A report is about the cases *received* in its period (opened in it).  Cases
are filed by the month they were opened (`cases/YYYY/MM/`) and surveys by the
month they were issued (`surveys/YYYY/MM/`), so only the months the period
touches are read, not the whole repository.  Inspections (`inspections/`)
and customers (`customers/`) are few and read whole.  Broken records are skipped, said on stderr and
listed in the report.

Service levels come from `slaservice.ServiceLevels` — the engine `check` and
`show` use, each case under the policy version it was opened under — at the
report's time (`--now`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from functools import cached_property
from typing import Any

from casefile.cases.links import COUNTED_WITH
from casefile.errors import CasefileError, NotFound
from casefile.records.file import RecordEntry, read_record_file
from casefile.records.kinds import CASES, CUSTOMERS, INSPECTIONS, SURVEYS
from casefile.records.yamlio import RecordError
from casefile.render.progress import Stages, no_stages
from casefile.reports.facts import linked, opened_at
from casefile.reports.model import CountedWith, Skipped
from casefile.reports.period import Period
from casefile.reports.rows import CASE_ROW, ReportRow, front
from casefile.session import Session
from casefile.sla.engine import CaseSla
from casefile.sla.work import ServiceLevels, SlaUnavailable
from casefile.i18n import _
from casefile.values import Struct, field


class Needs(Struct, frozen=True):
    """What a report kind reads besides the period's cases."""

    previous: bool = False  # the period before, for trends
    sla: bool = False
    surveys: bool = False
    inspections: bool = False


class CaseRecord(Struct, frozen=True):
    path: str
    data: Mapping[str, Any]
    body: str = ""
    sla: CaseSla | None = None
    sla_error: str | None = None

    @property
    def id(self) -> str:
        return str(self.data.get("id"))


class Sources(Struct, frozen=True, dict=True):
    period: Period
    now: datetime
    customer: str | None
    customer_name: str | None
    cases: tuple[CaseRecord, ...]
    previous: tuple[CaseRecord, ...] = ()
    surveys: tuple[RecordEntry, ...] = ()
    inspections: tuple[RecordEntry, ...] = ()
    customers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    others: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)  # cases outside the period, by id
    skipped: tuple[Skipped, ...] = ()
    counted_with: tuple[CountedWith, ...] = ()  # the period's duplicates and affected callers, listed apart

    @cached_property
    def _by_id(self) -> dict[str, Mapping[str, Any]]:
        return {record.id: record.data for record in self.cases}

    def case(self, case_id: str) -> Mapping[str, Any] | None:
        """A case by number: one of the period's, or one read because a survey or complaint names it."""
        return self._by_id.get(case_id) or self.others.get(case_id)

    @property
    def customer_names(self) -> dict[str, str]:
        """Customers' names by id (customers/ID.md `name`)."""
        return {key: str(data["name"]) for key, data in self.customers.items() if data.get("name")}


def _counted_with(data: Mapping[str, Any]) -> CountedWith | None:
    """Why a case is counted with another (a duplicate, an affected caller of a major incident: SPEC 6,
    never counted twice), if it is: such cases are in no figure, listed apart."""
    for rel in COUNTED_WITH:
        found = linked(data, str(rel))
        if found:
            return CountedWith(str(data.get("id")), str(data.get("title") or ""), str(rel), found[0])
    return None


def _set_apart(entries: list[RecordEntry]) -> tuple[list[RecordEntry], list[CountedWith]]:
    """The cases counted on their own, and those counted with another, listed apart."""
    counted: list[RecordEntry] = []
    apart: list[CountedWith] = []
    for entry in entries:
        found = _counted_with(entry.data)
        if found is None:
            counted.append(entry)
        else:
            apart.append(found)
    return counted, apart


class UnknownCustomer(NotFound):
    pass


class SourceReader:
    def __init__(self, session: Session, progress: Stages = no_stages) -> None:
        self.session = session
        self.catalog = session.catalog
        self.progress = progress
        self.skipped: list[Skipped] = []

    def _skip(self, error: RecordError) -> None:
        self.skipped.append(Skipped(error.source, error.problem))
        self.session.notes(_("skipped {error}").format(error=error))

    def read(self, period: Period, customer: str | None, needs: Needs) -> Sources:
        now = self.session.now()
        customers = self._customers()
        entries, apart = _set_apart(self._cases(period, customer, "reading cases"))
        previous = _set_apart(self._cases(period.previous(), customer, "reading the period before"))[0] \
            if needs.previous else []
        surveys = self._surveys(period, customer) if needs.surveys else []
        inspections = self._folder(INSPECTIONS.folder, customer) if needs.inspections else []
        name = self._check_customer(customer, customers, [*entries, *previous], [*surveys, *inspections])
        cases = self._with_sla(entries, now) if needs.sla else [CaseRecord(e.path, e.data, e.body) for e in entries]
        others = self._others(cases, surveys) if needs.surveys else {}
        return Sources(
            period, now, customer, name, tuple(cases), tuple(CaseRecord(e.path, e.data, e.body) for e in previous),
            tuple(surveys), tuple(inspections), customers, others, tuple(self.skipped), tuple(apart),
        )

    def read_rows(
        self,
        period: Period,
        customer: str | None,
        add: Callable[[Mapping[str, Any], str, datetime], None],
        add_previous: Callable[[Mapping[str, Any]], None] | None = None,
    ) -> Sources:
        """The period's cases as report rows (`rows.CASE_ROW`), each handed to `add` with its file and
        opening time, not kept.

        What `read` gives, for a report that folds the cases as they come
        (`Sources.cases` is empty): the same cases (in file order, not by
        opening time), the same skipped records and cases counted with
        another, in the same order.  Memory is that of one row at a time.
        """
        now = self.session.now()
        customers = self._customers()
        apart: list[tuple[datetime, str, int, CountedWith]] = []
        counted = 0
        for opened, path, data in self._case_rows(period, customer, "reading cases"):
            found = _counted_with(data)
            if found is None:
                counted += 1
                add(data, path, opened)
            else:
                apart.append((opened, found.case, len(apart), found))
        if add_previous is not None:
            for _opened, _path, data in self._case_rows(period.previous(), customer, "reading the period before"):
                if _counted_with(data) is None:
                    counted += 1
                    add_previous(data)
        name = self._check_customer(customer, customers, range(min(counted, 1)), [])
        return Sources(period, now, customer, name, (), (), (), (), customers, {}, tuple(self.skipped),
                       tuple(found for *_key, found in sorted(apart, key=lambda a: a[:3])))

    def rows(self, folder: str, row: ReportRow) -> Iterator[tuple[str, dict[str, Any]]]:
        """(path, the record's front matter cut down to `row`'s keys) for each record under `folder`.

        A record whose row could not be made exactly is read whole (its whole
        front matter: a superset of the row, read the same way).
        """
        whole: dict[str, dict[str, Any]] | None = None
        for path, kept in self.catalog.rows(folder, row.view, self._skip):
            data = front(kept)
            if data is None:
                if whole is None:
                    whole = {e.path: e.data for e in self.catalog.records(folder, lambda _error: None)}
                if path not in whole:
                    continue  # gone since the rows were read: the repository moved meanwhile
                data = whole[path]
            yield path, data

    def whole(self, path: str) -> Mapping[str, Any] | None:
        """One record's front matter, read whole now (None, said as skipped, if it no longer reads)."""
        try:
            return read_record_file(self.session.root, self.session.root / path).data
        except RecordError as error:
            self._skip(error)
        except OSError as error:
            self._skip(RecordError(path, None, error.strerror or str(error)))
        return None

    # -- cases ------------------------------------------------------------------

    def _case_rows(self, period: Period, customer: str | None, stage: str
                   ) -> Iterator[tuple[datetime, str, dict[str, Any]]]:
        """(opened, path, row) of the period's cases, in file order, as `_cases` chooses them."""
        count = 0
        for year, month in period.months():
            for path, data in self.rows(f"{CASES.folder}/{year:04d}/{month:02d}", CASE_ROW):
                count += 1
                if count % 50 == 0:
                    self.progress(stage, count, None)
                if customer is not None and data.get("customer") != customer:
                    continue
                try:
                    opened = opened_at(data)
                except (ValueError, TypeError):
                    self.skipped.append(Skipped(path, "opened_at is not a time with its offset"))
                    continue
                if period.contains(opened):
                    yield opened, path, data
        self.progress(stage, count, count)

    def _cases(self, period: Period, customer: str | None, stage: str) -> list[RecordEntry]:
        found: list[RecordEntry] = []
        count = 0
        for year, month in period.months():
            for entry in self.catalog.records(f"{CASES.folder}/{year:04d}/{month:02d}", self._skip):
                count += 1
                if count % 50 == 0:
                    self.progress(stage, count, None)
                if customer is not None and entry.data.get("customer") != customer:
                    continue
                try:
                    opened = opened_at(entry.data)
                except (ValueError, TypeError):
                    self.skipped.append(Skipped(entry.path, "opened_at is not a time with its offset"))
                    continue
                if period.contains(opened):
                    found.append(entry)
        self.progress(stage, count, count)
        found.sort(key=lambda e: (opened_at(e.data), str(e.data.get("id"))))
        return found

    def _with_sla(self, entries: list[RecordEntry], now: datetime) -> list[CaseRecord]:
        levels = ServiceLevels(self.session)
        records = []
        total = len(entries)
        for index, entry in enumerate(entries, start=1):
            found = levels.try_of(entry.data, now)
            if isinstance(found, SlaUnavailable):
                records.append(CaseRecord(entry.path, entry.data, entry.body, None, str(found)))
            else:
                records.append(CaseRecord(entry.path, entry.data, entry.body, found))
            if index % 25 == 0 or index == total:
                self.progress("evaluating service levels", index, total)
        return records

    def _others(self, cases: list[CaseRecord], surveys: list[RecordEntry]) -> dict[str, Mapping[str, Any] | None]:
        """Cases outside the period that the surveys and complaints name."""
        wanted: set[str] = set()
        for survey in surveys:
            for key in ("case", "complaint"):
                if survey.data.get(key):
                    wanted.add(str(survey.data[key]))
        for record in cases:
            wanted.update(linked(record.data, "concerns"))
        known = {record.id for record in cases}
        found: dict[str, Mapping[str, Any] | None] = {}
        for case_id in sorted(wanted - known):
            try:
                found[case_id] = self.catalog.case(case_id).data
            except (CasefileError, OSError):
                found[case_id] = None
        return found

    # -- other records --------------------------------------------------------------

    def _surveys(self, period: Period, customer: str | None) -> list[RecordEntry]:
        found: list[RecordEntry] = []
        for year, month in period.months():
            found += self._folder(f"{SURVEYS.folder}/{year:04d}/{month:02d}", customer)
        return found

    def _folder(self, folder: str, customer: str | None) -> list[RecordEntry]:
        entries = list(self.catalog.records(folder, self._skip))
        return [e for e in entries if customer is None or e.data.get("customer") == customer]

    def _customers(self) -> dict[str, Mapping[str, Any]]:
        found: dict[str, Mapping[str, Any]] = {}
        for entry in self.catalog.records(CUSTOMERS.folder, self._skip):
            ident = entry.data.get("id") or CUSTOMERS.id_of(entry.path)
            found[str(ident)] = entry.data
        return found

    def _check_customer(
        self,
        customer: str | None,
        customers: Mapping[str, Mapping[str, Any]],
        cases: Iterable[object],
        records: Iterable[object],
    ) -> str | None:
        """The customer's name; an unknown customer is an error, not an empty report."""
        if customer is None:
            return None
        if customer in customers:
            return str(customers[customer].get("name") or customer)
        if (self.session.root / CUSTOMERS.folder).is_dir():
            raise UnknownCustomer(_("no customer {customer!r}").format(customer=customer), _("customers are the files in {folder}/").format(folder=CUSTOMERS.folder))
        if any(True for _ in cases) or any(True for _ in records):
            return customer
        raise UnknownCustomer(
            _("no customer {customer!r}: no {folder}/{customer}.md and no case of it in this period").format(customer=customer, folder=CUSTOMERS.folder),
            _("check the spelling; `casefile list --all --json` shows the customers of cases"),
        )
