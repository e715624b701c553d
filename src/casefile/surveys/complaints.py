"""Complaints raised by a survey's answers (seed 001: follow up until the customer is satisfied).

A survey answer that the policy calls a follow-up (`dissatisfied`, or an
average below a threshold) opens a complaint case (`type: complaint`) in the
same commit as the answer.  It links the case the survey was about
(`concerns`) and the survey (`survey`); the survey names the complaint, and
the original case links it (`complaint`), so it happens once.  It goes to the
customer service manager first (seed 002); `casefile check` runs the
complaint ladder from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.cases.links import LinkRel
from casefile.cases.model import CaseType, Channel
from casefile.cases.work import CaseWork, NewCase
from casefile.i18n import N_
from casefile.said import Said
from casefile.policy.people import People
from casefile.policy.surveys import SurveyPolicy
from casefile.records.change import open_committed
from casefile.records.numbers import CaseNotFound
from casefile.records.transaction import Transaction
from casefile.session import Session
from casefile.surveys.model import Via

FIRST_RUNG = "customer-service-manager"
_CHANNEL_OF = {
    Via.PHONE: Channel.PHONE,
    Via.EMAIL: Channel.EMAIL,
    Via.FORM: Channel.WEB,
    Via.ONSITE: Channel.PHONE,
}


def first_handler(people: People) -> str | None:
    """The customer service manager (the first rung of the complaint ladder), if the desk has one."""
    holders = sorted(p.handle for p in people.holders(FIRST_RUNG))
    return holders[0] if holders else None


def complaint_from_survey(
    survey: Mapping[str, Any],
    reasons: Sequence[str],
    policy: SurveyPolicy,
    people: People,
    concerns: Mapping[str, Any] | None,
    language: str = "en",
) -> NewCase:
    """The complaint case a survey's answers open: its caller is the person who answered (the contact's
    phone and e-mail only if that is the contact), its title in the desk's language, its description in the
    reader's (kept without words: `cases.description`)."""
    contact = survey.get("contact") or {}
    who = str(contact.get("company") or survey.get("customer") or contact.get("name") or "the customer")
    answered_by = str(survey.get("answered_by") or contact.get("name") or "")
    same = not survey.get("answered_by") or answered_by == contact.get("name")
    caller = {k: contact.get(k) for k in (("name", "company", "phone", "email") if same else ("company",))}
    if answered_by:
        caller["name"] = answered_by
    ratings = survey.get("ratings") or {}
    # The description is casefile's words, kept without words (cases.description): each reader reads it in theirs.
    answers = {"answers": ", ".join(reasons), "answers_zh": "；".join(policy.needs_follow_up(ratings, "zh"))}
    lines: list[Said | str] = [
        Said.of(N_("Survey {survey} about {case} was answered with: {answers}."), survey=str(survey["id"]),
                case=str(concerns["id"]), **answers) if concerns
        else Said.of(N_("Survey {survey} was answered with: {answers}."), survey=str(survey["id"]), **answers),
        "",
        *(
            Said.of(N_("- {question}: {answer}"), question=policy.question(q).label,
                    question_zh=policy.question(q).label_zh, answer=str(a))
            for q, a in ratings.items()
            if q in {x.key for x in policy.questions}
        ),
    ]
    if survey.get("opinions"):
        lines += ["", Said.of(N_("Opinions and suggestions:")), "", str(survey["opinions"])]
    if concerns:
        lines += ["", Said.of(N_("The case: {case} — {title}"), case=str(concerns["id"]),
                              title=str(concerns.get("title")))]
    links: list[tuple[str, str]] = []
    if concerns:
        links.append((str(LinkRel.CONCERNS), str(concerns["id"])))
    links.append((str(LinkRel.SURVEY), str(survey["id"])))
    return NewCase(
        title=(f"客户投诉：满意度调查 {survey['id']}（{who}）：{'；'.join(policy.needs_follow_up(ratings, 'zh'))}"
               if language == "zh" else f"Complaint from survey {survey['id']} ({who}): {'; '.join(reasons)}"),
        level=policy.complaint_level,
        type=CaseType.COMPLAINT,
        channel=_CHANNEL_OF.get(Via(str(survey.get("via") or "phone")), Channel.PHONE),
        customer=str(survey["customer"]) if survey.get("customer") else None,
        caller=caller,
        described=tuple(lines),
        assignee=first_handler(people),
        links=tuple(links),
    )


def open_complaint(
    session: Session,
    txn: Transaction,
    survey: Mapping[str, Any],
    reasons: Sequence[str],
    policy: SurveyPolicy,
    by: str,
    when: datetime,
) -> str:
    """Write the complaint case (and the original case's link to it) into `txn`; the complaint's id."""
    work = CaseWork(session)
    concerns = None
    if survey.get("case"):
        case_id, path = session.catalog.locate(str(survey["case"]))
        concerns = open_committed(txn, path, CaseNotFound(case_id)).data
    new = complaint_from_survey(survey, reasons, policy, session.people, concerns, session.policy.language)
    complaint_id, _path, _text = work.create_in(txn, new, by, when)
    if concerns is not None:
        work.link_back(txn, str(concerns["id"]), LinkRel.COMPLAINT, complaint_id)
    return complaint_id
