"""`casefile rota` and `casefile ack`: who is on duty, the rota's gaps, a swap, taking a page.

`rota swap` changes rota.yaml in one commit (keeping its comments and layout);
`ack` records on the case who took the page, which stops its re-pages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from casefile.cases.model import CaseDoc
from casefile.errors import CasefileError, NotFound
from casefile.oncall.model import ACKNOWLEDGED, OPEN, PAGING_VIEW, Page, Paged, ack_fields, paged_of
from casefile.policy.people import check_handle
from casefile.policy.rota import ROTA_FILE, Duty, Rota, RotaProblem, parse_rota
from casefile.records import yamlio
from casefile.records.change import Change, CommitMessage
from casefile.records.kinds import CASES
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session
from casefile.i18n import N_, _
from casefile.said import Said
from casefile.values import Struct


class NoRota(NotFound):
    def __init__(self) -> None:
        super().__init__(_("this desk has no {ROTA_FILE}").format(ROTA_FILE=ROTA_FILE),
                         _("write one (see the README, 'Who is on duty') and commit it: git add {ROTA_FILE}").format(ROTA_FILE=ROTA_FILE))


class RotaShown(Struct, frozen=True):
    at: datetime
    duties: list[Duty]  # the shift on at `at`, per role
    coming: list[Duty]  # the next shifts (handovers) after it


class UnackedCase(Struct, frozen=True):
    case: str
    title: str
    level: str
    pages: tuple[Page, ...]


class OnCall:
    def __init__(self, session: Session) -> None:
        self.session = session

    def rota(self, text: str | None = None) -> Rota:
        policy, people = self.session.policy, self.session.people
        if text is None:
            path = self.session.root / ROTA_FILE
            if not path.is_file():
                raise NoRota()
            text = path.read_text(encoding="utf-8")
        return parse_rota(text, policy.zone, policy.calendars, policy.roles, people.persons)

    # -- reading -------------------------------------------------------------

    def show(self, at: datetime | None = None, role: str | None = None, coming: int = 2) -> RotaShown:
        rota = self.rota()
        when = at or self.session.now()
        roles = [self._role(rota, role)] if role else sorted(rota.roles)
        now_on: list[Duty] = []
        after: list[Duty] = []
        for name in roles:
            duties = rota.duties(name, when, when + timedelta(days=3))
            now_on += [d for d in duties if d.start <= when < d.end]
            after += [d for d in duties if d.start > when][:coming]
        return RotaShown(when, now_on, after)

    def check(self, start: datetime | None = None, weeks: int = 2, role: str | None = None) -> list[RotaProblem]:
        rota = self.rota()
        begin = start or self.session.now()
        roles = [self._role(rota, role)] if role else None
        return rota.problems(begin, begin + timedelta(weeks=weeks), roles)

    def _role(self, rota: Rota, role: str) -> str:
        if role not in rota.roles:
            known = ", ".join(sorted(rota.roles)) or "none"
            raise NotFound(_("{ROTA_FILE} has no rota for the role {role!r}").format(ROTA_FILE=ROTA_FILE, role=role), _("roles on the rota: {known}").format(known=known))
        return role

    # -- swap ------------------------------------------------------------------

    def swap(self, role: str, giver: str, taker: str, day: date) -> str:
        """On `day`, `taker` works the shifts of `giver` that start that day; one commit of rota.yaml."""
        check_handle(giver)
        self.session.people.get(check_handle(taker))
        if giver == taker:
            raise CasefileError(_("--from and --to are the same person"), _("name the person who takes the shift"))
        actor = self.session.actor

        def body(txn: Transaction) -> str:
            committed = txn.committed(ROTA_FILE)
            if committed is None:
                raise NoRota()
            text = committed.decode("utf-8")
            on_disk = self.session.root / ROTA_FILE
            if on_disk.is_file() and on_disk.read_text(encoding="utf-8") != text:
                raise CasefileError(_("{ROTA_FILE} has changes that are not committed").format(ROTA_FILE=ROTA_FILE),
                                    _("commit or undo them first (git diff {ROTA_FILE})").format(ROTA_FILE=ROTA_FILE))
            rota = self.rota(text)
            self._role(rota, role)
            zone = rota.zone
            start = datetime.combine(day, datetime.min.time(), zone)
            mine = [d for d in rota.duties(role, start, start + timedelta(days=1))
                    if d.start.date() == day and giver in d.on]
            if not mine:
                raise CasefileError(_("{giver} has no shift as {role} starting on {day}").format(giver=giver, role=role, day=day.isoformat()),
                                    _("see who is on: casefile rota show --role {role} --at {day}T12:00").format(role=role, day=day.isoformat()))
            data = yamlio.load_editable(text, ROTA_FILE)
            spec = data["roles"][role]
            if spec.get("swaps") is None:
                spec["swaps"] = yamlio.new_seq([])
            entry = yamlio.new_map({"date": day.isoformat(), "from": giver, "to": taker})
            yamlio.append_block(spec["swaps"], entry)
            new_text = yamlio.dump(data)
            try:
                self.rota(new_text)
            except RecordError as error:
                raise CasefileError(str(error)) from None
            txn.write(ROTA_FILE, new_text)
            shifts = ", ".join(f"{d.start:%H:%M}-{d.end:%H:%M}" for d in mine)
            subject = f"rota: {role} on {day.isoformat()}: {taker} instead of {giver}"
            message = CommitMessage(subject, "rota-swap", (("Casefile-Role", role),), f"shifts {shifts}")
            return txn.commit(message.text(), self.session.author(actor), self.session.now())

        self.session.mutate(body)
        return f"{role} on {day.isoformat()}: {taker} instead of {giver}"

    # -- acknowledgement -----------------------------------------------------------

    def ack(self, case_number: str) -> tuple[str, Paged]:
        """Record that the person acting took the pages of the case; refused when nothing waits."""
        case_id, path = self.session.catalog.locate(case_number)
        found: dict[str, Paged] = {}

        def op(edit: Edit) -> Change:
            doc = CaseDoc(edit.record.data, edit.record.body)
            paged = paged_of(edit.record.data)
            if not paged.pages:
                raise CasefileError(_("{case_id} has not paged anyone").format(case_id=case_id), _("ack answers a page from casefile check"))
            if not paged.unacked():
                last = paged.acks[-1] if paged.acks else None
                who = f" by {last.by}" if last else ""
                raise CasefileError(_("every page of {case_id} is acknowledged already{who}").format(case_id=case_id, who=who),
                                    _("see: casefile show {case_id}").format(case_id=case_id))
            doc.add_event(edit.at, edit.by, ACKNOWLEDGED, Said.of(N_("took the page")), ack_fields(paged))
            found["paged"] = paged_of(edit.record.data)
            return Change("ack", f"ack by {edit.by}")

        done = self.session.change(CASES, case_id, op, path=path)
        return done.subject, found["paged"]

    def unacked(self) -> list[UnackedCase]:
        """Open and pending cases with a page nobody acknowledged, oldest page first."""
        found = []
        skipped = lambda error: self.session.notes(_("skipped {error}").format(error=error))  # noqa: E731
        for _path, row in self.session.catalog.rows(CASES.folder, PAGING_VIEW, skipped, statuses=OPEN,
                                                    contains=('"paged"',)):
            waiting = paged_of(row).unacked()
            if waiting:
                found.append(UnackedCase(str(row["id"]), row["title"], row["level"], waiting))
        found.sort(key=lambda c: c.pages[0].at)
        return found


def paged_json(paged: Paged, zone: Any) -> list[dict[str, Any]]:
    """Every page of a case with whether (and by whom) it was acknowledged."""
    rows = []
    for page in paged.pages:
        ack = paged.ack_of(page)
        rows.append(page.as_json(zone, ack is not None, ack.by if ack else None))
    return rows
