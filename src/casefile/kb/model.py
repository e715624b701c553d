"""What a knowledge-base article (`客户服务知识库`, seed 000) is.

One Markdown file per article, `kb/<slug>.md`:

    ---
    id: printer-e04-fuser
    title: HP M607 shows E-04 — the fuser unit has failed
    status: published          # draft (from `kb add --from CASE`) or published
    products: [HP M607]
    tags: [printer, fuser]
    symptoms: 打印机显示 E-04，队列卡住。
    cause: The fuser unit is worn out.
    fix: Replace the fuser unit (part RM2-1256); print a test page.
    cases: [KMT-00417]         # the cases it fixed; `resolve --kb` adds to it
    ---
    Further notes, steps and screenshots (Markdown).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from casefile.errors import CasefileError, NotFound
from casefile.records import yamlio
from casefile.records.fieldorder import set_in_order
from casefile.records.kinds import ARTICLES
from casefile.records.problems import Checker, Problem
from casefile.i18n import _

KB_DIR = ARTICLES.folder
SLUG = ARTICLES.id_pattern
FIELD_ORDER = ("id", "title", "status", "products", "tags", "symptoms", "cause", "fix", "cases")


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ArticleNotFound(NotFound):
    def __init__(self, slug: str) -> None:
        super().__init__(
            _("no knowledge-base article {slug!r}").format(slug=slug),
            _("`casefile kb list` shows them; `casefile kb search TEXT` finds them"),
        )


class BadSlug(CasefileError):
    def __init__(self, text: str) -> None:
        super().__init__(
            _("{text!r} is not an article slug").format(text=text),
            _("slugs are lower-case letters, digits and '-', like printer-e04-fuser"),
        )


def article_path(slug: str) -> str:
    return ARTICLES.path(slug)


def require_article(root: Path, slug: str) -> str:
    """The article's slug if it names an article in the work tree, else a one-line refusal."""
    ident = check_slug(slug)
    if ARTICLES.find(root, ident) is None:
        raise ArticleNotFound(ident)
    return ident


def list_case(data: Any, case_id: str) -> bool:
    """An article names a case it fixed (in `cases`); False when it names it already."""
    cases = data.get("cases")
    if not isinstance(cases, list):
        set_in_order(data, "cases", [], FIELD_ORDER)
        cases = data["cases"]
    if case_id in cases:
        return False
    yamlio.append_block(cases, case_id)
    return True


def check_slug(text: str) -> str:
    if not SLUG.match(text.strip()):
        raise BadSlug(text)
    return text.strip()


def slugify(title: str, limit: int = 60) -> str:
    """An ASCII slug from a title; empty when the title has no Latin letters or digits."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


def article_problems(data: Mapping[str, Any], file_stem: str | None) -> list[Problem]:
    """What is wrong with an article (empty when it is valid)."""
    c = Checker()
    ident = data.get("id")
    if not isinstance(ident, str) or not SLUG.match(ident):
        c.add(("id",), _("id {ident!r} is not an article slug like printer-e04-fuser").format(ident=ident))
    elif file_stem is not None and file_stem != ident:
        c.add(("id",), _("id {ident} does not match the file name {file_stem}.md").format(ident=ident, file_stem=file_stem))
    c.text(data, "title", required=True)
    c.choice(data, "status", [str(s) for s in ArticleStatus])
    for key in ("symptoms", "cause", "fix"):
        c.text(data, key)
    for key in ("products", "tags", "cases"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            c.add((key,), _("{key} must be a list of text").format(key=key))
    return c.problems
