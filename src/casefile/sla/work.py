"""Service levels of stored cases: each under the policy version it was opened under.

The one place that joins a case record to its policy version (`desk.policy_version`)
and the pure engine (`sla.evaluate`); `show`, `list`, `explain` and `check` use it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from casefile.errors import CasefileError
from casefile.git.objects import blob_id
from casefile.index.catalog import Catalog, TimedView
from casefile.policy.model import POLICY_FILE, Policy
from casefile.records.kinds import CASES
from casefile.session import Session
from casefile.sla.engine import CaseSla, evaluate
from casefile.sla.facts import facts_of
from casefile.values import Struct
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.clock import parse_stored
from casefile.worktime.duration import parse_duration
from casefile.worktime.officialdays import IMPORT_COMMAND
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.sla.explain import CaseExplanation
from casefile.sla.engine import ClockState
from casefile.worktime.clock import format_instant


class SlaUnavailable(CasefileError):
    """The clocks of a case cannot be computed (a broken record, a missing year, ...)."""


class ServiceLevels:
    def __init__(self, session: Session) -> None:
        self.session = session

    def policy_of(self, data: Mapping[str, Any]) -> Policy:
        oid = data.get("policy")
        return self.session.policy_version(str(oid) if oid else None)

    def of(self, data: Mapping[str, Any], now: datetime | None = None) -> CaseSla:
        """Every clock, ladder step and alert of a case at `now` (default: the desk's now)."""
        return self.under(data, None, now)

    def under(self, data: Mapping[str, Any], policy: Policy | None, now: datetime | None = None) -> CaseSla:
        """The clocks of a case under `policy` (`policy simulate`'s proposal); None: its own version."""
        try:
            facts = facts_of(data)
            return evaluate(facts, (policy or self.policy_of(data)).sla, now or self.session.now())
        except CasefileError as error:
            raise SlaUnavailable(error.message, error.hint) from None
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise SlaUnavailable(_("cannot read the case's times: {error}").format(error=error)) from None

    def try_under(self, data: Mapping[str, Any], policy: Policy, now: datetime) -> CaseSla | SlaUnavailable:
        try:
            return self.under(data, policy, now)
        except SlaUnavailable as error:
            return error

    def try_of(self, data: Mapping[str, Any], now: datetime | None = None) -> CaseSla | SlaUnavailable:
        try:
            return self.of(data, now)
        except SlaUnavailable as error:
            return error

    def explain(self, data: Mapping[str, Any], now: datetime | None = None) -> CaseExplanation:
        """How every deadline of the case was computed."""
        from casefile.sla.explain import explain  # only `explain` reads the stretches out

        sla = self.of(data, now)
        try:
            return explain(sla, facts_of(data), self.policy_of(data).sla)
        except CasefileError as error:
            raise SlaUnavailable(error.message, error.hint) from None

    def clock_row(self, data: Mapping[str, Any], now: datetime) -> tuple[dict[str, Any], datetime | None]:
        """The `sla` of a `list` row at `now`, and when it may next change (see `CaseSla.next_change`)."""
        found = self.try_of(data, now)
        if isinstance(found, SlaUnavailable):
            return {"error": str(found)}, now  # not kept: computed again next time
        return row_sla(found, self.session.policy.zone), found.next_change()

    def clocks_view(
        self, purpose: str, now: datetime, make: Callable[..., Any], quiet: dict[str, Any] | None = None
    ) -> TimedView:
        """A timed view of the cases' clocks at `now`.

        Its rows depend, besides each case, on the policy when a case's own
        version is missing, the zone times are shown in, and the official
        days (the package's and the repository's `calendars/official/*.yaml`):
        all three are in the view's name, so a change makes new rows, and
        the rows made before it are dropped as the new ones are kept.
        """
        session = self.session
        name = (f"{purpose} {blob_id((session.root / POLICY_FILE).read_bytes())} {session.policy.timezone} "
                f"{session.official.version}")
        return TimedView(name, now, make, quiet, family=f"{purpose} ")

    def case_clocks(
        self, catalog: Catalog, statuses: Collection[str] | None, now: datetime | None = None
    ) -> dict[str, dict[str, Any]]:
        """path -> `sla` of a `list` row, for the cases in `statuses`, at `now` (default: the desk's)."""
        moment = now or self.session.now()
        view = self.clocks_view(CLOCKS_VIEW, moment, lambda data, _body: self.clock_row(data, moment))
        return dict(catalog.timed_rows(CASES.folder, view, lambda _error: None, statuses))

    def calendar(self, name: str | None) -> WorkCalendar:
        """A calendar of the current policy (default: `desk.calendar`, else 5x8)."""
        sla = self.session.policy.sla
        chosen = name or sla.default_calendar
        found = sla.calendars.get(chosen)
        if found is None:
            raise CasefileError(_("no calendar {chosen!r} in policy.yaml").format(chosen=chosen), _("known: {names}").format(names=', '.join(sla.calendars)))
        return found


class SlaFilter(Struct, frozen=True):
    breached: bool = False
    due_within: timedelta | None = None
    by_deadline: bool = False

    @classmethod
    def of(cls, breached: bool, due_within: str | None, sort_by: str) -> SlaFilter:
        within = None
        if due_within is not None:
            parsed = parse_duration(due_within, where="--due-within")
            if not isinstance(parsed, timedelta):
                raise CasefileError(_("--due-within takes hours or minutes of real time, like 2h or 90m"))
            within = parsed
        return cls(breached, within, sort_by == "deadline")


CLOCKS_VIEW = "case-clocks/2"  # raise when `ServiceLevels.clock_row` changes


def with_sla(
    rows: list[dict[str, Any]],
    clocks: Mapping[str, Mapping[str, Any]],
    wanted: SlaFilter,
    now: datetime,
    notes: Callable[[str], None],
) -> list[dict[str, Any]]:
    """Add `sla` (from `clocks`, by path) to each row that is not closed; filter and sort as asked."""
    kept = []
    waiting: dict[int, list[str]] = {}  # a year without official days -> the cases whose clocks need it
    for row in rows:
        sla = clocks.get(row["path"]) if row.get("status") != "closed" else None
        row["sla"] = dict(sla) if sla is not None else None
        if sla is not None and "error" in sla:
            notes(f"{row['path']}: clocks not computed: {sla['error']}")
            sla = None
        for need in (sla or {}).get("needs") or []:
            waiting.setdefault(int(need["year"]), []).append(str(row.get("id")))
        if wanted.breached and not (sla and sla["breached"]):
            continue
        if wanted.due_within is not None:
            due = sla["next_due_at"] if sla else None
            if due is None or parse_stored(due) > now + wanted.due_within:
                continue
        kept.append(row)
    for year, cases in sorted(waiting.items()):
        shown = ", ".join(sorted(set(cases))[:5]) + (", ..." if len(set(cases)) > 5 else "")
        notes(f"{len(set(cases))} case(s) have clocks that need the official days of {year}, which this desk "
              f"has not got yet ({shown}); add them with `{IMPORT_COMMAND}`")
    if wanted.by_deadline:
        far = "9999"
        kept.sort(key=lambda row: ((row.get("sla") or {}).get("next_due_at") and _utc_key(row["sla"]["next_due_at"]))
                  or far)
    return kept


def _utc_key(text: str) -> str:
    return parse_stored(text).astimezone(UTC).isoformat()


def row_sla(sla: CaseSla, zone: tzinfo) -> dict[str, Any]:
    """`list --json` key `sla` (cheap: no explanations), as the record index keeps it."""
    nxt = sla.next_deadline()
    needs = [{"clock": c.name, "year": c.needs_year} for c in sla.needs_data]
    if sla.ladder is not None:
        needs += [{"clock": sla.ladder.name, "year": year}
                  for year in sorted({s.needs_year for s in sla.ladder.steps if s.needs_year})]
    row: dict[str, Any] = {
        "next_clock": nxt.name if nxt else None,
        "next_due_at": format_instant(nxt.due_at, zone) if nxt and nxt.due_at else None,
        "breached": [c.name for c in sla.breached],
        "paused": any(c.state is ClockState.PAUSED for c in sla.clocks),
    }
    if needs:  # clocks (and the ladder) whose deadline needs a year without official days
        row["needs"] = needs
    return row
