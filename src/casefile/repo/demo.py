"""`casefile demo`: a demo desk, and a realistic day worked through it.

Jinqiao IT Services, Shenzhen, on Thursday 2026-11-19: a level-A network
outage at 02:10 handled by the on-call engineer; a printer outage at a
customer site that waits for the customer's password; an ERP slowdown raised
from C to B and handed to the expert group and the vendor; a VPN question
answered, closed and reopened; a new-account request; a complaint; the
quarterly inspection at ACME, which swaps a UPS; two satisfaction surveys
answered, one of them dissatisfied, which opens a complaint by itself.  Every
step goes through the same library the commands use, with the clock set to
the time of the step, so each is one commit authored by the person acting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from casefile.cases.model import CaseType, Channel, NoteKind, Tier, WaitingOn
from casefile.cases.work import CaseWork, Done, NewCase
from casefile.customers.assets import parse_replacement
from casefile.customers.model import Asset, Contact
from casefile.customers.work import CustomerWork, NewCustomer
from casefile.errors import CasefileError
from casefile.inspections.checklists import parse_check
from casefile.inspections.model import CheckResult
from casefile.inspections.work import InspectionWork, PlanRequest, Visit
from casefile.policy.people import PEOPLE_FILE, Person, render_people
from casefile.records.change import CommitMessage
from casefile.repo.init import init_repository
from casefile.session import Session
from casefile.surveys.model import Via
from casefile.surveys.work import Answers, SurveyWork
from casefile.worktime.clock import Clock
from casefile.i18n import _

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = "2026-11-19"
TEAM_DOMAIN = "jinqiao-it.example"
DESK_NAME = "Jinqiao IT Services"  # the README's story: the service company whose day the demo works

TEAM = [
    ("wang.fang", "Wang Fang 王芳", "L1", ["service-desk"]),
    ("li.na", "Li Na 李娜", "L2", ["engineer"]),
    ("ma.qiang", "Ma Qiang 马强", "L2", ["engineer"]),
    ("zhao.lei", "Zhao Lei 赵磊", "L2", ["engineer", "customer-service-engineer"]),
    ("zhou.min", "Zhou Min 周敏", "L3", ["expert-group"]),
    ("chen.jie", "Chen Jie 陈杰", "L3", ["technical-support-supervisor"]),
    ("sun.li", "Sun Li 孙丽", "", ["customer-service-manager"]),
    ("he.jun", "He Jun 何军", "", ["technical-centre-deputy-head"]),
    ("huang.wei", "Huang Wei 黄伟", "", ["technical-director"]),
    ("liu.yang", "Liu Yang 刘洋", "", ["general-manager"]),
]


def team() -> list[Person]:
    return [
        Person(handle, name, f"{handle}@{TEAM_DOMAIN}", f"138-0755-{index:04d}", tier, tuple(roles))
        for index, (handle, name, tier, roles) in enumerate(TEAM, start=1)
    ]


def _free_folder(base: Path) -> Path:
    candidate, number = base, 1
    while candidate.exists() and any(candidate.iterdir()):
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


Step = tuple[str, str, str, Callable[[CaseWork, dict[str, str]], Done]]


def _t(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{DAY}T{hhmm}:00").replace(tzinfo=SHANGHAI)


# When cron's `casefile check` runs in the demo: the night outage's ladder fires
# (02:40 customer service engineer, 03:10 supervisor; restored 03:52, before the
# general manager's step at 04:10), and the day's warnings and breaches follow.
CHECK_TIMES = ("02:40", "03:10", "03:40", "04:10", "09:00", "10:30", "12:00", "14:00", "16:00", "17:30")


def _run_schedule(root: Path, steps: list[Step], say: Callable[[str], None]) -> None:
    """Run the steps in time order; a step that opens a case names it for later steps."""
    ids: dict[str, str] = {}
    checks: list[Step] = [(hhmm, "check", "check", _no_step) for hhmm in CHECK_TIMES]
    for hhmm, who, key, act in sorted(steps + checks, key=lambda step: (step[0], step[1] == "check")):
        session = Session.open(root, actor=who if who != "check" else None)
        session.clock = Clock(_t(hhmm))
        if who == "check":
            _check(session, hhmm, say)
            continue
        done = act(CaseWork(session), ids)
        ids.setdefault(key, str(done.entry.data["id"]))
        say(f"  {hhmm}  {who:<10} {done.subject}")
        for note in done.notes:
            say(f"  {'':5}  {'':<10}   {note}")


def _no_step(work: CaseWork, ids: dict[str, str]) -> Done:
    raise AssertionError(_("not a case step"))  # pragma: no cover


def _check(session: Session, hhmm: str, say: Callable[[str], None]) -> None:
    """`casefile check` as cron runs it; one line per alert it records."""
    from casefile.check.assembly import desk_check

    result = desk_check(session).run()
    for line in result.created:
        say(f"  {hhmm}  check      {line}")
    for item in result.fired:
        people = ", ".join(item.notified) or "nobody"
        say(f"  {hhmm}  check      {item.due.record_id}: {item.alert.label} -> {people}")


def run_demo(path: Path | None, say: Callable[[str], None]) -> Path:
    root = _free_folder((path or Path("casefile-demo")).expanduser().resolve())
    if root.exists() and not root.is_dir():
        raise CasefileError(_("{root} is a file").format(root=root), _("give the demo a folder"))
    create_desk(root, datetime.fromisoformat(f"{DAY}T00:05:00").replace(tzinfo=SHANGHAI))
    say(f"casefile demo: a day at {DESK_NAME}, {DAY} (Thursday), in {root}")
    _run_schedule(root, _the_day(), say)
    say("")
    say("Where to look:")
    say(f"  cd {root}")
    say("  git log --format='%ad %an  %s' --date=format:%H:%M   # the audit trail: one commit per step")
    say("  casefile list                     # what is still open")
    say("  casefile list --all               # every case of the day")
    say("  casefile show <case>              # one case: fields, clocks, ladder, pauses, activity")
    say("  casefile explain <case>           # how each deadline was computed, in words")
    say(f"  casefile check --now {DAY}T18:00 --dry-run   # what cron's check would record next")
    say("  casefile history <case>           # who changed it, in which commit")
    say("  casefile customer show acme-sz    # a customer: contacts, assets, cases, inspections, surveys")
    say("  casefile inspect report acme-sz-2026-Q4   # the system running-status report of the visit")
    say("  casefile survey list              # satisfaction surveys and their answers")
    say("  casefile report monthly --month 2026-11 --lang en             # the monthly bulletin so far")
    say("  casefile report sla --month 2026-11 --format html -o sla.html  # SLA compliance, one HTML file")
    return root


def summary(root: Path) -> dict[str, Any]:
    """What `casefile demo --json` prints: where the desk is and what the day left in it (records by
    status, commits)."""
    from collections import Counter

    from casefile.records.kinds import CASES, CUSTOMERS, INSPECTIONS, SURVEYS

    session = Session.open(root)
    skipped: list[str] = []

    def by_status(folder: str) -> dict[str, int]:
        counted = Counter(str(e.data.get("status")) for e in session.catalog.records(folder, lambda error: skipped.append(str(error))))
        return dict(sorted(counted.items()))

    cases = by_status(CASES.folder)
    return {
        "path": str(root),
        "day": DAY,
        "desk": session.policy.desk_name,
        "cases": sum(cases.values()),
        "cases_by_status": cases,
        "customers": sum(1 for _e in session.catalog.records(CUSTOMERS.folder, lambda error: skipped.append(str(error)))),
        "inspections_by_status": by_status(INSPECTIONS.folder),
        "surveys_by_status": by_status(SURVEYS.folder),
        "people": len(team()),
        "commits": session.repo.count_commits("HEAD"),
        "skipped": skipped,
    }


def create_desk(root: Path, when: datetime, customers: bool = True) -> None:
    """A case repository with the demo team and (unless told not to) its two customers
    and their inspection plans; one commit each."""
    init_repository(root, "wang.fang", when, nested=True, desk_name=DESK_NAME)
    session = Session.open(root, actor="wang.fang")
    session.clock = Clock(when)
    text = render_people(team())

    def body(txn):  # type: ignore[no-untyped-def]
        txn.write(PEOPLE_FILE, text)
        message = CommitMessage("Add the service desk team", "people")
        return txn.commit(message.text(), session.author(team()[0]), when)

    session.mutate(body)
    for customer, plan in CUSTOMERS if customers else ():
        CustomerWork(session).add(customer)
        InspectionWork(session).plan(customer.id, plan)


CUSTOMERS = [
    (
        NewCustomer(
            id="acme-sz", name="ACME Shenzhen",
            contacts=(Contact("Zhang Wei", "0755-86001234", "zhang.wei@acme.example", "IT manager"),
                      Contact("Liu Min", "0755-86001250", "liu.min@acme.example", "Office administration"),
                      Contact("Chen Hong", "0755-86001299", "chen.hong@acme.example", "Finance")),
            contract="JQ-2026-017", service_from=date(2026, 1, 1), service_until=date(2026, 12, 31),
            coverage="5x24", service_level="Standard: office IT, quarterly inspection",
            assets=(Asset("HP LaserJet M607", "CNB1234567", "3F print room, 88 Keyuan Rd"),
                    Asset("Dell PowerEdge R450 (PRN-SRV-02)", "7XK2QJ3", "2F server room"),
                    Asset("Huawei S5735-L48T4S", "2102353DAB10", "2F server room"),
                    Asset("APC Smart-UPS SRT3000", "AS2011123456", "2F server room")),
            notes="ERP (SAP Business One) on site; finance closes the month on the last working day.",
        ),
        PlanRequest(cadence="quarterly", since=date(2026, 10, 1), inspector="zhao.lei"),
    ),
    (
        NewCustomer(
            id="sz-metro", name="Shenzhen Metro Ticketing",
            contacts=(Contact("Huang Tao", "0755-83345678", "huang.tao@szmetro.example", "Night duty lead"),),
            contract="JQ-2026-031", service_from=date(2026, 3, 1), service_until=date(2027, 2, 28),
            coverage="7x24", service_level="Premium 7x24 with on-site staff", onsite_staff=True,
            assets=(Asset("Cisco Catalyst C9300-48P (SW-FT-01)", "FOC2345X0AB", "Futian station equipment room"),
                    Asset("Cisco Catalyst C9300-48P (SW-FT-02)", "FOC2345X0CD", "Futian station equipment room")),
        ),
        PlanRequest(cadence="second Monday of each month", since=date(2026, 11, 1), inspector="ma.qiang"),
    ),
]


def _the_day() -> list[Step]:
    """Thursday 2026-11-19 at Jinqiao IT Services, step by step."""
    return [
        # 02:10 — a level-A outage in the night: 7x24, the on-call engineer takes it.
        ("02:10", "ma.qiang", "core", lambda w, c: w.open(NewCase(
            title="Core switch down: ticket gates offline at Futian station",
            level="A", type=CaseType.INCIDENT, channel=Channel.PHONE, category="network/switch",
            customer="sz-metro", caller={"name": "Huang Tao", "company": "Shenzhen Metro Ticketing",
                                         "phone": "0755-83345678", "contract": "JQ-2026-031", "verified": True},
            description="Night duty reports all ticket gates at Futian offline since 02:02.\n"
                        "Core switch SW-FT-01 unreachable; no link lights on the uplink.",
            assignee="ma.qiang", tier=Tier.L2))),
        ("02:16", "ma.qiang", "core", lambda w, c: w.respond(
            c["core"], "Called Huang Tao back; dispatching to Futian now.")),
        ("02:45", "ma.qiang", "core", lambda w, c: w.note(
            c["core"], "Arrived in the Futian equipment room.", NoteKind.ONSITE,
            dispatched_at=_t("02:19"), arrived_at=_t("02:44"))),
        ("03:10", "ma.qiang", "core", lambda w, c: w.note(
            c["core"], "Told Huang Tao: PSU of SW-FT-01 failed; swapping in the spare.", NoteKind.PROGRESS)),
        ("03:52", "ma.qiang", "core", lambda w, c: w.resolve(
            c["core"], "Replaced the PSU; gates back online at 03:50, tested 10 gates.")),
        # 08:45 — a printer outage at a customer site (level C, 5x24).
        ("08:45", "wang.fang", "printer", lambda w, c: w.open(NewCase(
            title="Printer on 3F prints nothing, shows E-04",
            level="C", type=CaseType.INCIDENT, channel=Channel.PHONE, category="hardware/printer",
            customer="acme-sz", caller={"name": "Zhang Wei", "company": "ACME Shenzhen",
                                        "phone": "0755-86001234", "email": "zhang.wei@acme.example",
                                        "address": "3F, 88 Keyuan Rd, Nanshan", "contract": "JQ-2026-017"},
            description="HP M607 on the 3rd floor shows E-04 since 08:30; 40 jobs stuck in the queue."))),
        ("08:52", "wang.fang", "printer", lambda w, c: w.assign(c["printer"], "li.na", Tier.L2)),
        ("09:05", "li.na", "printer", lambda w, c: w.respond(
            c["printer"], "Called Zhang Wei; checking the print server remotely.")),
        ("09:20", "li.na", "printer", lambda w, c: w.note(
            c["printer"], "Cleared the stuck queue on PRN-SRV-02; E-04 persists.", NoteKind.REMOTE,
            authorised_by="Zhang Wei")),
        ("10:05", "li.na", "printer", lambda w, c: w.pend(
            c["printer"], "Needs the printer admin password from ACME IT", WaitingOn.CUSTOMER)),
        ("11:20", "li.na", "printer", lambda w, c: w.resume(c["printer"], "Zhang Wei sent the password.")),
        ("13:31", "li.na", "printer", lambda w, c: w.note(
            c["printer"], "On site: the fuser unit is faulty.", NoteKind.ONSITE,
            dispatched_at=_t("13:05"), arrived_at=_t("13:30"))),
        ("14:30", "li.na", "printer", lambda w, c: w.resolve(
            c["printer"], "Replaced the fuser unit; test page OK; the 40 jobs printed.")),
        ("16:00", "wang.fang", "printer", lambda w, c: w.close(
            c["printer"], "Zhang Wei", "Customer confirmed by phone.")),
        # 09:30 — a consultation by e-mail (level D, 5x8): answered, closed, reopened.
        ("09:30", "wang.fang", "vpn", lambda w, c: w.open(NewCase(
            title="How to set up VPN on the new laptops?", level="D", type=CaseType.CONSULTATION,
            channel=Channel.EMAIL, category="network/vpn", customer="acme-sz",
            caller={"name": "Liu Min", "company": "ACME Shenzhen", "email": "liu.min@acme.example"},
            description="Ten new ThinkPads arrived; which VPN client and profile should they use?"))),
        ("09:41", "wang.fang", "vpn", lambda w, c: w.respond(
            c["vpn"], "Sent the VPN setup guide and profile JQ-ACME-2026.")),
        ("09:42", "wang.fang", "vpn", lambda w, c: w.resolve(c["vpn"], "Guide and profile sent.")),
        ("11:00", "wang.fang", "vpn", lambda w, c: w.close(c["vpn"], "Liu Min", "Confirmed by e-mail.")),
        ("16:30", "wang.fang", "vpn", lambda w, c: w.reopen(
            c["vpn"], "Liu Min: the profile is rejected on Windows 11 24H2.")),
        ("16:35", "wang.fang", "vpn", lambda w, c: w.assign(c["vpn"], "zhao.lei", Tier.L2)),
        # 10:15 — an ERP slowdown, raised from C to B, to the expert group and the vendor.
        ("10:15", "wang.fang", "erp", lambda w, c: w.open(NewCase(
            title="ERP month-end close extremely slow for finance", level="C", type=CaseType.INCIDENT,
            channel=Channel.ONLINE, category="application/erp", customer="acme-sz",
            caller={"name": "Chen Hong", "company": "ACME Shenzhen", "phone": "0755-86001299"},
            description="Posting a voucher takes 3 minutes instead of 2 seconds."))),
        ("10:20", "wang.fang", "erp", lambda w, c: w.assign(c["erp"], "zhao.lei", Tier.L2)),
        ("10:32", "zhao.lei", "erp", lambda w, c: w.respond(c["erp"], "Reproduced; database CPU at 98%.")),
        ("11:05", "zhao.lei", "erp", lambda w, c: w.change(
            c["erp"], {"level": "B"}, "The whole finance department is blocked at month end.")),
        ("11:10", "zhao.lei", "erp", lambda w, c: w.assign(c["erp"], "zhou.min", Tier.L3)),
        ("14:00", "zhou.min", "erp", lambda w, c: w.note(
            c["erp"], "Opened vendor ticket SAP-88231 for the slow posting query.", NoteKind.VENDOR)),
        ("15:00", "zhou.min", "erp", lambda w, c: w.note(
            c["erp"], "Told Chen Hong: waiting for the vendor's patch.", NoteKind.PROGRESS)),
        # 13:40 — a service request (level D): resolved, waiting for the customer's confirmation.
        ("13:40", "wang.fang", "account", lambda w, c: w.open(NewCase(
            title="新员工开通邮箱和OA账号 (mail and OA accounts for new staff)", level="D",
            type=CaseType.REQUEST, channel=Channel.QQ, category="accounts", customer="acme-sz",
            caller={"name": "Zhang Wei", "company": "ACME Shenzhen", "phone": "0755-86001234"},
            description="Two new staff start on Monday: mail and OA accounts needed.",
            assignee="wang.fang"))),
        ("14:10", "wang.fang", "account", lambda w, c: w.respond(c["account"], "Received; accounts by 17:00.")),
        ("16:50", "wang.fang", "account", lambda w, c: w.resolve(
            c["account"], "Accounts created; passwords sent by SMS.")),
        # 09:00-11:40 — the quarterly inspection at ACME (seed 001); the UPS is swapped (seed 004: update the assets).
        ("11:40", "zhao.lei", "inspection", lambda w, c: InspectionWork(w.session).record(Visit(
            customer="acme-sz", inspected_on=date(2026, 11, 19), inspector="zhao.lei", work_order="PG-20261119-01",
            checks=(parse_check("backup=attention:last full backup 9 days ago"),
                    parse_check("environment=fault:UPS battery test failed, runtime 3 min"),
                    parse_check("feedback=ok:Zhang Wei asks for a printer on 4F")),
            rest=CheckResult.OK,
            findings="UPS battery worn out; the weekly full backup job has failed since 2026-11-10.",
            suggestions="Fix the backup job's credentials; plan a printer for 4F in Q1.",
            training="30 min for two ACME IT staff: restoring a file from backup.",
            summary="Systems run normally; backups need attention.",
            changes=(parse_replacement("AS2011123456=AS2046789012"),),
            notes="Work order PG-20261119-01 signed by Zhang Wei."))),
        # 16:40 — Liu Min answers the VPN survey (case closed at 11:00): dissatisfied -> a complaint.
        ("16:40", "wang.fang", "vpn-survey", lambda w, c: SurveyWork(w.session).record(c["vpn"], Answers(
            ratings={"attitude": "较满意", "quality": "一般", "technical": "不满意", "speed": "较满意"},
            opinions="The profile you sent does not work on Windows 11.", answered_by="Liu Min", via=Via.PHONE))),
        # 17:10 — Zhang Wei answers the printer survey by phone.
        ("17:10", "wang.fang", "printer-survey", lambda w, c: SurveyWork(w.session).record(c["printer"], Answers(
            ratings={"attitude": "很满意", "quality": "很满意", "technical": "较满意", "speed": "较满意"},
            opinions="Fast on-site help, thank you.", answered_by="Zhang Wei", via=Via.PHONE))),
        # 15:20 — a complaint about yesterday's slow answer.
        ("15:20", "wang.fang", "complaint", lambda w, c: w.open(NewCase(
            title="Complaint: nobody called back about the scanner yesterday", level="C",
            type=CaseType.COMPLAINT, channel=Channel.PHONE, customer="acme-sz",
            caller={"name": "Zhang Wei", "company": "ACME Shenzhen", "phone": "0755-86001234"},
            description="The customer says the scanner case of 2026-11-18 got no call back for 5 hours."))),
        ("15:25", "wang.fang", "complaint", lambda w, c: w.assign(c["complaint"], "sun.li")),
        ("15:50", "sun.li", "complaint", lambda w, c: w.respond(
            c["complaint"], "Apologised; reviewing yesterday's case with the team.")),
    ]
