"""`casefile kb ...` (the knowledge base) and `casefile search`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Command, Group
from casefile.cli.options import desk_options, emit, json_option, message_option, read_message
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
def kb() -> None:
    """The knowledge base (客户服务知识库): articles with symptoms, cause and fix.

    \b
    Example:
        casefile kb add --title "HP M607 shows E-04" --tag printer --fix "Replace the fuser unit."
        casefile kb search 打印机
        casefile resolve KMT-00417 -m "Replaced the fuser" --kb hp-m607-shows-e-04
    """


def _done(done: Any, as_json: bool) -> None:
    from casefile.kb.views import article_json

    emit(article_json(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))


@kb.command("add")
@click.option("--title", metavar="TEXT", help="The title (required, unless --from gives the case's).")
@click.option("--slug", metavar="SLUG", help="The article's id and file name (default: from the title).")
@click.option("--symptoms", metavar="TEXT", help="What the user sees (症状).")
@click.option("--cause", metavar="TEXT", help="Why it happens (原因).")
@click.option("--fix", metavar="TEXT", help="How to fix it (解决方法).")
@click.option(
    "--product", "products", multiple=True, metavar="TEXT", help="A product it applies to (repeatable)."
)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeatable).")
@click.option(
    "--from",
    "case",
    metavar="CASE",
    help="Draft it from a resolved case: title, symptoms and fix from the case; both link each other.",
)
@message_option("Further notes (Markdown; '-' reads stdin).")
@json_option
@desk_options
def add(
    desk: Desk,
    title: str | None,
    slug: str | None,
    symptoms: str | None,
    cause: str | None,
    fix: str | None,
    products: tuple[str, ...],
    tags: tuple[str, ...],
    case: str | None,
    message: str | None,
    as_json: bool,
) -> None:
    """Add an article, or draft one from a resolved case with --from.

    \b
    Example:
        casefile kb add --title "HP M607 shows E-04" --slug printer-e04 --product "HP LaserJet M607" \\
            --tag printer --symptoms "打印机显示 E-04，队列卡住" --cause "Fuser unit worn out" \\
            --fix "Replace the fuser unit (RM2-1256)"
        casefile kb add --from KMT-00417 --cause "Fuser unit worn out"
    """
    from casefile.errors import CasefileError
    from casefile.kb.work import NewArticle

    new = NewArticle(
        title=title or "",
        slug=slug,
        symptoms=symptoms,
        cause=cause,
        fix=fix,
        products=products,
        tags=tags,
        body=read_message(message) or "",
    )
    work = desk.kb
    if case:
        _done(work.draft_from_case(case, new), as_json)
    elif not title:
        raise CasefileError(
            _("an article needs a title"), _("give --title \"...\", or draft from a case with --from CASE")
        )
    else:
        _done(work.add(new), as_json)


@kb.command("show")
@click.argument("slug")
@json_option
@desk_options
def show(desk: Desk, slug: str, as_json: bool) -> None:
    """Show an article.

    \b
    Example:
        casefile kb show printer-e04
    """
    from casefile.kb.views import article_json, render_article

    entry = desk.kb.entry(slug)
    emit(article_json(entry), as_json, lambda: render_article(entry))


@kb.command("list")
@json_option
@desk_options
def list_articles(desk: Desk, as_json: bool) -> None:
    """List the articles.

    \b
    Example:
        casefile kb list --json
    """
    from casefile.kb.views import article_row, render_article_list

    rows = [article_row(e) for e in desk.kb.all()]
    emit(rows, as_json, lambda: render_article_list(rows, _("no articles yet (casefile kb add --title ...)")))


@kb.command("search")
@click.argument("text", nargs=-1, required=True)
@json_option
@desk_options
def search(desk: Desk, text: tuple[str, ...], as_json: bool) -> None:
    """Find articles by words in Chinese or English (every word must match), best first.

    \b
    Example:
        casefile kb search 打印机
        casefile kb search printer fuser --json
    """
    from casefile.kb.views import article_row, render_article_list

    rows = [article_row(e, m) for e, m in desk.kb.search(" ".join(text))]
    emit(rows, as_json, lambda: render_article_list(rows, _("no article matches")))


@kb.command("publish")
@click.argument("slug")
@json_option
@desk_options
def publish(desk: Desk, slug: str, as_json: bool) -> None:
    """Publish a draft article (one drafted with `kb add --from CASE`).

    \b
    Example:
        casefile kb publish printer-e04
    """

    _done(desk.kb.publish(slug), as_json)


@click.command("search", cls=Command)
@click.argument("text", nargs=-1, required=True)
@json_option
@desk_options
def search_all(desk: Desk, text: tuple[str, ...], as_json: bool) -> None:
    """Find cases (in every status) and knowledge-base articles by words, best first.

    \b
    Example:
        casefile search E-04
        casefile search 打印机 --json
    """
    from casefile.kb.views import render_hits

    hits = desk.search(" ".join(text))
    emit([h.as_json() for h in hits], as_json, lambda: render_hits(hits))
