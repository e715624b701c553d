"""A customer's monthly SLA statement: issued as a committed record, verified from the records.

`casefile report sla --customer ID --month M --statement` issues it (`issue_statement`): the month's
figures of that customer, for every case the events they rest on (`evidence.basis_of`), and a digest of
the inputs (`evidence`: canonical JSON, SHA-256), in one commit.  It is never rewritten.

`casefile verify STATEMENT` (`verify`) recomputes it — from the repository, or from the evidence bundle
alone (`casefile export --customer ID --evidence`, no desk repository needed):

* *intact*: the statement's digest follows from its own contents;
* *unchanged*: every case, policy version and official-days file reads today as the statement recorded
  it; a case that changed is named with the fields (`KMT-00002: events[3].at`), and so is a case of the
  month that the statement does not hold, or one it holds that is gone;
* *figures follow*: the engine, run again on the records as they are now at the statement's instant,
  gives every figure the statement states.

The figures are computed the same way for issuing and verifying (`figures_of`): each case under the SLA
view of its policy version (`evidence.sla_view`) with the official days beside it — the engine `report
sla` uses, so a statement says what `report sla --customer ID --month M` said when it was issued.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from casefile.errors import CasefileError, ExitCode, NotFound
from casefile.git.objects import blob_id
from casefile.policy.model import POLICY_FILE, Policy, parse_policy
from casefile.policy.official import OFFICIAL_FOLDER
from casefile.records.change import Change
from casefile.records.file import EditableRecord, read_plain
from casefile.records.kinds import STATEMENTS
from casefile.records.yamlio import RecordError, load_plain
from casefile.reports.evidence import (
    basis_of,
    canonical,
    differences,
    facts_data,
    sha256,
    sla_view,
    statement_digest,
    statement_id,
    used_events,
)
from casefile.reports.kinds import sla as slacompliance
from casefile.reports.period import Period, month_period
from casefile.reports.source import Needs, SourceReader
from casefile.session import Edit, Session
from casefile.sla.engine import evaluate
from casefile.sla.facts import facts_of
from casefile.values import Struct, field
from casefile.worktime.clock import parse_stored
from casefile.worktime.config import Official
from casefile.i18n import _

BUNDLE_FORMAT = "casefile-evidence/1"


class StatementFailed(CasefileError):
    """A statement that does not verify."""

    exit_code = ExitCode.INVALID


class Inputs(Struct, frozen=True):
    """What a statement's figures are computed from: case bases, policy views, official days."""

    cases: dict[str, dict[str, Any]]  # id -> basis
    views: dict[str, dict[str, Any]]  # policy version -> SLA view
    official: dict[str, bytes]  # path -> the file's bytes
    at: datetime

    def official_digests(self) -> dict[str, str]:
        return {path: sha256(content) for path, content in sorted(self.official.items())}

    def policy_digests(self) -> dict[str, str]:
        return {oid: sha256(canonical(view)) for oid, view in sorted(self.views.items())}

    def case_digests(self) -> dict[str, str]:
        return {ident: sha256(canonical(basis)) for ident, basis in sorted(self.cases.items())}


def rules_named(bases: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(b["service"]["rule"]) for b in bases if isinstance(b.get("service"), Mapping)
            and b["service"].get("rule")}


def _countries(official: Mapping[str, bytes]) -> Official:
    from casefile.policy.official import OfficialData, parse_official

    return OfficialData(tuple(parse_official(content.decode("utf-8"), path)
                              for path, content in sorted(official.items()))).countries


def figures_of(inputs: Inputs) -> tuple[dict[str, Any], dict[str, dict[str, str | None]]]:
    """(the figures, each case's clock outcomes) of `inputs` at its instant."""
    countries = _countries(inputs.official)
    parsed: dict[str, Policy] = {}

    def policy(oid: str) -> Policy:
        if oid not in parsed:
            parsed[oid] = parse_policy(json.dumps(inputs.views[oid], ensure_ascii=False), f"policy@{oid[:12]}",
                                       countries)
        return parsed[oid]

    rows: list[tuple[str, str, Any]] = []
    for ident, basis in sorted(inputs.cases.items(), key=lambda item: (str(item[1].get("opened_at")), item[0])):
        try:
            sla: Any = evaluate(facts_of(facts_data(basis)), policy(str(basis["policy"])).sla, inputs.at)
        except (CasefileError, RecordError) as error:
            sla = str(error)
        except (ValueError, TypeError, KeyError) as error:
            sla = f"cannot read the case's times: {error}"
        rows.append((ident, "", sla))
    levels = sorted({str(b.get("level")) for b in inputs.cases.values()})
    built = slacompliance.build(inputs.at, rows, levels)

    def counts(row: Any) -> dict[str, Any]:
        return {"met": row.met, "breached": row.breached, "running": row.running}

    figures = {
        "overall": counts(built.overall),
        "levels": [{"level": row.level, **counts(row)} for row in built.levels],
        # In a canonical order: a policy's mappings may be read back in another order (JSON sorts keys).
        "targets": sorted(({"level": row.level, "target": row.target, "within": row.within,
                            "calendar": row.calendar, **counts(row)} for row in built.targets),
                          key=lambda row: (row["level"], row["target"])),
        "not_computed": [{"case": n.case, "reason": n.reason} for n in built.not_computed],
    }
    clocks = {c.case: {clock.name: clock.outcome for clock in c.clocks} for c in built.cases}
    return figures, clocks


# -- issuing ----------------------------------------------------------------------------


class IssuedStatement(Struct, frozen=True):
    id: str
    path: str
    commit: str
    digest: str
    cases: int
    figures: dict[str, Any]


def _policy_text(session: Session, oid: str) -> str:
    content = session.repo.read_blob(oid)
    if content is None:
        raise NotFound(_("policy version {value} is not in this clone").format(value=oid[:12]), _("fetch the full history (git fetch)"))
    return content.decode("utf-8")


def _official_files(root: Path) -> dict[str, bytes]:
    folder = root / OFFICIAL_FOLDER
    if not folder.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(folder.glob("*.yaml"))}


def _views(texts: Mapping[str, str], bases: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    named = rules_named(bases)
    views = {}
    for oid, text in texts.items():
        plain = load_plain(text, f"{POLICY_FILE}@{oid[:12]}")
        views[oid] = sla_view(plain if isinstance(plain, dict) else {}, named)
    return views


def repository_inputs(session: Session, customer: str, period: Period, at: datetime,
                      versions: Mapping[str, str] | None = None) -> tuple[Inputs, list[str]]:
    """The inputs of a customer's month as the repository holds them now (and the cases left out because
    they cannot be read).  `versions`: the policy version each case was evaluated under (a case that
    names none was evaluated under the policy of the day; a statement records which)."""
    reader = SourceReader(session)
    sources = reader.read(period, customer, Needs())
    current = blob_id((session.root / POLICY_FILE).read_bytes())
    texts: dict[str, str] = {}
    bases: dict[str, dict[str, Any]] = {}
    wanted: dict[str, frozenset[str]] = {}
    for record in sources.cases:
        oid = str(record.data.get("policy") or (versions or {}).get(record.id) or current)
        if oid not in texts:
            texts[oid] = _policy_text(session, oid)
            wanted[oid] = used_events(load_plain(texts[oid], f"{POLICY_FILE}@{oid[:12]}"))
        bases[record.id] = basis_of(record.data, oid, wanted[oid])
    return Inputs(bases, _views(texts, bases.values()), _official_files(session.root), at), \
        [s.path for s in sources.skipped]


def issue_statement(session: Session, customer: str, month: str) -> IssuedStatement:
    """Commit the customer's statement for a month that is over, as the person acting, now."""
    period = month_period(month, session.policy.zone)
    when = session.now()
    if when < period.end:
        raise CasefileError(_("{month} is not over yet; a statement covers the whole month").format(month=month),
                            _("issue it from {end:%Y-%m-%d} on").format(end=period.end))
    ident = statement_id(customer, month)
    at = parse_stored(session.stamp(when))  # the instant as stored: the verifier reads it back
    inputs, skipped = repository_inputs(session, customer, period, at)
    if skipped:
        raise CasefileError(_("{count} record(s) of the month cannot be read ({value}, ...)").format(count=len(skipped), value=skipped[0]),
                            _("fix them (casefile validate) before issuing a statement that must stand"))
    figures, clocks = figures_of(inputs)
    cases = inputs.case_digests()
    policies, official = inputs.policy_digests(), inputs.official_digests()
    digest = statement_digest(customer, month, session.stamp(at), cases, policies, official)
    path = STATEMENTS.path(ident)
    data = {
        "id": ident, "customer": customer, "month": month, "status": "issued",
        "issued_at": session.stamp(when), "issued_by": session.actor.handle, "at": session.stamp(at),
        "digest": digest, "policies": policies, "official": official, "figures": figures,
        "cases": [{"id": case, "digest": cases[case], "clocks": clocks.get(case, {}), "basis": basis}
                  for case, basis in sorted(inputs.cases.items())],
    }
    body = statement_body(data)

    def issue(edit: Edit) -> Change:
        return Change("issue-statement", f"issue the SLA statement of {customer} for {month}",
                      (("Casefile-Digest", digest),))

    done = session.change(
        STATEMENTS, ident, issue, new=EditableRecord.new(path, data, body),
        clash=CasefileError(f"the statement {ident} was issued already; a statement is never rewritten",
                            f"verify it: casefile verify {ident}"),
    )
    return IssuedStatement(ident, path, done.commit, digest, len(inputs.cases), figures)


WORDS = {
    "en": ("SLA statement", "Customer", "Month", "Cases", "Level", "Target", "Met", "Breached", "Running",
           "Digest of the inputs", "Verify: casefile verify {id} (or with --bundle DIR, from the evidence bundle)"),
    "zh": ("服务级别月度报告", "客户", "月份", "案例数", "级别", "指标", "达成", "超时", "进行中",
           "输入摘要", "核验：casefile verify {id}（或用 --bundle DIR 从证据包核验）"),
}


def statement_body(data: Mapping[str, Any]) -> str:
    """The statement in words, both languages (the front matter is what is verified)."""
    lines: list[str] = []
    for lang in ("zh", "en"):
        w = WORDS[lang]
        lines += [f"# {w[0]} — {data['customer']} — {data['month']}", "",
                  f"{w[1]}: {data['customer']} · {w[2]}: {data['month']} · {w[3]}: {len(data['cases'])}", "",
                  f"| {w[4]} | {w[5]} | {w[6]} | {w[7]} | {w[8]} |", "|---|---|---:|---:|---:|"]
        for row in data["figures"]["targets"]:
            lines.append(f"| {row['level']} | {row['target']} ({row['within']}) | {row['met']} | {row['breached']} "
                         f"| {row['running']} |")
        lines += ["", f"{w[9]}: `{data['digest']}`", "", w[10].format(id=data["id"]), ""]
    return "\n".join(lines)


# -- verifying --------------------------------------------------------------------------


class Verdict(Struct):
    statement: str
    customer: str
    month: str
    intact: bool = True  # its digest follows from its contents
    figures_follow: bool = True  # the records as they are now give every stated figure
    changed: list[tuple[str, list[str]]] = field(default_factory=list)  # (case, fields) changed since
    missing: list[str] = field(default_factory=list)  # cases it holds that the source has not
    unstated: list[str] = field(default_factory=list)  # cases of the month it does not hold
    other: list[str] = field(default_factory=list)  # policy versions that differ or are missing
    notes: list[str] = field(default_factory=list)  # official days that differ: only the figures tell
    wrong_figures: list[str] = field(default_factory=list)
    source: str = "repository"

    @property
    def ok(self) -> bool:
        return self.intact and self.figures_follow and not (self.changed or self.missing or self.unstated
                                                            or self.other or self.wrong_figures)

    def lines(self) -> list[str]:
        head = f"{self.statement} ({self.customer}, {self.month}) from the {self.source}: "
        found = [head + ("verified: every figure follows from the records, and none changed since it was issued"
                         if self.ok else "DOES NOT VERIFY")]
        if not self.intact:
            found.append("  the statement's own digest does not follow from its contents: it was edited")
        for case, fields in self.changed:
            found.append(f"  {case} changed after the statement was issued: {', '.join(fields)}")
        found += [f"  {case} is in the statement but not in the {self.source}" for case in self.missing]
        found += [f"  {case} is a case of the month that the statement does not hold" for case in self.unstated]
        found += [f"  {what}" for what in self.other]
        found += [f"  figure {what}" for what in self.wrong_figures]
        found += [f"  note: {what} since it was issued; the figures are computed with them as they are now"
                  for what in self.notes]
        return found

    def as_json(self) -> dict[str, Any]:
        return {"statement": self.statement, "customer": self.customer, "month": self.month, "source": self.source,
                "verified": self.ok, "intact": self.intact, "figures_follow": self.figures_follow,
                "changed": [{"case": c, "fields": f} for c, f in self.changed], "missing": self.missing,
                "unstated": self.unstated, "other": self.other, "wrong_figures": self.wrong_figures,
                "notes": self.notes}


def read_statement(path: Path) -> dict[str, Any]:
    try:
        data, _body = read_plain(path.read_text(encoding="utf-8"), path.name)
    except FileNotFoundError:
        raise NotFound(_("no statement {path}").format(path=path), _("give a statement's id (ST-acme-sz-2026-11) or its file")) from None
    except (RecordError, UnicodeDecodeError, OSError) as error:
        raise CasefileError(_("cannot read the statement {path}: {error}").format(path=path, error=error)) from None
    from casefile.reports.evidence import statement_problems

    problems = statement_problems(data, None)
    if problems:
        raise CasefileError(_("{path} is not a statement: {message}").format(path=path, message=problems[0].message))
    return data


def _stated_inputs(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(c["id"]): dict(c["basis"]) for c in data["cases"]}


def judge(data: Mapping[str, Any], now: Inputs, month_cases: Iterable[str], source: str) -> Verdict:
    """The verdict on a statement, given the inputs as the source holds them now."""
    verdict = Verdict(str(data["id"]), str(data["customer"]), str(data["month"]), source=source)
    stated = _stated_inputs(data)
    cases = {ident: sha256(canonical(basis)) for ident, basis in stated.items()}
    recorded = {str(c["id"]): str(c["digest"]) for c in data["cases"]}
    digest = statement_digest(verdict.customer, verdict.month, str(data["at"]), cases, dict(data["policies"]),
                              dict(data["official"]))
    verdict.intact = digest == data["digest"] and cases == recorded
    for ident in sorted(stated):
        if ident not in now.cases:
            verdict.missing.append(ident)
        elif now.cases[ident] != stated[ident]:
            verdict.changed.append((ident, differences(stated[ident], now.cases[ident])))
    verdict.unstated = sorted(set(month_cases) - set(stated))
    for oid, wanted in dict(data["policies"]).items():
        found = now.policy_digests().get(oid)
        if found != wanted:
            verdict.other.append(f"policy version {oid[:12]} " + ("is missing" if found is None else "differs"))
    have = now.official_digests()
    for path in sorted(set(have) | set(dict(data["official"]))):
        if have.get(path) != data["official"].get(path):
            verdict.notes.append(f"official days {path} " + ("are missing" if path not in have else
                                                             "were added" if path not in data["official"] else
                                                             "differ"))
    if verdict.missing or any(oid not in now.views for oid in {str(b.get("policy")) for b in now.cases.values()}):
        verdict.figures_follow = False
        return verdict
    figures, _clocks = figures_of(now)
    for key in ("overall", "levels", "targets"):
        if figures[key] != data["figures"].get(key):
            verdict.wrong_figures.append(f"{key}: stated {_short(data['figures'].get(key))}, "
                                         f"the records give {_short(figures[key])}")
    verdict.figures_follow = not verdict.wrong_figures
    return verdict


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 200 else text[:197] + "..."


def verify_in_repository(session: Session, statement: str) -> Verdict:
    path = Path(statement)
    found = STATEMENTS.find(session.root, statement) if STATEMENTS.id_pattern.match(statement) else None
    target = session.root / found if found else path
    data = read_statement(target)
    period = month_period(str(data["month"]), session.policy.zone)
    versions = {str(c["id"]): str(c["basis"].get("policy")) for c in data["cases"]}
    now, _skipped = repository_inputs(session, str(data["customer"]), period, parse_stored(str(data["at"])),
                                      versions)
    now = _with_stated_views(session, data, now)
    return judge(data, now, now.cases, "repository")


def _with_stated_views(session: Session, data: Mapping[str, Any], now: Inputs) -> Inputs:
    """The SLA views of the stated policy versions, with the rules the statement's cases name."""
    stated = _stated_inputs(data)
    texts = {}
    for oid in dict(data["policies"]):
        try:
            texts[oid] = _policy_text(session, oid)
        except NotFound:
            continue
    return Inputs(now.cases, _views(texts, stated.values()), now.official, now.at)


# -- the evidence bundle -------------------------------------------------------------------


def bundle_inputs(bundle: Path, data: Mapping[str, Any]) -> tuple[Inputs, list[str]]:
    """The inputs as an evidence bundle holds them (and the cases of the statement's month in it)."""
    manifest = _json(bundle / "manifest.json")
    if not isinstance(manifest, Mapping) or manifest.get("format") != BUNDLE_FORMAT:
        raise CasefileError(_("{bundle} is not an evidence bundle (no manifest.json of {BUNDLE_FORMAT})").format(bundle=bundle, BUNDLE_FORMAT=BUNDLE_FORMAT),
                            _("make one with: casefile export --customer ID --evidence -o DIR"))
    if manifest.get("customer") != data["customer"]:
        raise CasefileError(_("the bundle is {get}'s, the statement {customer}'s").format(get=manifest.get('customer'), customer=data['customer']),
                            _("give the bundle of the statement's customer"))
    cases: dict[str, dict[str, Any]] = {}
    month: list[str] = []
    for path in sorted((bundle / "cases").glob("*.json")):
        record = _json(path)
        basis = record.get("basis") if isinstance(record, Mapping) else None
        if not isinstance(basis, Mapping):
            raise CasefileError(_("{relative_to} has no basis").format(relative_to=path.relative_to(bundle)), _("the bundle is damaged: export it again"))
        cases[str(basis.get("id"))] = dict(basis)
        if str(basis.get("opened_at") or "").startswith(str(data["month"])) and not record.get("counted_with"):
            month.append(str(basis.get("id")))
    stated = _stated_inputs(data)
    views = {}
    for path in sorted((bundle / "policies").glob("*.json")):
        view = _json(path)
        if isinstance(view, dict):
            views[path.stem] = sla_view(view, rules_named(stated.values()))
    official = {}
    folder = bundle / OFFICIAL_FOLDER
    if folder.is_dir():
        official = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(folder.glob("*.yaml"))}
    wanted = {ident: cases[ident] for ident in cases if ident in stated or ident in month}
    return Inputs(wanted, views, official, parse_stored(str(data["at"]))), month


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound(_("{path} is missing").format(path=path), _("the bundle is incomplete: export it again")) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CasefileError(_("{path} is not JSON: {error}").format(path=path, error=error), _("the bundle is damaged: export it again")) from None


def verify_bundle(bundle: Path, statement: str) -> Verdict:
    """Verify a statement from an evidence bundle alone: no desk repository, no git."""
    if not bundle.is_dir():
        raise NotFound(_("no bundle folder {bundle}").format(bundle=bundle), _("unpack the evidence bundle and name its folder"))
    path = Path(statement)
    if not path.is_file() and STATEMENTS.id_pattern.match(statement):
        path = bundle / "statements" / f"{statement}{STATEMENTS.suffix}"
    data = read_statement(path)
    now, month = bundle_inputs(bundle, data)
    return judge(data, now, month, "bundle")


def require(verdict: Verdict, emit: Callable[[Verdict], None]) -> None:
    """Say the verdict; a statement that does not verify is an error (exit 5) after it is said."""
    emit(verdict)
    if not verdict.ok:
        raise StatementFailed(_("{statement} does not verify").format(statement=verdict.statement), _("the lines above say what differs"))
