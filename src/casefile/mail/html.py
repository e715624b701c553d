"""HTML-only mail as text: the one importer of inscriptis.

Outlook, QQ Mail and Foxmail often send HTML only (or HTML with a useless text part);
inscriptis lays it out as a reader sees it — tables as columns, lists as items, block
elements on their own lines — instead of the run-on text a tag stripper gives.
"""

from __future__ import annotations


def html_to_text(html: str) -> str:
    from inscriptis import get_text
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    if not html.strip():
        return ""
    text = get_text(html, ParserConfig(css=CSS_PROFILES["strict"]))
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines).strip()
