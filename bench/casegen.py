"""Realistic cases for the benchmark, made with casefile's own record model.

Every case is built the way the commands build it: `new_case_data`, then the
workflow steps (`workflow.assign`, `respond`, `note`, `pend`, `resume`,
`resolve`, `close`, `reopen`, `change_fields`) applied to a `CaseDoc`, then
`EditableRecord.render()`.  So the files have exactly the shape, key order and
quoting that `casefile open`/`note`/... write, and they validate.

The mix (levels, types, channels, customers, engineers, notes, pauses,
reopenings) is drawn from a seeded random generator, so a given size always
gives the same repository.  Cases are spread over three years before the bench
clock; the most recent ones are still being worked (open, pending, resolved).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from casefile.cases import ops as workflow
from casefile.cases.model import CaseDoc, EventKind, NoteKind, Tier, WaitingOn, new_case_data
from casefile.records.file import EditableRecord
from casefile.records.kinds import CASES
from casefile.records.numbers import format_case_number
from casefile.worktime.clock import format_instant

SHANGHAI = ZoneInfo("Asia/Shanghai")
BENCH_NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # a Friday morning
YEARS = 3
STATIONS = ("KMT", "BDF", "PQR", "HZW")  # four clones have opened cases over the years

LEVELS = (("A", 2), ("B", 10), ("C", 50), ("D", 38))
TYPES = (("incident", 55), ("request", 25), ("consultation", 15), ("complaint", 5))
CHANNELS = (("phone", 45), ("email", 25), ("web", 12), ("online", 10), ("qq", 6), ("fax", 2))
CATEGORIES = (
    "hardware/printer", "hardware/laptop", "hardware/desktop", "network/switch", "network/vpn",
    "network/wifi", "application/erp", "application/mail", "application/office", "account/password",
    "account/new-user", "security/virus", "server/storage", "server/backup", "telephony/pbx",
)
ENGINEERS = (("li.na", "L2"), ("ma.qiang", "L2"), ("zhao.lei", "L2"), ("zhou.min", "L3"), ("wang.fang", "L1"))
DESK = ("wang.fang",)
SURNAMES = ("Zhang", "Wang", "Li", "Zhao", "Chen", "Liu", "Yang", "Huang", "Zhou", "Wu", "Xu", "Sun")
GIVEN = ("Wei", "Fang", "Na", "Min", "Jing", "Lei", "Qiang", "Tao", "Hong", "Jun", "Yan", "Hui", "Ping")
DISTRICTS = ("Futian", "Nanshan", "Luohu", "Bao'an", "Longgang", "Longhua")
PROBLEMS = {
    "incident": ("{thing} is down", "{thing} fails with error E-{code}", "{thing} very slow since this morning",
                 "{thing} keeps restarting"),
    "request": ("New account for {person}", "Install {thing} for {person}", "Move {thing} to the 5th floor"),
    "consultation": ("How to configure {thing}?", "Replacement for {thing}: which model?",
                     "Licence question about {thing}"),
    "complaint": ("Engineer late for the visit about {thing}", "Fault came back a third time: {thing}"),
}
THINGS = ("the printer on 3F", "the core switch", "VPN", "the ERP client", "Outlook", "the file server",
          "the Wi-Fi in meeting room B", "the finance laptop", "the PBX", "the backup job", "the scanner")
NOTES = (
    "Checked the logs; nothing unusual before the fault.", "Asked the caller for a screenshot.",
    "Restarted the service; watching it.", "Ordered a spare part from the vendor.",
    "Told the customer the expected time of the fix.", "Vendor ticket opened, reference pending.",
    "Reproduced the problem on a test machine.", "Updated the driver to the latest version.",
)


@dataclass(frozen=True)
class BuiltCase:
    case_id: str
    path: str
    text: str
    status: str
    assignee: str | None
    opened_at: datetime


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _stamp(when: datetime) -> str:
    return format_instant(when, SHANGHAI)


def _opening_times(count: int, rng: random.Random) -> list[datetime]:
    """`count` opening times over three years, mostly in working hours on weekdays."""
    start = BENCH_NOW - timedelta(days=365 * YEARS)
    span = (BENCH_NOW - timedelta(hours=2) - start).total_seconds()
    times: list[datetime] = []
    while len(times) < count:
        when = start + timedelta(seconds=rng.random() * span)
        busy = when.weekday() < 5 and 8 <= when.hour < 19
        if busy or rng.random() < 0.15:
            times.append(when.replace(microsecond=0))
    times.sort()
    return times


def _final_status(index: int, count: int, open_count: int, rng: random.Random) -> str:
    """The newest cases are still being worked; a few old ones linger open."""
    recent = count - index <= int(open_count * 1.23)
    if recent:
        return rng.choices(("open", "pending", "resolved", "closed"), (62, 15, 15, 8))[0]
    if rng.random() < open_count * 0.05 / max(count, 1):
        return rng.choice(("open", "pending"))
    return "resolved" if rng.random() < 0.01 else "closed"


class CaseFactory:
    """Builds case number `index` of `count` with the library's model."""

    def __init__(self, count: int, open_count: int, policy: str, seed: int = 7) -> None:
        self.policy = policy  # the blob id of the repository's policy.yaml: cases record it
        self.count = count
        self.open_count = open_count
        self.seed = seed
        self.times = _opening_times(count, random.Random(seed))
        self.customers = [f"cust-{n:04d}" for n in range(1, max(20, count // 250) + 1)]

    def case_id(self, index: int) -> str:
        return format_case_number(STATIONS[index % len(STATIONS)], index // len(STATIONS) + 1)

    def build(self, index: int) -> BuiltCase:
        rng = random.Random(self.seed * 1_000_003 + index)
        opened = self.times[index]
        case_id = self.case_id(index)
        kind = _pick(rng, TYPES)
        person = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
        customer = rng.choice(self.customers)
        thing = rng.choice(THINGS)
        title = rng.choice(PROBLEMS[kind]).format(thing=thing, person=person, code=rng.randint(1, 99))
        channel = _pick(rng, CHANNELS)
        doc = CaseDoc(new_case_data({
            "id": case_id,
            "title": title[0].upper() + title[1:],
            "type": kind,
            "level": _pick(rng, LEVELS),
            "status": "open",
            "channel": channel,
            "category": rng.choice(CATEGORIES),
            "customer": customer,
            "caller": {
                "name": person,
                "company": f"Customer {customer[-4:]} Ltd",
                "phone": f"0755-8{rng.randint(0, 9999999):07d}",
                "email": f"{person.lower().replace(' ', '.')}@{customer}.example",
                "address": f"{rng.randint(1, 30)}F, {rng.randint(1, 300)} Keyuan Rd, {rng.choice(DISTRICTS)}",
                "contract": f"JQ-{opened.year}-{rng.randint(1, 120):03d}",
            },
            "assignee": None,
            "tier": None,
            "policy": self.policy,
            "opened_at": _stamp(opened),
        }))
        desk = rng.choice(DESK)
        doc.add_event(_stamp(opened), desk, EventKind.OPENED, f"Opened via {channel}")
        status = _final_status(index, self.count, self.open_count, rng)
        self._work(doc, rng, opened, desk, status)
        description = f"{title}. Reported by {person} at {customer}.\n\nSteps tried so far: restart, cable check.\n"
        text = EditableRecord.new(CASES.path(case_id, opened), doc.data, description).render()
        return BuiltCase(case_id, CASES.path(case_id, opened), text, str(doc.data["status"]),
                         doc.data.get("assignee"), opened)

    def _work(self, doc: CaseDoc, rng: random.Random, opened: datetime, desk: str, status: str) -> None:
        """Apply the workflow up to `status`, each step a little later than the last."""
        clock = [opened]

        def at() -> str:
            limit = BENCH_NOW - timedelta(minutes=5)
            step = timedelta(minutes=rng.randint(3, 240))
            clock[0] = min(clock[0] + step, limit)
            return _stamp(clock[0])

        if status == "open" and rng.random() < 0.15:
            return  # just opened, nobody has taken it yet
        engineer, tier = rng.choice(ENGINEERS)
        workflow.assign(doc, at(), desk, engineer, Tier(tier))
        workflow.respond(doc, at(), engineer, "Called back; looking into it.")
        if rng.random() < 0.05 and doc.data["level"] in ("C", "D"):
            raised = "B" if doc.data["level"] == "C" else "C"
            workflow.change_fields(doc, at(), engineer, {"level": raised}, "Impact is wider than reported.")
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
            self._note(doc, rng, at, engineer)
        if rng.random() < 0.2:
            workflow.pend(doc, at(), engineer, "Waiting for the customer's reply", WaitingOn.CUSTOMER)
            if status == "pending":
                return
            workflow.resume(doc, at(), engineer, "The customer replied.")
        elif status == "pending":
            workflow.pend(doc, at(), engineer, "Waiting for a part from the vendor", WaitingOn.VENDOR)
            return
        if status == "open":
            return
        workflow.resolve(doc, at(), engineer, "Fixed; the customer tested it.")
        if status == "resolved":
            return
        workflow.close(doc, at(), desk, str(doc.data["caller"]["name"]), "Confirmed by phone.")
        if rng.random() < 0.02:
            workflow.reopen(doc, at(), desk, "The fault came back.")
            workflow.resolve(doc, at(), engineer, "Replaced the part this time.")
            workflow.close(doc, at(), desk, str(doc.data["caller"]["name"]))

    @staticmethod
    def _note(doc: CaseDoc, rng: random.Random, at: object, engineer: str) -> None:
        when = at()  # type: ignore[operator]
        kind = rng.choice((NoteKind.NOTE, NoteKind.CALL, NoteKind.REPLY, NoteKind.REMOTE, NoteKind.ONSITE,
                           NoteKind.PROGRESS, NoteKind.VENDOR))
        if kind is NoteKind.REMOTE:
            workflow.note(doc, when, engineer, "Remote session: " + rng.choice(NOTES), kind,
                          authorised_by=str(doc.data["caller"]["name"]))
        elif kind is NoteKind.ONSITE:
            workflow.note(doc, when, engineer, "On site. " + rng.choice(NOTES), kind,
                          dispatched_at=when, arrived_at=when)
        else:
            workflow.note(doc, when, engineer, rng.choice(NOTES), kind)

    def indices(self) -> Iterator[int]:
        return iter(range(self.count))
