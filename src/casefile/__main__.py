"""`python -m casefile` and the `casefile` command: shell completion first, from the fast path when it can
answer (`repo.quickcomplete`, without click or the command tree), else the command line."""

from __future__ import annotations

import os
import sys


def main() -> int:
    if os.environ.get("_CASEFILE_COMPLETE"):  # repo.quicktable.COMPLETE_VAR, spelled here to import nothing first
        from casefile.repo.quickcomplete import main as quick

        done = quick()
        if done is not None:
            return done
    from casefile.cli import main as command_line

    return command_line()


if __name__ == "__main__":
    sys.exit(main())
