"""Setting a key of a record at its usual place, so new keys do not land at the end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casefile.records import yamlio


def set_in_order(data: Any, key: str, value: Any, order: Sequence[str]) -> None:
    """Set `key`; a missing key goes before the first later key of `order` (round-trip maps only)."""
    if key in data or not yamlio.is_editable_map(data):
        data[key] = value
        return
    position = len(data)
    if key in order:
        later = order[order.index(key) + 1 :]
        for index, existing in enumerate(data):
            if existing in later:
                position = index
                break
    data.insert(position, key, value)
