"""The pure part of paging: pages as a case records them, whom the next page goes to, a page's words."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from casefile.oncall.model import Page, choose_next, page_text, paged_of, waiting_chains

SHANGHAI = ZoneInfo("Asia/Shanghai")
CSE, SUP = "customer-service-engineer", "technical-support-supervisor"


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-10-03T{hhmm}:00+08:00")


def event(hhmm: str, kind: str, by: str = "check", **fields: object) -> dict:
    return {"at": at(hhmm).isoformat(), "by": by, "kind": kind, "fields": fields}


CASE = {"events": [
    event("02:10", "opened", by="wang.fang"),
    event("02:40", "ladder", key=f"ladder/{CSE}", paged=[{"to": "ma.qiang", "role": CSE, "channel": "duty-dingtalk"}],
          fired_at=at("02:40").isoformat()),
    event("02:40", "breach", key="breach/onsite"),  # mailed, nobody paged
    event("02:50", "paged", key=f"page/ladder/{CSE}/2", alert=f"ladder/{CSE}", to="ma.qiang", role=CSE,
          channel="duty-dingtalk"),
]}
LINE = (("ma.qiang", CSE), ("zhao.lei", CSE), ("zhou.min", SUP))


def test_the_pages_of_a_case_are_read_from_its_events() -> None:
    paged = paged_of(CASE)
    assert [(p.key, p.to, p.number) for p in paged.pages] == [
        (f"ladder/{CSE}", "ma.qiang", 1), (f"page/ladder/{CSE}/2", "ma.qiang", 2)]
    assert paged.unacked() == paged.pages


def test_the_next_page_goes_to_the_same_person_resend_times_then_down_the_line() -> None:
    pages = list(paged_of(CASE).pages)
    (alert, due, chain), = waiting_chains(paged_of(CASE), timedelta(minutes=10))
    assert (alert, due) == (f"ladder/{CSE}", at("03:00"))
    assert choose_next(chain, 1, LINE, at("03:00")) == choose_next(pages, 1, LINE, at("03:00"))
    nxt = choose_next(pages, 1, LINE, at("03:00"))
    assert nxt is not None and (nxt.to, nxt.role, nxt.number, nxt.key) == ("zhao.lei", CSE, 3, f"page/ladder/{CSE}/3")
    assert choose_next(pages[:1], 1, LINE, at("02:50")).to == "ma.qiang"  # type: ignore[union-attr]
    assert choose_next(pages[:1], 0, LINE, at("02:50")).to == "zhao.lei"  # type: ignore[union-attr]
    everyone = [*pages, Page("k3", pages[0].alert, "zhao.lei", CSE, "x", at("03:00"), 3),
                Page("k4", pages[0].alert, "zhou.min", SUP, "x", at("03:10"), 4)]
    assert choose_next(everyone, 0, LINE, at("03:20")) is None  # the line is exhausted


def test_an_acknowledgement_takes_the_case() -> None:
    acked = {"events": [*CASE["events"], event("02:55", "acknowledged", by="ma.qiang")]}
    assert waiting_chains(paged_of(acked), timedelta(minutes=10)) == []
    assert paged_of(acked).unacked() == ()
    later = {"events": [*acked["events"], event("03:10", "ladder", key=f"ladder/{SUP}",
                                                paged=[{"to": "zhou.min", "role": SUP, "channel": "desk-wecom"}])]}
    assert [p.to for p in paged_of(later).unacked()] == ["zhou.min"]  # shown as waiting, never re-sent
    assert waiting_chains(paged_of(later), timedelta(minutes=10)) == []


def test_a_page_is_short_and_in_the_desks_language() -> None:
    zh = page_text("zh", "KMT-00417", "A", "acme-sz", "Core switch down at the Shenzhen data centre",
                   "升级至客户服务工程师", at("02:40"), at("02:52"), SHANGHAI, 2)
    assert zh == ("[A] KMT-00417 acme-sz Core switch down at the…: 升级至客户服务工程师（第2次，未确认），应于02:40，"
                  "已超12分钟。确认：casefile ack KMT-00417")
    en = page_text("en", "KMT-00417", "A", None, "Printer offline", "Service restored breached", at("02:40"),
                   at("04:05"), SHANGHAI)
    assert en == "[A] KMT-00417 Printer offline: Service restored breached, due 02:40, 1h25m overdue. ack: casefile ack KMT-00417"
    assert len(zh) < 140 and len(en) < 140


def test_after_a_handover_the_next_page_goes_to_the_holder_now_on_duty() -> None:
    pages = list(paged_of(CASE).pages)[:1]  # ma.qiang paged at 02:40; at 08:35 li.na has the day shift
    nxt = choose_next(pages, 1, (("li.na", CSE), ("zhou.min", SUP)), at("08:35"))
    assert nxt is not None and nxt.to == "li.na" and nxt.since == at("02:40")
