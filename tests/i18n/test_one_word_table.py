"""One word table per concept (issue 18): a case's type, status and channel are named once (cases.vocabulary,
each name a message whose Chinese is in the catalog), and the terminal, the reports and the customer's pages
read them from there — a name changed in the catalog changes everywhere at once, and no module carries its
own Chinese for them."""

from __future__ import annotations

import ast

import pytest

from casefile import i18n
from casefile.cases.vocabulary import (
    CHANNEL_WORDS,
    STATUS_WORDS,
    TYPE_NAMES_ZH,
    TYPE_WORDS,
    document_word,
    type_zh,
    word,
)
from casefile.export.labels import value_label
from casefile.reports.render.labels import labels
from clihelp import ROOT


def test_a_name_translated_once_is_said_so_by_every_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalog says it differently, once (a copy: an installed catalog, read from the .mo, is read-only).
    real = i18n._catalog
    zh = {**dict(real("zh", i18n.DOMAIN)), "pending": "挂起", "request": "请求", "service request": "服务请求单",
          "online chat": "网上客服"}
    monkeypatch.setattr(i18n, "_catalog",
                        lambda lang, domain=i18n.DOMAIN: zh if (lang, domain) == ("zh", i18n.DOMAIN) else real(lang, domain))
    with i18n.speaking("zh"):
        assert word(STATUS_WORDS, "pending") == "挂起"  # the terminal
        assert word(TYPE_WORDS, "request") == "请求"
    assert labels("zh")["statuses"]["pending"] == "挂起"  # the reports
    assert labels("zh")["types"]["request"] == "服务请求单"
    assert labels("zh")["channels"]["online"] == value_label("zh", "online") == "网上客服"  # and the export
    assert value_label("zh", "request") == "服务请求单"


def test_the_one_copy_an_english_show_keeps_is_the_catalogs() -> None:
    """`incident 故障` beside an English type: a copy (no catalog read on an English `show`), equal to the catalog."""
    assert TYPE_NAMES_ZH == {code: i18n.translate(message, "zh") for code, message in TYPE_WORDS.items()}
    assert type_zh("request") == "服务请求" and type_zh("outage") == ""


def test_the_english_names_of_reports_and_pages_are_the_same_names() -> None:
    assert labels("en")["types"] == {"incident": "incident", "request": "service request",
                                     "consultation": "consultation", "complaint": "complaint"}
    assert labels("en")["channels"]["email"] == "e-mail" and value_label("en", "email") == "E-mail"
    assert value_label("en", "qq") == "QQ" and value_label("en", "incident") == "Incident"
    assert [labels("en")["statuses"][s] for s in STATUS_WORDS] == ["open", "pending", "resolved", "closed"]
    assert all(document_word("channels", code, "zh") for code in CHANNEL_WORDS)


@pytest.mark.parametrize("path", ["src/casefile/reports/render/labels.py", "src/casefile/export/labels.py"])
def test_no_word_table_carries_its_own_chinese_for_the_case_vocabulary(path: str) -> None:
    """故障 / 服务请求 / 处理中 ... as a type, status or channel name is written in the catalog only."""
    names = {i18n.translate(message, "zh") for table in (TYPE_WORDS, CHANNEL_WORDS) for message in table.values()}
    names |= {i18n.translate(message, "zh") for message in STATUS_WORDS.values()}
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    tables = [node for node in ast.walk(tree) if isinstance(node, ast.Dict)]
    found = set()
    for table in tables:
        keys = {k.value for k in table.keys if isinstance(k, ast.Constant)}
        if keys and keys <= set(TYPE_WORDS) | set(CHANNEL_WORDS) | set(STATUS_WORDS):  # a table of such names
            found |= {v.value for v in table.values if isinstance(v, ast.Constant) and v.value in names}
    assert found == set()
