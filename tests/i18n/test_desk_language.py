"""A zh desk speaks Chinese and an en desk English, throughout: `open`, `show`, `list`, `check`, `explain`, the
errors and the reports, as golden files (tests/golden/i18n/<lang>/), read by hand.

The desk's language is `desk.language` in policy.yaml; `CASEFILE_LANG` (which the rest of the suite sets to `en`)
is taken away here so the desk's own language speaks, and set where the test is about it.  Besides the golden
files, every zh text is checked for English words (outside what a desk itself names: handles, case numbers,
commands, the policy's keys) and every en text for Chinese outside the records' own content.

The day (a Monday, 2026-11-02, the demo team and customers): 09:00 a printer at ACME Shenzhen stops printing
(level C, reported by phone); at 09:20 an A-level outage of the Futian core switch at the Shenzhen Metro; at
11:30 the cron `check` finds what is late: the printer's 1-hour response (due 10:00) and the A case's response.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from clihelp import CLI, GOLDEN_DIR, git

GOLDEN = GOLDEN_DIR / "i18n"
MONTH = "2026-11"

TITLES = {
    "zh": ("福田机房打印机 HP M607 显示 E-04", "福田核心交换机 SW-FT-01 中断"),
    "en": ("HP M607 in the Futian office shows E-04", "Futian core switch SW-FT-01 is down"),
}
CALLERS = {"zh": "张伟", "en": "Zhang Wei"}


def _desk(tmp_path: Path, template: Path, lang: str) -> Path:
    root = Path(shutil.copytree(template, tmp_path / f"desk-{lang}", symlinks=True))
    policy = root / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    if lang != "zh":  # the demo desk is a zh desk
        policy.write_text(re.sub(r"(?m)^(  language: )zh\b", rf"\g<1>{lang}", text), encoding="utf-8")
        git(root, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qam",
            f"desk.language: {lang}")
    assert f"  language: {lang}" in policy.read_text(encoding="utf-8")
    return root


def _day(cli: CLI, lang: str) -> dict[str, str]:
    """What each step printed, as a person at the terminal sees it (stdout, then stderr, then the exit code)."""
    printer, switch = TITLES[lang]
    said: dict[str, str] = {}

    def run(name: str, *args: str, now: str, expect: int = 0) -> str:
        done = cli(*args, now=now, expect=expect)
        said[name] = done.out + (f"--- stderr\n{done.err}" if done.err else "") + (
            f"--- exit {done.code}\n" if done.code else "")
        return done.out.strip()

    def steady(text: str) -> str:
        """This clone's station (claimed at random) as KMT, commits and the host name left out."""
        text = re.sub(rf"\b{station}-(\d{{5}})\b", r"KMT-\1", text)
        text = re.sub(r"((?:commit|提交) )[0-9a-f]{10}\b", r"\1<commit>", text)
        return re.sub(r"host: [^;\n]+", "host: <host>", text)

    station = ""
    first = run("open", "open", printer, "--level", "C", "--channel", "phone", "--caller-name", CALLERS[lang],
                "--customer", "acme-sz", "-m", "E-04", now="2026-11-02T09:00:00+08:00")
    station = first.split("-")[0]
    second = cli("open", switch, "--level", "A", "--customer", "sz-metro", "--caller-name", "Huang Tao",
                 "-m", "uplink down", now="2026-11-02T09:20:00+08:00").out.strip()
    run("list", "list", now="2026-11-02T09:30:00+08:00")
    run("show", "show", first, now="2026-11-02T09:30:00+08:00")
    run("check", "check", now="2026-11-02T11:30:00+08:00")
    run("show-after-check", "show", second, now="2026-11-02T11:31:00+08:00")
    run("explain", "explain", first, now="2026-11-02T11:31:00+08:00")
    run("error-no-case", "show", "KMT-99999", now="2026-11-02T11:32:00+08:00", expect=3)
    run("error-refused", "resume", first, now="2026-11-02T11:32:00+08:00", expect=1)
    run("error-bad-time", "note", first, "--kind", "onsite", "-m", "On site", "--dispatched-at",
        "2026-11-02T08:00:00+08:00", now="2026-11-02T11:32:00+08:00", expect=1)
    run("error-unknown-person", "assign", first, "zhou.bo", now="2026-11-02T11:32:00+08:00", expect=3)
    run("error-usage", "list", "--bogus", now="2026-11-02T11:32:00+08:00", expect=2)
    run("report-sla", "report", "sla", "--month", MONTH, now="2026-11-02T11:40:00+08:00")
    run("report-stats", "report", "stats", "--month", MONTH, now="2026-11-02T11:40:00+08:00")
    cli("respond", first, "-m", CALLERS[lang], now="2026-11-02T11:45:00+08:00")
    run("show-responded", "show", first, now="2026-11-02T11:46:00+08:00")  # a stopped clock names its event
    return {name: steady(text) for name, text in said.items()}


@pytest.fixture(params=["zh", "en"])
def day(request: pytest.FixtureRequest, tmp_path: Path, desk_template: Path,
        monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, str]]:
    lang = request.param
    monkeypatch.delenv("CASEFILE_LANG", raising=False)
    monkeypatch.delenv("LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    cli = CLI(_desk(tmp_path, desk_template, lang), actor="wang.fang")
    return lang, _day(cli, lang)


def test_the_day_reads_as_the_golden_files(day: tuple[str, dict[str, str]]) -> None:
    lang, said = day
    folder = GOLDEN / lang
    for name, text in said.items():
        golden = folder / f"{name}.txt"
        if os.environ.get("UPDATE_GOLDEN"):  # to make them anew: then read every one by hand
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8"), f"{lang}/{name}"


# What a desk names itself, in any language: its records' ids, handles, people and customers, the policy's keys
# (clocks, roles, ladders, calendars), commands and options, files, zones, the seed documents' own word "Case".
NAMED = [
    r"^--- (?:stderr|exit \d+)$", r"[\w.]+@[\w.-]+", r"\b[A-Z]{3}-\d{5}\b", r"\bSV-[\w-]+", r"\b[a-z]+(?:-[a-z]+)*-20\d\d-(?:Q\d|\d\d)\b", r"\b[a-z]+\.[a-z]+\b",
    r"`[^`]*`", r"casefile(?: [a-z][a-z-]*)*", r"--[a-z-]+", r"\b[\w-]+\.(?:yaml|md)\b", r"Asia/Shanghai",
    r"\b(?:Wang Fang|Zhao Lei|Chen Jie|Liu Yang|Ma Qiang|Huang Tao)\b", r"\b(?:acme-sz|sz-metro)\b",
    r"ACME Shenzhen|Shenzhen Metro Ticketing|IT Service Desk|Jinqiao IT Services", r"HP M607|SW-FT-01|E-04|JQ-\d{4}-\d{3}",
    r"\b(?:customer-service-engineer|technical-support-supervisor|general-manager|service-desk|engineer)\b",
    r"\bfault-level-\d\b", r"\b(?:response|reply|depart|onsite|restore|progress|incident-report|dispatched)\b",
    r"\b[0-9a-f]{10}\b", r"<commit>|<host>", r"\b\d+(?:h|m|d)\b", r"\b\d+x\d+\b", r"(?<![A-Za-z])Case(?![A-Za-z])", r"\bMB\b",
    r"\b(?:key|clock|roles|notified|due_at|fired_at|host|ladder|step): [^;\n]*",  # an event's stored fields
    r"\bcheck\b",  # the actor casefile check records as
    r"\bKMT\b", r"\buplink down\b",
]


def _leftover_english(text: str) -> list[str]:
    for pattern in NAMED:
        text = re.sub(pattern, " ", text, flags=re.MULTILINE)
    return sorted(set(re.findall(r"[A-Za-z]{2,}", text)))


def test_each_desk_speaks_its_language_throughout(day: tuple[str, dict[str, str]]) -> None:
    """zh: no English word left (outside handles, ids, commands and policy keys); en: Chinese only where the
    desk's own records or policy say it: a person's name, a clock's or type's zh label."""
    lang, said = day
    if lang == "zh":
        assert {name: words for name, text in said.items() if (words := _leftover_english(text))} == {}
        return
    content = r"[王赵陈刘马][芳磊杰洋强]|首次响应|回复|工程师出发|故障"
    chinese = {name: sorted(set(re.findall(r"[\u4e00-\u9fff]+", re.sub(content, "", text))))
               for name, text in said.items()}
    assert {name: words for name, words in chinese.items() if words} == {}


def test_an_engine_text_is_stored_without_words_and_an_old_one_still_shows(
        tmp_path: Path, desk_template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEFILE_LANG", raising=False)
    cli = CLI(_desk(tmp_path, desk_template, "zh"), actor="wang.fang", now="2026-11-02T09:00:00+08:00")
    case = cli("open", "打印机脱机", "--level", "C", "--channel", "phone", "-m", "E-04").out.strip()
    path = next(cli.repo.glob(f"cases/**/{case}.md"))
    record = path.read_text(encoding="utf-8")
    assert "text_key: Opened via {channel}" in record and "channel: phone" in record and "受理" not in record
    assert "通过电话受理" in cli("show", case).out
    monkeypatch.setenv("CASEFILE_LANG", "en")  # a reader of English on the same desk
    assert "Opened via phone" in cli("show", case).out
    monkeypatch.delenv("CASEFILE_LANG")
    # A case written before the texts were kept without words: its English stays as it was written.
    old = re.sub(r"    text_key: Opened via \{channel\}\n    text_values:\n      channel: phone\n",
                 "    text: Opened via phone\n", record)
    assert old != record
    path.write_text(old, encoding="utf-8")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qam",
        "as an older casefile wrote it", "--no-verify")  # the hook keeps events as written: this is the past
    assert cli("validate").code == 0
    assert "Opened via phone" in cli("show", case).out
