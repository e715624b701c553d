"""The inline SVG charts of HTML reports, as geometry: bars with their places and labels.

Pure: from a report's JSON shape to `Chart` values the templates draw with
`<rect>` and `<text>` (no script, no external file, so the HTML stays one
self-contained file).  Volume per day (monthly, stats), compliance per level
(sla, desk), score distribution (engineers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from casefile.values import Struct

WIDTH = 640
HEIGHT = 180
LEFT, BOTTOM, TOP = 36, 24, 16


class Bar(Struct, frozen=True):
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar
    value: str  # above the bar, and the tooltip
    tone: str  # css class: "bar", "good", "bad"


class Tick(Struct, frozen=True):
    y: float
    text: str


class Chart(Struct, frozen=True):
    title: str
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def _columns(title: str, items: Sequence[tuple[str, float, str, str]], top: float, percent: bool = False) -> Chart:
    """Vertical bars: (label, value, value text, tone); `top` is the value of the full height."""
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(items), 1)
    gap = min(6.0, slot * 0.2)
    bars = []
    for index, (label, value, text, tone) in enumerate(items):
        height = plot_h * (value / top) if top else 0.0
        bars.append(Bar(round(LEFT + index * slot + gap / 2, 1), round(TOP + plot_h - height, 1),
                        round(slot - gap, 1), round(height, 1), label, text, tone))
    # 0, the top, and the middle when it is a whole number (counts) or a percentage.
    shares = (0.0, 0.5, 1.0) if percent or (top >= 2 and top % 2 == 0) else (0.0, 1.0)
    ticks = tuple(
        Tick(round(TOP + plot_h - plot_h * share, 1), f"{round(top * share)}{'%' if percent else ''}")
        for share in shares
    )
    return Chart(title, WIDTH, HEIGHT, TOP + plot_h, tuple(bars), ticks)


def per_day(title: str, days: Sequence[Mapping[str, Any]]) -> Chart:
    peak = max((int(d["count"]) for d in days), default=0)
    top = max(peak, 1)
    step = 1 if len(days) <= 16 else 2 if len(days) <= 31 else max(len(days) // 15, 1)
    items = [
        (str(d["day"])[8:10] if i % step == 0 else "", float(d["count"]), str(d["count"]) if d["count"] else "", "bar")
        for i, d in enumerate(days)
    ]
    return _columns(title, items, top)


def compliance(title: str, rows: Sequence[Mapping[str, Any]], key: str = "compliance") -> Chart:
    items = []
    for row in rows:
        share = row[key]["share"]
        value = 0.0 if share is None else share * 100
        text = "—" if share is None else f"{value:.0f}%"
        tone = "bar" if share is None else "good" if share >= 0.9 else "bad"
        items.append((str(row["level"]), value, text, tone))
    return _columns(title, items, 100, percent=True)


def distribution(title: str, bins: Sequence[Mapping[str, Any]], pass_mark: float) -> Chart:
    top = max(max((int(b["count"]) for b in bins), default=0), 1)
    items = [
        (f"{b['low']}–{b['high']}", float(b["count"]), str(b["count"]) if b["count"] else "",
         "bad" if b["high"] <= pass_mark else "good")
        for b in bins
    ]
    return _columns(title, items, top)


def charts_for(kind: str, report: Mapping[str, Any], t: Mapping[str, Any]) -> dict[str, Chart]:
    if kind in ("monthly", "stats"):
        return {"per_day": per_day(t["volume_per_day"], report["per_day"])}
    if kind == "sla":
        return {"per_level": compliance(t["per_level"], report["levels"])}
    if kind == "desk":
        return {"per_level": compliance(t["answered_in_time_per_level"], report["per_level"], "answered_in_time")}
    if kind == "engineers":
        return {"distribution": distribution(t["score_distribution"], report["distribution"], report["pass_mark"])}
    return {}
