"""Issue 20, acceptance 2: files kept with a case (`casefile attach`) — one commit with the entry that lists
them, byte for byte, names made safe, a size limit from the policy (refused in one line, nothing written),
public ones in the customer's export and internal ones never, a mail's attachments as the case's files, Git
LFS when `.gitattributes` asks for it, and `validate` and the server hook refusing an over-size file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from clihelp import CLI, commit_count, git, is_clean
from recordhelp import changed_files, refused

AT = "2026-11-03T{}:00+08:00"
# .ci/run installs git-lfs and sets CASEFILE_REQUIRE_LFS, so in CI a missing git-lfs fails these tests.
HAS_LFS = subprocess.run(["git", "lfs", "version"], capture_output=True).returncode == 0 \
    or bool(os.environ.get("CASEFILE_REQUIRE_LFS"))


def limit_to(cli: CLI, size: str) -> None:
    policy = cli.repo / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + f"attachments:\n  max_size: {size}\n", encoding="utf-8")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example",
        "commit", "-qam", f"attachments up to {size}")


def test_a_log_and_a_photo_are_kept_the_public_one_exported_and_an_over_limit_file_refused(
        cli: CLI, tmp_path: Path) -> None:
    limit_to(cli, "3MB")
    case = cli.open("Printer offline at ACME Shenzhen, 3F", "C", "--customer", "acme-sz", now=AT.format("09:30"))
    log, photo, huge = tmp_path / "spooler.log", tmp_path / "fuser.jpg", tmp_path / "core.dump"
    log.write_bytes(os.urandom(2 * 1024 * 1024))  # 2 MB of binary noise: kept byte for byte
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(40_000))
    huge.write_bytes(b"\0" * (3 * 1024 * 1024 + 1))
    before = commit_count(cli.repo)
    cli("attach", case, str(log), "--spent", "5m", now=AT.format("10:00"))
    done = cli("attach", case, "--public", str(photo), "-m", "Photo of the new fuser unit", now=AT.format("10:05"))
    assert done.out.splitlines() == [f"{case}: attach fuser.jpg (public)",
                                     f"kept attachments/{case}/fuser.jpg (39.1 KB)"]
    assert commit_count(cli.repo) == before + 2 and is_clean(cli.repo)
    assert changed_files(cli) == [f"attachments/{case}/fuser.jpg", f"cases/2026/11/{case}.md"]
    for name, source in (("spooler.log", log), ("fuser.jpg", photo)):
        assert (cli.repo / "attachments" / case / name).read_bytes() == source.read_bytes()
        blob = subprocess.run(["git", "-C", str(cli.repo), "cat-file", "blob", f"HEAD:attachments/{case}/{name}"],
                              capture_output=True, check=True).stdout
        assert blob == source.read_bytes()

    result = refused(cli, "attach", case, str(photo), str(huge), now=AT.format("10:10"),
                     says="core.dump is 3.0 MB, over the attachment limit of 3 MB")
    assert "attachments.max_size" in result.err
    assert not (cli.repo / "attachments" / case / "fuser-2.jpg").exists()  # the good file was not written either
    refused(cli, "attach", case, str(tmp_path / "missing.txt"), now=AT.format("10:10"), says="is not a file")

    shown = cli("show", case, "--json", now=AT.format("10:15")).json
    assert [(a["name"], a["size"], a["public"], a["source"]) for a in shown["attachments"]] == [
        ("spooler.log", 2 * 1024 * 1024, False, "attach"), ("fuser.jpg", photo.stat().st_size, True, "attach")]
    text = cli("show", case, now=AT.format("10:15")).out
    assert f"  attachments/{case}/spooler.log  2 MB  internal  (attach 2026-11-03 10:00 wang.fang)" in text
    assert f"  attachments/{case}/fuser.jpg  39.1 KB  public" in text

    site = tmp_path / "site"
    cli("export", "--customer", "acme-sz", "-o", str(site), now=AT.format("11:00"))
    assert sorted(p.relative_to(site).as_posix() for p in (site / "files").rglob("*") if p.is_file()) == [
        f"files/{case}/fuser.jpg"]
    assert (site / "files" / case / "fuser.jpg").read_bytes() == photo.read_bytes()
    page = (site / "cases" / f"{case}.html").read_text(encoding="utf-8")
    assert f'href="../files/{case}/fuser.jpg"' in page and "spooler.log" not in page
    assert not list(site.rglob("spooler.log"))
    markdown = tmp_path / "site-md"
    cli("export", "--customer", "acme-sz", "--format", "md", "-o", str(markdown), now=AT.format("11:00"))
    assert f"(../files/{case}/fuser.jpg)" in (markdown / "cases" / f"{case}.md").read_text(encoding="utf-8")
    assert not list(markdown.rglob("spooler.log"))


def test_names_are_made_safe_and_a_taken_name_is_numbered(cli: CLI, tmp_path: Path) -> None:
    from casefile.cases.attachments import safe_name

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\logs\\printer.log") == "printer.log"
    assert safe_name("..\x07\x1b[31mred.txt") == "[31mred.txt"  # control characters out, then the leading dots
    assert safe_name("photo\u202egpj.exe") == "photo_gpj.exe"  # no right-to-left override disguising the suffix
    assert safe_name("\x1b[2J") == "[2J" and safe_name("...") == "attachment" and safe_name(".bashrc") == "bashrc"
    assert len(safe_name("a" * 300 + ".log")) == 100 and safe_name("a" * 300 + ".log").endswith(".log")
    case = cli.open("Printer offline on 3F", "C", now=AT.format("09:30"))
    odd = tmp_path / "..\x1b[31m打印机日志.txt"
    odd.write_bytes(b"E-04\n")
    cli("attach", case, str(odd), now=AT.format("10:00"))
    cli("attach", case, str(odd), now=AT.format("10:01"))
    kept = sorted(p.name for p in (cli.repo / "attachments" / case).iterdir())
    assert kept == ["[31m打印机日志-2.txt", "[31m打印机日志.txt"]
    assert cli("validate").code == 0


def test_a_mails_attachments_are_the_cases_files_and_never_exported(cli: CLI, tmp_path: Path) -> None:
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "Zhang Wei <zhang.wei@acme.example>"
    mail["To"] = "servicedesk@jinqiao-it.example"
    mail["Subject"] = "打印机日志"
    mail["Message-ID"] = "<logs-2@acme.example>"
    mail.set_content("日志见附件。")
    mail.add_attachment(b"E-04 at 09:12\n", maintype="text", subtype="plain", filename="../printer.log")
    raw = tmp_path / "in.eml"
    raw.write_bytes(bytes(mail))
    case = cli("intake", str(raw), "--json", now=AT.format("09:13")).json["taken"][0]["case"]
    shown = cli("show", case, "--json").json
    assert [(a["path"], a["public"], a["source"]) for a in shown["attachments"]] == [
        (f"attachments/{case}/printer.log", False, "mail")]
    site = tmp_path / "site"
    cli("export", "--customer", "acme-sz", "-o", str(site), now=AT.format("11:00"))
    assert not (site / "files").exists() and not list(site.rglob("printer.log"))


def test_validate_and_the_server_hook_refuse_an_over_size_file_committed_by_hand(
        cli: CLI, bare_remote: Path, tmp_path: Path) -> None:
    from teamhelp import share

    limit_to(cli, "1KB")
    cli("server-hook", "install", str(bare_remote))
    case = cli.open("Printer offline on 3F", "C", now=AT.format("09:30"))
    share(cli, bare_remote)
    big = cli.repo / "attachments" / case / "dump.bin"
    big.parent.mkdir(parents=True)
    big.write_bytes(os.urandom(4096))
    found = cli("validate", expect=5)
    assert f"attachments/{case}/dump.bin: 4 KB is over the attachment limit of 1 KB" in found.out + found.err
    git(cli.repo, "add", str(big))
    hooked = subprocess.run(["git", "-C", str(cli.repo), "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm",
                             "dump"], capture_output=True, text=True)
    assert hooked.returncode != 0 and "over the attachment limit" in hooked.stdout + hooked.stderr  # pre-commit
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm", "dump", "--no-verify")
    pushed = subprocess.run(["git", "-C", str(cli.repo), "push", "origin", "main"], capture_output=True, text=True)
    assert pushed.returncode != 0
    assert f"attachments/{case}/dump.bin: 4 KB is over the attachment limit of 1 KB" in pushed.stderr


def _lfs_desk(cli: CLI) -> None:
    (cli.repo / ".gitattributes").write_text("attachments/** filter=lfs diff=lfs merge=lfs -text\n", encoding="utf-8")
    git(cli.repo, "add", ".gitattributes")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qm", "attachments in Git LFS", "--no-verify")


def test_lfs_asked_for_but_not_set_up_is_refused_and_nothing_is_written(cli: CLI, tmp_path: Path) -> None:
    _lfs_desk(cli)  # .gitattributes asks for LFS; this clone never ran `git lfs install`
    case = cli.open("Printer offline on 3F", "C", now=AT.format("09:30"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(5000))
    refused(cli, "attach", case, str(photo), now=AT.format("10:00"), says="git-lfs is not set up in this clone")
    assert not (cli.repo / "attachments").exists()


@pytest.mark.skipif(not HAS_LFS, reason="git-lfs is not installed (apt-get install git-lfs); .ci/run installs it")
def test_with_lfs_the_commit_holds_the_pointer_and_the_work_tree_the_file(cli: CLI, tmp_path: Path) -> None:
    _lfs_desk(cli)
    git(cli.repo, "lfs", "install", "--local")
    case = cli.open("Printer offline on 3F", "C", now=AT.format("09:30"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(50_000))
    done = cli("attach", case, str(photo), now=AT.format("10:00"))
    assert f"kept attachments/{case}/photo.jpg (48.8 KB, Git LFS)" in done.out
    pointer = git(cli.repo, "cat-file", "blob", f"HEAD:attachments/{case}/photo.jpg")
    assert pointer.startswith("version https://git-lfs.github.com/spec/v1\n") and "size 50000" in pointer
    assert (cli.repo / "attachments" / case / "photo.jpg").read_bytes() == photo.read_bytes()
    assert is_clean(cli.repo), git(cli.repo, "status", "--porcelain")
    assert git(cli.repo, "lfs", "ls-files", "-n").split() == [f"attachments/{case}/photo.jpg"]
    assert cli("show", case, "--json").json["attachments"][0]["lfs"] is True
    assert cli("validate").code == 0
    # A fresh checkout gets the file back from the LFS store (smudge), not the pointer.
    (cli.repo / "attachments" / case / "photo.jpg").unlink()
    git(cli.repo, "checkout", "--", f"attachments/{case}/photo.jpg")
    assert (cli.repo / "attachments" / case / "photo.jpg").read_bytes() == photo.read_bytes()


@pytest.mark.skipif(not HAS_LFS, reason="git-lfs is not installed (apt-get install git-lfs); .ci/run installs it")
def test_an_attach_cut_off_after_its_commit_is_finished_with_the_file_not_its_pointer(cli: CLI, tmp_path: Path) -> None:
    _lfs_desk(cli)
    git(cli.repo, "lfs", "install", "--local")
    case = cli.open("Printer offline on 3F", "C", now=AT.format("09:30"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(20_000))
    cli.process("attach", case, str(photo), now=AT.format("10:00"), expect=70, extra_env={"CASEFILE_CRASH_AT": "after-ref"})
    assert not (cli.repo / "attachments" / case / "photo.jpg").exists()  # the commit is in, the work tree behind
    finished = cli("list", now=AT.format("10:01"))
    assert "finished an interrupted command" in finished.err
    assert (cli.repo / "attachments" / case / "photo.jpg").read_bytes() == photo.read_bytes()
    assert is_clean(cli.repo), git(cli.repo, "status", "--porcelain")


@pytest.mark.skipif(not HAS_LFS, reason="git-lfs is not installed (apt-get install git-lfs); .ci/run installs it")
def test_a_mails_attachment_goes_to_lfs_too(cli: CLI, tmp_path: Path) -> None:
    from email.message import EmailMessage

    _lfs_desk(cli)
    git(cli.repo, "lfs", "install", "--local")
    mail = EmailMessage()
    mail["From"] = "Zhang Wei <zhang.wei@acme.example>"
    mail["To"] = "servicedesk@jinqiao-it.example"
    mail["Subject"] = "Printer photo"
    mail["Message-ID"] = "<photo-3@acme.example>"
    mail.set_content("Photo attached.")
    photo = os.urandom(30_000)
    mail.add_attachment(photo, maintype="image", subtype="jpeg", filename="photo.jpg")
    raw = tmp_path / "in.eml"
    raw.write_bytes(bytes(mail))
    case = cli("intake", str(raw), "--json", now=AT.format("09:13")).json["taken"][0]["case"]
    assert git(cli.repo, "cat-file", "blob", f"HEAD:attachments/{case}/photo.jpg").startswith(
        "version https://git-lfs.github.com/spec/v1")
    assert (cli.repo / "attachments" / case / "photo.jpg").read_bytes() == photo
    assert is_clean(cli.repo), git(cli.repo, "status", "--porcelain")
