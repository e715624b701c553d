"""Availability of the customers' systems (可用性管理): outage minutes per device and month.

Pure.  An outage is a level A or B incident on a device (`asset:` of the case): from its opening to
its restore (`resolved_at`; still running: to now), clipped to the period.  The outages of one
device are merged where they overlap (two callers reporting the same switch down are one outage),
so no minute counts twice; a device replaced since (`replaced_by`) counts for the device that
replaced it — the system it is part of is the same.  Availability % = 1 − outage / period, over calendar time (the system
runs day and night); a period still running counts to now.  The target is the customer's contract
`availability:` (a percentage, e.g. 99.9) where one is set: every in-service device of that
customer is listed, with or without an outage, and met or not; without a target only the devices
that had an outage are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.reports.period import Period
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

MAJOR_LEVELS = ("A", "B")


class Outage(Struct, frozen=True):
    case: str
    level: str
    start: datetime  # within the period
    end: datetime
    minutes: int
    restored: bool  # False: still running at the end of the period


class SystemAvailability(Struct, frozen=True):
    customer: str
    customer_name: str | None
    serial: str
    model: str | None
    outage_minutes: int
    period_minutes: int
    availability: float  # percent, 3 decimals
    target: float | None  # percent, from the customer's contract
    met: bool | None  # None: no target
    outages: tuple[Outage, ...]


NOT_AN_OUTAGE: dict[str, Any] = {}  # the row of a case that is no outage (skipped inside the index)


def case_row(data: Mapping[str, Any], _body: str = "") -> dict[str, Any]:
    """The few fields of a case availability needs (kept in the index as a row); NOT_AN_OUTAGE for a case
    `build` would pass over, so a report reads the few A/B incidents of 100,000 cases, not every row."""
    row = {key: (str(data[key]) if data.get(key) not in (None, "") else None)
           for key in ("id", "level", "type", "customer", "asset", "opened_at", "resolved_at", "status")}
    return row if _outage(row) else NOT_AN_OUTAGE


def _outage(row: Mapping[str, Any]) -> bool:
    return row.get("level") in MAJOR_LEVELS and row.get("type") in (None, "incident")


def _when(text: Any) -> datetime | None:
    try:
        return parse_stored(str(text)) if text else None
    except ValueError:
        return None


def target_of(customer: Mapping[str, Any]) -> float | None:
    contract = customer.get("contract")
    value = contract.get("availability") if isinstance(contract, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def build(period: Period, now: datetime, cases: Sequence[Mapping[str, Any]],
          customers: Sequence[Mapping[str, Any]], customer: str | None = None) -> tuple[SystemAvailability, ...]:
    """`cases`: rows of `case_row` (any period: those overlapping it count); `customers`: their front matter."""
    start = period.start
    end = min(period.end, max(now, start))
    period_minutes = int((end - start).total_seconds() // 60)
    by_device: dict[tuple[str, str], list[Outage]] = {}
    for row in cases:
        if not _outage(row):
            continue
        if not row.get("asset") or not row.get("customer") or (customer and row.get("customer") != customer):
            continue
        opened, restored = _when(row.get("opened_at")), _when(row.get("resolved_at"))
        if opened is None:
            continue
        stop = restored or now
        begin, finish = max(opened, start), min(stop, end)
        if finish <= begin:
            continue
        by_device.setdefault((str(row["customer"]), str(row["asset"])), []).append(Outage(
            str(row.get("id")), str(row.get("level")), begin, finish, 0, restored is not None and restored <= end))
    info = {str(c.get("id")): c for c in customers}
    by_device = _to_current(by_device, info)
    wanted = set(by_device)
    for ident, data in info.items():
        if (customer and ident != customer) or target_of(data) is None:
            continue
        for asset in data.get("assets") or []:
            if isinstance(asset, Mapping) and asset.get("serial") and asset.get("status", "in-service") == "in-service":
                wanted.add((ident, str(asset["serial"])))
    result = []
    for key in sorted(wanted):
        ident, serial = key
        outages = sorted(by_device.get(key, []), key=lambda o: o.start)
        minutes = _merged_minutes(outages)
        data = info.get(ident, {})
        asset = next((a for a in data.get("assets") or [] if isinstance(a, Mapping) and str(a.get("serial")) == serial),
                     {})
        share = 100.0 if not period_minutes else round((1 - minutes / period_minutes) * 100, 3)
        target = target_of(data)
        result.append(SystemAvailability(
            ident, str(data.get("name")) if data.get("name") else None, serial,
            str(asset.get("model")) if asset.get("model") else None, minutes, period_minutes, share, target,
            None if target is None else share >= target,
            tuple(Outage(o.case, o.level, o.start, o.end, int((o.end - o.start).total_seconds() // 60), o.restored)
                  for o in outages)))
    return tuple(result)


def current_serial(assets: Sequence[Any], serial: str) -> str:
    """The device that stands for `serial` now: a replaced one is followed to its replacement (the
    switch whose MPU was swapped is the same system)."""
    by_serial = {str(a.get("serial")): a for a in assets if isinstance(a, Mapping)}
    seen = {serial}
    while (by_serial.get(serial) or {}).get("replaced_by") and str(by_serial[serial]["replaced_by"]) not in seen:
        serial = str(by_serial[serial]["replaced_by"])
        seen.add(serial)
    return serial


def _to_current(by_device: dict[tuple[str, str], list[Outage]],
                info: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str], list[Outage]]:
    moved: dict[tuple[str, str], list[Outage]] = {}
    for (ident, serial), outages in by_device.items():
        key = (ident, current_serial(info.get(ident, {}).get("assets") or [], serial))
        moved.setdefault(key, []).extend(outages)
    return moved


def _merged_minutes(outages: Sequence[Outage]) -> int:
    total, current_start, current_end = 0.0, None, None
    for outage in outages:
        if current_end is None or outage.start > current_end:
            if current_start is not None and current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = outage.start, outage.end
        else:
            current_end = max(current_end, outage.end)
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).total_seconds()
    return int(total // 60)
