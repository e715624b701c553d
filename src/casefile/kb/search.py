"""`casefile search TEXT`: cases and knowledge-base articles, best match first.

Words match as substrings, case-insensitively, so a Chinese word is found
inside a sentence and `E-04` inside `shows E-04 since 08:30`; every word must
match.  Cases are searched in every status: a closed case is often the answer.
"""

from __future__ import annotations

import json
from typing import Any

from casefile.cases.description import described_lines
from casefile.errors import CasefileError
from casefile.index.catalog import RecordView
from casefile.kb.model import KB_DIR
from casefile.kb.textmatch import Match, Searchable, match, terms_of
from casefile.kb.work import article_searchable
from casefile.records.kinds import CASES
from casefile.records.yamlio import RecordError
from casefile.session import Session
from casefile.i18n import _
from casefile.values import Struct


class Hit(Struct, frozen=True):
    kind: str  # case or article
    id: str
    title: str
    status: str
    score: int
    matched: tuple[str, ...]
    path: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "score": self.score,
            "matched": list(self.matched),
            "path": self.path,
        }


def case_searchable(data: dict[str, Any], body: str) -> Searchable:
    caller = data.get("caller")
    if not isinstance(caller, dict):
        caller = {}
    category = str(data.get("category") or "")
    events = [str(e.get("text")) for e in data.get("events") or [] if isinstance(e, dict) and e.get("text")]
    return Searchable(
        title=str(data.get("title") or ""),
        tags=[part for part in category.split("/") if part],
        lists=[
            str(v)
            for v in (
                data.get("id"),
                data.get("customer"),
                category,
                caller.get("name"),
                caller.get("company"),
            )
            if v
        ],
        # casefile's lines of a description in either language: found by a word of either
        text=[body, *described_lines(data, "zh"), *described_lines(data, "en"), str(data.get("resolution") or ""),
              *events],
    )


def _case_row(data: dict[str, Any], body: str) -> dict[str, Any]:
    """What search needs of a case, casefolded once and kept in the record index."""
    found = case_searchable(data, body)
    return {
        "id": str(data.get("id")),
        "title": found.title,
        "status": str(data.get("status") or ""),
        "find": {
            "title": found.title.casefold(),
            "tags": [tag.casefold() for tag in found.tags],
            "lists": [item.casefold() for item in found.lists],
            "text": "\n".join(found.text).casefold(),
        },
    }


CASE_VIEW = RecordView("search-case/2", _case_row)  # raise the number when `_case_row` changes


def _prefilter(terms: list[str]) -> tuple[str, ...]:
    """The words SQLite may look for in the kept rows: those JSON writes as they are."""
    return tuple(term for term in terms if json.dumps(term, ensure_ascii=False) == f'"{term}"')


def search(session: Session, text: str) -> list[Hit]:
    terms = terms_of(text)
    if not terms:
        raise CasefileError(_("nothing to search for"), _("give a word: casefile search 打印机"))

    def skip(error: RecordError) -> None:
        session.notes(_("skipped {error}").format(error=error))

    catalog = session.catalog
    found: list[tuple[str, Match, Hit]] = []
    for path, row in catalog.rows(CASES.folder, CASE_VIEW, skip, contains=_prefilter(terms)):
        find = row["find"]
        case = match(terms, Searchable(find["title"], find["tags"], find["lists"], [find["text"]]))
        if case is not None:
            hit = Hit("case", row["id"], row["title"], row["status"], case.score, case.fields, path)
            found.append((f"case:{row['id']}", case, hit))
    for entry in catalog.records(KB_DIR, skip):
        article = match(terms, article_searchable(entry.data, entry.body))
        if article is not None:
            ident = str(entry.data.get("id"))
            hit = Hit("article", ident, str(entry.data.get("title") or ""), str(entry.data.get("status") or ""),
                      article.score, article.fields, entry.path)
            found.append((f"article:{ident}", article, hit))
    found.sort(key=lambda item: (-item[1].score, item[0]))
    return [hit for _key, _match, hit in found]
