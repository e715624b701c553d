"""`casefile search TEXT`: cases and knowledge-base articles, best match first.

Words match as substrings, case-insensitively, so a Chinese word is found
inside a sentence and `E-04` inside `shows E-04 since 08:30`; every word must
match.  Cases are searched in every status: a closed case is often the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .desk import Desk
from .errors import CasefileError
from .kbmodel import KB_DIR
from .knowledge import article_searchable
from .textmatch import Searchable, ranked, terms_of
from .yamlio import RecordError


@dataclass(frozen=True)
class Hit:
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
        text=[body, str(data.get("resolution") or ""), *events],
    )


def search(desk: Desk, text: str) -> list[Hit]:
    terms = terms_of(text)
    if not terms:
        raise CasefileError("nothing to search for", "give a word: casefile search 打印机")

    def skip(error: RecordError) -> None:
        desk.notes(f"skipped {error}")

    catalog = desk.catalog
    entries = {}
    candidates = []
    for entry in catalog.cases(skip):
        key = f"case:{entry.data.get('id')}"
        entries[key] = ("case", entry)
        candidates.append((key, case_searchable(entry.data, entry.body)))
    for entry in catalog.records(KB_DIR, skip):
        key = f"article:{entry.data.get('id')}"
        entries[key] = ("article", entry)
        candidates.append((key, article_searchable(entry.data, entry.body)))
    hits = []
    for key, found in ranked(terms, candidates):
        kind, entry = entries[key]
        hits.append(
            Hit(
                kind,
                str(entry.data.get("id")),
                str(entry.data.get("title") or ""),
                str(entry.data.get("status") or ""),
                found.score,
                found.fields,
                entry.path,
            )
        )
    return hits
