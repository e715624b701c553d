"""How knowledge-base articles and search hits look, and their JSON shapes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casefile.kb.search import Hit
from casefile.kb.textmatch import Match
from casefile.records.file import RecordEntry


def article_json(entry: RecordEntry) -> dict[str, Any]:
    result = dict(entry.data)
    result["body"] = entry.body.strip("\n")
    result["path"] = entry.path
    return result


def article_row(entry: RecordEntry, found: Match | None = None) -> dict[str, Any]:
    data = entry.data
    row = {key: data.get(key) for key in ("id", "title", "status", "tags", "products", "cases")}
    row["path"] = entry.path
    if found is not None:
        row["score"] = found.score
        row["matched"] = list(found.fields)
    return row


def render_article_list(rows: Sequence[dict[str, Any]], empty: str) -> str:
    if not rows:
        return empty
    lines = [f"{'ARTICLE':<32} {'STATUS':<9} {'TAGS':<24} TITLE"]
    for row in rows:
        tags = ",".join(row.get("tags") or []) or "—"
        lines.append(f"{row['id']:<32} {row['status']:<9} {tags:<24} {row['title']}")
    return "\n".join(lines)


def render_article(entry: RecordEntry) -> str:
    data = entry.data
    out = [f"{data.get('id')}  {data.get('title')}  ({data.get('status')})"]
    for key in ("products", "tags", "cases"):
        out.append(f"  {key:<9}{', '.join(str(v) for v in data.get(key) or []) or '—'}")
    for key, title in (("symptoms", "Symptoms 症状"), ("cause", "Cause 原因"), ("fix", "Fix 解决方法")):
        out += ["", title, *("  " + line for line in str(data.get(key) or "—").splitlines())]
    body = entry.body.strip("\n")
    if body:
        out += ["", *body.splitlines()]
    return "\n".join(out)


def render_hits(hits: Sequence[Hit]) -> str:
    if not hits:
        return "nothing found"
    lines = [f"{'KIND':<8} {'ID':<32} {'STATUS':<10} TITLE"]
    for hit in hits:
        lines.append(f"{hit.kind:<8} {hit.id:<32} {hit.status:<10} {hit.title}")
    return "\n".join(lines)
