"""Open a file in a real headless Chromium and report what the page did (issue 5, acceptance 4).

Talks the DevTools protocol over `--remote-debugging-pipe` (file descriptors 3 and 4, messages
ending in NUL), so nothing but Chromium is needed.  `open_page` loads the file, collects every
JavaScript exception, console error and browser log error, evaluates an expression in the page,
and prints it to PDF (the report is printable).  `CHROMIUM` (env) names the browser; else
`chromium`, `chromium-browser` or `google-chrome` on PATH.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else shutil.which(chosen)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Page:
    errors: list[str] = field(default_factory=list)
    value: Any = None
    pdf_bytes: int = 0


class _Pipe:
    def __init__(self, to_browser: int, from_browser: int) -> None:
        self.to_browser = to_browser
        self.from_browser = from_browser
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        wanted = self.next_id
        deadline = time.monotonic() + timeout
        while True:
            for reply in self._read(deadline):
                if reply.get("id") == wanted:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30, session: str | None = None) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method and (session is None or event.get("sessionId") == session):
                    return self.events.pop(index)
            self.events.extend(self._read(deadline))

    def _read(self, deadline: float) -> list[dict[str, Any]]:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("Chromium did not answer in time")
        ready, _, _ = select.select([self.from_browser], [], [], left)
        if not ready:
            raise TimeoutError("Chromium did not answer in time")
        chunk = os.read(self.from_browser, 1 << 20)
        if not chunk:
            raise RuntimeError("Chromium closed the pipe")
        self.buffer += chunk
        *messages, self.buffer = self.buffer.split(b"\0")
        return [json.loads(m) for m in messages if m]


def _errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console.{params.get('type')}: {params.get('args')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found.append(f"log: {params['entry'].get('text')}")
    return found


class Browser:
    """One headless Chromium for many pages: each page is a target of its own, its errors its own."""

    def __init__(self, executable: str) -> None:
        commands_r, commands_w = os.pipe()
        replies_r, replies_w = os.pipe()

        def wire() -> None:
            # In the child, before exec: the protocol's ends at 3 and 4 (via high numbers, so that
            # neither move can overwrite the other); dup2 leaves them inheritable.
            high_r = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(replies_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self._profile = tempfile.TemporaryDirectory()
        self.process = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={self._profile.name}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False,
        )
        os.close(commands_r)
        os.close(replies_w)
        self._ends = (commands_w, replies_r)
        self.pipe = _Pipe(commands_w, replies_r)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open_page(self, path: Path, expression: str, width: int | None = None) -> Page:
        """Load `path`, evaluate `expression` (its JSON-able value), print to PDF; with `width`, as a phone."""
        pipe, page = self.pipe, Page()
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            pipe.send(domain, session=session)
        if width:
            pipe.send("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": 800, "deviceScaleFactor": 2, "mobile": True}, session)
        pipe.send("Page.navigate", {"url": path.resolve().as_uri()}, session)
        pipe.wait_for("Page.loadEventFired", session=session)
        result = pipe.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        page.value = result.get("result", {}).get("value")
        pdf = pipe.send("Page.printToPDF", {"printBackground": True}, session, timeout=60)
        page.pdf_bytes = len(base64.b64decode(pdf["data"]))
        mine = [event for event in pipe.events if event.get("sessionId") == session]
        pipe.events = [event for event in pipe.events if event.get("sessionId") != session]
        page.errors = _errors(mine)
        pipe.send("Target.closeTarget", {"targetId": target})
        return page

    def close(self) -> None:
        try:
            self.pipe.send("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        finally:
            for end in self._ends:
                os.close(end)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._profile.cleanup()


def open_page(browser: str, path: Path, expression: str, width: int | None = None) -> Page:
    """One page in a browser of its own."""
    with Browser(browser) as chromium:
        return chromium.open_page(path, expression, width)
