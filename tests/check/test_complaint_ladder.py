"""A complaint opened by a survey climbs the complaint ladder through `casefile check` (acceptance 2).

`check` belongs to issue 3; this test runs once it is merged with this branch and
is skipped before.  Nothing here is specific to surveys on the check side: a
complaint case (`type: complaint`) is all the ladder needs.
"""

from __future__ import annotations

from clihelp import CLI


def test_a_complaint_from_a_survey_climbs_the_complaint_ladder(cli: CLI) -> None:
    case = cli.open("Printer offline", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei")
    cli("resolve", case, "-m", "Fixed.", now="2026-11-02T10:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-02T11:00:00+08:00")
    out = cli("survey", "record", case, "--rate", "speed=不满意", now="2026-11-02T11:30:00+08:00").out
    complaint = out.splitlines()[1].split()[2]
    # The complaint ladder of the shipped policy runs on 5x8 from 11:30 on Monday 2026-11-02:
    # 0m -> 11:30; 4h -> 16:30 (09:00-12:00 and 13:00-18:00); 1d -> Tue 11:30; 2d -> Wed 11:30.
    for at in ("2026-11-02T11:31", "2026-11-02T17:00", "2026-11-03T12:00", "2026-11-04T12:00"):
        assert cli("check", now=f"{at}:00+08:00", expect=None).code == 0
    ladder = [
        (event["fields"]["roles"], event["fields"]["notified"])
        for event in cli("show", complaint, "--json").json["events"]
        if event["kind"] == "ladder"
    ]
    assert ladder == [
        (["customer-service-manager"], ["sun.li"]),
        (["technical-centre-deputy-head"], ["he.jun"]),
        (["technical-director"], ["huang.wei"]),
        (["general-manager"], ["liu.yang"]),
    ]
