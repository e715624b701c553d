"""`casefile policy simulate NEW-POLICY.yaml`: the period's cases replayed under a proposed policy.

Every case received in the period (as the reports read them: duplicates and affected callers apart) is
evaluated twice with the one engine `check`, `show` and the reports use, at the same instant (`--now`):

* *today* — under the policy version it was opened under (what `report sla` says now);
* *proposed* — under the proposed policy file instead, its rule selected again from the proposal's
  `sla.rules` (a proposed contract rule for one customer: `--customer ID` replays that customer's cases
  only, so every other customer keeps its own terms).

Both sides are built by the report kinds' own code (`report sla`, `report engineers`), so the figures
beside each other mean what the reports mean.  Added to them: the breaches gained and lost (case by case),
who the warnings, breaches and ladder steps would have notified (per person, and per night), the survey
letters the proposal's `surveys:` would issue on the period's closes (its sample and throttle replayed in
closing order), and the engineers whose scores would change.

Nothing is written: no record, no index entry that a read would not make, no commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from casefile.errors import CasefileError
from casefile.policy.model import Policy, parse_policy
from casefile.policy.people import People
from casefile.policy.rota import Rota, read_rota
from casefile.policy.sla import ASSIGNEE, GROUP, OWNER, SERVICE_DESK, SlaPolicy
from casefile.policy.surveys import SurveyPolicy, sampled
from casefile.records.yamlio import RecordError
from casefile.render.progress import Stages, no_stages
from casefile.reports.build import Reports
from casefile.reports.kinds.engineers import Scorecards
from casefile.reports.kinds.sla import BreachedClock, SlaCompliance
from casefile.reports.model import CountedWith, Skipped
from casefile.reports.period import Period
from casefile.reports.source import CaseRecord, Needs, SourceReader, Sources
from casefile.session import Session
from casefile.sla.engine import AlertKind, CaseSla
from casefile.sla.work import ServiceLevels, SlaUnavailable
from casefile.surveys.model import case_survey_id
from casefile.values import Struct, replace
from casefile.worktime.clock import parse_stored
from casefile.i18n import _

# A night, for "pages per night": from 20:00 to 08:00 in the desk's zone, named by the evening's date.
NIGHT_FROM, NIGHT_UNTIL = time(20, 0), time(8, 0)
NOTIFYING = (AlertKind.WARNING, AlertKind.BREACH, AlertKind.LADDER)


class BadProposal(CasefileError):
    """The proposed policy file cannot be read or is not a valid policy."""


class Breach(Struct, frozen=True):
    """A breached clock that one side has and the other has not."""

    case: str
    title: str
    level: str
    target: str
    label: str
    label_zh: str
    within: str  # the target on the side that breaches
    other_within: str | None  # the target on the other side (None: no such target there)
    due_at: datetime | None
    stopped_at: datetime | None
    over_by: timedelta | None


class Notified(Struct, frozen=True):
    """How many warnings, breaches and ladder steps would have reached one person (or an unheld role)."""

    person: str
    name: str
    today: int
    proposed: int


class Night(Struct, frozen=True):
    night: str  # the evening's date, YYYY-MM-DD
    today: int
    proposed: int


class LadderSteps(Struct, frozen=True):
    ladder: str
    role: str
    today: int
    proposed: int


class Letters(Struct, frozen=True):
    """Survey letters on the period's closes, under either side's `surveys:` (sample and throttle)."""

    closed: int
    today: int
    proposed: int
    gained: tuple[str, ...]  # cases that would get a letter they do not get today
    lost: tuple[str, ...]


class ScoreChange(Struct, frozen=True):
    engineer: str
    name: str
    score: str
    today: float | None
    proposed: float | None


class Side(Struct, frozen=True):
    sla: SlaCompliance
    notices: int  # warnings, breaches and ladder steps due by the report's time


class WhatIf(Struct, frozen=True):
    desk: str
    period: Period
    customer: str | None
    customer_name: str | None
    at: datetime
    proposal: str  # the proposed file, as named
    cases: int
    today: Side
    proposed: Side
    gained: tuple[Breach, ...]
    lost: tuple[Breach, ...]
    ladder: tuple[LadderSteps, ...]
    people: tuple[Notified, ...]
    nights: tuple[Night, ...]
    pages: tuple[Notified, ...]  # pages to the holder on duty (rota.yaml), per person; none without a rota
    page_nights: tuple[Night, ...]
    letters: Letters
    scores: tuple[ScoreChange, ...]
    not_computed: tuple[str, ...]  # cases whose proposed clocks could not be computed, with why
    skipped: tuple[Skipped, ...] = ()
    counted_with: tuple[CountedWith, ...] = ()


def read_proposal(path: Path, session: Session) -> Policy:
    """The proposed policy file, parsed like policy.yaml (the repository's official days)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadProposal(_("no proposed policy {path}").format(path=path), _("give the path of a policy file, e.g. a copy of policy.yaml with the targets changed")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadProposal(_("cannot read {path}: {error}").format(path=path, error=error), _("give a UTF-8 YAML file")) from None
    try:
        return parse_policy(text, str(path), session.official.countries)
    except RecordError as error:
        raise BadProposal(_("the proposed policy is not valid: {error}").format(error=error), _("fix it as you would policy.yaml; `casefile validate` explains the keys")) from None
    except CasefileError as error:
        raise BadProposal(_("the proposed policy is not valid: {message}").format(message=error.message), error.hint) from None


def with_rule(data: Mapping[str, Any], sla: SlaPolicy) -> dict[str, Any]:
    """A case's front matter with the rule the proposed policy would have selected when it was opened."""
    found = dict(data)
    service = data.get("service")
    caller = data.get("caller") if isinstance(data.get("caller"), Mapping) else {}
    contract = (service.get("contract") if isinstance(service, Mapping) else None) or (caller or {}).get("contract")
    rule = sla.select_rule(data.get("customer"), contract, data.get("channel"), str(data.get("level")),
                           data.get("type"))
    kept = {k: v for k, v in service.items() if k != "rule"} if isinstance(service, Mapping) else {}
    if rule is not None:
        kept["rule"] = rule.name
    if kept:
        found["service"] = kept
    else:
        found.pop("service", None)
    return found


class Simulation:
    def __init__(self, session: Session, progress: Stages = no_stages) -> None:
        self.session = session
        self.progress = progress

    def run(self, proposal: Path, period: Period, customer: str | None = None) -> WhatIf:
        proposed = read_proposal(proposal, self.session)
        sources = SourceReader(self.session, self.progress).read(period, customer, Needs(sla=True, surveys=True))
        levels = ServiceLevels(self.session)
        replayed: list[CaseRecord] = []
        not_computed: list[str] = []
        for record in sources.cases:
            found = levels.try_under(with_rule(record.data, proposed.sla), proposed, sources.now)
            if isinstance(found, SlaUnavailable):
                not_computed.append(f"{record.id}: {found}")
                replayed.append(replace(record, sla=None, sla_error=str(found)))
            else:
                replayed.append(replace(record, sla=found))
        other = replace(sources, cases=tuple(replayed))
        reports = Reports(self.session)
        today_sla, proposed_sla = reports.sla_of(sources), reports.sla_of(other)
        gained = _breaches(proposed_sla, today_sla)
        lost = _breaches(today_sla, proposed_sla)
        people = self.session.people
        today_n, proposed_n = _notices(sources, people), _notices(other, people)
        zone = self.session.policy.zone
        rota = self._rota()
        today_p, proposed_p = _pages(sources, rota), _pages(other, rota)
        return WhatIf(
            desk=self.session.policy.desk_name,
            period=period,
            customer=customer,
            customer_name=sources.customer_name,
            at=sources.now,
            proposal=str(proposal),
            cases=len(sources.cases),
            today=Side(today_sla, sum(today_n.values())),
            proposed=Side(proposed_sla, sum(proposed_n.values())),
            gained=gained,
            lost=lost,
            ladder=_ladder_steps(sources, other),
            people=_per_person(today_n, proposed_n, people),
            nights=_per_night(today_n, proposed_n, zone),
            pages=_per_person(today_p, proposed_p, people),
            page_nights=_per_night(today_p, proposed_p, zone),
            letters=_letters(sources, self.session.policy.surveys, proposed.surveys),
            scores=_score_changes(reports.engineers_of(sources), reports.engineers_of(other)),
            not_computed=tuple(not_computed),
            skipped=sources.skipped,
            counted_with=sources.counted_with,
        )

    def _rota(self) -> Rota | None:
        policy, people = self.session.policy, self.session.people
        try:
            return read_rota(self.session.root, policy.zone, policy.calendars, policy.roles, people.persons)
        except RecordError as error:
            self.session.notes(f"pages left out: {error}")
            return None


# -- breaches -------------------------------------------------------------------------


def _breaches(side: SlaCompliance, other: SlaCompliance) -> tuple[Breach, ...]:
    """The clocks breached on `side` and not on `other`, with `other`'s target for the same clock."""
    theirs = {(b.case, b.target) for b in other.breached}
    targets = {(row.level, row.target): row.within for row in other.targets}
    found = []
    for b in side.breached:
        if (b.case, b.target) in theirs:
            continue
        found.append(_breach(b, targets.get((b.level, b.target))))
    return tuple(found)


def _breach(b: BreachedClock, other_within: str | None) -> Breach:
    return Breach(b.case, b.title, b.level, b.target, b.label, b.label_zh, b.within, other_within, b.due_at,
                  b.stopped_at, b.over_by)


# -- who would have heard -------------------------------------------------------------

Notice = tuple[str, datetime]  # (person or role, when it could be paged)


def _notices(sources: Sources, people: People) -> Counter[Notice]:
    """Every warning, breach and ladder step due by the report's time, per person it reaches, at its page
    time.  Roles resolve as `check` resolves them (`check.run.recipients`): the case's owner for
    `assignee`/`owner` (the service desk's holders when it has none), a role's holders; a role nobody
    holds is counted under its own name."""
    found: Counter[Notice] = Counter()
    for record in sources.cases:
        if record.sla is None:
            continue
        assignee = str(record.data.get("assignee") or "") or None
        for alert in record.sla.alerts:
            if alert.kind not in NOTIFYING:
                continue
            for handle in _recipients(people, alert.roles, assignee):
                found[(handle, alert.page_at)] += 1
    return found


def _recipients(people: People, roles: Sequence[str], assignee: str | None) -> list[str]:
    handles: list[str] = []
    for role in roles:
        if role in (ASSIGNEE, OWNER) and assignee and assignee in people.persons:
            found = [assignee]
        elif role == GROUP:
            continue  # the working group's holders: `check` reads it from the case's tier; counted by role below
        else:
            wanted = SERVICE_DESK if role in (ASSIGNEE, OWNER) else role
            found = [p.handle for p in people.holders(wanted)] or [wanted]
        handles.extend(h for h in found if h not in handles)
    return handles


def _pages(sources: Sources, rota: Rota | None) -> Counter[Notice]:
    """The pages breaches and ladder steps would have sent to the holder on duty, as `check` pages them
    (`check.paging.Pager.plan`): a role's first holder on duty at the page time; the owner is mailed, not
    paged, so `assignee`/`owner` page the service desk's holder only for a case nobody owns."""
    found: Counter[Notice] = Counter()
    if rota is None:
        return found
    for record in sources.cases:
        if record.sla is None:
            continue
        owned = bool(record.data.get("assignee"))
        for alert in record.sla.alerts:
            if alert.kind not in (AlertKind.LADDER, AlertKind.BREACH):
                continue
            paged: list[str] = []
            for named in alert.roles:
                if named == GROUP or (named in (ASSIGNEE, OWNER) and owned):
                    continue
                holders = rota.on_duty(SERVICE_DESK if named in (ASSIGNEE, OWNER) else named, alert.page_at)
                if holders and holders[0] not in paged:
                    paged.append(holders[0])
            for handle in paged:
                found[(handle, alert.page_at)] += 1
    return found


def _per_person(today: Counter[Notice], proposed: Counter[Notice], people: People) -> tuple[Notified, ...]:
    def per(counter: Counter[Notice]) -> Counter[str]:
        found: Counter[str] = Counter()
        for (handle, _at), count in counter.items():
            found[handle] += count
        return found

    a, b = per(today), per(proposed)
    rows = []
    for handle in sorted(set(a) | set(b)):
        person = people.persons.get(handle)
        rows.append(Notified(handle, person.name if person else handle, a[handle], b[handle]))
    return tuple(rows)


def night_of(at: datetime, zone: Any) -> str | None:
    """The night an instant falls in (its evening's date), or None in the day."""
    local = at.astimezone(zone)
    if local.time() >= NIGHT_FROM:
        return local.date().isoformat()
    if local.time() < NIGHT_UNTIL:
        return (local.date() - timedelta(days=1)).isoformat()
    return None


def _per_night(today: Counter[Notice], proposed: Counter[Notice], zone: Any) -> tuple[Night, ...]:
    def per(counter: Counter[Notice]) -> Counter[str]:
        found: Counter[str] = Counter()
        for (_handle, at), count in counter.items():
            night = night_of(at, zone)
            if night is not None:
                found[night] += count
        return found

    a, b = per(today), per(proposed)
    return tuple(Night(night, a[night], b[night]) for night in sorted(set(a) | set(b)))


def _ladder_steps(today: Sources, proposed: Sources) -> tuple[LadderSteps, ...]:
    def per(sources: Sources) -> Counter[tuple[str, str]]:
        found: Counter[tuple[str, str]] = Counter()
        for record in sources.cases:
            sla: CaseSla | None = record.sla
            if sla is None or sla.ladder is None:
                continue
            for step in sla.ladder.steps:
                if step.reached:
                    for role in step.roles:
                        found[(sla.ladder.name, role)] += 1
        return found

    a, b = per(today), per(proposed)
    return tuple(LadderSteps(ladder, role, a[(ladder, role)], b[(ladder, role)])
                 for ladder, role in sorted(set(a) | set(b)))


# -- survey letters --------------------------------------------------------------------


def _closes(sources: Sources) -> list[tuple[datetime, str, str]]:
    """(first close, case, customer) of the period's cases that closed, in closing order."""
    found = []
    for record in sources.cases:
        events = record.data.get("events") or []
        closes = [e.get("at") for e in events if isinstance(e, Mapping) and e.get("kind") == "closed" and e.get("at")]
        if closes:
            found.append((parse_stored(str(closes[0])), record.id, str(record.data.get("customer") or "")))
    return sorted(found)


def issued_letters(closes: Sequence[tuple[datetime, str, str]], policy: SurveyPolicy) -> list[str]:
    """The cases whose close would issue a survey letter under `policy`: in its sample (decided by the
    survey's number, as `surveys.issue` decides) and not within `throttle_days` of the customer's last."""
    last: dict[str, datetime] = {}
    issued = []
    for at, case, customer in closes:
        if not sampled(case_survey_id(case, 1), policy.sample_percent):
            continue
        if customer and policy.throttle_days and customer in last \
                and last[customer] >= at - timedelta(days=policy.throttle_days):
            continue
        last[customer] = at
        issued.append(case)
    return issued


def _letters(sources: Sources, today: SurveyPolicy, proposed: SurveyPolicy) -> Letters:
    closes = _closes(sources)
    a, b = issued_letters(closes, today), issued_letters(closes, proposed)
    return Letters(len(closes), len(a), len(b), tuple(c for c in b if c not in a), tuple(c for c in a if c not in b))


# -- scores -----------------------------------------------------------------------------


def _score_changes(today: Scorecards, proposed: Scorecards) -> tuple[ScoreChange, ...]:
    theirs = {card.engineer: card for card in proposed.cards}
    found = []
    for card in today.cards:
        other = theirs.get(card.engineer)
        after = {str(s.key): s.score for s in other.scores} if other is not None else {}
        for score in card.scores:
            new = after.get(str(score.key))
            if _rounded(new) != _rounded(score.score):
                found.append(ScoreChange(card.engineer, card.name, str(score.key), score.score, new))
    return tuple(found)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
