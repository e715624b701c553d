"""Threading: every mail about a case carries `[KMT-00417]` in its subject and headers that put it in
one thread in the customer's mail client, and lets a reply be found again.

* The first mail about a case (the open notice) has Message-ID `<KMT-00417@casefile.invalid>`:
  the thread's root.  Every later one has `<KMT-00417.<what>.<digest>@casefile.invalid>`,
  In-Reply-To the root (or the customer's own message it answers) and References the
  customer's first message (when the case came by mail) and the root.
* A mail whose In-Reply-To or References name one of ours is about that case; so is a subject
  with the case number.  A mail whose own Message-ID is ours is a loop.
"""

from __future__ import annotations

import re

DOMAIN = "casefile.invalid"
_OURS = re.compile(r"<([A-Z]{3}-\d{5})(?:\.[^@>]*)?@" + re.escape(DOMAIN) + r">", re.IGNORECASE)
_CASE_IN_SUBJECT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{3})-(\d{5})(?!\d)")


def root_id(case_id: str) -> str:
    return f"<{case_id}@{DOMAIN}>"


def message_id(local: str) -> str:
    return f"<{local}@{DOMAIN}>"


def is_ours(header: str | None) -> bool:
    return bool(header) and f"@{DOMAIN}>" in str(header).lower()


def cases_referenced(*headers: str | None) -> list[str]:
    """Case numbers named by our Message-IDs in In-Reply-To / References, in order."""
    found: list[str] = []
    for header in headers:
        for match in _OURS.finditer(header or ""):
            case = match.group(1).upper()
            if case not in found:
                found.append(case)
    return found


def case_in_subject(subject: str) -> str | None:
    match = _CASE_IN_SUBJECT.search(subject)
    return f"{match.group(1).upper()}-{match.group(2)}" if match else None


def tagged(subject: str, case_id: str) -> str:
    """The subject with `[KMT-00417]` in front, unless the template put it there already."""
    tag = f"[{case_id}]"
    return subject if tag in subject else f"{tag} {subject}".strip()
