"""The outbox of `check --notify`: mail waiting to go, kept in the clone, never committed.

Each message is one JSON file in `.git/casefile/outbox/`.  Its life:

1. `stage` — written as `<id>.pending` *before* the check run commits the
   alerts it is about (with the case paths and alert keys);
2. `promote` — renamed to `<id>.json` once that commit is in (the run's
   `on_commit`); a run that failed to commit `discard`s its pending files;
   a run killed between the two leaves `.pending` files that the next run
   resolves with `recover`: promoted if their alerts are in the committed
   records, removed if not;
3. `flush` (under `outbox.lock`, so two runs never send the same file) —
   each message is marked `sending`, handed to the SMTP server, then moved to
   `sent/`; a failed send puts it back with the error and is retried on the
   next run — unless the server refused it for good (a 5xx answer to the
   sender, every recipient or the data: `Undeliverable`): then it moves to
   `dead/`, is reported once by that run with its addresses, and never sent
   again.

So a message is never lost and never sent twice, with one exception that no
mail client can close: if the process dies after the server accepted a
message and before it was moved to `sent/`, the next run sends it again —
with the same Message-ID, so the copies can be recognised.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from casefile.render.output import write_atomic
from casefile.values import Struct, field, plain, replace
from casefile.worktime.clock import parse_stored


class Message(Struct, frozen=True):
    id: str
    to: tuple[str, ...]  # e-mail addresses
    subject: str
    body: str
    alerts: tuple[tuple[str, str], ...]  # (record path, alert key) this message reports
    created_at: str
    attempts: int = 0
    last_error: str | None = None
    sending: bool = False
    sent_at: str | None = None  # when the server accepted it (kept in `sent/`)
    # Customer mail: threading headers (Message-ID, In-Reply-To, References) and a time before
    # which it is not sent (held overnight for a business-hours customer).
    headers: tuple[tuple[str, str], ...] = ()
    not_before: str | None = None

    def to_json(self) -> str:
        return json.dumps(plain(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Message:
        data: dict[str, Any] = json.loads(text)
        data["to"] = tuple(data["to"])
        data["alerts"] = tuple(tuple(pair) for pair in data["alerts"])
        data["headers"] = tuple(tuple(pair) for pair in data.get("headers") or ())
        return cls(**data)


class Undeliverable(Exception):
    """The server refused a message for good (5xx): sending it again would be refused again."""


class FlushResult(Struct):
    sent: list[Message] = field(default_factory=list)
    failed: list[Message] = field(default_factory=list)  # still in the outbox, with last_error
    dead: list[Message] = field(default_factory=list)  # refused for good, moved to dead/ (reported once)
    busy: bool = False  # another run was sending
    held: list[Message] = field(default_factory=list)  # not to be sent yet (a customer's night)

    @property
    def waiting(self) -> int:
        return len(self.failed)


class Staged(Protocol):
    """What a staged folder holds: an id, the alerts it reports, and its JSON."""

    @property
    def id(self) -> str: ...

    @property
    def alerts(self) -> tuple[tuple[str, str], ...]: ...

    def to_json(self) -> str: ...


T = TypeVar("T", bound=Staged)


class StagedFolder(Generic[T]):
    """Files written before a run commits (`<id>.pending`), made `<id>.json` by its commit, sent after it
    under a lock: mail here (`Outbox`), pages in `mail/pages.py`.  Nothing is lost and nothing goes twice."""

    lock_name = "outbox.lock"

    def __init__(self, folder: Path, load: Callable[[str], T]) -> None:
        self.folder = folder
        self._load = load

    def _write(self, path: Path, item: T) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, item.to_json().encode("utf-8"), sync=True)

    def stage(self, item: T) -> None:
        self._write(self.folder / f"{item.id}.pending", item)

    def promote(self, ids: list[str]) -> None:
        for item_id in ids:
            pending = self.folder / f"{item_id}.pending"
            if pending.exists():
                os.replace(pending, self.folder / f"{item_id}.json")

    def discard(self, ids: list[str]) -> None:
        for item_id in ids:
            (self.folder / f"{item_id}.pending").unlink(missing_ok=True)

    def recover(self, recorded: Callable[[str, str], bool]) -> None:
        """Resolve `.pending` files left by a run that died around its commit."""
        if not self.folder.is_dir():
            return
        for pending in sorted(self.folder.glob("*.pending")):
            item = self._load(pending.read_text(encoding="utf-8"))
            if all(recorded(path, key) for path, key in item.alerts):
                os.replace(pending, pending.with_suffix(".json"))
            else:
                pending.unlink()

    def waiting(self) -> list[T]:
        if not self.folder.is_dir():
            return []
        return [self._load(p.read_text(encoding="utf-8")) for p in sorted(self.folder.glob("*.json"))]

    @contextmanager
    def _sending_lock(self) -> Iterator[bool]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / self.lock_name, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class Outbox(StagedFolder[Message]):
    def __init__(self, state_dir: Path) -> None:
        super().__init__(state_dir / "outbox", Message.from_json)

    def delivered(self, message_id: str) -> Message | None:
        """The message as the server accepted it (in `sent/`), or None if it has not gone."""
        path = self.folder / "sent" / f"{message_id}.json"
        try:
            return Message.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            return None

    def flush(self, send: Callable[[Message], None], now: str | None = None) -> FlushResult:
        """Send every waiting message; `send` raises OSError or smtplib errors on failure.
        `now` (as stored) is kept with each accepted message; a message held past it waits."""
        result = FlushResult()
        with self._sending_lock() as mine:
            if not mine:
                result.busy = True
                return result
            for message in self.waiting():
                if message.not_before and (now is None or parse_stored(now) < parse_stored(message.not_before)):
                    result.held.append(message)
                    continue
                path = self.folder / f"{message.id}.json"
                attempt = replace(message, attempts=message.attempts + 1, sending=True)
                self._write(path, attempt)
                try:
                    send(attempt)
                except Undeliverable as error:
                    dead = replace(attempt, sending=False, last_error=str(error))
                    self._write(path, dead)
                    (self.folder / "dead").mkdir(exist_ok=True)
                    os.replace(path, self.folder / "dead" / path.name)
                    result.dead.append(dead)
                    continue
                except Exception as error:  # noqa: BLE001 - every other failure keeps the message
                    failed = replace(attempt, sending=False, last_error=_one_line(error))
                    self._write(path, failed)
                    result.failed.append(failed)
                    continue
                sent_dir = self.folder / "sent"
                sent_dir.mkdir(exist_ok=True)
                accepted = replace(attempt, sending=False, sent_at=now)
                self._write(path, accepted)
                os.replace(path, sent_dir / path.name)
                result.sent.append(accepted)
        return result


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")
