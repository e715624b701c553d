"""The pager's outbox: pages waiting to go on DingTalk, WeCom, Feishu, a webhook or e-mail; never committed.

Each page is one JSON file in `.git/casefile/pages/`, and lives like a message
of the mail outbox (`mail/outbox.py`): `stage`d as `<id>.pending` before the
check run commits the alerts it is about, `promote`d to `<id>.json` once that
commit is in (or `discard`ed), `recover`ed after a crash between the two, and
`flush`ed under `pages.lock` so two runs never send the same page.

Unlike mail, a page is retried with backoff (1, 2, 4, ... minutes, at most 30,
by the desk's clock), at most `MAX_ATTEMPTS` times; a page the service refuses
for good (or that ran out of attempts) moves to `refused/`, is reported by the
run that found it — once — and goes on as a new page on the person's next
channel, if they have one.  A page whose channel is in quiet hours waits in the
outbox until `not_before`.

As with mail, one window no sender can close: a process that dies after the
service took a page and before the page was moved to `sent/` sends it again on
the next run — with the same id, which the generic webhook passes as
`Idempotency-Key` so a gateway can drop the copy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from casefile.mail.outbox import StagedFolder
from casefile.values import Struct, field, plain, replace

MAX_ATTEMPTS = 8
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(minutes=30)


class PageMessage(Struct, frozen=True):
    id: str
    case: str  # the case number
    path: str  # the case file
    to: str  # handle
    name: str  # the person's name
    role: str
    channel: str  # the channel's name in rota.yaml
    kind: str  # dingtalk | wecom | feishu | webhook | email
    text: str
    alerts: tuple[tuple[str, str], ...]  # (record path, key) this page is recorded under
    created_at: str
    not_before: str  # ISO time: quiet hours, or the backoff after a failure
    mobile: str = ""
    email: str = ""
    level: str = ""
    fallbacks: tuple[tuple[str, str], ...] = ()  # (channel, kind) to try after a refusal
    attempts: int = 0
    last_error: str | None = None
    sending: bool = False

    def to_json(self) -> str:
        return json.dumps(plain(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> PageMessage:
        data: dict[str, Any] = json.loads(text)
        data["alerts"] = tuple(tuple(pair) for pair in data["alerts"])
        data["fallbacks"] = tuple(tuple(pair) for pair in data.get("fallbacks") or ())
        return cls(**data)


class PageFlush(Struct):
    sent: list[PageMessage] = field(default_factory=list)
    retrying: list[PageMessage] = field(default_factory=list)  # failed, kept with last_error and not_before
    refused: list[PageMessage] = field(default_factory=list)  # reported once, moved to refused/
    moved_on: list[PageMessage] = field(default_factory=list)  # the new pages on a next channel
    waiting: list[PageMessage] = field(default_factory=list)  # not before a later time (quiet, backoff)
    busy: bool = False


def backoff(attempts: int) -> timedelta:
    return min(FIRST_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


class PageOutbox(StagedFolder[PageMessage]):
    lock_name = "pages.lock"

    def __init__(self, state_dir: Path) -> None:
        super().__init__(state_dir / "pages", PageMessage.from_json)

    def sent(self) -> list[PageMessage]:
        folder = self.folder / "sent"
        if not folder.is_dir():
            return []
        return [PageMessage.from_json(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]

    def _move(self, path: Path, folder: str) -> None:
        target = self.folder / folder
        target.mkdir(exist_ok=True)
        os.replace(path, target / path.name)

    def flush(self, send: Callable[[PageMessage], None], now: datetime) -> PageFlush:
        """Send every page whose time has come; `send` raises `Refused`, or anything else for try-later."""
        result = PageFlush()
        with self._sending_lock() as mine:
            if not mine:
                result.busy = True
                return result
            queue = self.waiting()
            if queue:
                from casefile.mail.channels import Refused  # the robots and webhooks: only with a page to send
            while queue:
                page = queue.pop(0)
                path = self.folder / f"{page.id}.json"
                if datetime.fromisoformat(page.not_before) > now:
                    result.waiting.append(page)
                    continue
                attempt = replace(page, attempts=page.attempts + 1, sending=True)
                self._write(path, attempt)
                try:
                    send(attempt)
                except Refused as error:
                    queue += self._refuse(path, replace(attempt, sending=False, last_error=str(error)), now, result)
                    continue
                except Exception as error:  # noqa: BLE001 - every other failure is retried
                    failed = replace(attempt, sending=False, last_error=_one_line(error),
                                     not_before=(now + backoff(attempt.attempts)).isoformat(timespec="seconds"))
                    if failed.attempts >= MAX_ATTEMPTS:
                        gave_up = replace(failed, last_error=f"gave up after {failed.attempts} attempts: "
                                                             f"{failed.last_error}")
                        queue += self._refuse(path, gave_up, now, result)
                        continue
                    self._write(path, failed)
                    result.retrying.append(failed)
                    continue
                self._move(path, "sent")
                result.sent.append(replace(attempt, sending=False))
        return result

    def _refuse(self, path: Path, page: PageMessage, now: datetime, result: PageFlush) -> list[PageMessage]:
        """Move a refused page aside and put it on the next channel (sent in the same run)."""
        self._write(path, page)
        self._move(path, "refused")
        result.refused.append(page)
        if page.fallbacks:
            (channel, kind), rest = page.fallbacks[0], page.fallbacks[1:]
            nxt = replace(page, id=f"{page.id}-{channel}", channel=channel, kind=kind, fallbacks=rest, attempts=0,
                          last_error=None, sending=False, not_before=now.isoformat(timespec="seconds"))
            self._write(self.folder / f"{nxt.id}.json", nxt)
            result.moved_on.append(nxt)
            return [nxt]
        return []


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")
