"""What an article is (kb/model.py): its slug, the cases it lists, and its schema."""

from __future__ import annotations

import pytest

from casefile.kb.model import BadSlug, article_problems, check_slug, list_case, slugify


def test_slugs_from_titles_and_what_a_slug_may_be() -> None:
    assert slugify("HP M607 shows E-04 (fuser)") == "hp-m607-shows-e-04-fuser"
    assert slugify("打印机卡纸") == ""  # no Latin letters: the caller asks for --slug
    assert check_slug(" printer-e04 ") == "printer-e04"
    with pytest.raises(BadSlug):
        check_slug("Printer E04")


def test_an_article_lists_each_case_once() -> None:
    data: dict[str, object] = {"id": "printer-e04", "title": "E-04", "status": "published"}
    assert list_case(data, "KMT-00417") and not list_case(data, "KMT-00417")
    assert data["cases"] == ["KMT-00417"]
    assert article_problems(data, "printer-e04") == []
    assert [p.message for p in article_problems({**data, "cases": "KMT-00417"}, "printer-e04")] == [
        "cases must be a list of text"]
