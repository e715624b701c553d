"""Files kept with a case: logs, photos, scanned sheets (`casefile attach`, and a mail's attachments).

A case's files live in its own folder, `attachments/<case>/<name>`, committed with the entry that
brought them (one commit).  The entry says what they are:

* `casefile attach` writes an `attached` entry, `fields.files`: one mapping per file (`path`, `name`,
  `size` in bytes, `public`: whether the customer may see it, `lfs`: kept in Git LFS);
* a mail taken in by `intake` lists its files in `fields.attachments` (paths); they are never public.

What the customer sees (the export) is built from that allow-list: a file marked public, nothing else.
Names are made safe here: the last part of a path only, no control characters or characters a file
system refuses, no direction marks (a name that shows `gpj.exe` as `exe.jpg`), no leading dots (so never `..` or a hidden file), at most 100 characters keeping the
suffix.  Pure: values in, values out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct

FOLDER = "attachments"
NAME_LIMIT = 100
_BAD = "\x00-\x1f\x7f-\x9f/\\\\:*?\"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069"  # control, reserved, direction marks
_UNSAFE = re.compile(f"[{_BAD}]+")
_NAME = re.compile(f"^[^{_BAD}. ][^{_BAD}]*$")


class AttachmentRefused(CasefileError):
    """A file that cannot be kept with a case: too large, unreadable, a duplicate of the same command."""


class Attachment(Struct, frozen=True):
    path: str  # in the repository: attachments/KMT-00417/printer-log.txt
    name: str
    size: int | None  # bytes; None for a mail's file (the entry records no size)
    public: bool
    at: str  # when it was kept
    by: str
    source: str  # "attach" or "mail"
    lfs: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "name": self.name, "size": self.size, "public": self.public, "at": self.at,
                "by": self.by, "source": self.source, "lfs": self.lfs}


def safe_name(name: str) -> str:
    """A file name that is safe to keep: `../../etc/passwd` → `passwd`, `C:\\logs\\a.txt` → `a.txt`."""
    last = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1]
    cleaned = _UNSAFE.sub("_", last).strip(" ._")
    if not cleaned:
        return "attachment"
    if len(cleaned) <= NAME_LIMIT:
        return cleaned
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and 0 < len(suffix) <= 10:
        return stem[: NAME_LIMIT - len(suffix) - 1].rstrip(" .") + "." + suffix
    return cleaned[:NAME_LIMIT]


def folder_of(case_id: str) -> str:
    return f"{FOLDER}/{case_id}"


def free_path(case_id: str, name: str, taken: Callable[[str], bool]) -> str:
    """`attachments/<case>/<safe name>`, numbered (`log-2.txt`) when that name is taken."""
    safe = safe_name(name)
    stem, dot, suffix = safe.rpartition(".") if "." in safe else (safe, "", "")
    for number in range(1, 1000):
        candidate = f"{stem}{'-' + str(number) if number > 1 else ''}{dot}{suffix}"
        path = f"{folder_of(case_id)}/{candidate}"
        if not taken(path):
            return path
    raise AttachmentRefused(_("too many attachments named {safe} on {case_id}").format(safe=safe, case_id=case_id), _("rename the file first"))


def is_attachment_path(path: str) -> bool:
    return path.startswith(FOLDER + "/")


def path_problem(path: str) -> str | None:
    """Why a path under `attachments/` is not one casefile would write (None: it is)."""
    parts = PurePosixPath(path).parts
    if len(parts) != 3 or parts[0] != FOLDER:
        return _("an attachment belongs in attachments/<case>/<name>")
    if not re.fullmatch(r"[A-Z]{3}-\d{5}", parts[1]):
        return _("{name} is not a case number like KMT-00417").format(name=parts[1])
    if not _NAME.match(parts[2]) or len(parts[2]) > NAME_LIMIT:
        return _("the file name {name!r} has characters casefile never writes (control characters, /\\:*?\"<>|, a leading dot)").format(name=parts[2])
    return None


def files_entry(path: str, name: str, size: int, public: bool, lfs: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path, "name": name, "size": size, "public": public}
    if lfs:
        entry["lfs"] = True
    return entry


def attachments_of(data: Mapping[str, Any]) -> list[Attachment]:
    """Every file the case keeps, in the order they came."""
    found: list[Attachment] = []
    for event in data.get("events") or []:
        if not isinstance(event, Mapping) or not isinstance(event.get("fields"), Mapping):
            continue
        fields, at, by = event["fields"], str(event.get("at") or ""), str(event.get("by") or "")
        if event.get("kind") == "attached":
            for item in fields.get("files") or []:
                if isinstance(item, Mapping) and item.get("path"):
                    size = item.get("size")
                    found.append(Attachment(str(item["path"]), str(item.get("name") or PurePosixPath(str(item["path"])).name),
                                            size if isinstance(size, int) and not isinstance(size, bool) else None,
                                            item.get("public") is True, at, by, "attach", item.get("lfs") is True))
        elif isinstance(fields.get("attachments"), list):
            for path in fields["attachments"]:
                found.append(Attachment(str(path), PurePosixPath(str(path)).name, None, False, at, by, "mail"))
    return found


def public_attachments(data: Mapping[str, Any]) -> list[Attachment]:
    """What the customer may see: the files marked public when they were attached."""
    return [a for a in attachments_of(data) if a.public and path_problem(a.path) is None]


def files_problems(events: Any, case_id: Any) -> list[tuple[int, str]]:
    """(index, message) for an `attached` entry whose files are not as casefile writes them."""
    found = []
    for index, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, Mapping) or event.get("kind") != "attached":
            continue
        fields = event.get("fields")
        files = fields.get("files") if isinstance(fields, Mapping) else None
        if not isinstance(files, list) or not files:
            found.append((index, _("events[{index}] (attached) needs fields.files, a list of path, name, size, public").format(index=index)))
            continue
        for number, item in enumerate(files):
            where = f"events[{index}].fields.files[{number}]"
            if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
                found.append((index, _("{where} must be a mapping with path, name, size, public").format(where=where)))
                continue
            problem = path_problem(item["path"])
            if problem is None and PurePosixPath(item["path"]).parts[1] != case_id:
                problem = _("{path} is not in this case's folder ({folder})").format(path=item["path"], folder=folder_of(str(case_id)))
            if problem:
                found.append((index, _("{where}: {problem}").format(where=where, problem=problem)))
            if not isinstance(item.get("public"), bool):
                found.append((index, _("{where}.public must be true or false").format(where=where)))
            size = item.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                found.append((index, _("{where}.size must be a whole number of bytes").format(where=where)))
    return found
