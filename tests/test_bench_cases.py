"""The benchmark's generated cases are valid records, written as casefile writes them.

bench/ builds its repositories with the record model; if the model or the
schema changes, this test says so before a benchmark times invalid data.
"""

from __future__ import annotations

import sys
from collections import Counter

import pytest

from casefile.cases.schema import case_problems
from casefile.git.objects import blob_id
from casefile.policy.model import default_policy_text
from casefile.records.file import EditableRecord, read_plain
from clihelp import ROOT

BENCH = ROOT / "bench"


@pytest.fixture(scope="module")
def factory():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        from casegen import CaseFactory

        yield CaseFactory(400, 40, blob_id(default_policy_text().encode("utf-8")))
    finally:
        sys.path.remove(str(BENCH))


def test_generated_cases_validate_and_round_trip(factory) -> None:  # type: ignore[no-untyped-def]
    statuses: Counter[str] = Counter()
    for index in range(factory.count):
        case = factory.build(index)
        data, _body = read_plain(case.text, case.path)
        assert case_problems(data, ["A", "B", "C", "D"], case.case_id) == [], case.text
        assert EditableRecord.parse(case.text, case.path).render() == case.text
        assert case.path.startswith(f"cases/{case.opened_at:%Y}/{case.opened_at:%m}/")
        statuses[case.status] += 1
    assert {"open", "pending", "resolved", "closed"} <= set(statuses)
    assert 0.05 <= (statuses["open"] + statuses["pending"]) / factory.count <= 0.2


def test_the_same_size_gives_the_same_cases(factory) -> None:  # type: ignore[no-untyped-def]
    again = type(factory)(400, 40, factory.policy)
    assert [again.build(i).text for i in (0, 199, 399)] == [factory.build(i).text for i in (0, 199, 399)]
