"""SMTP: where its settings come from, and sending one outbox message.

Settings are never committed.  They come from the environment (`CASEFILE_SMTP_*`,
for a crontab line or a systemd unit) or, for what the environment leaves out,
from the clone's own git config (`git config casefile.smtp.host mail.example.com`,
stored in `.git/config`, which is not part of the repository's history):

| setting | environment | git config | default |
|---|---|---|---|
| server | CASEFILE_SMTP_HOST | casefile.smtp.host | (none: mail is off) |
| port | CASEFILE_SMTP_PORT | casefile.smtp.port | 25, 465 with ssl, 587 with starttls |
| security | CASEFILE_SMTP_SECURITY | casefile.smtp.security | none (or starttls, ssl) |
| user | CASEFILE_SMTP_USER | casefile.smtp.user | (no login) |
| password | CASEFILE_SMTP_PASSWORD | — | |
| password file | CASEFILE_SMTP_PASSWORD_FILE | casefile.smtp.passwordFile | |
| sender | CASEFILE_SMTP_FROM | casefile.smtp.from | casefile@<host name> |
| login without encryption | CASEFILE_SMTP_ALLOW_PLAINTEXT_AUTH | casefile.smtp.allowPlaintextAuth | no: a user needs starttls or ssl |

A permanent refusal (a 5xx answer to the sender, to every recipient or to the
data) raises `Undeliverable`: the outbox moves the message to its dead letters
instead of retrying it forever.  After the data is sent, the server may take
`DATA_TIMEOUT_SECONDS` to acknowledge it (RFC 5321 asks clients to wait 10
minutes); a message whose acknowledgement never came is sent again by the next
run with the same Message-ID.

The CLI gathers them (it is the only layer that reads the environment) and
passes a `SmtpSettings` down.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from casefile.errors import CasefileError
from casefile.mail.outbox import Message, Undeliverable
from casefile.i18n import _
from casefile.values import Struct

SECURITY = ("none", "starttls", "ssl")
TIMEOUT_SECONDS = 30  # connecting and each command
DATA_TIMEOUT_SECONDS = 600  # the server's answer to the end of the data (RFC 5321 4.5.3.2: 10 minutes)
_YES = ("1", "true", "yes", "on")


class SmtpSettings(Struct, frozen=True):
    host: str
    port: int
    security: str = "none"
    user: str | None = None
    password: str | None = None
    sender: str = "casefile@localhost"
    allow_plaintext_auth: bool = False


def smtp_settings(env: Mapping[str, str], git_config: Callable[[str], str | None]) -> SmtpSettings | None:
    """The SMTP settings of this clone, or None when no server is configured."""

    def get(env_name: str, config_key: str | None) -> str | None:
        value = env.get(env_name) or (git_config(config_key) if config_key else None)
        return value.strip() if value and value.strip() else None

    host = get("CASEFILE_SMTP_HOST", "casefile.smtp.host")
    if host is None:
        return None
    security = (get("CASEFILE_SMTP_SECURITY", "casefile.smtp.security") or "none").lower()
    if security not in SECURITY:
        raise CasefileError(_("SMTP security {security!r} is not one of: {names}").format(security=security, names=', '.join(SECURITY)),
                            _("set CASEFILE_SMTP_SECURITY or casefile.smtp.security"))
    port_text = get("CASEFILE_SMTP_PORT", "casefile.smtp.port")
    default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
    if port_text is not None and not port_text.isdigit():
        raise CasefileError(_("SMTP port {port_text!r} is not a number").format(port_text=port_text), _("set CASEFILE_SMTP_PORT or casefile.smtp.port"))
    password = get("CASEFILE_SMTP_PASSWORD", None)
    password_file = get("CASEFILE_SMTP_PASSWORD_FILE", "casefile.smtp.passwordFile")
    if password is None and password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise CasefileError(_("cannot read the SMTP password file {password_file}: {strerror}").format(password_file=password_file, strerror=error.strerror)) from None
    user = get("CASEFILE_SMTP_USER", "casefile.smtp.user")
    plaintext = (get("CASEFILE_SMTP_ALLOW_PLAINTEXT_AUTH", "casefile.smtp.allowPlaintextAuth") or "").lower() in _YES
    if user and security == "none" and not plaintext:
        raise CasefileError(
            _("refusing to send the SMTP password of {user} to {host} over an unencrypted connection").format(user=user, host=host),
            _("set CASEFILE_SMTP_SECURITY=starttls (or ssl); for a relay on this machine, CASEFILE_SMTP_ALLOW_PLAINTEXT_AUTH=1"))
    return SmtpSettings(
        host=host,
        port=int(port_text) if port_text else default_port,
        security=security,
        user=user,
        password=password,
        sender=get("CASEFILE_SMTP_FROM", "casefile.smtp.from") or f"casefile@{socket.getfqdn() or 'localhost'}",
        allow_plaintext_auth=plaintext,
    )


def email_of(message: Message, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = ", ".join(message.to)
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=True)
    # The same id on every attempt: a copy sent again after a crash is recognisable.
    given = {name.lower() for name, _value in message.headers}
    if "message-id" not in given:
        mail["Message-ID"] = f"<{message.id}@casefile.invalid>"
    for name, value in message.headers:
        mail[name] = value
    if "auto-submitted" not in given:
        mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    return mail


def sender_for(settings: SmtpSettings) -> Callable[[Message], None]:
    """A function that sends one message through the configured server."""

    def send(message: Message) -> None:
        mail = email_of(message, settings.sender)
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password or "")
            if client.sock is not None:
                client.sock.settimeout(DATA_TIMEOUT_SECONDS)
            try:
                client.send_message(mail)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                permanent = _permanent(error)
                if permanent is None:
                    raise
                raise Undeliverable(permanent) from None

    return send


def _permanent(error: smtplib.SMTPException) -> str | None:
    """The server's words if it refused for good (every answer 5xx), else None (4xx: try again later)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.items())
        if answers and all(code >= 500 for _rcpt, (code, _words) in answers):
            return "; ".join(f"{rcpt}: {code} {_text(text)}" for rcpt, (code, text) in answers)
        return None
    code = getattr(error, "smtp_code", 0)
    if code >= 500:
        return f"{code} {_text(getattr(error, 'smtp_error', b''))}"
    return None


def _text(answer: bytes | str) -> str:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return " ".join(text.split())


def require_sender(env: Mapping[str, str], git_config: Callable[[str], str | None]) -> Callable[[Message], None]:
    """A sender through the configured server, or why there is none (`check --notify` needs one)."""
    settings = smtp_settings(env, git_config)
    if settings is None:
        raise CasefileError(_("--notify needs an SMTP server"),
                            _("set CASEFILE_SMTP_HOST, or git config casefile.smtp.host HOST in this clone"))
    return sender_for(settings)
