"""`--help`, the command list and bare `casefile` in the reader's language: Chinese on a zh desk (or with
CASEFILE_LANG=zh), English on an en desk, for every command — a walk of the whole click tree fails on a help
text without Chinese, or a command made without casefile's `Command`/`Group` (whose help would never be
translated).  A Chinese help is wrapped by display width, so it is no wider than the English one."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click
import pytest

from casefile import i18n
from casefile.cli import cli as root
from casefile.cli.cases import CHANNELS, TYPES
from casefile.cli.helptext import Command, Group, Speaks, param_help, wrap_text
from casefile.i18n import translate
from casefile.render.width import width
from clihelp import CLI

CJK = re.compile(r"[\u4e00-\u9fff]")


def _said(text: str, lang: str) -> str:
    message = inspect.cleandoc(text)
    said = translate(message, lang)
    return said if said != message else translate(message, lang, domain="click")


def untranslated(top: click.Command, lang: str = "zh") -> list[str]:
    """Every help text under `top` (a command's help and summary, each option's help) with no words in `lang`,
    and every command that is not casefile's `Speaks` (its help would stay English)."""
    missing: list[str] = []

    def walk(command: click.Command, path: str, parent: click.Context | None) -> None:
        texts = [("help", command.help), ("short_help", command.short_help)]
        texts += [(param.name or "?", param_help(param)) for param in command.params]
        missing.extend(f"{path} {where}: {inspect.cleandoc(text)[:60]!r}" for where, text in texts
                       if text and _said(text, lang) == inspect.cleandoc(text))
        if not isinstance(command, Speaks):
            missing.append(f"{path}: made without cls=Command or cls=Group")
        if isinstance(command, click.Group):
            ctx = click.Context(command, info_name=path.split()[-1], parent=parent)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, f"{path} {name}", ctx)

    walk(top, "casefile", None)
    return missing


def commands(top: click.Command = root) -> list[str]:
    found = []

    def walk(command: click.Command, path: list[str]) -> None:
        found.append(" ".join(path))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, [*path, name])

    walk(top, [])
    return found


def test_every_help_text_of_every_command_has_chinese() -> None:
    assert untranslated(root) == []
    assert len(commands()) > 100  # the walk reaches the subcommands of every group


def test_the_walk_finds_an_untranslated_help_and_a_plain_click_command() -> None:
    """The check above can fail: a new command whose help nobody translated, and one made with plain click."""

    @click.group(cls=Group)
    def top() -> None:
        """casefile — a Git-backed, plain-text case tracker for IT service desks."""

    @top.command()
    @click.option("--fresh", help="An option nobody translated yet.")
    def fresh(fresh: str) -> None:
        """A command nobody translated yet."""

    @top.command(cls=click.Command)
    def plain() -> None:
        """Open a case and print its number."""

    assert isinstance(top.commands["fresh"], Command)
    found = untranslated(top)
    assert any("fresh help" in line for line in found)
    assert any("fresh fresh" in line for line in found)
    assert "casefile plain: made without cls=Command or cls=Group" in found


@pytest.fixture
def anywhere(tmp_path: Path) -> CLI:
    return CLI(tmp_path / "nowhere")


def test_casefile_help_in_chinese_and_in_english(anywhere: CLI) -> None:
    zh = CLI(anywhere.repo, env={"CASEFILE_LANG": "zh"})("--help").out
    assert zh.startswith("用法：casefile [OPTIONS] [COMMAND] [ARGS]...")
    assert "面向 IT 服务台、基于 Git 的纯文本 Case 跟踪工具" in zh
    assert "选项：" in zh and "命令：" in zh and "显示此帮助并退出。" in zh and "显示版本并退出。" in zh
    assert re.search(r"(?m)^  assign +把 CASE 分派给 ENGINEER", zh)
    assert "Usage:" not in zh and "Options:" not in zh and "Show this message" not in zh
    en = anywhere("--help").out
    assert en.startswith("Usage: casefile [OPTIONS] [COMMAND] [ARGS]...")
    assert "Options:" in en and "Commands:" in en and "Show this message and exit." in en
    assert re.search(r"(?m)^  assign +Assign CASE to ENGINEER", en)
    assert "用法" not in en and "选项" not in en


def test_a_command_help_in_chinese_and_in_english(anywhere: CLI) -> None:
    zh = CLI(anywhere.repo, env={"CASEFILE_LANG": "zh"})("open", "--help").out
    assert zh.startswith("用法：casefile open [OPTIONS] TITLE\n\n  受理一个 Case 并打印其编号。")
    assert "\n  示例：\n      casefile open \"Printer offline on 3F\" --level C --customer acme-sz \\\n" in zh
    assert "策略中的故障级别：A、B、C 或 D。 [必填]" in zh
    assert "[默认：incident]" in zh and "[默认：phone]" in zh
    en = anywhere("open", "--help").out
    assert en.startswith("Usage: casefile open [OPTIONS] TITLE\n\n  Open a case and print its number.")
    assert "\n  Examples:\n      casefile open \"Printer offline on 3F\"" in en
    assert re.search(r"Fault level from the policy: A, B, C or D\.\s+\[required\]", en)
    assert not CJK.search(en)


def test_bare_casefile_in_chinese_and_in_english(anywhere: CLI) -> None:
    zh = CLI(anywhere.repo, env={"CASEFILE_LANG": "zh"})()
    assert zh.out.startswith("casefile —— 面向 IT 服务台") and "最常用：" in zh.out
    assert "  casefile open TITLE --level C      受理一个 Case 并打印其编号\n" in zh.out
    en = anywhere()
    assert en.out.startswith("casefile — a Git-backed") and "Most used:" in en.out
    assert not CJK.search(en.out)


def test_a_zh_desk_speaks_chinese_help_without_casefile_lang(desk_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo desk's policy says `desk.language: zh`; nobody set CASEFILE_LANG."""
    monkeypatch.delenv("CASEFILE_LANG", raising=False)
    desk = CLI(desk_path)
    assert desk("show", "--help").out.startswith("用法：casefile show [OPTIONS] CASE\n\n  显示 CASE：")
    assert desk("report", "--help").out.count("月度通讯") >= 1
    assert desk().out.startswith("casefile —— ")
    assert CLI(desk_path, env={"CASEFILE_LANG": "en"})("show", "--help").out.startswith("Usage: casefile show")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_usage_error_speaks_the_language_too(anywhere: CLI, lang: str) -> None:
    said = CLI(anywhere.repo, env={"CASEFILE_LANG": lang})("open", expect=2).err
    assert ("缺少参数" in said) == (lang == "zh"), said


def test_every_chinese_help_is_no_wider_than_the_english_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrapped by display width: a Chinese character takes two columns, so click's own wrapping (characters)
    would make lines twice as wide; a line breaks between two Chinese characters, and never in `[默认：…]`."""
    monkeypatch.setenv("COLUMNS", "80")
    from casefile.cli import _click_speaks_casefile

    _click_speaks_casefile()
    too_wide = []

    def walk(command: click.Command, name: str, parent: click.Context | None) -> None:
        ctx = command.make_context(name, [], parent=parent, resilient_parsing=True)
        shown = {}
        for lang in ("en", "zh"):
            with i18n.speaking(lang):
                shown[lang] = command.get_help(ctx)
        limit = max(80, *(width(line) for line in shown["en"].splitlines()))
        too_wide.extend([f"{ctx.command_path}: {line}" for line in shown["zh"].splitlines() if width(line) > limit])
        too_wide.extend([f"{ctx.command_path}: {line}" for line in shown["zh"].splitlines()
                         if re.search(r"\[[^\]]*$", line)])
        if isinstance(command, click.Group):
            for sub_name in command.list_commands(ctx):
                sub = command.get_command(ctx, sub_name)
                if sub is not None:
                    walk(sub, sub_name, ctx)

    walk(root, "casefile", None)
    assert too_wide == []


def test_wrapping_by_display_width() -> None:
    text = "每个 Case 是 git 仓库中一个带 YAML 头信息的 Markdown 文件；每次修改是一次提交。\n\n\b\n示例：\n    casefile show KMT-00417"
    lines = wrap_text(text, 30, "  ", "  ").splitlines()
    assert lines == ["  每个 Case 是 git 仓库中一个", "  带 YAML 头信息的 Markdown 文",
                     "  件；每次修改是一次提交。", "", "  示例：", "      casefile show KMT-00417"]  # 件； stays together
    assert all(width(line) <= 30 for line in lines)


def test_the_help_of_open_and_change_names_every_type_and_channel() -> None:
    """The lists are written out in the help (a literal, so the catalogs have it): they stay the vocabulary's."""
    from casefile.cli.cases import change, open_case

    helps = {param.name: param_help(param) for param in open_case.params}
    assert helps["case_type"] == f"One of: {', '.join(TYPES)}."
    assert helps["channel"] == f"How it was reported: {', '.join(CHANNELS)}."
    assert {param.name: param_help(param) for param in change.params}["case_type"] == f"New type: {', '.join(TYPES)}."
