"""Reading the State Council General Office's annual notice of official days off and make-up working days
(国务院办公厅关于YYYY年部分节假日安排的通知), for `casefile calendar import-notice`.

Pure: text in, a `Notice` out, or `NoticeError` naming the sentence that could not be read.  Nothing is
guessed: a day off or a working day comes only from a sentence read completely, and every sentence of a
numbered item must be read completely or the whole notice is refused.

The notice has kept one structure for years (2024, 2025 and 2026 are the fixtures of the tests):

* the title, 国务院办公厅关于2026年部分节假日安排的通知 — text before it (a web page's header, a news
  agency's lead) is not part of the notice; a title naming another year is refused;
* a preamble (the document number 国办发明电〔2025〕7号, the salutation, in 2025 the principles of the
  revised holiday rules) that ends with the sentence that introduces the arrangement,
  现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。 — its year
  must be the title's, and its festivals must be exactly those of the numbered items;
* the numbered items, 一、元旦：… 七、国庆节：…, numbered in order; each sentence of an item is one of

  - days off: ``1月1日（周四）至3日（周六）放假调休，共3天``; ``5月31日（周六）至6月2日（周一）放假，共3天``
    (a range across a month); ``1月1日（周三）放假1天，不调休``; ``1月1日放假，与周末连休`` (2024); a range
    ``2月10日至17日`` without weekdays; ``2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）``
    with lunar dates; ``2018年12月30日至2019年1月1日`` with years (a New Year that starts in December);
  - working days: ``2月14日（周六）、2月28日（周六）上班`` — make-up working days (调休), each a
    Saturday or a Sunday;
  - an encouragement, ``鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息`` (2024): not an
    official day off, reported as a note;

* the closing text (节假日期间，各地区、各部门要妥善安排好值班…), which must name no date, and the
  signature: 国务院办公厅 and the day it was signed.  Text after the signature is not part of the notice.

Checked besides: every date exists and lies in the notice's year (or, written with its year, in the
December before); a weekday written beside a date (周四, 星期日) is that date's weekday; ``共N天`` and
``放假N天`` count the range's days; ``与周末连休`` days adjoin a weekend; ``不调休`` comes with no 上班; no day
is listed twice, or both off and working.  Lunar dates (农历除夕, 正月初七) are read for their form only:
the standard library has no lunar calendar to check them against.

ASCII punctuation and full-width digits, as web pages copy them, are read as the notice's full-width
punctuation and digits; spaces are ignored.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct

WEEKDAY_ZH = "一二三四五六日"
WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMERALS = "一二三四五六七八九十"

_CANONICAL = str.maketrans({
    "(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "[": "〔", "]": "〕",
    " ": None, "\t": None, "\u3000": None, "\u00a0": None, "\ufeff": None,
    **{chr(0xFF10 + n): str(n) for n in range(10)},
})
_TITLE = re.compile(r"国务院办公厅关于(\d{4})年部分节假日安排的通知")
_INTRO = re.compile(r"现将(\d{4})年(.+?)放假调休日期的具体安排通知如下。")
_DOCUMENT = re.compile(r"国办发明电〔(\d{4})〕(\d+)号")
_ITEM = re.compile(rf"^([{NUMERALS}]{{1,3}})、([^：。]{{1,20}})：(.*)$")
_ITEM_SPLIT = re.compile(rf"(?<=。)(?=[{NUMERALS}]{{1,3}}、[^：。]{{1,20}}：)")
_SIGNED = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ANY_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_NOTE = r"(?:（(?P<{0}>[^（）]*)）)?"
_DAY = r"(?:(?P<{0}y>\d{{4}})年)?(?P<{0}m>\d{{1,2}})月(?P<{0}d>\d{{1,2}})日" + _NOTE.format("{0}n")
_END = r"(?:(?:(?P<{0}y>\d{{4}})年)?(?P<{0}m>\d{{1,2}})月)?(?P<{0}d>\d{{1,2}})日" + _NOTE.format("{0}n")
_OFF = re.compile(
    "^" + _DAY.format("a") + "(?:至" + _END.format("b") + ")?"
    + r"放假(?P<shift>调休)?(?:(?P<count1>\d+)天)?(?:，共(?P<count2>\d+)天)?(?:，(?P<rule>不调休|与周末连休))?$"
)
_ONE_DAY_RE = re.compile("^" + _DAY.format("a") + "$")
_WORK = re.compile(r"^(?P<days>.+)上班$")
_ENCOURAGED = re.compile(r"^鼓励.+休息$")
_ENCOURAGED_DAY = re.compile(r"(?:在(?P<what>[^（），]{1,6}))?（(?P<m>\d{1,2})月(?P<d>\d{1,2})日）")
_WEEKDAY = re.compile(r"^(?:周|星期)([一二三四五六日天])$")
_LUNAR_NUMBER = r"(?:初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)"
_LUNAR = re.compile(rf"^农历(?:除夕|(?:正|腊|冬|闰?[一二三四五六七八九十]{{1,2}})月{_LUNAR_NUMBER})$")

IMPORT_HINT = "nothing was written; compare the text with the notice on www.gov.cn and correct it"


class NoticeError(CasefileError):
    """A notice casefile cannot read completely: the sentence, and why."""

    def __init__(self, sentence: str | None, why: str) -> None:
        where = f"cannot read this sentence of the notice: 「{sentence}」: " if sentence else "cannot read the notice: "
        super().__init__(where + why, IMPORT_HINT)
        self.sentence = sentence
        self.why = why


class Festival(Struct, frozen=True):
    """One numbered item of a notice: its days off and make-up working days, as read."""

    number: int
    name: str  # as written: 春节, 国庆节、中秋节
    days_off: tuple[date, ...]
    working_days: tuple[date, ...]
    notes: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(part for part in self.name.split("、") if part)


class Notice(Struct, frozen=True):
    """A notice read completely."""

    year: int
    title: str
    festivals: tuple[Festival, ...]
    document: str | None = None  # 国办发明电〔2025〕7号
    signed: date | None = None

    @property
    def days_off(self) -> dict[date, str]:
        return {day: festival.name for festival in self.festivals for day in festival.days_off}

    @property
    def working_days(self) -> dict[date, str]:
        return {day: festival.name for festival in self.festivals for day in festival.working_days}

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(note for festival in self.festivals for note in festival.notes)


def read_notice(text: str) -> Notice:
    """The notice in `text`, read completely, or `NoticeError` naming what could not be read."""
    lines = [line.translate(_CANONICAL) for line in text.splitlines()]
    lines = [line for line in lines if line]
    intro_at, intro = _intro(lines)
    year = int(intro[1])
    # The preamble: the title may be set on two lines (国务院办公厅关于2024年 / 部分节假日安排的通知).
    preamble = "".join(lines[:intro_at]) + lines[intro_at][: intro.start()]
    title = _title(preamble, year)
    found = _DOCUMENT.search(preamble)
    document = found[0] if found else None
    rest = lines[intro_at][intro.end():]
    paragraphs = _paragraphs(([rest] if rest else []) + lines[intro_at + 1:])
    festivals: list[Festival] = []
    seen: dict[date, str] = {}
    index = 0
    while index < len(paragraphs) and _ITEM.match(paragraphs[index]):
        festivals.append(_festival(paragraphs[index], len(festivals) + 1, year, seen))
        index += 1
    if not festivals:
        raise NoticeError(intro[0], _("no numbered items (一、元旦：…) follow it"))
    signed = _closing(paragraphs[index:])
    _same_festivals(intro[0], intro[2], festivals)
    return Notice(year, title, tuple(festivals), document, signed)


# -- the parts -------------------------------------------------------------------


def _intro(lines: list[str]) -> tuple[int, re.Match[str]]:
    found = [(at, match) for at, line in enumerate(lines) for match in _INTRO.finditer(line)]
    if not found:
        if not any(_TITLE.search(line) for line in lines):
            raise NoticeError(None, _("no title 国务院办公厅关于YYYY年部分节假日安排的通知 in the text; give the notice's whole text, from its title to its signature"))
        raise NoticeError(None, _("the sentence that introduces the arrangement (现将YYYY年…放假调休日期的具体安排通知如下。) is missing"))
    if len(found) > 1:
        raise NoticeError(found[1][1][0], _("a second arrangement: give one notice at a time"))
    return found[0]


def _title(preamble: str, year: int) -> str:
    titles = list(_TITLE.finditer(preamble))
    if not titles:
        raise NoticeError(None, _("no title 国务院办公厅关于YYYY年部分节假日安排的通知 before the arrangement"))
    for match in titles:
        if int(match[1]) != year:
            raise NoticeError(match[0], _("the title names {value}, the arrangement {year}").format(value=match[1], year=year))
    return titles[0][0]


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines joined where a sentence was wrapped (a line not ending in 。), then split before each item."""
    joined: list[str] = []
    for line in lines:
        starts_item = bool(_ITEM.match(line))
        if joined and not joined[-1].endswith("。") and not starts_item and not _SIGNED.match(line) \
                and not _SIGNED.match(joined[-1]) and "国务院办公厅" not in (line, joined[-1]):
            joined[-1] += line
        else:
            joined.append(line)
    result: list[str] = []
    for paragraph in joined:
        result += [part for part in _ITEM_SPLIT.split(paragraph) if part]
    return result


def _sentences(text: str) -> list[str]:
    return [part for part in text.split("。") if part]


def _festival(paragraph: str, expected: int, year: int, seen: dict[date, str]) -> Festival:
    match = _ITEM.match(paragraph)
    assert match is not None
    number, name, body = _numeral(match[1]), match[2], match[3]
    head = f"{match[1]}、{name}"
    if number != expected:
        raise NoticeError(head, _("item {value} where item {to_numeral} belongs").format(value=match[1], to_numeral=_to_numeral(expected)))
    if not re.fullmatch(r"[\u3400-\u9fff]+(?:、[\u3400-\u9fff]+)*", name):
        raise NoticeError(head, _("the festival's name is not Chinese text"))
    days_off: list[date] = []
    working: list[date] = []
    notes: list[str] = []
    no_makeup = False
    for sentence in _sentences(body):
        off = _OFF.match(sentence)
        if off:
            days, rule = _days_off(sentence, off, year)
            no_makeup = no_makeup or rule == "不调休"
            for day in days:
                _claim(sentence, day, "off", seen)
            days_off += days
            continue
        work = _WORK.match(sentence)
        if work:
            for day in _working_days(sentence, work["days"], year):
                _claim(sentence, day, "working", seen)
                working.append(day)
            continue
        if _ENCOURAGED.match(sentence):
            notes.append(_encouraged(sentence, year))
            continue
        raise NoticeError(sentence, _("it is neither a day-off sentence (…放假…), a working-day sentence (…上班) nor an encouragement (鼓励…休息)"))
    if not days_off:
        raise NoticeError(head, _("the item names no days off"))
    if no_makeup and working:
        raise NoticeError(head, _("it says 不调休 (no make-up days) and lists 上班 days"))
    return Festival(number, name, tuple(days_off), tuple(working), tuple(notes))


def _claim(sentence: str, day: date, what: str, seen: dict[date, str]) -> None:
    earlier = seen.get(day)
    if earlier is not None:
        both = "listed twice" if earlier == what else "both a day off and a working day"
        raise NoticeError(sentence, _("{zh} is {both}").format(zh=_zh(day), both=both))
    seen[day] = what


def _days_off(sentence: str, match: re.Match[str], year: int) -> tuple[list[date], str | None]:
    first = _date(sentence, match["ay"], match["am"], match["ad"], year)
    _note(sentence, first, match["an"])
    last = first
    if match["bd"] is not None:
        month = match["bm"] or str(first.month)
        last = _date(sentence, match["by"] or (str(first.year) if not match["bm"] else None), month, match["bd"], year)
        _note(sentence, last, match["bn"])
        if last < first:
            raise NoticeError(sentence, _("the range ends ({zh}) before it starts ({zh2})").format(zh=_zh(last), zh2=_zh(first)))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    said = match["count1"] or match["count2"]
    if match["count1"] and match["count2"] and match["count1"] != match["count2"]:
        raise NoticeError(sentence, _("it gives two different numbers of days"))
    if said is not None and int(said) != len(days):
        raise NoticeError(sentence, _("{zh}–{zh2} is {count} day(s), the sentence says {said}").format(zh=_zh(first), zh2=_zh(last), count=len(days), said=said))
    rule = match["rule"]
    if rule == "与周末连休":
        adjoins = (first - timedelta(days=1)).weekday() == 6 or (last + timedelta(days=1)).weekday() == 5
        if not adjoins:
            raise NoticeError(sentence, _("与周末连休, but the days off do not adjoin a weekend"))
    return days, rule


def _working_days(sentence: str, text: str, year: int) -> list[date]:
    days = []
    for part in text.split("、"):
        match = _ONE_DAY_RE.match(part)
        if match is None:
            raise NoticeError(sentence, _("「{part}」 is not a date like 2月14日（周六）").format(part=part))
        day = _date(sentence, match["ay"], match["am"], match["ad"], year)
        _note(sentence, day, match["an"])
        if day.weekday() < 5:
            raise NoticeError(sentence, _("{zh} is a {value}: a make-up working day (上班) is a Saturday or a Sunday").format(zh=_zh(day), value=WEEKDAY_EN[day.weekday()]))
        days.append(day)
    return days


def _encouraged(sentence: str, year: int) -> str:
    found = _ENCOURAGED_DAY.search(sentence)
    if found is None:
        return f"encouraged, not an official day off: {sentence}"
    day = _date(sentence, None, found["m"], found["d"], year)
    what = f" ({found['what']})" if found["what"] else ""
    return f"encouraged, not an official day off: {day.isoformat()}{what} — {sentence}"


def _closing(paragraphs: list[str]) -> date | None:
    """The closing text names no date; the signature's date is kept; nothing after it is read."""
    for index, paragraph in enumerate(paragraphs):
        if paragraph == "国务院办公厅":
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
            signed = _SIGNED.match(following)
            if signed:
                try:
                    return date(int(signed[1]), int(signed[2]), int(signed[3]))
                except ValueError:
                    raise NoticeError(following, _("the signature's date does not exist")) from None
            return None
        if _ITEM.match(paragraph):
            raise NoticeError(paragraph[:40], _("a numbered item after the closing text"))
        for sentence in _sentences(paragraph):
            if _ANY_DATE.search(sentence):
                raise NoticeError(sentence, _("the closing text names a date, and casefile cannot tell whether it is a day off or a working day"))
    return None


def _same_festivals(intro: str, listed: str, festivals: list[Festival]) -> None:
    named = {part for part in re.split(r"[、和及]", listed) if part}
    items = {name for festival in festivals for name in festival.names}
    if named != items:
        missing = sorted(named - items)
        extra = sorted(items - named)
        words = []
        if missing:
            words.append(f"{'、'.join(missing)} has no item")
        if extra:
            words.append(f"the items name {'、'.join(extra)}, which it does not")
        raise NoticeError(intro, "; ".join(words))


# -- dates --------------------------------------------------------------------------


def _date(sentence: str, year_text: str | None, month: str, day: str, year: int) -> date:
    when = int(year_text) if year_text else year
    try:
        found = date(when, int(month), int(day))
    except ValueError:
        raise NoticeError(sentence, _("{value}{month}月{day}日 is not a date in {when}").format(value=year_text + '年' if year_text else '', month=int(month), day=int(day), when=when)) from None
    if found.year != year and not (year_text and found.year == year - 1 and found.month == 12):
        raise NoticeError(sentence, _("{zh} is not in {year} (or, written with its year, in the December before)").format(zh=_zh(found), year=year))
    return found


def _note(sentence: str, day: date, note: str | None) -> None:
    """What is written in brackets beside a date: its weekday, and its lunar date, each checked or read."""
    if note is None:
        return
    for part in note.split("、"):
        weekday = _WEEKDAY.match(part)
        if weekday:
            written = WEEKDAY_ZH.index("日" if weekday[1] == "天" else weekday[1])
            if written != day.weekday():
                raise NoticeError(sentence, _("{zh} is a {value} (周{value2}), not {part}").format(zh=_zh(day), value=WEEKDAY_EN[day.weekday()], value2=WEEKDAY_ZH[day.weekday()], part=part))
        elif not _LUNAR.match(part):
            raise NoticeError(sentence, _("「（{note}）」 beside {zh} is neither a weekday (周四) nor a lunar date (农历正月初七)").format(note=note, zh=_zh(day)))


def _zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _numeral(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUMERALS.index(text[1]) + 1
    if len(text) == 1:
        return NUMERALS.index(text) + 1
    tens = NUMERALS.index(text[0]) + 1
    return tens * 10 + (NUMERALS.index(text[2]) + 1 if len(text) == 3 else 0)


def _to_numeral(number: int) -> str:
    if number <= 10:
        return NUMERALS[number - 1]
    if number < 20:
        return "十" + NUMERALS[number - 11]
    return NUMERALS[number // 10 - 1] + "十" + (NUMERALS[number % 10 - 1] if number % 10 else "")
