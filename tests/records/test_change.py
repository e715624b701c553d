"""One commit message builder (records/change.py): `Casefile-Action` first, then the record, then the rest."""

from __future__ import annotations

from casefile.records.change import Change, CommitMessage
from casefile.records.kinds import CASES, INSPECTIONS, SURVEYS


def test_a_record_commit_names_the_record_first_in_its_subject_and_its_trailers() -> None:
    message = CommitMessage.for_record(CASES, "KMT-00417", "closed, confirmed by Zhang Wei", "close",
                                       {"Casefile-Survey": "SV-KMT-00417"}, "Customer confirmed by phone.")
    assert message.text() == (
        "KMT-00417: closed, confirmed by Zhang Wei\n\nCustomer confirmed by phone.\n\n"
        "Casefile-Action: close\nCasefile-Case: KMT-00417\nCasefile-Survey: SV-KMT-00417\n"
    )


def test_the_record_is_named_once_and_an_empty_paragraph_is_left_out() -> None:
    message = CommitMessage.for_record(CASES, "KMT-00417", "note", "note", [("Casefile-Case", "KMT-00417")], "  ")
    assert message.text() == "KMT-00417: note\n\nCasefile-Action: note\nCasefile-Case: KMT-00417\n"


def test_a_scope_other_than_the_id_stays_in_the_subject_only() -> None:
    from casefile.records.kinds import REPORTS

    message = CommitMessage.for_record(REPORTS, "2026-11/monthly", "issue the monthly bulletin for 2026-11",
                                       "issue-bulletin", scope="reports")
    assert message.subject == "reports: issue the monthly bulletin for 2026-11"
    assert message.trailers == (("Casefile-Report", "2026-11/monthly"),)


def test_several_records_of_a_kind_are_named_by_the_folder_and_each_trailer() -> None:
    one = CommitMessage.for_records(INSPECTIONS, ["acme-sz-2026-Q4"], "planned inspection", "inspect-schedule")
    assert one.subject == "acme-sz-2026-Q4: planned inspection"
    many = CommitMessage.for_records(SURVEYS, ["SV-a-2026-Q4", "SV-b-2026-Q4"], "schedule 2 surveys", "survey-schedule")
    assert many.subject == "surveys: schedule 2 surveys"
    assert many.text().endswith("Casefile-Action: survey-schedule\nCasefile-Survey: SV-a-2026-Q4\n"
                                "Casefile-Survey: SV-b-2026-Q4\n")


def test_a_change_collects_what_went_with_it() -> None:
    step = Change("resolve", "resolved (service restored)", detail="Replaced the fuser.")
    both = step.with_({"Casefile-Article": "printer-e04"}, ["linked article printer-e04"])
    assert (both.action, both.words, both.detail) == (step.action, step.words, step.detail)
    assert both.trailers == (("Casefile-Article", "printer-e04"),)
    assert both.notes == ("linked article printer-e04",)
