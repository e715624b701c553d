"""Merging a record's Markdown body: three-way as text, never losing either side.

Where both sides changed the same lines, both versions are kept one after the
other between marks written in words — never git's conflict markers, which
`validate` and the hooks refuse, so the record stays valid and readable and a
person settles it later by deleting the version that is wrong.
"""

from __future__ import annotations

from typing import Protocol

from casefile.i18n import N_, _
from casefile.said import Said

MARKER_SIZE = 31  # conflict-marker length asked of git merge-file, then rewritten in words
# The marks are words in the body, written once in the desk's language (the driver runs in the desk).
BOTH_VERSIONS_START = N_(
    "> **casefile merge:** this passage was changed on two clones at once; both versions follow. "
    "Keep the right one and delete the other and these marks."
)
BOTH_VERSIONS_OURS = N_("> **Version A (this branch):**")
BOTH_VERSIONS_THEIRS = N_("> **Version B (merged in):**")
BOTH_VERSIONS_END = N_("> **End of the two versions.**")


class MergedText(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def conflicts(self) -> int: ...


class TextMerger(Protocol):
    """A three-way text merge (the driver passes git merge-file's); conflicts marked with MARKER_SIZE."""

    def __call__(self, base: str, ours: str, theirs: str) -> MergedText: ...


def merge_body(base: str, ours: str, theirs: str, merge_text: TextMerger) -> tuple[str, Said | None]:
    """The merged body, and a sentence for the merge event if both versions had to be kept."""
    if ours == theirs or theirs == base:
        return ours, None
    if ours == base:
        return theirs, None
    merged = merge_text(base, ours, theirs)
    if merged.conflicts == 0:
        return merged.text, None
    return _mark_both_versions(merged.text), Said.of(
        N_("the text was changed on both sides; both versions are kept in it, marked"))


def _mark_both_versions(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\n")
        if bare.startswith("<" * MARKER_SIZE):
            lines += [_(BOTH_VERSIONS_START) + "\n", "\n", _(BOTH_VERSIONS_OURS) + "\n", "\n"]
        elif bare == "=" * MARKER_SIZE:
            lines += ["\n", _(BOTH_VERSIONS_THEIRS) + "\n", "\n"]
        elif bare.startswith(">" * MARKER_SIZE):
            lines += ["\n", _(BOTH_VERSIONS_END) + "\n"]
        else:
            lines.append(line)
    return "".join(lines)
