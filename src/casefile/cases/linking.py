"""Links between cases: duplicates, a major incident and its affected callers, related cases.

Pure steps on a `CaseDoc`, like `cases.ops`:

* `duplicate-of`: the case repeats another (the same fault called in twice).
  Closing it as a duplicate needs no confirmation of its own and issues no
  survey; it is left out of every service-level, KPI and survey figure and
  listed apart in the reports (SPEC 6: never counted twice).
* `parent` / `child`: a major incident and the cases of its affected callers.
  The children follow the parent: restored with it and closed with it, in the
  parent's commit; statistics count the incident once, with its callers.
* `related`: two cases that bear on each other.

Both cases name each other (`INVERSE`), in one commit.
"""

from __future__ import annotations

from casefile.cases.links import INVERSE, LinkRel, add_link, counted_with, linked
from casefile.cases.model import CaseDoc, EventKind, Status
from casefile.cases.vocabulary import CLOSED_AS, DUPLICATE, WITH_PARENT
from casefile.cases.ops import WorkflowError, _end_pause, _status_to
from casefile.records.change import Change
from casefile.i18n import N_, _
from casefile.said import Said

LINK_WORDS = {LinkRel.DUPLICATE_OF: "duplicate of", LinkRel.PARENT: "part of the major incident",
              LinkRel.RELATED: "related to", LinkRel.CHILD: "affected caller", LinkRel.DUPLICATE: "repeated by"}


def refuse_link(doc: CaseDoc, rel: LinkRel, other: CaseDoc) -> None:
    """Refuse a link that would make no sense, before anything is written."""
    if doc.id == other.id:
        raise WorkflowError(_("{id} cannot be linked to itself").format(id=doc.id))
    if other.id in linked(doc.data, rel):
        raise WorkflowError(_("{id} is linked {rel} {id2} already").format(id=doc.id, rel=rel, id2=other.id))
    if rel in (LinkRel.DUPLICATE_OF, LinkRel.PARENT):
        root = counted_with(other.data)
        if root == doc.id:
            raise WorkflowError(_("{id} is counted with {id2}: the link would go round in a circle").format(id=other.id, id2=doc.id),
                                _("to undo it, edit {id} by hand (casefile edit {id})").format(id=other.id))
        if root is not None:
            raise WorkflowError(_("{id} is itself counted with {root}").format(id=other.id, root=root),
                                _("link {id} to {root} instead").format(id=doc.id, root=root))
        if linked(doc.data, LinkRel.CHILD) or linked(doc.data, LinkRel.DUPLICATE):
            raise WorkflowError(_("{id} has cases counted with it").format(id=doc.id), _("link those to the other case instead"))
        mine = counted_with(doc.data)
        if mine is not None:
            raise WorkflowError(_("{id} is counted with {mine} already").format(id=doc.id, mine=mine))


def link(doc: CaseDoc, at: str, by: str, rel: LinkRel, target: str) -> Change:
    """One case names another (`linked` event); the other side is `link_back`'s."""
    add_link(doc, rel, target)
    doc.add_event(at, by, EventKind.LINKED, None, {"rel": str(rel), "to": target})
    return Change("link", f"{LINK_WORDS.get(rel, str(rel))} {target}")


def link_back(doc: CaseDoc, rel: LinkRel, target: str) -> None:
    add_link(doc, INVERSE[rel], target)


def close_as_duplicate(doc: CaseDoc, at: str, by: str, original: str, text: str | None) -> Change:
    """Close a case as the duplicate of `original`: no confirmation of its own, no survey."""
    if doc.status is Status.CLOSED:
        raise WorkflowError(_("{id} is already closed").format(id=doc.id))
    _end_pause(doc, at)
    add_link(doc, LinkRel.DUPLICATE_OF, original)
    fields = _status_to(doc, Status.CLOSED)
    fields["closed_as"] = DUPLICATE
    fields["duplicate_of"] = original
    doc.set("closed_at", at)
    doc.set("closed_as", DUPLICATE)
    doc.add_event(at, by, EventKind.CLOSED, (text or "").strip() or Said.of(N_("Duplicate of {case}."), case=original), fields)
    return Change("close", f"closed as a duplicate of {original}")


def resolve_with_parent(doc: CaseDoc, at: str, by: str, parent: str, resolution: str) -> bool:
    """A child restored with its major incident (False: it was restored or closed already)."""
    if doc.status not in (Status.OPEN, Status.PENDING):
        return False
    _end_pause(doc, at)
    fields = _status_to(doc, Status.RESOLVED)
    fields["with_parent"] = parent
    text = f"Restored with the major incident {parent}: {resolution}"
    doc.set("resolved_at", at)
    doc.set("resolution", text)
    doc.add_event(at, by, EventKind.RESOLVED, text, fields)
    return True


def close_with_parent(doc: CaseDoc, at: str, by: str, parent: str, confirmed_by: str) -> bool:
    """A child closed with its major incident (False: it was closed already)."""
    if doc.status is Status.CLOSED:
        return False
    _end_pause(doc, at)
    fields = _status_to(doc, Status.CLOSED)
    fields["closed_as"] = WITH_PARENT
    fields["with_parent"] = parent
    doc.set("closed_at", at)
    doc.set("closed_as", WITH_PARENT)
    if confirmed_by:
        doc.set("confirmed_by", confirmed_by)
    doc.add_event(at, by, EventKind.CLOSED, Said.of(N_("Closed with the major incident {case}."), case=parent), fields)
    return True


__all__ = ["CLOSED_AS", "DUPLICATE", "WITH_PARENT", "close_as_duplicate", "close_with_parent", "link",
           "link_back", "refuse_link", "resolve_with_parent"]
