"""The JSON shape of a report (README "Reports: JSON"), which the templates render too.

Generic over the kinds' value classes: a value is an object of its fields;
a time is ISO 8601 with its offset in the desk's zone; a day is `YYYY-MM-DD`;
a duration is `{"seconds": 6000, "text": "1h40m"}` (working time, computed
to the second, shown to the minute); a share is `{"part": 3, "whole": 4,
"share": 0.75}` (`share` is null when `whole` is 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from enum import Enum
from typing import Any

from casefile.i18n import Deferred
from casefile.reports.model import Report, Share
from casefile.reports.period import Period
from casefile.sla.views import minutes
from casefile.values import is_value
from casefile.worktime.clock import format_instant

SCHEMA_VERSION = 1


_AS_IS = frozenset({str, int, float, bool, type(None)})  # exactly these types (a subclass goes on below)


def plain(value: Any, zone: tzinfo) -> Any:
    if type(value) in _AS_IS:  # most of a report's 200,000 values over three years: first, and cheaply
        return value
    if isinstance(value, Deferred):
        return str(value)  # in the language the report is rendered in (formats.render)
    if isinstance(value, Share):
        share = value.value
        return {"part": value.part, "whole": value.whole, "share": None if share is None else round(share, 4)}
    if isinstance(value, Period):
        return period_json(value)
    if is_value(value):
        return {name: plain(getattr(value, name), zone) for name in value.__struct_fields__}
    if isinstance(value, datetime):
        return format_instant(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return {"seconds": int(value.total_seconds()), "text": minutes(value)}
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v, zone) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        return [plain(item, zone) for item in value]
    return value


def period_json(period: Period) -> dict[str, Any]:
    return {
        "from": period.first_day.isoformat(),
        "to": period.last_day.isoformat(),
        "month": period.month,
        "label": period.label,
    }


def report_json(report: Report, zone: tzinfo) -> dict[str, Any]:
    head = report.header
    result: dict[str, Any] = {
        "report": str(head.kind),
        "version": SCHEMA_VERSION,
        "desk": head.desk,
        "period": period_json(head.period),
        "customer": {"id": head.customer, "name": head.customer_name} if head.customer else None,
        "generated_at": format_instant(head.generated_at, zone),
        "skipped": plain(head.skipped, zone),
        "counted_with": plain(head.counted_with, zone),
    }
    body = plain(report.body, zone)
    assert isinstance(body, dict)
    result.update(body)
    return result
