"""`casefile report KIND`: monthly, stats, sla, engineers, desk, surveys, inspections; explain-score."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option, message_option, read_message, say
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk
    from casefile.reports.model import Report
    from casefile.reports.render.formats import ReportFormat

KINDS = ("monthly", "stats", "sla", "engineers", "desk", "surveys", "inspections", "problems", "changes")
FORMATS = ("md", "html", "csv", "json")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}


class ReportGroup(Group):
    """Names an unknown kind in one line, with the kinds there are."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[Any, Any, list[str]]:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            raise click.UsageError(_("unknown report kind {value!r} (kinds: {names})").format(value=args[0], names=', '.join(self.commands)), ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=ReportGroup)
def report() -> None:
    """Render a report: the monthly bulletin, statistics, SLA compliance, scorecards, KPIs, surveys, inspections.

    Every kind takes --month YYYY-MM (default: last month) or --from/--to,
    --customer, --format md|html|csv|json, --lang zh|en and -o FILE.

    \b
    Example:
        casefile report monthly --month 2026-11 --format html -o bulletin-2026-11.html
        casefile report sla --month 2026-11 --json
    """


def report_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options every kind shares; the command receives the desk and a `Render` request."""

    @click.option("--month", metavar="YYYY-MM", help="The month to report on (default: last month).")
    @click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period (with --to).")
    @click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period, included.")
    @click.option("--customer", metavar="ID", help="Only this customer's cases, surveys and inspections.")
    @click.option("-f", "--format", "fmt", type=click.Choice(FORMATS),
                  help="Output format (default: from -o's suffix, else md).")
    @click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
    @click.option("--lang", type=click.Choice(("zh", "en")), help="Language (default: desk.language in policy.yaml).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                  help="Write to FILE instead of standard output (replaced only when the report is complete).")
    @click.option("--bom", is_flag=True, help="CSV: start with a byte-order mark, for Excel on Windows.")
    @desk_options
    @functools.wraps(fn)
    def wrapper(desk: Desk, *args: Any, month: str | None, start: str | None, end: str | None,
                customer: str | None, fmt: str | None, as_json: bool, lang: str | None, output: Path | None,
                bom: bool, **kwargs: Any) -> Any:
        request = Request(desk, month, start, end, customer, _format(fmt, as_json, output, bom), lang, output, bom)
        return fn(request, *args, **kwargs)

    return wrapper


def _format(fmt: str | None, as_json: bool, output: Path | None, bom: bool) -> str:
    from casefile.errors import CasefileError

    if as_json and fmt not in (None, "json"):
        raise CasefileError(_("--json and --format {fmt} disagree").format(fmt=fmt), _("give one of them"))
    chosen = "json" if as_json else fmt or (SUFFIXES.get(output.suffix.lower()) if output else None) or "md"
    if bom and chosen != "csv":
        raise CasefileError(_("--bom is for CSV"), _("add --format csv, or drop --bom"))
    return chosen


class Request:
    """What was asked on the command line, turned into library values on use."""

    def __init__(self, desk: Desk, month: str | None, start: str | None, end: str | None, customer: str | None,
                 fmt: str, lang: str | None, output: Path | None, bom: bool) -> None:
        from casefile.reports.period import period_of
        from casefile.reports.render.formats import ReportFormat

        self.desk = desk
        self.period = period_of(month, start, end, desk.policy.zone, desk.now().date())
        self.customer = customer
        self.format = ReportFormat(fmt)
        self.lang = lang or desk.policy.language
        self.output = output
        self.bom = bom

    def build(self, kind: str, timelines: int | None = None) -> Report:
        return self.desk.report(kind, self.period, self.customer, timelines)

    def render(self, report: Report, fmt: ReportFormat | None = None) -> str:
        from casefile.reports.render.formats import render

        return render(report, fmt or self.format, self.lang, self.desk.policy, self.desk.root, self.bom)

    def emit(self, report: Report) -> None:
        text = self.render(report)
        if self.output is None:
            from casefile.render.printable import printable

            sys.stdout.write(printable(text))
            return
        _write_whole(self.output, text)


def _write_whole(path: Path, text: str) -> None:
    """Write beside, then rename: a failed report leaves the old file as it was."""
    from casefile.errors import CasefileError

    target = path.expanduser()
    if not target.parent.is_dir():
        raise CasefileError(_("cannot write {path}: {parent} is not a folder").format(path=path, parent=target.parent))
    from casefile.render.output import write_atomic

    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as error:
        raise CasefileError(_("cannot write {path}: {strerror}").format(path=path, strerror=error.strerror)) from None


def _kind_command(kind: str, help: str) -> click.Command:
    """A report kind that needs no option of its own; `help` is its `--help` (a literal, so the catalogs have it)."""

    @report_options
    def command(request: Request) -> None:
        request.emit(request.build(kind))

    return report.command(kind, help=help)(command)


@report.command("stats")
@click.option("--timelines", type=click.IntRange(min=0), metavar="N",
              help="Show the handling process of the N most recent major cases (default 200); the others are "
                   "listed without it.")
@report_options
def stats(request: Request, timelines: int | None) -> None:
    """Case statistics: counts by type, level, category, channel, customer and engineer against the
    period before; every major (A/B) case, the most recent 200 with their timeline.

    \b
    Example:
        casefile report stats --month 2026-11
        casefile report stats --from 2026-10-01 --to 2026-12-31 --format csv --bom -o stats.csv
        casefile report stats --from 2024-01-01 --to 2026-12-31 --timelines 20
    """
    request.emit(request.build("stats", timelines))


@report.command("sla")
@click.option("--statement", is_flag=True, help="Issue the customer's monthly SLA statement as a committed record "
              "(needs --customer and --month), with the events its figures rest on and their digest.")
@report_options
def sla(request: Request, statement: bool) -> None:
    """SLA compliance per level and target: met, breached, compliance, mean and worst working time, and the
    breached cases with by how much (the engine `check` and `show` use).

    --statement issues one customer's month as a statement under statements/
    (one commit, never rewritten) that `casefile verify` recomputes from the
    repository or from the customer's evidence bundle.

    \b
    Example:
        casefile report sla --month 2026-11 --format html -o sla-2026-11.html
        casefile report sla --customer acme-sz --month 2026-11 --statement
    """
    if statement:
        from casefile.errors import CasefileError

        month = request.period.month
        if request.customer is None or month is None:
            raise CasefileError(_("a statement is one customer's whole month"),
                                _("give --customer ID and --month YYYY-MM (not --from/--to)"))
        done = request.desk.issue_statement(request.customer, month)
        request.desk.note(f"issued {done.path} (commit {done.commit[:10]}, {done.cases} case(s), {done.digest})")
    request.emit(request.build("sla"))


engineers = _kind_command("engineers", help="""
    The monthly engineer evaluation (seed 002): six scores out of 10; a score under 8 needs an
    explanation (casefile report explain-score).

    \b
    Example:
        casefile report engineers --month 2026-11 --lang en
    """)


desk_kpis = _kind_command("desk", help="""
    Service-desk KPIs (seed 004): answered within target, time to hand over to second line,
    first-contact resolution, courtesy and satisfaction.

    \b
    Example:
        casefile report desk --month 2026-11 --json
    """)


surveys = _kind_command("surveys", help="""
    Satisfaction surveys: response rate, answers per question, mean normalised score, follow-ups and
    their state.

    \b
    Example:
        casefile report surveys --month 2026-11 --customer acme-sz
    """)


inspections = _kind_command("inspections", help="""
    Inspections: planned against done per customer and quarter, overdue ones, findings.

    \b
    Example:
        casefile report inspections --from 2026-10-01 --to 2026-12-31
    """)


problems = _kind_command("problems", help="""
    Problem management (问题管理): the problems active in the period, opened, known errors, resolved and
    closed, with their incidents, root cause, workaround and the known error's article.

    \b
    Example:
        casefile report problems --month 2026-11 --format csv -o problems-2026-11.csv
    """)


changes = _kind_command("changes", help="""
    Change management (变更管理): the changes whose window lies in the period, their review and result,
    and the KPI users told of coming changes (customers told before the window).

    \b
    Example:
        casefile report changes --month 2026-11 --lang en
    """)


@report.command("monthly")
@click.option("--issue", is_flag=True, help="Commit the bulletin under reports/YYYY-MM/ as issued (audited).")
@click.option("--reissue", is_flag=True, help="Issue a corrected bulletin for a month already issued.")
@report_options
def monthly(request: Request, issue: bool, reissue: bool) -> None:
    """The monthly bulletin (《公司通讯》, seed 001): every problem received in the month and how it was resolved.

    Due on the 5th of the month after (a holiday moves it to the next working
    day; policy `reports.monthly`); `casefile check` reminds while it is due
    and not issued.  --issue commits it under reports/YYYY-MM/monthly.md.

    \b
    Example:
        casefile report monthly --month 2026-11 --format html -o bulletin.html
        casefile report monthly --month 2026-11 --issue
    """
    built = request.build("monthly")
    if issue or reissue:
        from casefile.reports.render.formats import ReportFormat

        done = request.desk.issue_bulletin(built, request.lang, reissue, lambda r: request.render(r, ReportFormat.MD))
        built = done.report
        request.desk.note((_("reissued {path} (commit {commit})") if done.reissued else
                           _("issued {path} (commit {commit})")).format(path=done.path, commit=done.commit[:10]))
    request.emit(built)


@report.command("explain-score")
@click.argument("engineer")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month of the evaluation.")
@click.option("--score", required=True, type=click.Choice(("attitude", "response", "quality", "solve",
                                                           "satisfaction", "complaints")),
              help="Which score this explains.")
@message_option("The explanation ('-' reads stdin).", required=True)
@json_option
@desk_options
def explain_score(desk: Desk, engineer: str, month: str, score: str, message: str, as_json: bool) -> None:
    """Record the written explanation of ENGINEER's score for a month (seed 002: under 8 needs one).

    \b
    Example:
        casefile report explain-score zhao.lei --month 2026-11 --score complaints \\
            -m "Complaint KMT-00007: the ERP vendor patch came late; customer accepted the apology."
    """
    done = desk.explain_score(engineer, month, score, read_message(message))
    emit({"engineer": engineer, "month": month, "score": score, "path": done.path, "subject": done.subject,
          "commit": done.commit}, as_json, lambda: done.subject)
