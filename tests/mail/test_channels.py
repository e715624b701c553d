"""Issue 16, acceptance 3: each channel's signature checked by a real HTTP server on loopback; a timeout
and a 5xx retried, then reported; a permanent refusal reported once; no secret in the repository, a
commit or any output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.mail.channels import ChannelSecrets, Outgoing, Refused, Unavailable, post
from clihelp import CLI, git, is_clean
from pagehelp import (  # noqa: F401 - robots is a fixture
    DINGTALK_SECRET,
    FEISHU_SECRET,
    ROTA,
    SECRETS,
    SMS_SECRET,
    Robots,
    channel_env,
    robots,
    text_of,
)

PAGE = Outgoing("page-1f2e3d", "[A] KMT-00417 acme-sz 核心交换机故障: 升级至客户服务工程师，应于02:40，已超0分钟.",
                "ma.qiang", "Ma Qiang 马强", "138-0755-0003", "KMT-00417", "A")


def secrets(robots: Robots, service: str, secret: str | None, timeout: float = 2.0) -> ChannelSecrets:
    return ChannelSecrets(service, robots.url(service), secret, timeout)


def now_seconds() -> float:
    from casefile.worktime.clock import wall_seconds

    return wall_seconds()


@pytest.mark.parametrize(("service", "kind", "secret"), [
    ("dingtalk", "dingtalk", DINGTALK_SECRET),
    ("feishu", "feishu", FEISHU_SECRET),
    ("wecom", "wecom", None),
    ("sms", "webhook", SMS_SECRET),
])
def test_each_channel_is_accepted_by_a_server_that_checks_its_signature(
    robots: Robots, service: str, kind: str, secret: str | None
) -> None:
    post(kind, secrets(robots, service, secret), PAGE, now_seconds())
    assert [r.service for r in robots.received] == [service] and robots.rejected == []
    assert text_of(robots.received[0]) == PAGE.text
    if service == "dingtalk":
        assert robots.received[0].body["at"] == {"atMobiles": ["138-0755-0003"], "isAtAll": False}
    if service == "wecom":
        assert robots.received[0].body["text"]["mentioned_mobile_list"] == ["138-0755-0003"]
    if service == "sms":
        assert robots.received[0].headers["Idempotency-Key"] == "page-1f2e3d"
        assert robots.received[0].body["mobile"] == "138-0755-0003"


@pytest.mark.parametrize(("service", "kind", "secret", "why"), [
    ("dingtalk", "dingtalk", "SECwrong", "sign not match"),
    ("feishu", "feishu", "wrong", "sign match fail"),
    ("sms", "webhook", "wrong", "bad signature"),
])
def test_a_wrong_secret_is_refused_for_good(robots: Robots, service: str, kind: str, secret: str, why: str) -> None:
    with pytest.raises(Refused) as refused:
        post(kind, secrets(robots, service, secret), PAGE, now_seconds())
    assert robots.received == [] and robots.rejected == [(service, robots.rejected[0][1])]
    assert why in robots.rejected[0][1]
    assert "wrong" not in str(refused.value) and robots.url(service) not in str(refused.value)


def test_an_old_timestamp_is_refused_as_dingtalk_and_feishu_refuse_it(robots: Robots) -> None:
    with pytest.raises(Refused):
        post("dingtalk", secrets(robots, "dingtalk", DINGTALK_SECRET), PAGE, now_seconds() - 3700)
    with pytest.raises(Refused):
        post("feishu", secrets(robots, "feishu", FEISHU_SECRET), PAGE, now_seconds() - 3700)
    assert [why for _service, why in robots.rejected] == [
        "timestamp is not within one hour", "sign match fail or timestamp is not within one hour from current time"]


def test_a_wrong_wecom_key_is_refused(robots: Robots) -> None:
    wrong = ChannelSecrets("wecom", robots.url("wecom").replace("key=", "key=x"), None, 2.0)
    with pytest.raises(Refused) as refused:
        post("wecom", wrong, PAGE, now_seconds())
    assert "93000" in str(refused.value) and "key=" not in str(refused.value)


@pytest.mark.parametrize(("mode", "error"), [("slow", "no answer within 0.5s"), ("fail", "HTTP 500")])
def test_slow_and_failing_servers_are_unavailable_not_refused(robots: Robots, mode: str, error: str) -> None:
    robots.set_mode("dingtalk", mode, times=1)
    robots.slow_seconds = 1.5
    with pytest.raises(Unavailable) as unavailable:
        post("dingtalk", secrets(robots, "dingtalk", DINGTALK_SECRET, timeout=0.5), PAGE, now_seconds())
    assert error in str(unavailable.value)
    post("dingtalk", secrets(robots, "dingtalk", DINGTALK_SECRET, timeout=0.5), PAGE, now_seconds())
    assert len(robots.received) == 1


@pytest.mark.parametrize(("service", "kind", "secret"), [
    ("dingtalk", "dingtalk", DINGTALK_SECRET), ("wecom", "wecom", None), ("feishu", "feishu", FEISHU_SECRET),
    ("sms", "webhook", SMS_SECRET),
])
def test_a_rate_limit_is_try_later(robots: Robots, service: str, kind: str, secret: str | None) -> None:
    robots.set_mode(service, "busy", times=1)
    with pytest.raises(Unavailable):
        post(kind, secrets(robots, service, secret), PAGE, now_seconds())


# -- through check --notify and the pager's outbox ------------------------------------


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


@pytest.fixture
def night(cli: CLI, robots: Robots) -> CLI:
    (cli.repo / "rota.yaml").write_text(ROTA, encoding="utf-8")
    git(cli.repo, "add", "rota.yaml")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qm",
        "Add the on-call rota")
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", "9")  # nothing listens: mail stays in its outbox
    desk = CLI(cli.repo, "wang.fang", env=channel_env(robots))
    desk.open("Core switch down at Jinqiao metro depot", "A", now="2026-10-03T02:10:00+08:00")
    return desk


def check(desk: CLI, hhmm: str, expect: int | None = None) -> dict:
    return desk("check", "--notify", "--json", now=f"2026-10-03T{hhmm}:00+08:00", expect=expect).json


def test_a_timeout_is_retried_with_backoff_and_the_page_goes_once(night: CLI, robots: Robots) -> None:
    robots.set_mode("dingtalk", "slow", times=1)
    robots.slow_seconds = 1.5
    first = check(night, "02:40", expect=7)
    assert first["pages"]["retrying"][0]["error"] == "Unavailable: channel duty-dingtalk: no answer within 0.5s"
    assert first["pages"]["retrying"][0]["not_before"] == "2026-10-03T02:41:00+08:00"  # backoff: 1 minute
    waiting = check(night, "02:40", expect=7)  # cron again within the minute: not yet
    assert waiting["pages"]["waiting"] and waiting["pages"]["sent"] == []
    later = check(night, "02:41", expect=7)  # sent now; mail (port 9) is still failing
    assert [p["to"] for p in later["pages"]["sent"]] == ["ma.qiang"]
    check(night, "02:42", expect=7)
    # The slow request may have reached the server after the client gave up; that is the one copy
    # no client can rule out, and the generic webhook's Idempotency-Key lets a gateway drop it.
    assert 1 <= len(robots.received) <= 2 and len({text_of(r) for r in robots.received}) == 1


def test_a_5xx_is_retried_then_given_up_and_reported_once_on_the_next_channel(night: CLI, robots: Robots) -> None:
    robots.set_mode("dingtalk", "fail")
    times = ["02:40", "02:41", "02:43", "02:47", "02:55", "03:11", "03:41", "04:11"]  # backoff 1, 2, 4, 8, 16, 30
    outs = []
    for hhmm in times:
        outs.append(night("check", "--notify", now=f"2026-10-03T{hhmm}:00+08:00", expect=None))
    refused = [o.out for o in outs if "REFUSED" in o.out]
    assert len(refused) == 1  # reported once
    assert "gave up after 8 attempts" in refused[0] and "paging on sms instead" in refused[0]
    assert "HTTP 500" in refused[0]
    sms = [r.body["to"] for r in robots.received if r.service == "sms"]
    assert sms.count("ma.qiang") == 1  # the first page, given up on DingTalk at 04:11, went by SMS once
    assert not [r for r in robots.received if r.service == "dingtalk"]
    assert all(o.code == 7 for o in outs)  # mail keeps failing (nothing listens on port 9)


def test_a_permanent_refusal_is_reported_once_and_the_page_goes_on_the_next_channel(
    night: CLI, robots: Robots
) -> None:
    robots.set_mode("dingtalk", "refuse")
    first = night("check", "--notify", now="2026-10-03T02:40:00+08:00", expect=7)
    assert "REFUSED: page to ma.qiang on duty-dingtalk" in first.out
    assert "refused (300001 robot disabled); paging on sms instead" in first.out
    assert [r.service for r in robots.received] == ["sms"]  # in the same run
    again = night("check", "--notify", "--json", now="2026-10-03T02:45:00+08:00", expect=7).json
    assert again["pages"]["refused"] == []
    assert "REFUSED" not in night("check", "--notify", now="2026-10-03T02:46:00+08:00", expect=7).out


def test_no_secret_in_the_repository_a_commit_the_outbox_or_any_output(night: CLI, robots: Robots) -> None:
    robots.set_mode("feishu", "refuse")
    outputs = []
    for hhmm in ("02:40", "02:50", "03:00", "03:10", "04:10"):
        done = night("check", "--notify", "--json", now=f"2026-10-03T{hhmm}:00+08:00", expect=None)
        outputs += [done.out, done.err]
    outputs.append(night("show", night("list", "--json").json[0]["id"]).out)
    outputs.append(night("validate").out)
    assert robots.received  # paging happened
    repo = night.repo
    tracked = git(repo, "ls-files", "-z").split("\0")
    texts = [(repo / path).read_text(encoding="utf-8", errors="replace") for path in tracked if path]
    texts.append(git(repo, "log", "-p", "--all", "--format=%B"))
    texts += [p.read_text(encoding="utf-8") for p in (repo / ".git" / "casefile").rglob("*.json")]
    texts += outputs
    for secret in SECRETS:
        assert not [t for t in texts if secret in t], secret
    assert is_clean(repo)


def test_secrets_may_come_from_the_clones_git_config(cli: CLI, robots: Robots) -> None:
    (cli.repo / "rota.yaml").write_text(ROTA, encoding="utf-8")
    git(cli.repo, "add", "rota.yaml")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm", "rota")
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", "9")
    git(cli.repo, "config", "casefile.channel.duty-dingtalk.url", robots.url("dingtalk"))
    git(cli.repo, "config", "casefile.channel.duty-dingtalk.secret", DINGTALK_SECRET)
    cli.open("Core switch down", "A", now="2026-10-03T02:10:00+08:00")
    cli("check", "--notify", now="2026-10-03T02:40:00+08:00", expect=7)
    assert [r.service for r in robots.received] == ["dingtalk"]
    assert DINGTALK_SECRET not in git(cli.repo, "log", "-p", "--all")


def test_a_channel_without_an_address_is_reported_with_the_setting_to_make(cli: CLI, robots: Robots) -> None:
    (cli.repo / "rota.yaml").write_text(ROTA, encoding="utf-8")
    git(cli.repo, "add", "rota.yaml")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm", "rota")
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", "9")
    cli.open("Core switch down", "A", now="2026-10-03T02:10:00+08:00")
    out = cli("check", "--notify", now="2026-10-03T02:40:00+08:00", expect=7).out
    assert "channel duty-dingtalk has no webhook address: set CASEFILE_CHANNEL_DUTY_DINGTALK_URL" in out
    assert "channel sms has no webhook address" in out  # the next channel too; then nothing is left


@pytest.mark.parametrize(("crash", "pages_after"), [("after-ref", 1), ("before-ref", 1)])
def test_a_run_killed_around_its_commit_pages_once(night: CLI, robots: Robots, crash: str, pages_after: int) -> None:
    # Killed after the branch moved: the page is `.pending` and the next run promotes and sends it.
    # Killed before: nothing was recorded; the next run records the alert again and pages afresh.
    night.process("check", "--notify", now="2026-10-03T02:40:00+08:00", extra_env={"CASEFILE_CRASH_AT": crash},
                  expect=70)
    assert robots.received == []
    night("check", "--notify", now="2026-10-03T02:41:00+08:00", expect=7)
    night("check", "--notify", now="2026-10-03T02:42:00+08:00", expect=7)
    assert [r.body["to"] if r.service == "sms" else r.service for r in robots.received] == ["dingtalk"] * pages_after


def test_two_runs_at_once_page_once(night: CLI, robots: Robots) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "CASEFILE_REPO": str(night.repo), "CASEFILE_NOW": "2026-10-03T02:40:00+08:00",
           **channel_env(robots)}
    runs = [subprocess.Popen([sys.executable, "-m", "casefile", "check", "--notify"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        run.communicate(timeout=60)
    night("check", "--notify", now="2026-10-03T02:41:00+08:00", expect=7)
    assert [r.service for r in robots.received] == ["dingtalk"]


def test_a_dry_run_says_whom_it_would_page_and_sends_nothing(night: CLI, robots: Robots) -> None:
    result = night("check", "--dry-run", "--json", now="2026-10-03T02:40:00+08:00").json
    ladder = next(item for item in result["fired"] if item["key"] == "ladder/customer-service-engineer")
    assert [(p["to"], p["channel"], p["delivery"]) for p in ladder["paged"]] == [
        ("ma.qiang", "duty-dingtalk", "not sent (dry run)")]
    assert robots.received == [] and not (night.repo / ".git" / "casefile" / "pages").exists()


def test_a_page_waits_out_quiet_hours_when_every_channel_is_quiet(cli: CLI, robots: Robots) -> None:
    rota = ROTA.replace("sms: {type: webhook}", 'sms: {type: webhook, quiet: ["23:00-06:30"]}')
    (cli.repo / "rota.yaml").write_text(rota, encoding="utf-8")
    git(cli.repo, "add", "rota.yaml")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm", "rota")
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", "9")
    desk = CLI(cli.repo, "wang.fang", env=channel_env(robots))
    # A level-B case at 00:10: its general-manager step is 4h later, 04:10, when Feishu and SMS are both quiet.
    desk.open("ERP down for the whole warehouse", "B", now="2026-10-03T00:10:00+08:00")
    for hhmm in ("01:10", "02:10", "03:00", "04:10"):
        desk("check", "--notify", now=f"2026-10-03T{hhmm}:00+08:00", expect=None)
    gm = [r for r in robots.received if "总经理" in text_of(r)]
    assert gm == []
    held = desk("check", "--notify", "--json", now="2026-10-03T06:00:00+08:00", expect=None).json
    # The GM's step, and the unacknowledged engineer's page that went up the line to the GM, both wait.
    waiting = {(p["to"], p["channel"], p["not_before"]) for p in held["pages"]["waiting"] if p["to"] == "liu.yang"}
    assert waiting == {("liu.yang", "sms", "2026-10-03T06:30:00+08:00")}
    desk("check", "--notify", now="2026-10-03T06:30:00+08:00", expect=None)
    gm = [r for r in robots.received if "…: 升级至公司总经理，" in text_of(r)]
    assert [(r.service, r.body["to"]) for r in gm] == [("sms", "liu.yang")]
