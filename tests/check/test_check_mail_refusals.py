"""SMTP refusals (issue 13): a permanent 5xx goes to the dead letters and is reported once, a login is
never sent over an unencrypted connection unless allowed, and the data's acknowledgement may take long."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from clihelp import CLI, commit_count, git
from smtphelp import Inbox, free_port

NIGHT = "2026-10-03T{}:00+08:00"
GONE = "zhao.lei@jinqiao-it.example"


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


class RefusingInbox(Inbox):
    """A server that knows no mailbox for one address (550 5.1.1), as after someone left the company."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        if address == GONE:
            return "550 5.1.1 <zhao.lei@jinqiao-it.example>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing() -> Iterator[tuple[RefusingInbox, int]]:
    inbox, port = RefusingInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def configure(cli: CLI, port: int) -> None:
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", str(port))
    git(cli.repo, "config", "casefile.smtp.from", "desk@jinqiao-it.example")


def test_a_permanent_refusal_goes_to_the_dead_letters_and_is_reported_once(
    cli: CLI, refusing: tuple[RefusingInbox, int]
) -> None:
    inbox, port = refusing
    configure(cli, port)
    cli.open("Core switch down", "A", "--assign", "ma.qiang", now=NIGHT.format("02:00"))
    first = cli("check", "--notify", now=NIGHT.format("02:30"), expect=7)
    assert "mail: 2 sent" in first.out
    assert f"mail to {GONE} refused for good and NOT sent ({GONE}: 550 5.1.1" in first.out
    assert "fix the address in people.yaml" in first.out
    outbox = cli.repo / ".git" / "casefile" / "outbox"
    assert [p.name for p in (outbox / "dead").glob("*.json")] and not list(outbox.glob("*.json"))
    assert len(inbox.messages) == 2

    again = cli("check", "--notify", "--json", now=NIGHT.format("02:31"))  # not retried, not reported again
    assert again.json["mail"] in (None, {"sent": [], "failed": [], "dead": [], "busy": False})
    assert len(inbox.messages) == 2


def test_a_login_over_an_unencrypted_connection_is_refused_unless_allowed(
    cli: CLI, refusing: tuple[RefusingInbox, int]
) -> None:
    _inbox, port = refusing
    configure(cli, port)
    git(cli.repo, "config", "casefile.smtp.user", "desk")
    cli.open("Core switch down", "A", now=NIGHT.format("02:00"))
    before = commit_count(cli.repo)
    refused = cli("check", "--notify", now=NIGHT.format("02:40"), expect=1)
    assert refused.err == (
        "casefile: refusing to send the SMTP password of desk to 127.0.0.1 over an unencrypted connection "
        "(set CASEFILE_SMTP_SECURITY=starttls (or ssl); for a relay on this machine, "
        "CASEFILE_SMTP_ALLOW_PLAINTEXT_AUTH=1)\n")
    assert commit_count(cli.repo) == before


def test_settings_know_the_data_timeout_and_the_plaintext_switch() -> None:
    from casefile.mail.smtp import DATA_TIMEOUT_SECONDS, smtp_settings

    assert DATA_TIMEOUT_SECONDS >= 600  # RFC 5321 4.5.3.2.6: wait 10 minutes for the answer to the data
    settings = smtp_settings({"CASEFILE_SMTP_HOST": "127.0.0.1", "CASEFILE_SMTP_USER": "desk",
                              "CASEFILE_SMTP_ALLOW_PLAINTEXT_AUTH": "1"}, lambda _key: None)
    assert settings is not None and settings.allow_plaintext_auth and settings.user == "desk"
