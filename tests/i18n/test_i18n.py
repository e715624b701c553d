"""casefile.i18n without a repository: the language chosen, messages and engine texts in either language."""

from __future__ import annotations

import pytest

from casefile import i18n
from casefile.i18n import Deferred, choose, language_of, speaking, stored_text, translate
from casefile.said import Said


@pytest.mark.parametrize(("value", "lang"), [("zh", "zh"), ("zh_CN.UTF-8", "zh"), ("zh-Hans", "zh"),
                                             ("en_US.UTF-8", "en"), ("EN", "en"), ("C", None), ("POSIX", None),
                                             ("fr_FR.UTF-8", None), ("", None), (None, None)])
def test_a_language_is_read_from_a_locale_name(value: str | None, lang: str | None) -> None:
    assert language_of(value) == lang


def test_casefile_lang_then_the_desk_then_the_locale_then_english() -> None:
    assert choose("zh", {"CASEFILE_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"  # a person's own choice
    assert choose("zh", {"LANG": "en_US.UTF-8"}) == "zh"  # the desk's language over the machine's
    assert choose(None, {"LANG": "zh_CN.UTF-8"}) == "zh"  # outside a desk: the locale
    assert choose(None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"  # LC_ALL first, as gettext
    assert choose(None, {"CASEFILE_LANG": "fr"}) == "en"  # not a language casefile speaks: the next, then English
    assert choose(None, {}) == "en"


def test_a_message_in_each_language() -> None:
    assert translate("no case {case_id}", "zh") == "没有 Case {case_id}"
    assert translate("no case {case_id}", "en") == "no case {case_id}"
    assert translate("a message nobody marked", "zh") == "a message nobody marked"  # the English, never nothing
    with speaking("zh"):
        assert i18n._("Activity") == "处理过程"
        assert i18n.ngettext("{count} alert", "{count} alerts", 3) == "{count} 条提醒"
    assert i18n.current() == "en"
    assert i18n.ngettext("{count} alert", "{count} alerts", 3) == "{count} alerts"
    assert i18n.ngettext("{count} alert", "{count} alerts", 1) == "{count} alert"


def test_an_engine_text_is_kept_without_words_and_read_in_either_language() -> None:
    said = Said.of(i18n.N_("{clock}: target {target} breached"), clock="First response", clock_zh="首次响应",
                   target="1h")
    assert said.stored() == {"text_key": "{clock}: target {target} breached",
                             "text_values": {"clock": "First response", "clock_zh": "首次响应", "target": "1h"}}
    assert said.text("en") == "First response: target 1h breached"
    assert said.text("zh") == "首次响应：目标 1h 已超时"
    opened = Said.of("Opened via {channel}", channel="phone").stored()
    assert stored_text(opened, "zh") == "通过电话受理"  # the channel is casefile's word: said in Chinese too
    assert stored_text(opened, "en") == "Opened via phone"


def test_an_old_record_says_what_it_said() -> None:
    assert stored_text({"text": "Opened via online"}, "zh") == "Opened via online"
    assert stored_text({}, "zh") == ""


def test_a_hand_edited_engine_text_is_shown_not_a_traceback() -> None:
    assert stored_text({"text_key": "Opened via {channel}", "text_values": {}}, "zh") == "Opened via {channel}"
    assert stored_text({"text_key": "Opened via {channel}", "text_values": "phone"}, "en") == "Opened via {channel}"
    assert stored_text({"text_key": "a message of a later casefile {x}", "text_values": {"x": "1"}}, "zh") == \
        "a message of a later casefile 1"


def test_deferred_words_are_made_in_the_language_spoken_when_shown() -> None:
    words = Deferred(lambda: i18n._("Activity"))
    assert str(words) == "Activity"
    with speaking("zh"):
        assert str(words) == "处理过程"
