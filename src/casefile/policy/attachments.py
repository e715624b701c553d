"""`attachments:` how large a file kept with a case may be.

    attachments:
      max_size: 10MB      # larger files are refused by `attach`, by mail intake, by validate and the hooks

One limit for every way a file reaches a case: `casefile attach`, a mail's
attachments (`intake` keeps the smaller of this and `intake.max_attachment`),
and what `validate` and the server hook accept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.policy.customermail import parse_size
from casefile.records.yamlio import RecordError
from casefile.i18n import _
from casefile.values import Struct

DEFAULT_MAX_SIZE = 10 * 1024**2
KEYS = frozenset({"max_size"})


class AttachmentPolicy(Struct, frozen=True):
    max_size: int = DEFAULT_MAX_SIZE


def attachment_policy(data: Mapping[str, Any], source: str) -> AttachmentPolicy:
    section = data.get("attachments")
    if section is None:
        return AttachmentPolicy()
    if not isinstance(section, Mapping) or set(section) - KEYS:
        raise RecordError(source, None, _("attachments must be a mapping with max_size (e.g. max_size: 10MB)"))
    size = parse_size(section.get("max_size", "10MB"), "attachments.max_size", source)
    if size <= 0:
        raise RecordError(source, None, _("attachments.max_size must be larger than zero"), _("write it like 10MB"))
    return AttachmentPolicy(size)


def size_text(count: int) -> str:
    """`2.0 MB`, `512 KB`, `73 B`: a size as a person reads it."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= factor:
            value = count / factor
            return f"{value:.0f} {unit}" if value >= 100 or value == int(value) else f"{value:.1f} {unit}"
    return f"{count} B"
