"""IMAP over TLS: where its settings come from, and polling one mailbox (the one importer of imaplib).

Like SMTP's, the settings are never committed: the environment (`CASEFILE_IMAP_*`, for a
crontab line) or, for what it leaves out, the clone's git config:

| setting | environment | git config | default |
|---|---|---|---|
| server | CASEFILE_IMAP_HOST | casefile.imap.host | (none: --imap is refused) |
| port | CASEFILE_IMAP_PORT | casefile.imap.port | 993, 143 with starttls |
| security | CASEFILE_IMAP_SECURITY | casefile.imap.security | ssl (or starttls) |
| user | CASEFILE_IMAP_USER | casefile.imap.user | (required) |
| password | CASEFILE_IMAP_PASSWORD | — | |
| password file | CASEFILE_IMAP_PASSWORD_FILE | casefile.imap.passwordFile | |
| mailbox | CASEFILE_IMAP_MAILBOX | casefile.imap.mailbox | INBOX |
| CA file | CASEFILE_IMAP_CAFILE | casefile.imap.caFile | the system's trusted CAs |

There is no plain-text mode: the password never crosses the network in the clear.  A poll
takes the unseen messages (`UID SEARCH UNSEEN`), reads each without marking it
(`BODY.PEEK[]`) and flags it `\\Seen` once it is taken — a run that dies in between
leaves it unseen, and the next finds its Message-ID in the case that took it.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from casefile.errors import CasefileError, ExitCode
from casefile.i18n import _
from casefile.values import Struct

SECURITY = ("ssl", "starttls")
TIMEOUT_SECONDS = 60


class ImapFailed(CasefileError):
    exit_code = ExitCode.REMOTE


class ImapSettings(Struct, frozen=True):
    host: str
    port: int
    user: str
    password: str
    security: str = "ssl"
    mailbox: str = "INBOX"
    cafile: str | None = None


def imap_settings(env: Mapping[str, str], git_config: Callable[[str], str | None]) -> ImapSettings:
    def get(env_name: str, config_key: str | None) -> str | None:
        value = env.get(env_name) or (git_config(config_key) if config_key else None)
        return value.strip() if value and value.strip() else None

    host = get("CASEFILE_IMAP_HOST", "casefile.imap.host")
    if host is None:
        raise CasefileError(_("--imap needs an IMAP server"),
                            _("set CASEFILE_IMAP_HOST, or git config casefile.imap.host HOST in this clone"))
    security = (get("CASEFILE_IMAP_SECURITY", "casefile.imap.security") or "ssl").lower()
    if security not in SECURITY:
        raise CasefileError(_("IMAP security {security!r} is not one of: {names}").format(security=security, names=', '.join(SECURITY)),
                            _("set CASEFILE_IMAP_SECURITY or casefile.imap.security"))
    port_text = get("CASEFILE_IMAP_PORT", "casefile.imap.port")
    if port_text is not None and not port_text.isdigit():
        raise CasefileError(_("IMAP port {port_text!r} is not a number").format(port_text=port_text), _("set CASEFILE_IMAP_PORT or casefile.imap.port"))
    user = get("CASEFILE_IMAP_USER", "casefile.imap.user")
    if user is None:
        raise CasefileError(_("--imap needs a user"), _("set CASEFILE_IMAP_USER or casefile.imap.user"))
    password = get("CASEFILE_IMAP_PASSWORD", None)
    password_file = get("CASEFILE_IMAP_PASSWORD_FILE", "casefile.imap.passwordFile")
    if password is None and password_file:
        try:
            password = Path(password_file).expanduser().read_text(encoding="utf-8").strip()
        except OSError as error:
            raise CasefileError(_("cannot read the IMAP password file {password_file}: {strerror}").format(password_file=password_file, strerror=error.strerror)) from None
    if password is None:
        raise CasefileError(_("--imap needs a password"),
                            _("set CASEFILE_IMAP_PASSWORD, or CASEFILE_IMAP_PASSWORD_FILE / casefile.imap.passwordFile"))
    return ImapSettings(host, int(port_text) if port_text else (993 if security == "ssl" else 143), user, password,
                        security, get("CASEFILE_IMAP_MAILBOX", "casefile.imap.mailbox") or "INBOX",
                        get("CASEFILE_IMAP_CAFILE", "casefile.imap.caFile"))


class Fetched(Struct, frozen=True):
    uid: str
    raw: bytes


class ImapMailbox:
    """One connection to the mailbox for one poll; use it as a context manager."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self.client: imaplib.IMAP4 | None = None

    def __enter__(self) -> ImapMailbox:
        s = self.settings
        context = ssl.create_default_context(cafile=s.cafile)
        try:
            if s.security == "ssl":
                self.client = imaplib.IMAP4_SSL(s.host, s.port, ssl_context=context, timeout=TIMEOUT_SECONDS)
            else:
                self.client = imaplib.IMAP4(s.host, s.port, timeout=TIMEOUT_SECONDS)
                self.client.starttls(ssl_context=context)
            self.client.login(s.user, s.password)
            status, _data = self.client.select(_quoted(s.mailbox))
            if status != "OK":
                raise ImapFailed(_("IMAP mailbox {mailbox!r} cannot be opened on {host}").format(mailbox=s.mailbox, host=s.host),
                                 _("check CASEFILE_IMAP_MAILBOX"))
        except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
            self._close()
            raise ImapFailed(_("IMAP {host}:{port}: {one_line}").format(host=s.host, port=s.port, one_line=_one_line(error)),
                             _("check the server, the port, the TLS certificate and the login")) from None
        return self

    def __exit__(self, *_exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self.client is None:
            return
        try:
            if self.client.state == "SELECTED":
                self.client.close()
            self.client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
        self.client = None

    def unseen(self) -> Iterator[Fetched]:
        assert self.client is not None
        try:
            status, data = self.client.uid("SEARCH", "UNSEEN")
            uids = (data[0] or b"").split() if status == "OK" and data else []
            for uid_bytes in uids:
                uid = uid_bytes.decode("ascii")
                status, parts = self.client.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next((p[1] for p in parts or [] if isinstance(p, tuple) and len(p) > 1), None)
                if status == "OK" and isinstance(raw, bytes):
                    yield Fetched(uid, raw)
        except (OSError, imaplib.IMAP4.error) as error:
            raise ImapFailed(_("IMAP {host}: {one_line}").format(host=self.settings.host, one_line=_one_line(error)), _("run again: nothing is lost")) from None

    def mark_seen(self, message: Fetched) -> None:
        assert self.client is not None
        try:
            self.client.uid("STORE", message.uid, "+FLAGS.SILENT", "(\\Seen)")
        except (OSError, imaplib.IMAP4.error) as error:
            raise ImapFailed(_("IMAP {host}: {one_line}").format(host=self.settings.host, one_line=_one_line(error)),
                             _("run again: a message taken already is recognised by its Message-ID")) from None


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")
