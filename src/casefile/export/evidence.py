"""`casefile export --customer ID --evidence -o DIR`: everything a customer needs to verify its statements.

A folder anyone can check with `casefile verify --bundle DIR STATEMENT`, with no desk repository and no git:

    manifest.json             what it is (`casefile-evidence/1`), whose, when, which statements
    README.txt                how to verify it (Chinese and English)
    cases/KMT-00417.json      one per case of the customer: `record`, the case as the export shows it
                              (the allow-list of `export.view`, other customers redacted), and `basis`,
                              exactly what its SLA figures rest on (`reports.evidence.basis_of`)
    policies/<version>.json   the SLA view of each policy version its cases were opened under (only the
                              service rules its own cases name)
    calendars/official/*.yaml the official days the repository adds to the package's (public facts)
    statements/ST-....md      the customer's issued statements, as committed

Nothing another customer owns, and of the desk's people only what the export shows (the engineer's handle).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from casefile.cases.links import counted_with
from casefile.errors import CasefileError, NotFound
from casefile.export.redact import Redactor
from casefile.export.site import _gather, _page_id, _write_all, check_customer
from casefile.export.view import case_view
from casefile.git.objects import blob_id
from casefile.policy.model import POLICY_FILE
from casefile.policy.official import OFFICIAL_FOLDER
from casefile.records.kinds import CUSTOMERS, STATEMENTS
from casefile.records.yamlio import load_plain
from casefile.reports.evidence import basis_of, sla_view, used_events
from casefile.session import Session
from casefile.i18n import _
from casefile.values import Struct

FORMAT = "casefile-evidence/1"

README = """casefile evidence bundle / 证据包 — {customer}

中文：本文件夹包含贵方案例的服务级别依据（已按导出规则去除其他客户信息）、案例开立时适用的政策版本和法定节假日数据。
无需服务台仓库即可核验每份月度报告：

    casefile verify --bundle {folder} STATEMENT

（STATEMENT 为 statements/ 下的文件或其编号，例如 {example}）。核验会重新计算每个数字，并指出报告签发后被修改的案例和字段。

English: this folder holds what your cases' service-level figures rest on (other customers redacted, as
in every export), the policy versions they were opened under and the official days. Verify any monthly
statement without the desk's repository:

    casefile verify --bundle {folder} STATEMENT

(STATEMENT: a file under statements/, or its id, e.g. {example}). It recomputes every figure and names any
case, and field, changed after the statement was issued.
"""


class EvidenceResult(Struct, frozen=True):
    customer: str
    folder: Path
    cases: int
    policies: int
    statements: tuple[str, ...]
    unreadable: tuple[str, ...]

    def lines(self) -> list[str]:
        found = [f"evidence of {self.customer}: {self.cases} case(s), {self.policies} policy version(s), "
                 f"{len(self.statements)} statement(s) in {self.folder}"]
        found += [f"  skipped {path}: it cannot be read (casefile validate says why)" for path in self.unreadable]
        if self.statements:
            found.append(f"  verify: casefile verify --bundle {self.folder} {self.statements[-1]}")
        return found

    def as_json(self) -> dict[str, Any]:
        return {"customer": self.customer, "folder": str(self.folder), "cases": self.cases,
                "policies": self.policies, "statements": list(self.statements), "unreadable": list(self.unreadable)}


def export_evidence(session: Session, customer: str, output: Path) -> EvidenceResult:
    customer = check_customer(customer)
    target = output.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CasefileError(_("{target} exists and is not empty").format(target=target), _("export into a new folder"))
    gathered = _gather(session, customer)
    if not gathered.cases and CUSTOMERS.find(session.root, customer) is None:
        raise NotFound(_("no customer {customer!r}: no case names it").format(customer=customer),
                       _("`casefile list --all --json` shows the customers of cases"))
    redactor = Redactor(gathered.others, gathered.own)
    current = blob_id((session.root / POLICY_FILE).read_bytes())
    texts: dict[str, Any] = {}
    events: dict[str, frozenset[str]] = {}
    files: dict[str, str] = {}
    bases = []
    exported = {_page_id(e.path) for e in gathered.cases}
    zone = session.policy.zone
    for entry in gathered.cases:
        oid = str(entry.data.get("policy") or current)
        if oid not in texts:
            content = session.repo.read_blob(oid)
            if content is None:
                raise NotFound(_("policy version {value} is not in this clone").format(value=oid[:12]), _("fetch the full history (git fetch)"))
            texts[oid] = load_plain(content.decode("utf-8"), f"{POLICY_FILE}@{oid[:12]}") or {}
            events[oid] = used_events(texts[oid])
        basis = basis_of(entry.data, oid, events[oid])
        bases.append(basis)
        record = redactor.data(case_view(entry.data, entry.body, exported, session.policy.language,
                                         lambda value: str(value), _page_id(entry.path)))
        files[f"cases/{_page_id(entry.path)}.json"] = _dump({"record": record, "basis": basis,
                                                             "counted_with": counted_with(entry.data)})
    rules = {str(b["service"]["rule"]) for b in bases if b.get("service", {}).get("rule")}
    for oid, plain in texts.items():
        files[f"policies/{oid}.json"] = _dump(sla_view(plain, rules))
    folder = session.root / OFFICIAL_FOLDER
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        files[path.relative_to(session.root).as_posix()] = path.read_text(encoding="utf-8")
    statements = []
    for path in STATEMENTS.files(session.root):
        ident = STATEMENTS.id_of(path.relative_to(session.root).as_posix())
        match = STATEMENTS.id_pattern.match(ident)
        if match and match["customer"] == customer:
            statements.append(ident)
            files[f"statements/{ident}{STATEMENTS.suffix}"] = path.read_text(encoding="utf-8")
    example = statements[-1] if statements else f"ST-{customer}-2026-11"
    files["README.txt"] = README.format(customer=customer, folder=target.name, example=example)
    files["manifest.json"] = _dump({"format": FORMAT, "customer": customer, "name": redactor.data(gathered.name),
                                    "desk": session.policy.desk_name, "generated_at": session.stamp(),
                                    "timezone": str(zone), "cases": len(gathered.cases),
                                    "statements": statements})
    _write_all(files, target)
    return EvidenceResult(customer, target, len(gathered.cases), len(texts), tuple(statements),
                          tuple(gathered.unreadable))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
