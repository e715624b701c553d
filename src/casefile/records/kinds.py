"""The record kinds beside cases — customers, inspections, surveys, articles — for `validate`.

Each kind has a folder and a schema check; `problems_of` picks the check by
path.  The policy sections these kinds read (`inspections:`, `surveys:`) are
checked with the policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casefile.index.catalog import record_files
from casefile.inspections.checklists import checklists_from_policy
from casefile.customers.model import CUSTOMERS_DIR, customer_problems
from casefile.inspections.model import INSPECTIONS_DIR, inspection_problems
from casefile.inspections.plan import inspection_defaults, plan_problems
from casefile.kb.model import KB_DIR, article_problems
from casefile.policy.model import Policy
from casefile.records.problems import Problem
from casefile.surveys.model import SURVEYS_DIR, survey_problems
from casefile.policy.surveys import survey_policy
from casefile.records.yamlio import RecordError

FOLDERS = (CUSTOMERS_DIR, INSPECTIONS_DIR, SURVEYS_DIR, KB_DIR)


def is_kind_path(path: str) -> bool:
    return path.endswith(".md") and path.split("/", 1)[0] in FOLDERS and "/" in path


def kind_files(root: Path) -> Iterator[Path]:
    for folder in FOLDERS:
        yield from record_files(root, folder)


def check_policy_sections(policy: Policy) -> None:
    """Raise RecordError if the `inspections:` or `surveys:` section cannot be read."""
    inspection_defaults(policy.raw, policy.source)
    checklists_from_policy(policy.raw, policy.source)
    survey_policy(policy.raw, list(policy.levels), policy.source)


def _scale(policy: Policy | None) -> list[str]:
    if policy is None:
        return []
    try:
        return [answer.key for answer in survey_policy(policy.raw, (), policy.source).scale]
    except RecordError:
        return []


def problems_of(path: str, data: dict[str, Any], policy: Policy | None) -> list[Problem]:
    """Schema problems of a customer, inspection, survey or article at `path`."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    folder = path.split("/", 1)[0]
    if folder == CUSTOMERS_DIR:
        calendars = list(policy.raw.get("calendars") or {}) if policy else []
        problems = customer_problems(data, stem, calendars)
        if data.get("inspection_plan") is not None:
            problems += plan_problems(data["inspection_plan"])
        return problems
    if folder == INSPECTIONS_DIR:
        return inspection_problems(data, stem)
    if folder == SURVEYS_DIR:
        return survey_problems(data, stem, _scale(policy))
    return article_problems(data, stem)
