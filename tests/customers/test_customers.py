"""Customers: add, edit, show, list; `open --customer` needs a real customer."""

from __future__ import annotations

from clihelp import CLI, commit_count, git
from recordhelp import changed_files, refused, trailers


def test_add_show_and_list_a_customer(cli: CLI) -> None:
    before = commit_count(cli.repo)
    out = cli(
        "customer",
        "add",
        "sk-port",
        "--name",
        "Shekou Port 蛇口港",
        "--contact",
        "Wu Gang;0755-26881234;wu.gang@skport.example;IT lead",
        "--contract",
        "JQ-2026-040",
        "--from",
        "2026-11-01",
        "--until",
        "2027-10-31",
        "--coverage",
        "7x24",
        "--service-level",
        "Gold",
        "--asset",
        "APC Smart-UPS SRT3000;AS7000001;Gate house",
        "-m",
        "Gate house UPS feeds the ticket gates.",
    ).out
    assert out.strip() == "sk-port: add customer Shekou Port 蛇口港"
    assert commit_count(cli.repo) == before + 1
    assert changed_files(cli) == ["customers/sk-port.md"]
    assert trailers(cli) == {"Casefile-Customer": "sk-port", "Casefile-Action": "customer-add"}
    shown = cli("customer", "show", "sk-port", "--json").json
    assert shown["contacts"] == [
        {"name": "Wu Gang", "phone": "0755-26881234", "email": "wu.gang@skport.example", "role": "IT lead"}
    ]
    assert shown["contract"] == {"id": "JQ-2026-040", "from": "2026-11-01", "until": "2027-10-31"}
    assert shown["assets"] == [
        {
            "model": "APC Smart-UPS SRT3000",
            "serial": "AS7000001",
            "location": "Gate house",
            "status": "in-service",
        }
    ]
    assert shown["onsite_staff"] is False and shown["notes"] == "Gate house UPS feeds the ticket gates."
    assert [row["id"] for row in cli("customer", "list", "--json").json] == ["acme-sz", "sk-port", "sz-metro"]
    assert "Wu Gang · 0755-26881234" in cli("customer", "show", "sk-port").out


def test_a_customer_lists_its_cases_inspections_and_surveys(cli: CLI) -> None:
    case = cli.open("Printer offline", "C", "--customer", "acme-sz", "--caller-name", "Zhang Wei")
    cli("resolve", case, "-m", "Fixed.", now="2026-11-02T10:00:00+08:00")
    cli("close", case, "--confirmed-by", "Zhang Wei", now="2026-11-02T11:00:00+08:00")
    shown = cli("customer", "show", "acme-sz", "--json").json
    assert [c["id"] for c in shown["cases"]] == [case]
    assert [i["id"] for i in shown["inspections"]] == ["acme-sz-2026-Q4"]
    assert [s["id"] for s in shown["surveys"]] == [f"SV-{case}"]
    assert cli("list", "--all", "--customer", "acme-sz", "--json").json[0]["id"] == case


def test_edit_changes_only_its_lines_and_keeps_hand_comments(cli: CLI) -> None:
    path = cli.repo / "customers" / "acme-sz.md"
    text = path.read_text(encoding="utf-8").replace(
        "coverage: 5x24\n", "coverage: 5x24  # renewed every January\n"
    )
    path.write_text(text, encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "comment")
    cli(
        "customer",
        "edit",
        "acme-sz",
        "--contact",
        "Zhang Wei;0755-86009999",
        "--asset-status",
        "CNB1234567=faulty",
    )
    diff = git(cli.repo, "diff", "HEAD~1", "--", "customers/acme-sz.md")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-    phone: 0755-86001234",
        "+    phone: 0755-86009999",
        "-    status: in-service",
        "+    status: faulty",
    ]
    assert "# renewed every January" in path.read_text(encoding="utf-8")
    assert trailers(cli)["Casefile-Action"] == "customer-edit"


def test_an_untouched_customer_round_trips_byte_for_byte(cli: CLI) -> None:
    from casefile.records.file import EditableRecord

    text = (cli.repo / "customers" / "sz-metro.md").read_text(encoding="utf-8")
    assert EditableRecord.parse(text, "customers/sz-metro.md").render() == text


def test_open_with_an_unknown_customer_writes_nothing(cli: CLI) -> None:
    refused(
        cli,
        "open",
        "Printer offline",
        "--level",
        "C",
        "--customer",
        "acme-shenzhen",
        "-m",
        "x",
        code=3,
        says="no customer 'acme-shenzhen'",
    )


def test_bad_customer_input_is_refused(cli: CLI) -> None:
    refused(cli, "customer", "add", "ACME", "--name", "x", says="'ACME' is not a customer id")
    refused(cli, "customer", "add", "acme-sz", "--name", "ACME again", says="customer acme-sz exists already")
    refused(
        cli,
        "customer",
        "add",
        "new-one",
        "--name",
        "New",
        "--coverage",
        "24x7",
        code=5,
        says="coverage '24x7' is not a calendar of the policy",
    )
    refused(
        cli,
        "customer",
        "add",
        "new-one",
        "--name",
        "New",
        "--contact",
        "Li;1;not-an-email",
        says="'not-an-email' is not an e-mail address",
    )
    refused(
        cli,
        "customer",
        "add",
        "new-one",
        "--name",
        "New",
        "--until",
        "2026-02-30",
        says="--until '2026-02-30' is not a date",
    )
    refused(cli, "customer", "edit", "acme-sz", says="nothing to change")
    refused(cli, "customer", "edit", "nobody", "--name", "x", code=3, says="no customer 'nobody'")
    refused(cli, "customer", "show", "nobody", code=3, says="no customer 'nobody'")
    refused(
        cli,
        "customer",
        "edit",
        "acme-sz",
        "--asset-status",
        "NOSUCH=faulty",
        says="no device with serial number NOSUCH",
    )
    refused(
        cli,
        "customer",
        "edit",
        "acme-sz",
        "--asset-status",
        "CNB1234567=broken",
        says="asset status 'broken'",
    )
