"""Issue 15, acceptance 2: `intake --imap` against a real IMAP server (Dovecot) on loopback, over TLS —
each unseen message taken once, across runs and a crash between a commit and flagging it \\Seen."""

from __future__ import annotations

from pathlib import Path

from clihelp import CLI, is_clean
from imaphelp import ImapServer, imap_server  # noqa: F401 - imap_server is a fixture

MAIL = Path(__file__).parent / "mail"
NOW = "2026-11-03T{}:00+08:00"


def test_imap_poll_takes_each_message_once_across_runs_and_a_crash(cli: CLI, imap_server: ImapServer) -> None:
    for name in ("foxmail-gbk-new.eml", "gmail-stranger.eml", "postfix-bounce.eml"):
        imap_server.append((MAIL / name).read_bytes().replace(b"{CASE}", b"KMT-00001"))
    cli.env.update(imap_server.env())
    crashed = cli.process("intake", "--imap", now=NOW.format("11:00"), expect=None,
                          extra_env={"CASEFILE_CRASH_AT": "after-ref"})
    assert crashed.code == 70  # died right after committing the first message, before flagging it
    assert imap_server.seen() == [False, False, False]
    first = cli("intake", "--imap", "--json", now=NOW.format("11:05")).json
    assert [t["action"] for t in first["taken"]] == ["duplicate", "triage", "ignored"]
    assert imap_server.seen() == [True, True, True]
    again = cli("intake", "--imap", "--json", now=NOW.format("11:10")).json
    assert again == {"taken": [], "failed": []}
    titles = sorted(row["title"] for row in cli("list", "--all", "--json", now=NOW.format("11:10")).json)
    assert titles == ["3楼打印机卡纸，显示E-04", "网络打不开"]
    assert is_clean(cli.repo)


def test_a_wrong_password_or_certificate_is_one_line_and_exit_7(cli: CLI, imap_server: ImapServer) -> None:
    cli.env.update({**imap_server.env(), "CASEFILE_IMAP_PASSWORD": "wrong"})
    done = cli("intake", "--imap", now=NOW.format("11:00"), expect=7)
    assert done.err.startswith("casefile: IMAP localhost:") and "Traceback" not in done.err
    # The system's CAs do not vouch for the test server's self-signed certificate: refused, not trusted.
    cli.env.update({**imap_server.env(), "CASEFILE_IMAP_CAFILE": ""})
    untrusted = cli("intake", "--imap", now=NOW.format("11:00"), expect=7)
    assert "SSL" in untrusted.err or "certificate" in untrusted.err


def test_imap_without_settings_is_refused_before_anything_happens(cli: CLI) -> None:
    done = cli("intake", "--imap", now=NOW.format("11:00"), expect=1)
    assert done.err.strip() == ("casefile: --imap needs an IMAP server (set CASEFILE_IMAP_HOST, or git config "
                                "casefile.imap.host HOST in this clone)")
