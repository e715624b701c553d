"""Tags of a case (`tags: [vip, network]`): what `casefile tag CASE +vip -network` changes, and how a tag is spelled.

A tag is the desk's own label — a VIP customer, a site, an outage a dozen cases
belong to.  It is internal (never in what the customer sees), kept sorted in
the record, and every change is one `tagged` event naming what was added and
removed.  Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from casefile.cases.model import CaseDoc
from casefile.errors import CasefileError
from casefile.records import yamlio
from casefile.i18n import N_, _
from casefile.values import Struct

if TYPE_CHECKING:
    from casefile.records.change import Change

TAGGED = "tagged"  # the event of a tag change


@cache
def _tag() -> re.Pattern[str]:
    """Compiled when a tag is first checked (a CJK range takes re ~2 ms to compile)."""
    return re.compile(r"^[a-z0-9\u4e00-\u9fff][a-z0-9\u4e00-\u9fff._/-]{0,39}$")


TAG_RULE = N_("a tag is up to 40 lowercase letters, digits, Chinese characters, '-', '_', '.', '/', like vip or site/3f")


class TagChange(Struct, frozen=True):
    """What to add and what to remove."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    def words(self) -> str:
        return " ".join([*(f"+{t}" for t in self.add), *(f"-{t}" for t in self.remove)])


def check_tag(text: str) -> str:
    tag = text.strip().lower()
    if not _tag().match(tag):
        raise CasefileError(_("{text!r} is not a tag: {TAG_RULE}").format(text=text, TAG_RULE=_(TAG_RULE)))
    return tag


def parse_tag_change(words: Sequence[str]) -> TagChange:
    """`+vip -network site/3f`: a bare word is added too."""
    add: list[str] = []
    remove: list[str] = []
    for word in words:
        sign, name = (word[0], word[1:]) if word[:1] in "+-" else ("+", word)
        tag = check_tag(name)
        if tag in add or tag in remove:
            raise CasefileError(_("tag {tag} is named twice").format(tag=tag), _("name each tag once, with + to add or - to remove"))
        (add if sign == "+" else remove).append(tag)
    if not add and not remove:
        raise CasefileError(_("no tags given"), _("say which: casefile tag KMT-00417 +vip -network"))
    return TagChange(tuple(add), tuple(remove))


def tags_of(data: Mapping[str, Any]) -> list[str]:
    tags = data.get("tags")
    return [str(t) for t in tags] if isinstance(tags, list) else []


def tag(doc: CaseDoc, at: str, by: str, wanted: TagChange) -> Change:
    """Add and remove tags; refused when nothing would change (every tag is there already, or absent)."""
    from casefile.cases.ops import WorkflowError  # the workflow's; the tag rules load with every case's schema
    from casefile.records.change import Change

    before = tags_of(doc.data)
    added = [t for t in wanted.add if t not in before]
    removed = [t for t in wanted.remove if t in before]
    if not added and not removed:
        raise WorkflowError(_("{id} has nothing to change: its tags are {value}").format(id=doc.id, value=', '.join(before) or 'none'),
                            _("add a tag it lacks (+TAG) or remove one it has (-TAG)"))
    after = sorted((set(before) | set(added)) - set(removed))
    if after:
        doc.set("tags", yamlio.to_block(after))
    elif "tags" in doc.data:
        del doc.data["tags"]
    fields: dict[str, object] = {}
    if added:
        fields["added"] = yamlio.to_block(added)
    if removed:
        fields["removed"] = yamlio.to_block(removed)
    doc.add_event(at, by, TAGGED, fields=fields)
    return Change("tag", "tag " + TagChange(tuple(added), tuple(removed)).words())


def tag_step(wanted: TagChange) -> Callable[[CaseDoc, str, str], Change]:
    """The step `casefile tag` (and `bulk tag`) applies to a case."""
    return lambda doc, at, by: tag(doc, at, by, wanted)


def tag_problems(tags: object) -> Iterable[str]:
    """What is wrong with a record's `tags:` (for the schema)."""
    if tags is None:
        return
    if not isinstance(tags, list):
        yield _("tags must be a list of tags, like [vip, network]")
        return
    for item in tags:
        if not isinstance(item, str) or not _tag().match(item):
            yield _("tags: {item!r} is not a tag ({TAG_RULE})").format(item=item, TAG_RULE=_(TAG_RULE))
