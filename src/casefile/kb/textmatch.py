"""Finding records by words, in Chinese and English.

Chinese is written without spaces, so a term matches as a substring
(`打印机` is found in `3楼打印机显示E-04`); English matches case-insensitively,
also as a substring (`fuser` finds `fusers`).  Every term must match somewhere.
A term that equals a tag exactly scores highest, then the title, then lists
such as products, then the rest of the text — so the best article comes first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from casefile.values import Struct

TAG_SCORE = 8
TITLE_SCORE = 4
LIST_SCORE = 2
TEXT_SCORE = 1


def terms_of(query: str) -> list[str]:
    return [term.casefold() for term in query.split() if term.strip()]


class Searchable(Struct, frozen=True):
    """The text of one record, by weight."""

    title: str = ""
    tags: Sequence[str] = ()
    lists: Sequence[str] = ()
    text: Sequence[str] = ()


class Match(Struct, frozen=True):
    score: int
    fields: tuple[str, ...]  # where the terms were found


def match(terms: Sequence[str], record: Searchable) -> Match | None:
    """How well `record` matches every term; None when a term is missing."""
    if not terms:
        return None
    tags = [t.casefold() for t in record.tags]
    title = record.title.casefold()
    lists = [item.casefold() for item in record.lists]
    text = "\n".join(record.text).casefold()
    score = 0
    found: list[str] = []
    for term in terms:
        best, where = 0, ""
        if term in tags:
            best, where = TAG_SCORE, "tags"
        elif term in title:
            best, where = TITLE_SCORE, "title"
        elif any(term in item for item in lists) or any(term in tag for tag in tags):
            best, where = LIST_SCORE, "lists"
        elif term in text:
            best, where = TEXT_SCORE, "text"
        if not best:
            return None
        score += best
        if where not in found:
            found.append(where)
    return Match(score, tuple(found))


def ranked(terms: Sequence[str], records: Iterable[tuple[str, Searchable]]) -> list[tuple[str, Match]]:
    """(key, match) for every matching record, best first, then by key."""
    hits = [(key, found) for key, record in records if (found := match(terms, record)) is not None]
    hits.sort(key=lambda hit: (-hit[1].score, hit[0]))
    return hits


def texts(data: Mapping[str, object], keys: Iterable[str]) -> list[str]:
    return [str(data[key]) for key in keys if data.get(key)]
