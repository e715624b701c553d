"""The knowledge base: add an article, draft one from a resolved case, link, show, search.

Linking is both ways and in one commit: the case lists the article under
`links` (`rel: kb`) and the article lists the case under `cases`.
"""

from __future__ import annotations

from typing import Any

from casefile.cases.description import description_of
from casefile.cases.links import LinkRel, add_link
from casefile.cases.model import CaseDoc, Status
from casefile.errors import CasefileError
from casefile.kb.model import (
    FIELD_ORDER,
    KB_DIR,
    ArticleNotFound,
    ArticleStatus,
    article_path,
    check_slug,
    require_article,
    slugify,
)
from casefile.kb.textmatch import Match, Searchable, ranked, terms_of
from casefile.records.change import Change, Done
from casefile.records.fieldorder import set_in_order
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import ARTICLES, CASES
from casefile.records.numbers import CaseNotFound
from casefile.records.yamlio import RecordError
from casefile.session import Edit, Session
from casefile.i18n import _
from casefile.values import Struct


class NewArticle(Struct, frozen=True):
    title: str
    slug: str | None = None
    symptoms: str | None = None
    cause: str | None = None
    fix: str | None = None
    products: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    body: str = ""


def article_searchable(data: dict[str, Any], body: str) -> Searchable:
    return Searchable(
        title=str(data.get("title") or ""),
        tags=[str(t) for t in data.get("tags") or []],
        lists=[str(p) for p in data.get("products") or []]
        + [str(c) for c in data.get("cases") or []]
        + [str(data.get("id"))],
        text=[str(data[k]) for k in ("symptoms", "cause", "fix") if data.get(k)] + [body],
    )


class KnowledgeWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    # -- reading ---------------------------------------------------------------

    def entry(self, slug: str) -> RecordEntry:
        ident = require_article(self.session.root, slug)
        return read_record_file(self.session.root, self.session.root / article_path(ident))

    def all(self) -> list[RecordEntry]:
        return list(self.catalog.records(KB_DIR, self._skip))

    def search(self, text: str) -> list[tuple[RecordEntry, Match]]:
        terms = terms_of(text)
        if not terms:
            raise CasefileError(_("nothing to search for"), _("give a word: casefile kb search 打印机"))
        entries = {str(e.data.get("id")): e for e in self.all()}
        hits = ranked(terms, ((key, article_searchable(e.data, e.body)) for key, e in entries.items()))
        return [(entries[key], found) for key, found in hits]

    def _skip(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    # -- writing ---------------------------------------------------------------

    def add(self, new: NewArticle) -> Done:
        title = new.title.strip()
        if not title:
            raise CasefileError(_("the title is empty"), _("give one: --title \"HP M607 shows E-04\""))
        slug = check_slug(new.slug) if new.slug else slugify(title)
        if not slug:
            raise CasefileError(
                _("cannot make a slug from the title {title!r}").format(title=title),
                _("give one with --slug, e.g. --slug printer-e04"),
            )
        data = _article_data(slug, title, ArticleStatus.PUBLISHED, new, [])
        return self._commit_new(slug, data, new.body, None, "kb-add")

    def draft_from_case(self, case_number: str, new: NewArticle) -> Done:
        """Draft an article from a resolved (or closed) case; the case and the article link each other."""
        entry = self.catalog.case(case_number)
        case = entry.data
        if case.get("status") not in (Status.RESOLVED, Status.CLOSED):
            raise CasefileError(
                _("{get} is {get2}, not resolved; there is no fix to write down yet").format(get=case.get('id'), get2=case.get('status')),
                _("resolve it first: casefile resolve {get} -m ...").format(get=case.get('id')),
            )
        title = (new.title or str(case.get("title") or "")).strip()
        slug = check_slug(new.slug) if new.slug else (slugify(title) or f"kb-{str(case['id']).lower()}")
        category = str(case.get("category") or "")
        tags = new.tags or tuple(part for part in category.split("/") if part)
        drafted = NewArticle(
            title=title,
            slug=slug,
            symptoms=new.symptoms or description_of(entry.data, entry.body).strip() or None,
            cause=new.cause,
            fix=new.fix or str(case.get("resolution") or "") or None,
            products=new.products,
            tags=tags,
            body=new.body,
        )
        data = _article_data(slug, title, ArticleStatus.DRAFT, drafted, [str(case["id"])])
        return self._commit_new(slug, data, new.body, entry, "kb-draft")

    def _commit_new(
        self, slug: str, data: dict[str, Any], body: str, case: RecordEntry | None, action: str
    ) -> Done:
        record = EditableRecord.new(article_path(slug), data, body.strip() + "\n" if body.strip() else "")
        self.session.validate(ARTICLES, record)  # before waiting for the lock

        def link(edit: Edit) -> Change:
            if case is None:
                return Change(action, f"add article: {data['title']}")
            case_id = str(case.data["id"])
            edit.also(CASES, case.path, lambda found: add_link(CaseDoc(found.data, found.body), LinkRel.KB, slug),
                      CaseNotFound(case_id))
            return Change(action, f"draft article from {case_id}: {data['title']}", (("Casefile-Case", case_id),))

        clash = CasefileError(f"article {slug} exists already", "pick another --slug")
        return self.session.change(ARTICLES, slug, link, new=record, clash=clash)

    def publish(self, slug: str) -> Done:
        ident = require_article(self.session.root, slug)

        def apply(edit: Edit) -> Change:
            if edit.data.get("status") == ArticleStatus.PUBLISHED:
                raise CasefileError(_("article {ident} is published already").format(ident=ident))
            set_in_order(edit.data, "status", str(ArticleStatus.PUBLISHED), FIELD_ORDER)
            return Change("kb-publish", "publish article")

        return self.session.change(ARTICLES, ident, apply, missing=ArticleNotFound(ident))


def _article_data(
    slug: str, title: str, status: ArticleStatus, new: NewArticle, cases: list[str]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": slug,
        "title": title,
        "status": str(status),
        "products": list(new.products),
        "tags": list(new.tags),
    }
    for key, value in (("symptoms", new.symptoms), ("cause", new.cause), ("fix", new.fix)):
        if value and value.strip():
            data[key] = value.strip()
    data["cases"] = cases
    return data
