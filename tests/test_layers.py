"""The house in layers (ARCHITECTURE.md, CONTRIBUTING.md): every import of every module, read with `ast`
— function-level and type-only imports included — keeps to the rows:

- a module imports only from lower rows, or from its own package at the same or a lower row;
  the one named exception is the product's own loop (`TIES`);
- `cli/` never imports `git/`, `records/` or `index/`;
- each third-party package has one owner;
- there is no import cycle.

The test fails on a module that has no row, so a new module is placed on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from clihelp import ROOT

SRC = ROOT / "src"
FAMILIES = ("cases", "customers", "inspections", "surveys", "kb", "sla", "merge", "vendors", "incidents", "problems", "changes")

# Longest matching prefix wins.  Keep in step with the table in CONTRIBUTING.md.
VIEWS = 9
ROWS: dict[str, int] = {
    "casefile.errors": 0, "casefile.version": 0,
    "casefile.values": -1,  # the value class everything is made of, under every row: the only importer of msgspec
    "casefile.i18n": 0,  # the words in the reader's language: gettext catalogs, the only importer of babel
    "casefile.git": 1, "casefile.worktime": 1, "casefile.render": 1,
    "casefile.said": 1,  # an engine text before it is words (a value over i18n, apart so --help loads no msgspec)
    "casefile.records": 2,
    "casefile.index": 3, "casefile.policy": 3, "casefile.mail": 3,
    **{f"casefile.{family}": 4 for family in FAMILIES},
    "casefile.reports.records": 4,  # the bulletin's record: a record kind's model, read by check
    "casefile.reports.evidence": 4,  # the SLA statement's record and digests: a record kind's model (issue 21)
    "casefile.session": 5,
    "casefile.sla.work": 6,  # the clocks of stored cases, which every listing shows
    "casefile.notify": 6,  # the customer's mail a change of a case sends, staged in its commit
    **{f"casefile.{family}.work": 7 for family in FAMILIES if family != "sla"},
    "casefile.cases.asof": 7,  # `show --as-of`: the case read from its commits (issue 21)
    "casefile.cases.handedit": 7,  # `edit` by hand: the rejected edit kept and offered again (issue 18)
    "casefile.surveys.issue": 7, "casefile.surveys.complaints": 7, "casefile.surveys.onecomplaint": 7, "casefile.kb.search": 7,
    "casefile.merge.driver": 7, "casefile.repo": 7,
    "casefile.cases.bulk": 7, "casefile.cases.phrasebook": 7,  # one step on many cases; phrases filled for a case
    "casefile.cases.attachment_work": 7, "casefile.cases.workorder_work": 7,  # attach; work orders (issue 20)
    "casefile.intake": 8,  # mail in: a message becomes a case, an entry on one, or a status answer
    "casefile.check": 8, "casefile.reports": 8, "casefile.export": 8, "casefile.team": 8,
    "casefile.schedule": 8,  # the team's calendar feed: change windows and inspections
    "casefile.oncall": 4, "casefile.oncall.work": 7, "casefile.oncall.views": VIEWS,  # the rota's pages and acks
    **{f"casefile.{family}.views": VIEWS for family in FAMILIES},
    "casefile.cases.printing": VIEWS,  # a work order printed for the customer to sign
    "casefile.inspections.report": VIEWS, "casefile.check.views": VIEWS, "casefile.reports.render": VIEWS,
    "casefile.desk": 10,
    "casefile.repo.demo": 11,
    "casefile.board": 11,  # `casefile board`: a front end above the desk, like cli/ (which starts it)
    "casefile.cli": 12,
    "casefile.__main__": 13,
    "casefile": 13,  # the package face: `Desk`, `CasefileError`, `ExitCode`, `__version__`
}

# Same-row imports across packages that the design allows, each for a reason of the product:
TIES = {
    # closing a case issues its survey, and a dissatisfied answer opens a complaint case
    # (ARCHITECTURE.md: the one work-to-work tie, kept acyclic module by module)
    ("casefile.cases.work", "casefile.surveys.issue"),
    ("casefile.surveys.complaints", "casefile.cases.work"),
    # an inspection records the equipment it replaced at the customer's site (seed 004)
    ("casefile.inspections.model", "casefile.customers.assets"),
}

# Third-party packages and the one place allowed to import each.
OWNERS = {
    "ruamel": "casefile.records.yamlio",
    "msgspec": "casefile.values",
    "git": "casefile.git.remote",  # GitPython
    "jinja2": "casefile.render.templates",
    "sqlite3": "casefile.index.store",
    "chinese_calendar": "casefile.worktime.officialdays",
    "smtplib": "casefile.mail.smtp",
    "imaplib": "casefile.mail.imap",
    "inscriptis": "casefile.mail.html",  # HTML-only mail to text
    "click": "casefile.cli",
    "textual": "casefile.board.app",  # the live board
    "rich": "casefile.board.app",  # what Textual draws with: the board's styled cells
    "icalendar": "casefile.render.ics",  # the .ics feed (RFC 5545)
    "wcwidth": "casefile.render.width",  # display columns: CJK counts two
    "babel": "casefile.i18n",  # reads the message catalogs (.po) in a source checkout
}
CLI_NEVER = ("casefile.git", "casefile.records", "casefile.index")
FRONT_ENDS = ("casefile.cli", "casefile.board")  # they reach the records through the Desk only


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted((SRC / "casefile").rglob("*.py"))}


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str) -> Iterator[str]:
    """Every module `module` imports, anywhere in its file: casefile modules by full name, others by top name."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node)
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in MODULES else target


def row_of(module: str) -> int | None:
    for prefix in sorted(ROWS, key=len, reverse=True):
        if module == prefix or (module.startswith(prefix + ".") and prefix != "casefile"):
            return ROWS[prefix]
    return None


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def edges() -> set[tuple[str, str]]:
    return {(module, target) for module in MODULES for target in imports_of(module) if target in MODULES
            and target != module}


def test_every_module_has_a_row() -> None:
    assert [module for module in MODULES if row_of(module) is None] == []


def test_no_module_imports_a_higher_row() -> None:
    wrong = []
    for module, target in sorted(edges()):
        here, there = row_of(module), row_of(target)
        assert here is not None and there is not None
        same_package = package_of(module) == package_of(target) and module != "casefile"
        views_compose = here == there == VIEWS  # a case page shows its clocks, a customer page its cases
        if there < here or (same_package and there <= here) or views_compose or (module, target) in TIES:
            continue
        wrong.append(f"{module} (row {here}) imports {target} (row {there})")
    assert wrong == []


def test_the_command_line_reaches_no_lower_than_the_library() -> None:
    wrong = [f"{module} imports {target}" for module, target in sorted(edges())
             if module.startswith(FRONT_ENDS) and target.startswith(CLI_NEVER)]
    assert wrong == []


@pytest.mark.parametrize("package", sorted(OWNERS))
def test_each_third_party_package_has_one_owner(package: str) -> None:
    owner = OWNERS[package]
    importers = sorted(module for module in MODULES
                       if any(name.split(".")[0] == package for name in imports_of(module))
                       and not (module == owner or module.startswith(owner + ".")))
    assert importers == []


def test_there_is_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module, target in edges():
        graph[module].add(target)
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert [" -> ".join(cycle) for cycle in cycles] == []
