"""Issue 12, acceptance 4 (the parser): the State Council's notices of 2024, 2025 and 2026 read into exactly
chinese-calendar's days off and make-up working days; a sentence that cannot be read is refused by name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar
import pytest

from casefile.worktime.notice import NoticeError, read_notice
from casefile.worktime.officialdays import FESTIVALS

NOTICES = Path(__file__).parent / "notices"
REAL = (2024, 2025, 2026)


def text(year: int | str) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", REAL)
def test_a_real_notice_gives_exactly_the_packages_days(year: int) -> None:
    notice = read_notice(text(year))
    assert notice.year == year
    assert notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    # chinese-calendar lists every day off of a holiday, weekends inside it included, and the make-up days.
    assert set(notice.days_off) == {day for day in chinese_calendar.holidays if day.year == year}
    assert set(notice.working_days) == {day for day in chinese_calendar.workdays if day.year == year}
    # ... and names them for the same festival (2025's National Day item covers Mid-autumn too).
    for day, name in [*notice.days_off.items(), *notice.working_days.items()]:
        theirs = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day)
        assert theirs in {FESTIVALS[part] for part in name.split("、")}, (day, name, theirs)


def test_what_each_notice_says_besides() -> None:
    n2024, n2025, n2026 = (read_notice(text(year)) for year in REAL)
    assert (n2024.document, n2024.signed) == ("国办发明电〔2023〕7号", date(2023, 10, 25))
    assert (n2025.document, n2025.signed) == ("国办发明电〔2024〕12号", date(2024, 11, 12))
    assert (n2026.document, n2026.signed) == ("国办发明电〔2025〕7号", date(2025, 11, 4))
    # 2024: "1月1日放假，与周末连休" is one day off; the eve of the Spring Festival is only encouraged.
    assert n2024.festivals[0].days_off == (date(2024, 1, 1),)
    assert date(2024, 2, 9) not in n2024.days_off
    assert n2024.notes == ("encouraged, not an official day off: 2024-02-09 (除夕) — 鼓励各单位结合带薪年休假等"
                           "制度落实，安排职工在除夕（2月9日）休息",)
    # 2025: 不调休; a range across a month; one item for two festivals.
    assert [f.name for f in n2025.festivals] == ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"]
    assert n2025.festivals[4].days_off == (date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2))
    # 2026: lunar dates beside the Spring Festival's range, nine days.
    assert len(n2026.festivals[1].days_off) == 9 and n2026.festivals[1].working_days == (
        date(2026, 2, 14), date(2026, 2, 28))


def test_copies_from_web_pages_read_the_same() -> None:
    official = read_notice(text(2026))
    # ASCII punctuation, full-width digits, a news agency's lead before the title, a footer after the
    # signature, and a sentence wrapped over two lines.
    ascii_copy = text(2026).translate(str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "1": "１"}))
    copy = ("正在阅读：国务院办公厅关于2026年部分节假日安排的通知\n新华社北京11月4日电 国务院办公厅关于2026年部分节假日"
            "安排的通知，全文如下：\n" + ascii_copy.replace("放假调休,共9天。", "放假调休,\n共9天。") + "\n[ 责编：张倩 ]\n")
    again = read_notice(copy)
    assert (again.days_off, again.working_days, again.signed) == (official.days_off, official.working_days,
                                                                   official.signed)


def test_the_made_up_2027_fixture_reads() -> None:
    notice = read_notice(text("2027-made-up"))
    assert notice.year == 2027 and len(notice.days_off) == 28
    assert notice.festivals[4].days_off == (date(2027, 6, 9),)  # 放假1天，不调休 on a Wednesday
    assert sorted(notice.working_days) == [date(2027, 2, 20), date(2027, 5, 8), date(2027, 9, 26), date(2027, 10, 9)]


def test_a_new_year_that_starts_in_december() -> None:
    # How the 2019 notice wrote its New Year (the days of the December before, with their year).
    notice = read_notice(
        "国务院办公厅关于2019年部分节假日安排的通知\n"
        "经国务院批准，现将2019年元旦放假调休日期的具体安排通知如下。\n"
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
        "国务院办公厅\n2018年12月6日\n")
    assert notice.festivals[0].days_off == (date(2018, 12, 30), date(2018, 12, 31), date(2019, 1, 1))
    assert notice.festivals[0].working_days == (date(2018, 12, 29),)
    # Without its year, 12月30日 is read in 2019: the range would end before it starts.
    with pytest.raises(NoticeError, match="before it starts"):
        read_notice("国务院办公厅关于2019年部分节假日安排的通知\n现将2019年元旦放假调休日期的具体安排通知如下。\n"
                    "一、元旦：12月30日至1月1日放假调休，共3天。\n")


@pytest.mark.parametrize(
    ("old", "new", "sentence", "why"),
    [
        ("1月1日（周四）至3日（周六）", "1月1日（周五）至3日（周六）", "1月1日（周五）至3日（周六）放假调休，共3天",
         "2026年1月1日 is a Thursday (周四), not 周五"),
        ("共9天", "共8天", "2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共8天",
         "is 9 day(s), the sentence says 8"),
        ("5月9日（周六）上班。", "5月9日（周六）补班。", "5月9日（周六）补班", "neither a day-off sentence"),
        ("2月28日（周六）上班", "2月27日（周五）上班", "2月14日（周六）、2月27日（周五）上班",
         "2026年2月27日 is a Friday: a make-up working day (上班) is a Saturday or a Sunday"),
        ("七、国庆节", "八、国庆节", "八、国庆节", "item 八 where item 七 belongs"),
        ("推动错峰出行。", "推动错峰出行。12月31日下午放假半天。", "12月31日下午放假半天", "the closing text names a date"),
        ("2月14日（周六）、2月28日（周六）上班", "2月14日（周六）、2月14日（周六）上班",
         "2月14日（周六）、2月14日（周六）上班", "2026年2月14日 is listed twice"),
        ("9月25日（周五）", "9月31日（周五）", "9月31日（周五）至27日（周日）放假，共3天", "9月31日 is not a date in 2026"),
        ("农历腊月二十八", "阴历腊月二十八", "2月15日（阴历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天",
         "neither a weekday (周四) nor a lunar date"),
        ("关于2026年部分", "关于2025年部分", "国务院办公厅关于2025年部分节假日安排的通知", "the title names 2025"),
        ("5月1日（周五）至5日（周二）放假调休，共5天。", "5月1日（周五）至5日（周二）放假5天，不调休。",
         "四、劳动节", "不调休 (no make-up days) and lists 上班 days"),
        ("4月4日（周六）至6日（周一）放假，共3天", "4月6日（周一）放假，与周末连休，共1天",
         "4月6日（周一）放假，与周末连休，共1天", "neither a day-off sentence"),
        ("6月19日（周五）至21日（周日）放假，共3天", "6月17日（周三）放假，与周末连休",
         "6月17日（周三）放假，与周末连休", "do not adjoin a weekend"),
        ("10月10日（周六）上班", "2027年1月9日（周六）上班", "9月20日（周日）、2027年1月9日（周六）上班",
         "2027年1月9日 is not in 2026"),
        ("端午节、中秋节和国庆节", "端午节和国庆节", "现将2026年元旦、春节、清明节、劳动节、端午节和国庆节放假调休日期的具体安排通知如下。",
         "the items name 中秋节, which it does not"),
        ("　　三、清明节：4月4日（周六）至6日（周一）放假，共3天。\n", "　　三、清明节：\n", "三、清明节", "names no days off"),
    ],
)
def test_an_unreadable_or_wrong_sentence_is_refused_by_name(old: str, new: str, sentence: str, why: str) -> None:
    changed = text(2026)
    assert old in changed
    with pytest.raises(NoticeError) as refused:
        read_notice(changed.replace(old, new, 1))
    assert refused.value.sentence == sentence
    assert why in refused.value.why
    assert f"「{sentence}」" in str(refused.value) and "nothing was written" in str(refused.value)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("元旦：1月1日放假。", "no title"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）放假1天，不调休。", "is missing"),
        ("", "no title"),
    ],
)
def test_text_that_is_not_a_notice_is_refused(body: str, why: str) -> None:
    with pytest.raises(NoticeError, match=why):
        read_notice(body)
