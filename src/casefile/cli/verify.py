"""`casefile verify STATEMENT`: recompute an SLA statement from the repository or an evidence bundle."""

from __future__ import annotations

from pathlib import Path

import click

from casefile.cli.helptext import Command
from casefile.cli.options import emit, json_option


@click.command("verify", cls=Command)
@click.argument("statement", metavar="STATEMENT")
@click.option("--bundle", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Verify from this evidence bundle alone (`casefile export --customer ID --evidence`): "
                   "no desk repository needed.")
@click.option("--repo", metavar="PATH", envvar="CASEFILE_REPO",
              help="Case repository to verify against (default: the current directory; env CASEFILE_REPO).")
@json_option
def verify(statement: str, bundle: Path | None, repo: str | None, as_json: bool) -> None:
    """Recompute STATEMENT (an id like ST-acme-sz-2026-11, or its file) and say whether it holds.

    It holds when its digest follows from its contents, every figure follows
    from the records as they are now (computed again at the statement's
    instant, under the policy versions the cases were opened under), and no
    record it rests on changed since it was issued; otherwise each changed
    case is named with the fields, and the exit code is 5.

    \b
    Example:
        casefile verify ST-acme-sz-2026-11
        casefile verify --bundle acme-sz-evidence ST-acme-sz-2026-11
    """
    from casefile.desk import Desk
    from casefile.reports.statement import require

    if bundle is not None:
        verdict = Desk.verify_bundle(bundle, statement)
    else:
        verdict = Desk.open(repo, None, None).verify_statement(statement)
    require(verdict, lambda v: emit(v.as_json(), as_json, lambda: "\n".join(v.lines())))
