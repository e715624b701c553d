"""Problems: open, link incidents, note (root cause, workaround, the article of the known error), resolve,
close; list and show; suggest from recurring incidents, and accept a suggestion.

One method per command; each change is one `Session.change` — one commit,
subject `<problem>: ...`, trailers `Casefile-Action:` and `Casefile-Problem:`.
Linking an incident links it both ways: the case gets `{rel: problem, to: PRB-...}`
in the same commit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.cases.links import LinkRel, add_link, counted_with
from casefile.cases.model import CaseDoc
from casefile.errors import CasefileError
from casefile.index.catalog import RecordView
from casefile.problems import ops
from casefile.problems.model import ProblemNotFound, incidents_of, next_problem_id, parse_problem_id
from casefile.problems.suggest import Suggestion, candidates, incident_of
from casefile.records.change import Change, Done
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import ARTICLES, CASES, CUSTOMERS, PROBLEMS, STATIONS
from casefile.records.numbers import CaseNotFound
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session
from casefile.values import Struct, field
from casefile.worktime.clock import parse_stored
from casefile.i18n import _

# The few fields of every case that `suggest` looks at, kept in the index.
SUGGEST_VIEW = RecordView("problem-suggest/1", lambda data, body: {
    "id": data.get("id"), "type": data.get("type"), "customer": data.get("customer"),
    "category": data.get("category"), "asset": data.get("asset"), "title": data.get("title"),
    "opened_at": data.get("opened_at"), "counted_with": counted_with(data),
})


class NewProblem(Struct, frozen=True):
    title: str
    customer: str | None = None
    category: str | None = None
    asset: str | None = None
    cases: tuple[str, ...] = ()
    description: str = ""


class ShownProblem(Struct, frozen=True):
    entry: RecordEntry
    incidents: list[dict[str, Any]] = field(default_factory=list)
    article: dict[str, Any] | None = None


class ProblemWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    def _skip(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    # -- reading ---------------------------------------------------------------

    def locate(self, text: str) -> tuple[str, str]:
        ident = parse_problem_id(text)
        path = PROBLEMS.find(self.session.root, ident)
        if path is None:
            raise ProblemNotFound(ident)
        return ident, path

    def entry(self, text: str) -> RecordEntry:
        _ident, path = self.locate(text)
        return read_record_file(self.session.root, self.session.root / path)

    def all(self, statuses: Collection[str] | None = None, customer: str | None = None) -> list[RecordEntry]:
        found = [e for e in self.catalog.records(PROBLEMS.folder, self._skip, statuses)
                 if customer is None or e.data.get("customer") == customer]
        return sorted(found, key=lambda e: (str(e.data.get("opened_at")), e.path))

    def show(self, text: str) -> ShownProblem:
        entry = self.entry(text)
        rows: list[dict[str, Any]] = []
        for case in incidents_of(entry.data):
            try:
                data = self.catalog.case(case).data
            except (CasefileError, RecordError) as error:
                rows.append({"id": case, "missing": str(error)})
                continue
            rows.append({key: data.get(key) for key in ("id", "title", "level", "status", "customer", "asset",
                                                         "category", "opened_at", "resolved_at")})
        article = None
        slug = entry.data.get("article")
        if slug:
            path = self.session.root / ARTICLES.path(str(slug))
            article = {"id": slug, "title": None, "path": ARTICLES.path(str(slug))}
            if path.is_file():
                article["title"] = read_record_file(self.session.root, path).data.get("title")
        return ShownProblem(entry, rows, article)

    def linked_cases(self) -> set[str]:
        """Every case some problem links (any status: an incident belongs to one problem)."""
        return {case for e in self.catalog.records(PROBLEMS.folder, self._skip) for case in incidents_of(e.data)}

    def suggest(self, customer: str | None = None) -> list[Suggestion]:
        rule = self.session.policy.problems
        now = self.session.now()
        found = []
        for _path, row in self.catalog.rows(CASES.folder, SUGGEST_VIEW, self._skip):
            if row.get("type") != "incident" or row.get("counted_with") or not row.get("customer"):
                continue
            if customer is not None and row.get("customer") != customer:
                continue
            try:
                opened = parse_stored(str(row.get("opened_at")))
            except ValueError:
                continue
            if opened <= now:
                found.append(incident_of(row, opened))
        return candidates(found, self.linked_cases(), rule.incidents, rule.within)

    # -- writing ---------------------------------------------------------------

    def open(self, new: NewProblem, how: str = "Opened") -> Done:
        cases = self._incidents(new.cases)
        self._check_subject(new.customer, new.asset)
        session = self.session

        def make(txn: Transaction, when: datetime) -> EditableRecord:
            from casefile.records.stations import station_for_open

            by, at = session.actor.handle, session.stamp(when)
            claim = station_for_open(session.repo, txn.head, by, at, session.author(), when)
            if claim.note:
                session.notes(claim.note)
            if claim.record:
                txn.write(STATIONS.path(claim.state.station), claim.record)
            taken = {PROBLEMS.id_of(path.relative_to(session.root).as_posix()) for path in PROBLEMS.files(session.root)}
            ident = next_problem_id(claim.state.station, taken)
            data = ops.new_problem_data(ident, new.title, at, by, new.customer, new.category, new.asset, how)
            body = new.description.strip()
            return EditableRecord.new(PROBLEMS.path(ident, when.astimezone(session.policy.zone)), data,
                                      body + "\n" if body else "")

        def apply(edit: Edit) -> Change:
            opened = Change("problem-open", f"open problem {edit.data['title']}")
            if not cases:
                return opened
            linked = self._link_in(edit, cases)
            return Change(opened.action, f"{opened.words}, link {', '.join(c for c, _p in cases)}", linked.trailers)

        return self.session.change(PROBLEMS, "new", apply, new=make)

    def accept(self, key: str, title: str | None = None) -> Done:
        """Open the problem a suggestion proposes, linking all its incidents."""
        found = next((s for s in self.suggest() if s.key == key), None)
        if found is None:
            raise CasefileError(_("no suggestion {key!r} now").format(key=key), _("`casefile problem suggest` lists the current ones"))
        asset = found.value if found.by == "device" else None
        category = found.value if found.by == "category" else None
        if category is None:
            categories = {i.category for i in found.incidents}
            category = categories.pop() if len(categories) == 1 else None
        words = title or self._title(found)
        new = NewProblem(words, found.customer, category, asset, found.ids)
        return self.open(new, f"From {len(found.ids)} recurring incidents (casefile problem suggest {key})")

    def _title(self, found: Suggestion) -> str:
        if found.by == "device":
            model = self._model_of(found.customer, found.value)
            return f"反复故障 Recurring incidents: {model + ' ' if model else ''}{found.value} at {found.customer}"
        return f"反复故障 Recurring incidents: {found.value} at {found.customer}"

    def _model_of(self, customer: str, serial: str) -> str | None:
        path = self.session.root / CUSTOMERS.path(customer)
        if not path.is_file():
            return None
        for asset in read_record_file(self.session.root, path).data.get("assets") or []:
            if isinstance(asset, Mapping) and str(asset.get("serial")) == serial and asset.get("model"):
                return str(asset["model"])
        return None

    def link(self, text: str, case_numbers: Sequence[str]) -> Done:
        ident, path = self.locate(text)
        cases = self._incidents(case_numbers)
        if not cases:
            raise CasefileError(_("name the incidents to link"), _("casefile problem link {ident} KMT-00417 ...").format(ident=ident))
        return self.session.change(PROBLEMS, ident, lambda edit: self._link_in(edit, cases), path=path,
                                   missing=ProblemNotFound(ident))

    def _link_in(self, edit: Edit, cases: Sequence[tuple[str, str]]) -> Change:
        ident = str(edit.data["id"])
        change = ops.link(edit.data, edit.at, edit.by, [case for case, _path in cases])
        for case, path in cases:
            edit.also(CASES, path, lambda record: add_link(CaseDoc(record.data, record.body), LinkRel.PROBLEM, ident),
                      CaseNotFound(case))
        return change

    def note(self, text: str, message: str | None, root_cause: str | None = None, workaround: str | None = None,
             article: str | None = None) -> Done:
        if article:
            from casefile.kb.model import require_article

            article = require_article(self.session.root, article)
        return self._step(text, lambda edit: ops.note(edit.data, edit.at, edit.by, message, root_cause, workaround,
                                                       article), message)

    def resolve(self, text: str, message: str | None) -> Done:
        return self._step(text, lambda edit: ops.resolve(edit.data, edit.at, edit.by, message), message)

    def close(self, text: str, message: str | None) -> Done:
        return self._step(text, lambda edit: ops.close(edit.data, edit.at, edit.by, message), message)

    def _step(self, text: str, step: Callable[[Edit], Change], detail: str | None) -> Done:
        ident, path = self.locate(text)

        def apply(edit: Edit) -> Change:
            done = step(edit)
            return Change(done.action, done.words, done.trailers, done.notes, detail)

        return self.session.change(PROBLEMS, ident, apply, path=path, missing=ProblemNotFound(ident),
                                   refuse_broken="fix the record by hand (casefile edit), then try again")

    # -- checks ------------------------------------------------------------------

    def _incidents(self, case_numbers: Sequence[str]) -> list[tuple[str, str]]:
        """(case number, path) of each case, refusing what is not a stored incident."""
        found: list[tuple[str, str]] = []
        for number in case_numbers:
            case_id, path = self.catalog.locate(number)
            data = read_record_file(self.session.root, self.session.root / path).data
            if data.get("type") != "incident":
                raise CasefileError(_("{case_id} is a {get}, not an incident").format(case_id=case_id, get=data.get('type')),
                                    _("a problem links the incidents it causes"))
            if (case_id, path) not in found:
                found.append((case_id, path))
        return found

    def _check_subject(self, customer: str | None, asset: str | None) -> None:
        if asset and not customer:
            raise CasefileError(_("--asset needs the customer whose device it is"), _("add --customer ID"))
        if not customer:
            return
        from casefile.customers.model import CustomerNotFound, check_customer_id

        path = self.session.root / CUSTOMERS.path(check_customer_id(customer))
        if not path.is_file():
            raise CustomerNotFound(customer)
        if asset:
            serials = {str(a.get("serial")) for a in read_record_file(self.session.root, path).data.get("assets") or []
                       if isinstance(a, Mapping)}
            if asset not in serials:
                raise CasefileError(_("{customer} has no device with serial number {asset}").format(customer=customer, asset=asset),
                                    _("see its assets: casefile customer show {customer}").format(customer=customer))
