"""The knowledge base: add an article, draft one from a resolved case, link, show, search.

Linking is both ways and in one commit: the case lists the article under
`links` (`rel: kb`) and the article lists the case under `cases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casefile.records import yamlio
from casefile.cases.model import CaseDoc, Status
from casefile.index.catalog import CaseEntry, CaseNotFound, read_record_file
from casefile.desk import Desk
from casefile.errors import CasefileError
from casefile.records.fieldorder import set_in_order
from casefile.kb.model import (
    FIELD_ORDER,
    KB_DIR,
    ArticleNotFound,
    ArticleStatus,
    article_path,
    article_problems,
    check_slug,
    slugify,
)
from casefile.cases.links import LinkRel, add_link
from casefile.records.file import EditableRecord
from casefile.records.change import Done, Extra, commit_message, done, open_committed, raise_problems, refuse_existing
from casefile.records.problems import case_problems
from casefile.records.transaction import Transaction
from casefile.kb.textmatch import Match, Searchable, ranked, terms_of
from casefile.records.yamlio import RecordError


@dataclass(frozen=True)
class NewArticle:
    title: str
    slug: str | None = None
    symptoms: str | None = None
    cause: str | None = None
    fix: str | None = None
    products: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    body: str = ""


def require_article(root: Path, slug: str) -> str:
    ident = check_slug(slug)
    if not (root / article_path(ident)).is_file():
        raise ArticleNotFound(ident)
    return ident


def link_article(txn: Transaction, doc: CaseDoc, slug: str) -> Extra:
    """Inside a case's step: the case links the article and the article lists the case."""
    path = article_path(slug)
    record = open_committed(txn, path, ArticleNotFound(slug))
    cases = record.data.get("cases")
    if not isinstance(cases, list):
        set_in_order(record.data, "cases", [], FIELD_ORDER)
        cases = record.data["cases"]
    if doc.id not in cases:
        yamlio.append_block(cases, doc.id)
    raise_problems(record, article_problems(record.data, slug))
    txn.write(path, record.render())
    add_link(doc, LinkRel.KB, slug)
    return Extra({"Casefile-Article": slug}, (f"linked article {slug}",))


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
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.catalog = desk.catalog

    # -- reading ---------------------------------------------------------------

    def entry(self, slug: str) -> CaseEntry:
        ident = require_article(self.desk.root, slug)
        return read_record_file(self.desk.root, self.desk.root / article_path(ident))

    def all(self) -> list[CaseEntry]:
        return list(self.catalog.records(KB_DIR, self._skip))

    def search(self, text: str) -> list[tuple[CaseEntry, Match]]:
        terms = terms_of(text)
        if not terms:
            raise CasefileError("nothing to search for", "give a word: casefile kb search 打印机")
        entries = {str(e.data.get("id")): e for e in self.all()}
        hits = ranked(terms, ((key, article_searchable(e.data, e.body)) for key, e in entries.items()))
        return [(entries[key], found) for key, found in hits]

    def _skip(self, error: RecordError) -> None:
        self.desk.notes(f"skipped {error}")

    # -- writing ---------------------------------------------------------------

    def add(self, new: NewArticle) -> Done:
        title = new.title.strip()
        if not title:
            raise CasefileError("the title is empty", 'give one: --title "HP M607 shows E-04"')
        slug = check_slug(new.slug) if new.slug else slugify(title)
        if not slug:
            raise CasefileError(
                f"cannot make a slug from the title {title!r}",
                "give one with --slug, e.g. --slug printer-e04",
            )
        data = _article_data(slug, title, ArticleStatus.PUBLISHED, new, [])
        return self._commit_new(slug, data, new.body, None, "kb-add")

    def draft_from_case(self, case_number: str, new: NewArticle) -> Done:
        """Draft an article from a resolved (or closed) case; the case and the article link each other."""
        entry = self.catalog.case(case_number)
        case = entry.data
        if case.get("status") not in (Status.RESOLVED, Status.CLOSED):
            raise CasefileError(
                f"{case.get('id')} is {case.get('status')}, not resolved; there is no fix to write down yet",
                f"resolve it first: casefile resolve {case.get('id')} -m ...",
            )
        title = (new.title or str(case.get("title") or "")).strip()
        slug = check_slug(new.slug) if new.slug else (slugify(title) or f"kb-{str(case['id']).lower()}")
        category = str(case.get("category") or "")
        tags = new.tags or tuple(part for part in category.split("/") if part)
        drafted = NewArticle(
            title=title,
            slug=slug,
            symptoms=new.symptoms or entry.body.strip() or None,
            cause=new.cause,
            fix=new.fix or str(case.get("resolution") or "") or None,
            products=new.products,
            tags=tags,
            body=new.body,
        )
        data = _article_data(slug, title, ArticleStatus.DRAFT, drafted, [str(case["id"])])
        return self._commit_new(slug, data, new.body, entry, "kb-draft")

    def _commit_new(
        self, slug: str, data: dict[str, Any], body: str, case: CaseEntry | None, action: str
    ) -> Done:
        path = article_path(slug)
        text_body = body.strip() + "\n" if body.strip() else ""
        record = EditableRecord.new(path, data, text_body)
        raise_problems(record, article_problems(record.data, slug))
        actor = self.desk.actor

        def body_fn(txn: Transaction) -> Done:
            refuse_existing(txn, path, CasefileError(f"article {slug} exists already", "pick another --slug"))
            trailers = {"Casefile-Article": slug}
            if case is not None:
                trailers["Casefile-Case"] = str(case.data["id"])
                self._link_case(txn, case, slug)
            when = self.desk.now()
            text = record.render()
            txn.write(path, text)
            verb = "draft article from " + str(case.data["id"]) if case else "add article"
            message = commit_message(f"{slug}: {verb}: {data['title']}", action, trailers)
            return done(path, text, message, txn.commit(message, self.desk.author(actor), when))

        return self.desk.mutate(body_fn)

    def _link_case(self, txn: Transaction, case: CaseEntry, slug: str) -> None:
        record = open_committed(txn, case.path, CaseNotFound(str(case.data["id"])))
        add_link(CaseDoc(record.data, record.body), LinkRel.KB, slug)
        stem = case.path.rsplit("/", 1)[-1].removesuffix(".md")
        raise_problems(record, case_problems(record.data, self.desk.policy.levels, stem))
        txn.write(case.path, record.render())

    def publish(self, slug: str) -> Done:
        ident = require_article(self.desk.root, slug)
        path = article_path(ident)
        actor = self.desk.actor

        def body(txn: Transaction) -> Done:
            record = open_committed(txn, path, ArticleNotFound(ident))
            if record.data.get("status") == ArticleStatus.PUBLISHED:
                raise CasefileError(f"article {ident} is published already")
            set_in_order(record.data, "status", str(ArticleStatus.PUBLISHED), FIELD_ORDER)
            raise_problems(record, article_problems(record.data, ident))
            when = self.desk.now()
            text = record.render()
            txn.write(path, text)
            message = commit_message(f"{ident}: publish article", "kb-publish", {"Casefile-Article": ident})
            return done(path, text, message, txn.commit(message, self.desk.author(actor), when))

        return self.desk.mutate(body)


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
