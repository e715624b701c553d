"""The command tree as shell completion sees it, for the fast path (`repo/quickcomplete.py`).

Read from `quicktable.json` beside this file, which `cli/completion.py` (`table`, `write_table`) generates
from the click commands; `tests/repo/test_quickcomplete.py` fails while the file and the commands differ.
An option is `[name, opts, secondary opts, takes (0 a flag, 1 a value, None unusual), multiple, hidden,
values, help]`; a command `{"o": its options' numbers, "a": arguments [name, nargs, values], "i":
interspersed, "c": subcommands, "h": hidden, "s": short help}`; values `["records", kind]`, `["choices",
words, case-sensitive]`, `["path", "file" | "dir"]`, `[]` nothing, `["click"]` left to click.
"""

from __future__ import annotations

import json
import os
from typing import Any

with open(os.path.join(os.path.dirname(__file__), "quicktable.json"), encoding="utf-8") as _file:
    _TABLE: dict[str, Any] = json.load(_file)

COMPLETE_VAR: str = _TABLE["complete_var"]
SHELLS: tuple[str, ...] = tuple(_TABLE["shells"])
RECORDS: dict[str, tuple[str, str]] = {kind: (folder, suffix) for kind, (folder, suffix) in _TABLE["records"].items()}
OPTIONS: list[list[Any]] = _TABLE["options"]
TREE: dict[str, Any] = _TABLE["tree"]
