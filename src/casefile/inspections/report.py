"""The system running-status report (`系统运行状态报告`, seed 001) of one inspection.

Rendered from the template `inspection-report.md` (packaged in `templates/`,
overridable by the case repository's own `templates/inspection-report.md`).
The context holds the inspection, the customer, the checklist with labels,
the customer's assets, and the cases the customer opened in the inspection's
period, so the report says how the system ran between visits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casefile.render import templates

TEMPLATE = "inspection-report.md"


def render_report(root: Path, context: dict[str, Any]) -> str:
    """The report of `InspectionWork.report_context`, from the desk's template or the packaged one."""
    return templates.render(root, TEMPLATE, context, markdown=True)
