"""Mail waits in the outbox until the server takes it (mail/outbox.py), sent with settings never
committed (mail/smtp.py); the loopback SMTP tests are in tests/check/test_check_mail.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.errors import CasefileError
from casefile.mail.outbox import Message, Outbox
from casefile.mail.smtp import email_of, require_sender, smtp_settings


def message(ident: str) -> Message:
    return Message(ident, ("li.na@jinqiao-it.example",), "[casefile] 1 alert: KMT-00417", "Li Na,\n",
                   (("cases/2026/11/KMT-00417.md", "breach/restore"),), "2026-11-19T02:40:00+08:00")


def test_a_message_goes_out_only_once_its_commit_is_in(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    box.stage(message("check-a"))
    box.stage(message("check-b"))
    assert box.waiting() == []  # staged: the run has not committed yet
    box.promote(["check-a"])
    box.discard(["check-b"])
    sent: list[str] = []
    result = box.flush(lambda m: sent.append(m.id))
    assert sent == ["check-a"] and [m.id for m in result.sent] == ["check-a"] and result.failed == []
    assert box.waiting() == [] and (tmp_path / "outbox" / "sent" / "check-a.json").exists()


def test_a_message_the_server_refuses_stays_and_counts_its_attempts(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    box.stage(message("check-a"))
    box.promote(["check-a"])

    def refuse(_m: Message) -> None:
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    failed = box.flush(refuse).failed
    assert [(m.id, m.attempts, m.last_error) for m in failed] == [
        ("check-a", 1, "ConnectionRefusedError: [Errno 111] Connection refused")]
    assert [m.attempts for m in box.waiting()] == [1]


def test_pending_mail_of_a_run_cut_off_around_its_commit_is_kept_or_dropped_by_what_was_recorded(
        tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    box.stage(message("check-kept"))
    box.stage(Message("check-dropped", ("x@y",), "s", "b", (("cases/x.md", "ladder/y"),), "now"))
    box.recover(lambda path, key: key == "breach/restore")
    assert [m.id for m in box.waiting()] == ["check-kept"]


def test_settings_come_from_the_environment_before_the_clones_git_config(tmp_path: Path) -> None:
    config = {"casefile.smtp.host": "mail.jinqiao-it.example", "casefile.smtp.security": "starttls"}
    settings = smtp_settings({"CASEFILE_SMTP_USER": "desk"}, config.get)
    assert settings is not None
    assert (settings.host, settings.port, settings.security, settings.user) == (
        "mail.jinqiao-it.example", 587, "starttls", "desk")
    assert smtp_settings({}, lambda _key: None) is None
    with pytest.raises(CasefileError, match="SMTP port 'x' is not a number"):
        smtp_settings({"CASEFILE_SMTP_HOST": "h", "CASEFILE_SMTP_PORT": "x"}, lambda _key: None)
    with pytest.raises(CasefileError, match="--notify needs an SMTP server"):
        require_sender({}, lambda _key: None)


def test_every_attempt_carries_the_same_message_id_and_says_it_is_automatic() -> None:
    mail = email_of(message("check-a"), "desk@jinqiao-it.example")
    assert mail["Message-ID"] == "<check-a@casefile.invalid>"
    assert mail["Auto-Submitted"] == "auto-generated" and mail["To"] == "li.na@jinqiao-it.example"
