"""Satisfaction surveys and complaints (issue 4, acceptance 2 and 4)."""

from __future__ import annotations

from pathlib import Path

from casefile.session import Session
from casefile.surveys.work import SurveyWork
from clihelp import CLI, GOLDEN_DIR, commit_count, git, is_clean
from recordhelp import changed_files, refused, trailers

GOLDEN = GOLDEN_DIR


def _closed_case(cli: CLI, *extra: str, at: str = "2026-11-02") -> str:
    case = cli.open(
        "Printer offline on 3F",
        "C",
        "--customer",
        "acme-sz",
        "--caller-name",
        "Zhang Wei",
        "--caller-company",
        "ACME Shenzhen",
        "--caller-phone",
        "0755-86001234",
        "--caller-email",
        "zhang.wei@acme.example",
        *extra,
        now=f"{at}T09:00:00+08:00",
    )
    cli("resolve", case, "-m", "Replaced the fuser unit.", now=f"{at}T10:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now=f"{at}T11:00:00+08:00")
    return case


def _policy(cli: CLI, old: str, new: str) -> None:
    path = cli.repo / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "policy: " + new.strip())


def test_closing_a_case_issues_its_survey_in_the_same_commit(cli: CLI) -> None:
    case = cli.open(
        "Printer offline on 3F",
        "C",
        "--customer",
        "acme-sz",
        "--caller-name",
        "Zhang Wei",
        "--caller-phone",
        "0755-86001234",
    )
    cli("resolve", case, "-m", "Fixed.", now="2026-11-02T10:00:00+08:00")
    before = commit_count(cli.repo)
    out = cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-02T11:00:00+08:00").out
    assert out.splitlines() == [f"{case}: closed, confirmed by Zhang Wei", f"survey SV-{case} issued"]
    assert commit_count(cli.repo) == before + 1
    assert changed_files(cli) == [f"cases/2026/11/{case}.md", f"surveys/2026/11/SV-{case}.md"]
    assert trailers(cli) == {
        "Casefile-Case": case,
        "Casefile-Action": "close",
        "Casefile-Survey": f"SV-{case}",
    }
    shown = cli("show", case, "--json").json
    assert shown["links"] == [{"rel": "survey", "to": f"SV-{case}"}]
    assert shown["events"][-1]["fields"]["survey"] == f"SV-{case}"
    survey = cli("survey", "show", case, "--json").json
    assert (survey["id"], survey["kind"], survey["case"], survey["customer"], survey["status"]) == (
        f"SV-{case}",
        "case",
        case,
        "acme-sz",
        "pending",
    )
    assert survey["issued_at"] == survey["send_after"] == "2026-11-02T11:00:00+08:00"
    assert survey["expires_at"] == "2026-12-02T11:00:00+08:00"  # 30 days (policy expire_days)
    assert survey["questions"] == ["attitude", "quality", "technical", "speed"]
    # The caller gave no e-mail; the customer's contact of the same name has one.
    assert survey["contact"] == {
        "name": "Zhang Wei",
        "company": "ACME Shenzhen",
        "phone": "0755-86001234",
        "email": "zhang.wei@acme.example",
    }
    assert is_clean(cli.repo)


def test_a_dissatisfied_answer_opens_exactly_one_linked_complaint(cli: CLI) -> None:
    case = _closed_case(cli)
    before = commit_count(cli.repo)
    out = cli(
        "survey",
        "record",
        case,
        "--rate",
        "attitude=很满意",
        "--rate",
        "quality=较满意",
        "--rate",
        "technical=satisfied",
        "--rate",
        "speed=不满意",
        "--opinions",
        "Nobody called back for 5 h.",
        now="2026-11-03T10:00:00+08:00",
    ).out.splitlines()
    # (4 + 3 + 3 + 1) / 4 = 2.75
    assert out[0] == f"SV-{case}: survey answered (score 2.75)"
    complaint = out[1].split()[2]
    assert out[1] == f"opened complaint {complaint} (response speed: dissatisfied)"
    assert commit_count(cli.repo) == before + 1
    assert sorted(changed_files(cli)) == sorted(
        [f"cases/2026/11/{case}.md", f"cases/2026/11/{complaint}.md", f"surveys/2026/11/SV-{case}.md"]
    )
    assert trailers(cli) == {
        "Casefile-Survey": f"SV-{case}",
        "Casefile-Case": case,
        "Casefile-Complaint": complaint,
        "Casefile-Action": "survey-record",
    }
    opened = cli("show", complaint, "--json").json
    assert (opened["type"], opened["level"], opened["status"], opened["customer"], opened["assignee"]) == (
        "complaint",
        "C",
        "open",
        "acme-sz",
        "sun.li",
    )  # sun.li is the customer service manager (seed 002)
    assert opened["links"] == [{"rel": "concerns", "to": case}, {"rel": "survey", "to": f"SV-{case}"}]
    assert "Nobody called back for 5 h." in opened["description"]
    assert cli("show", case, "--json").json["links"] == [
        {"rel": "survey", "to": f"SV-{case}"},
        {"rel": "complaint", "to": complaint},
    ]
    survey = cli("survey", "show", f"SV-{case}", "--json").json
    assert (survey["status"], survey["score"], survey["complaint"], survey["answered_by"], survey["via"]) == (
        "answered",
        2.75,
        complaint,
        "Zhang Wei",
        "phone",
    )
    assert survey["ratings"] == {
        "attitude": "very-satisfied",
        "quality": "satisfied",
        "technical": "satisfied",
        "speed": "dissatisfied",
    }

    refused(
        cli,
        "survey",
        "record",
        case,
        "--rate",
        "speed=不满意",
        says=f"survey SV-{case} was answered already",
        now="2026-11-03T11:00:00+08:00",
    )
    complaints = cli("list", "--type", "complaint", "--json").json
    assert [c["id"] for c in complaints] == [complaint]


def test_a_complaint_closes_only_with_a_recorded_resolution(cli: CLI) -> None:
    complaint = cli.open("Complaint: slow call back", "C", "-t", "complaint", "--customer", "acme-sz")
    refused(
        cli,
        "close",
        complaint,
        "--confirmed-by",
        "Zhang Wei",
        says="is a complaint and has no recorded resolution",
    )
    refused(
        cli,
        "close",
        complaint,
        "--confirmed-by",
        "Zhang Wei",
        "--early",
        says="is a complaint and has no recorded resolution; it cannot be closed early",
    )
    cli(
        "resolve",
        complaint,
        "-m",
        "Apologised; the on-call rota now covers lunch time.",
        now="2026-11-02T15:00:00+08:00",
    )
    refused(cli, "close", complaint, says="closing needs the customer's confirmation")
    cli("close", complaint, "--confirmed-by", "Zhang Wei", now="2026-11-02T16:00:00+08:00")
    assert cli("show", complaint, "--json").json["status"] == "closed"


def test_a_hand_closed_complaint_without_resolution_does_not_validate(cli: CLI) -> None:
    complaint = cli.open("Complaint", "C", "-t", "complaint")
    path = next((cli.repo / "cases").rglob(f"{complaint}.md"))
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: open", "status: closed").replace(
        "closed_at:\n", "closed_at: 2026-11-02T10:00:00+08:00\n"
    )
    path.write_text(text.replace("confirmed_by:\n", "confirmed_by: Zhang Wei\n"), encoding="utf-8")
    result = cli("validate", expect=5)
    assert "a closed complaint needs its resolution" in result.out


def test_bad_survey_input_writes_nothing(cli: CLI) -> None:
    open_case = cli.open("Still open", "C", "--customer", "acme-sz")
    refused(
        cli,
        "survey",
        "record",
        open_case,
        "--rate",
        "attitude=很满意",
        says=f"{open_case} has no survey (it is open)",
    )
    refused(
        cli,
        "survey",
        "issue",
        open_case,
        says=f"{open_case} is open, not closed; surveys are for closed cases",
    )
    case = _closed_case(cli)
    refused(
        cli,
        "survey",
        "record",
        case,
        "--rate",
        "attitude=excellent",
        says="rating 'excellent' is not on the scale",
    )
    refused(cli, "survey", "record", case, "--rate", "attitude=5", says="rating '5' is not on the scale")
    refused(
        cli,
        "survey",
        "record",
        case,
        "--rate",
        "price=很满意",
        says="'price' is not a question of the survey",
    )
    refused(cli, "survey", "record", case, "--rate", "attitude", says="cannot read the rating 'attitude'")
    refused(cli, "survey", "record", case, says="no answers given")
    refused(cli, "survey", "show", "SV-NOPE-00001", code=3, says="no survey 'SV-NOPE-00001'")
    refused(cli, "survey", "issue", case, says=f"{case} has an open survey already: SV-{case}")
    refused(cli, "survey", "issue", says="say what to survey")


def test_expiry_late_answers_and_the_expire_seam(cli: CLI, desk_path: Path) -> None:
    case = _closed_case(cli)  # expires 2026-12-02T11:00
    rows = cli("survey", "list", "--status", "expired", "--json", now="2026-12-02T11:00:00+08:00").json
    assert [r["id"] for r in rows] == [f"SV-{case}"]
    refused(
        cli,
        "survey",
        "record",
        case,
        "--rate",
        "attitude=很满意",
        now="2026-12-03T09:00:00+08:00",
        says=f"survey SV-{case} expired on 2026-12-02T11:00:00+08:00",
    )
    work = SurveyWork(Session.open(desk_path, now="2026-12-03T09:00:00+08:00", actor="wang.fang"))
    expired = work.expire()
    assert expired is not None and expired.subject == f"SV-{case}: survey expired"
    assert work.expire() is None
    assert cli("survey", "show", case, "--json").json["stored_status"] == "expired"
    cli(
        "survey",
        "record",
        case,
        "--rate",
        "attitude=很满意",
        "--late",
        "--via",
        "form",
        now="2026-12-04T09:00:00+08:00",
    )
    assert cli("survey", "show", case, "--json").json["status"] == "answered"


def test_sampling_throttle_and_issuing_by_hand(cli: CLI) -> None:
    _policy(cli, "  sample_percent: 100 ", "  sample_percent: 0 ")
    case = cli.open("Printer offline", "C", "--customer", "acme-sz")
    cli("resolve", case, "-m", "Fixed.")
    out = cli("close", case, "--confirmed-by", "Zhang Wei").out
    assert out.splitlines()[1] == f"no survey: {case} is not in the 0% sample"
    assert changed_files(cli) == [f"cases/2026/11/{case}.md"]
    cli("survey", "issue", case, now="2026-11-02T12:00:00+08:00")
    assert changed_files(cli) == [f"cases/2026/11/{case}.md", f"surveys/2026/11/SV-{case}.md"]
    assert trailers(cli)["Casefile-Action"] == "survey-issue"

    _policy(cli, "  sample_percent: 0 ", "  sample_percent: 100 ")
    _policy(cli, "  throttle_days: 0 ", "  throttle_days: 30 ")
    second = _closed_case(cli, at="2026-11-05")
    assert cli("show", second, "--json").json["links"] == []  # acme-sz had SV-... 3 days ago
    third = _closed_case(cli, at="2026-12-03")
    assert cli("show", third, "--json").json["links"] == [{"rel": "survey", "to": f"SV-{third}"}]


def test_reopened_and_closed_again_gets_a_second_survey(cli: CLI) -> None:
    case = _closed_case(cli)
    cli("reopen", case, "--reason", "E-04 is back", now="2026-11-02T13:00:00+08:00")
    cli("resolve", case, "-m", "New fuser.", now="2026-11-02T14:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-02T15:00:00+08:00")
    assert [l["to"] for l in cli("show", case, "--json").json["links"]] == [f"SV-{case}", f"SV-{case}-2"]
    assert cli("survey", "show", case, "--json").json["id"] == f"SV-{case}-2"


def test_sending_letters_the_seams_for_check(cli: CLI, desk_path: Path) -> None:
    _policy(cli, "  delay_hours: 0 ", "  delay_hours: 24 ")
    case = _closed_case(cli)  # closed 2026-11-02 11:00; the letter may go from 2026-11-03 11:00
    at = "2026-11-03T10:59:00+08:00"
    assert SurveyWork(Session.open(desk_path, now=at, actor="wang.fang")).to_send() == []
    work = SurveyWork(Session.open(desk_path, now="2026-11-03T11:00:00+08:00", actor="wang.fang"))
    assert [e.data["id"] for e in work.to_send()] == [f"SV-{case}"]
    letter = work.letter(f"SV-{case}")
    assert (letter.to, letter.subject) == (
        "zhang.wei@acme.example",
        f"[{case}] 服务满意度调查 Satisfaction survey: Printer offline on 3F",
    )
    assert letter.body == (GOLDEN / "survey-letter.txt").read_text(encoding="utf-8").replace("@CASE@", case)
    sent = work.mark_sent(f"SV-{case}")
    assert sent.subject == f"SV-{case}: survey letter sent"
    assert work.to_send() == []
    refused(
        cli,
        "survey",
        "sent",
        case,
        says=f"survey SV-{case} is sent; only pending or queued surveys are sent",
        now="2026-11-03T12:00:00+08:00",
    )
    shown = cli("survey", "letter", case, now="2026-11-03T12:00:00+08:00").out
    assert shown.startswith(f"To: zhang.wei@acme.example\nSubject: [{case}]")


def test_scheduled_surveys_skip_customers_with_onsite_staff(cli: CLI, desk_path: Path) -> None:
    work = SurveyWork(Session.open(desk_path, now="2026-11-02T09:00:00+08:00", actor="wang.fang"))
    created = work.schedule()
    assert created is not None and created.notes == ("survey SV-acme-sz-2026-Q4 issued",)
    assert work.schedule() is None
    survey = cli("survey", "show", "SV-acme-sz-2026-Q4", "--json").json
    # Issued on the quarter's first day at 00:00 and open until the quarter ends: the same on every clone.
    assert (survey["kind"], survey["period"], survey["issued_at"], survey["expires_at"]) == (
        "scheduled",
        "2026-Q4",
        "2026-10-01T00:00:00+08:00",
        "2027-01-01T00:00:00+08:00",
    )
    assert survey["contact"]["name"] == "Zhang Wei"
    # sz-metro's own staff survey it and hand the form to the desk, who enters it.
    assert cli("survey", "issue", "--customer", "sz-metro").out.startswith(
        "SV-sz-metro-2026-Q4: survey issued"
    )
    cli(
        "survey",
        "record",
        "SV-sz-metro-2026-Q4",
        "--rate",
        "attitude=4",
        "--rate",
        "speed=3",
        "--via",
        "onsite",
    )
    assert cli("survey", "issue", "--customer", "acme-sz").out.startswith(
        "SV-acme-sz-2026-11-02: survey issued"
    )
    refused(
        cli, "survey", "issue", "--customer", "acme-sz", says="survey SV-acme-sz-2026-11-02 exists already"
    )
    refused(cli, "survey", "issue", "--customer", "nobody", code=3, says="no customer 'nobody'")
    rows = cli("survey", "list", "--customer", "sz-metro", "--json").json
    assert [(r["id"], r["status"], r["score"]) for r in rows] == [("SV-sz-metro-2026-Q4", "answered", 3.5)]


def test_two_desks_schedule_byte_identical_surveys(desk_path: Path, tmp_path: Path) -> None:
    from datetime import datetime

    from casefile.repo.demo import create_desk
    from conftest import SHANGHAI

    other = tmp_path / "other"
    create_desk(other, datetime(2026, 11, 2, 8, 0, tzinfo=SHANGHAI))
    SurveyWork(Session.open(desk_path, now="2026-11-02T09:00:00+08:00", actor="wang.fang")).schedule()
    SurveyWork(Session.open(other, now="2026-12-20T17:30:00+08:00", actor="li.na")).schedule()
    path = "surveys/2026/10/SV-acme-sz-2026-Q4.md"
    assert (desk_path / path).read_bytes() == (other / path).read_bytes()


def test_a_complaint_taken_on_the_phone_links_the_cases_it_concerns(cli: CLI) -> None:
    late = cli.open("Engineer late for the printer outage", "C", "--customer", "acme-sz")
    other = cli.open("Scanner jams", "D", "--customer", "acme-sz")
    before = commit_count(cli.repo)
    complaint = cli.open(
        "Complaint: engineer two hours late", "B", "-t", "complaint", "--customer", "acme-sz",
        "--concerns", late.lower(), "--concerns", other, "--concerns", late,
    )
    assert commit_count(cli.repo) == before + 1  # the complaint and both back-links, one commit
    shown = cli("show", complaint, "--json").json
    assert [(link["rel"], link["to"]) for link in shown["links"]] == [("concerns", late), ("concerns", other)]
    for case in (late, other):
        links = cli("show", case, "--json").json["links"]
        assert [(link["rel"], link["to"]) for link in links] == [("complaint", complaint)]
    assert len(changed_files(cli)) == 3
    assert is_clean(cli.repo)


def test_only_a_complaint_concerns_other_cases(cli: CLI) -> None:
    case = cli.open("Printer offline", "C")
    refused(cli, "open", "Printer again", "-l", "C", "-m", "x", "--concerns", case,
            says="only a complaint concerns other cases")
    refused(cli, "open", "Complaint", "-l", "C", "-t", "complaint", "-m", "x", "--concerns", "KMT-09999",
            code=3, says="no case KMT-09999")
