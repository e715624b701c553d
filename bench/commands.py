"""The commands the benchmark times, as templates.

Add a row here to time a new command.  Placeholders are filled in per run:
`{open_case}` (an open, assigned case of the repository, a different one each
run while there are enough), `{engineer}` (someone it is not assigned to) and
`{n}` (the run's number); `{new_case}` is the case the untimed `prepare`
steps opened (its number is what `casefile open` prints).  A command this
build of casefile does not have is reported as "not available", never timed
as something else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchCommand:
    label: str  # the row of the table
    args: tuple[str, ...]  # after `casefile`, with {placeholders}
    changes: bool = False  # makes a commit: runs after the reading commands
    uses_index: bool = False  # reads whole folders: its cold runs build the index
    optional: bool = False  # only with --include LABEL (too slow to run by default)
    prepare: tuple[tuple[str, ...], ...] = ()  # untimed commands before each run

    @property
    def command(self) -> str | None:
        """The casefile command that must exist (None for options like --version)."""
        first = self.args[0]
        return None if first.startswith("-") else first


COMMANDS: tuple[BenchCommand, ...] = (
    BenchCommand("--version", ("--version",)),
    BenchCommand("--help", ("--help",)),
    BenchCommand("show CASE", ("show", "{open_case}")),
    BenchCommand("show CASE --json", ("show", "{open_case}", "--json")),
    BenchCommand("list", ("list",), uses_index=True),
    BenchCommand("list --all --json", ("list", "--all", "--json"), uses_index=True),
    BenchCommand("list --where (open)", ("list", "--where", "level in (A,B) and due < 2h", "--json"), uses_index=True),
    BenchCommand("list --where (all)", ("list", "--where", "status = closed and level in (A,B) and title ~ printer",
                                        "--json"), uses_index=True),
    BenchCommand("check", ("check",), uses_index=True),
    BenchCommand("report monthly", ("report", "monthly"), uses_index=True),
    BenchCommand("search WORD", ("search", "printer"), uses_index=True),
    # Three years: every generated case (casegen.YEARS before BENCH_NOW), from report rows (issue 17).
    BenchCommand("report stats (3 years)", ("report", "stats", "--from", "2023-11-01", "--to", "2026-11-30"),
                 uses_index=True),
    BenchCommand("workorder list --unsigned", ("workorder", "list", "--unsigned"), uses_index=True),
    BenchCommand("validate", ("validate",), optional=True),
    BenchCommand("open", ("open", "Bench: printer offline {n}", "--level", "C", "-m", "Opened by the bench."),
                 changes=True),
    BenchCommand("note", ("note", "{open_case}", "-m", "Bench note {n}."), changes=True),
    BenchCommand("assign", ("assign", "{open_case}", "{engineer}"), changes=True),
    BenchCommand("close", ("close", "{new_case}", "--confirmed-by", "Zhang Wei"), changes=True,
                 prepare=(("open", "Bench: to close {n}", "--level", "D", "-m", "x"),
                          ("resolve", "{new_case}", "-m", "Fixed by the bench."))),
)
