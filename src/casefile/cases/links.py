"""Links between a case and the other records: its survey, its complaint, its articles.

A case's `links` list holds `{rel: REL, to: ID}` entries.  A complaint case
links the cases it concerns (`concerns`), the survey that raised it
(`survey`); a case links its satisfaction surveys (`survey`), the complaints
about it (`complaint`) and the knowledge-base articles that fixed it (`kb`).
The complaint ladder (`casefile check`) reads `type: complaint`; `concerns`
tells the people on the ladder which cases the complaint is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from casefile.cases.model import CaseDoc
from casefile.records import yamlio


class LinkRel(StrEnum):
    CONCERNS = "concerns"  # a complaint -> the case it is about
    COMPLAINT = "complaint"  # a case or survey -> the complaint it raised
    SURVEY = "survey"  # a case -> its satisfaction survey; a complaint -> the survey behind it
    KB = "kb"  # a case -> the knowledge-base article that fixed it
    DUPLICATE_OF = "duplicate-of"  # a case -> the case it repeats (closed as its duplicate)
    DUPLICATE = "duplicate"  # a case -> a case that repeats it
    PARENT = "parent"  # an affected caller's case -> the major incident it belongs to
    CHILD = "child"  # a major incident -> the case of an affected caller
    RELATED = "related"  # two cases that bear on each other (both ways)
    INCIDENT_REPORT = "incident-report"  # a case -> its incident report (故障报告)
    PROBLEM = "problem"  # an incident -> the problem behind it (问题管理)


LINK_RELS = frozenset(str(rel) for rel in LinkRel)
# What each link says from the other side: both cases name each other, in the same commit.
INVERSE = {
    LinkRel.DUPLICATE_OF: LinkRel.DUPLICATE, LinkRel.DUPLICATE: LinkRel.DUPLICATE_OF,
    LinkRel.PARENT: LinkRel.CHILD, LinkRel.CHILD: LinkRel.PARENT, LinkRel.RELATED: LinkRel.RELATED,
}
# A case that repeats another or belongs to a major incident is counted with it, never on its own
# (SPEC 6: duplicates and the callers of one major incident never count twice in service-level figures).
COUNTED_WITH = (LinkRel.DUPLICATE_OF, LinkRel.PARENT)


def counted_with(data: Mapping[str, Any]) -> str | None:
    """The case this one is counted with (the one it duplicates, or its major incident), if any."""
    for rel in COUNTED_WITH:
        found = linked(data, rel)
        if found:
            return found[0]
    return None


def linked(data: Mapping[str, Any], rel: LinkRel) -> list[str]:
    """The ids a record links with `rel`, in the order they were linked."""
    links = data.get("links") or []
    if not isinstance(links, list):
        return []
    return [str(link["to"]) for link in links if isinstance(link, Mapping) and link.get("rel") == rel]


def add_link(doc: CaseDoc, rel: LinkRel, target: str) -> bool:
    """Link `target` with `rel`; False (and no change) if it is linked already."""
    if target in linked(doc.data, rel):
        return False
    if doc.data.get("links") is None:
        doc.set("links", [])
    yamlio.append_block(doc.data["links"], yamlio.new_map({"rel": str(rel), "to": target}))
    return True
