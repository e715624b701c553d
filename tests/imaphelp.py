"""A real IMAP server on loopback: Dovecot (the system package), started for a test with its own
configuration, a self-signed certificate and one mailbox, over TLS only.

`.ci/run` installs Dovecot where it can and sets CASEFILE_REQUIRE_IMAP, so in CI a missing
Dovecot fails the IMAP tests instead of skipping them; on a developer's machine without it
they are skipped and say why.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smtphelp import free_port

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
NO_DOVECOT = "Dovecot is not installed (apt-get install dovecot-imapd); .ci/run installs it"
USER, PASSWORD = "servicedesk", "s3cret-for-tests"
# Read when the tests are collected: each test then runs with no CASEFILE_* variables (conftest).
REQUIRED = bool(os.environ.get("CASEFILE_REQUIRE_IMAP"))


@dataclass
class ImapServer:
    port: int
    cafile: Path
    root: Path

    def env(self) -> dict[str, str]:
        return {"CASEFILE_IMAP_HOST": "localhost", "CASEFILE_IMAP_PORT": str(self.port),
                "CASEFILE_IMAP_USER": USER, "CASEFILE_IMAP_PASSWORD": PASSWORD,
                "CASEFILE_IMAP_CAFILE": str(self.cafile)}

    def client(self) -> imaplib.IMAP4_SSL:
        client = imaplib.IMAP4_SSL("localhost", self.port, ssl_context=ssl.create_default_context(cafile=self.cafile))
        client.login(USER, PASSWORD)
        client.select("INBOX")
        return client

    def append(self, raw: bytes) -> None:
        client = self.client()
        try:
            status, _ = client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
            assert status == "OK"
        finally:
            client.logout()

    def seen(self) -> list[bool]:
        """Per message in the mailbox, in order: whether it is flagged \\Seen."""
        client = self.client()
        try:
            status, data = client.fetch("1:*", "(FLAGS)")
            if status != "OK" or not data or data[0] is None:
                return []
            return [b"\\Seen" in (item if isinstance(item, bytes) else item[0]) for item in data]
        finally:
            client.logout()


def _mail_owner() -> tuple[int, int]:
    """Who owns the mailbox: this user, or — Dovecot never serves mail as root — its own user."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    for name in ("dovecot", "nobody"):
        if _exists(name):
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
    return 65534, 65534


def _config(root: Path, port: int) -> str:
    user = pwd.getpwuid(os.getuid()).pw_name
    uid, gid = _mail_owner()
    login_user = "dovenull" if _exists("dovenull") else user
    internal_user = "dovecot" if _exists("dovecot") else user
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service auth {{
  user = {user}
}}
service auth-worker {{
  user = {user}
}}
service stats {{
  unix_listener stats-reader {{
    user = {user}
  }}
  unix_listener stats-writer {{
    user = {user}
  }}
}}
"""


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _wait(port: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    if DOVECOT is None:
        if REQUIRED:
            pytest.fail(NO_DOVECOT + "; CASEFILE_REQUIRE_IMAP is set, so the IMAP tests must run")
        # A developer's machine without Dovecot (and no root to install it) skips the IMAP tests with the
        # reason; CI never does: `.ci/run` installs Dovecot and sets CASEFILE_REQUIRE_IMAP, failing above.
        pytest.skip(NO_DOVECOT)
    # Outside pytest's private temporary folder: Dovecot's own processes must reach the mailbox.
    root = Path(tempfile.mkdtemp(prefix="casefile-dovecot-"))
    root.chmod(0o755)
    for sub in ("run", "state", "home", "mail"):
        (root / sub).mkdir(parents=True)
    uid, gid = _mail_owner()
    for sub in ("home", "mail"):
        os.chown(root / sub, uid, gid)
    try:
        yield from _serve(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _serve(root: Path) -> Iterator[ImapServer]:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(_config(root, port), encoding="utf-8")
    # Dovecot forks into the background: its output goes to a file, not to a pipe run() would wait on.
    with open(root / "start.log", "w", encoding="utf-8") as out:
        started = subprocess.run([DOVECOT, "-c", str(config)], stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                 timeout=30)
    if started.returncode != 0 or not _wait(port):
        log = "".join(p.read_text(encoding="utf-8") for p in (root / "start.log", root / "dovecot.log") if p.exists())
        subprocess.run([DOVECOT, "-c", str(config), "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pytest.fail(f"Dovecot did not start: {log[-2000:]}")
    try:
        yield ImapServer(port, root / "cert.pem", root)
    finally:
        subprocess.run([DOVECOT, "-c", str(config), "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=30)
