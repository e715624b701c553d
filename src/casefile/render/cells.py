"""How values are spelled where people read them: a time to the minute, a day, a number, a share.

Stored times keep their seconds and their offset (`2026-11-19T02:10:00+08:00`);
every table, page and report shows them as `2026-11-19 02:10`.  Empty values
are `—` everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

EMPTY = "—"


def minute(value: Any, zone: tzinfo) -> str:
    """A time (an aware datetime or a stored ISO 8601 text) to the minute in `zone`; `—` when there is none.

    Text that is not a time is shown as it is: a hand-edited record is still listed.
    """
    if not value:
        return EMPTY
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return str(value)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def day(value: Any) -> str:
    return str(value)[:10] if value else "—"


def pct(share: Any) -> str:
    value = share.get("share") if isinstance(share, Mapping) else share
    return "—" if value is None else f"{value * 100:.1f}%"


def dur(value: Any) -> str:
    return str(value["text"]) if isinstance(value, Mapping) and value.get("text") else "—"


def num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    return str(value)


def cell(value: Any) -> str:
    """Text that stays inside one Markdown table cell."""
    if value is None or value == "":
        return "—"
    return " ".join(str(value).split()).replace("|", "\\|")

