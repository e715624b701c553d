"""Finding records by Chinese and English words (pure)."""

from __future__ import annotations

from casefile.kb.textmatch import Searchable, match, ranked, terms_of

PRINTER = Searchable(
    title="HP M607 shows E-04",
    tags=["printer", "fuser"],
    lists=["HP LaserJet M607"],
    text=["3楼打印机显示E-04，队列卡住。", "Replace the fuser unit."],
)
VPN = Searchable(title="VPN profile rejected", tags=["vpn"], text=["Windows 11 24H2 拒绝旧的配置文件"])


def test_a_chinese_word_is_found_inside_a_sentence() -> None:
    assert match(terms_of("打印机"), PRINTER) is not None
    assert match(terms_of("打印机"), VPN) is None


def test_an_english_tag_scores_above_a_word_in_the_text() -> None:
    as_tag = match(terms_of("PRINTER"), PRINTER)
    assert as_tag is not None and as_tag.fields == ("tags",)
    in_text = match(terms_of("unit"), PRINTER)
    assert in_text is not None and as_tag.score > in_text.score


def test_every_word_must_match_and_the_best_comes_first() -> None:
    assert match(terms_of("打印机 vpn"), PRINTER) is None
    hits = ranked(terms_of("e-04"), [("vpn", VPN), ("printer", PRINTER)])
    assert [key for key, _ in hits] == ["printer"]
    assert [key for key, _ in ranked(terms_of("配置"), [("printer", PRINTER), ("vpn", VPN)])] == ["vpn"]
