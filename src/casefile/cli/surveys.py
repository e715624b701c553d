"""`casefile survey ...`: list, show, record, issue, letter, sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk

STATUSES = ("pending", "queued", "sent", "answered", "expired")
VIA = ("phone", "form", "email", "onsite")


@click.group(cls=Group)
def survey() -> None:
    """Satisfaction surveys (客户满意度调查): issued when a case closes, and per customer.

    A "dissatisfied" answer opens a complaint case by itself.

    \b
    Example:
        casefile survey list --status pending
        casefile survey record KMT-00417 --rate attitude=很满意 --rate speed=较满意 --answered-by "Zhang Wei"
    """


def _done(desk: Desk, done: Any, as_json: bool) -> None:
    from casefile.surveys.model import effective_status
    from casefile.surveys.views import survey_json

    status = effective_status(done.entry.data, desk.now())
    emit(survey_json(done.entry, status), as_json, lambda: "\n".join([done.subject, *done.notes]))


@survey.command("list")
@click.option(
    "-s",
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only surveys in this status now (repeatable).",
)
@click.option("--customer", metavar="ID", help="Only this customer's surveys.")
@json_option
@desk_options
def list_surveys(desk: Desk, statuses: tuple[str, ...], customer: str | None, as_json: bool) -> None:
    """List surveys, oldest first, with their status as of now.

    \b
    Example:
        casefile survey list --status answered --customer acme-sz
    """
    from casefile.surveys.views import render_survey_list, survey_row

    rows = [survey_row(e, s) for e, s in desk.surveys.listing(frozenset(statuses), customer)]
    emit(rows, as_json, lambda: render_survey_list(rows, desk.policy.zone))


@survey.command("show")
@click.argument("survey_ref", metavar="SURVEY|CASE")
@json_option
@desk_options
def show(desk: Desk, survey_ref: str, as_json: bool) -> None:
    """Show a survey (by its id, or the latest survey of a case).

    \b
    Example:
        casefile survey show SV-KMT-00417
        casefile survey show KMT-00417 --json
    """
    from casefile.surveys.model import effective_status
    from casefile.surveys.views import render_survey, survey_json

    work = desk.surveys
    entry = work.entry(survey_ref)
    status = effective_status(entry.data, desk.now())
    emit(
        survey_json(entry, status),
        as_json,
        lambda: render_survey(entry, status, work.policy, desk.policy.zone),
    )


@survey.command("record")
@click.argument("survey_ref", metavar="SURVEY|CASE")
@click.option(
    "-r",
    "--rate",
    "ratings",
    multiple=True,
    metavar="QUESTION=ANSWER",
    help="A rating: attitude, quality, technical, speed (the policy's questions) = "
    "very-satisfied/很满意/4, satisfied/较满意/3, neutral/一般/2, dissatisfied/不满意/1.",
)
@click.option("--opinions", metavar="TEXT", help="Opinions and suggestions (意见和建议).")
@click.option("--answered-by", metavar="NAME", help="Who answered (default: the survey's contact).")
@click.option(
    "--via", default="phone", show_default=True, type=click.Choice(VIA), help="How the answers came in."
)
@click.option("--late", is_flag=True, help="Accept answers to an expired survey.")
@json_option
@desk_options
def record(
    desk: Desk,
    survey_ref: str,
    ratings: tuple[str, ...],
    opinions: str | None,
    answered_by: str | None,
    via: str,
    late: bool,
    as_json: bool,
) -> None:
    """Enter the answers of a survey (from the phone call or the returned form).

    An answer the policy calls for follow-up (default: any "dissatisfied")
    opens a complaint case linked to the case and the survey, in the same commit.

    \b
    Example:
        casefile survey record KMT-00417 --rate attitude=很满意 --rate quality=较满意 \\
            --rate technical=较满意 --rate speed=不满意 --opinions "Slow to call back" --answered-by "Zhang Wei"
    """
    from casefile.errors import CasefileError
    from casefile.surveys.model import Via
    from casefile.surveys.work import Answers

    given: dict[str, str] = {}
    for item in ratings:
        question, sep, answer = item.partition("=")
        if not sep or not question.strip() or not answer.strip():
            raise CasefileError(
                _("cannot read the rating {item!r}").format(item=item), _("write it as QUESTION=ANSWER, e.g. attitude=很满意")
            )
        if question.strip() in given:
            raise CasefileError(_("{question!r} is rated twice").format(question=question.strip()))
        given[question.strip()] = answer.strip()
    answers = Answers(ratings=given, opinions=opinions, answered_by=answered_by, via=Via(via), late=late)
    _done(desk, desk.surveys.record(survey_ref, answers), as_json)


@survey.command("issue")
@click.argument("case", required=False)
@click.option(
    "--customer", metavar="ID", help="Survey a customer instead of a case (this period's scheduled survey)."
)
@json_option
@desk_options
def issue(desk: Desk, case: str | None, customer: str | None, as_json: bool) -> None:
    """Issue a survey by hand: for a closed CASE (e.g. one left out of the sample), or --customer.

    Surveys of customers with on-site staff are run by that staff (seed 004);
    issue one with --customer to enter the form they hand in.

    \b
    Example:
        casefile survey issue KMT-00417
        casefile survey issue --customer sz-metro
    """
    from casefile.errors import CasefileError

    if bool(case) == bool(customer):
        raise CasefileError(_("say what to survey: a closed CASE or --customer ID (one of them)"))
    work = desk.surveys
    _done(desk, work.issue_for_case(case) if case else work.issue_for_customer(str(customer)), as_json)


@survey.command("letter")
@click.argument("survey_ref", metavar="SURVEY|CASE")
@json_option
@desk_options
def letter(desk: Desk, survey_ref: str, as_json: bool) -> None:
    """Print the survey letter to the customer (rendered from templates/survey-letter.txt).

    `casefile check` mails it when SMTP is configured; without that, send it yourself.

    \b
    Example:
        casefile survey letter SV-KMT-00417
    """

    found = desk.surveys.letter(survey_ref)
    emit(
        {"survey": found.survey_id, "to": found.to, "subject": found.subject, "body": found.body},
        as_json,
        lambda: f"To: {found.to or '(no e-mail address)'}\nSubject: {found.subject}\n\n{found.body}".rstrip(
            "\n"
        ),
    )


@survey.command("sent")
@click.argument("survey_ref", metavar="SURVEY|CASE")
@json_option
@desk_options
def sent(desk: Desk, survey_ref: str, as_json: bool) -> None:
    """Record that a survey letter was sent (when you mailed or handed it over yourself).

    \b
    Example:
        casefile survey sent SV-KMT-00417
    """

    _done(desk, desk.surveys.mark_sent(survey_ref), as_json)
