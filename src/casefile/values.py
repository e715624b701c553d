"""The one module that imports msgspec: the value classes casefile is made of.

Every record model, policy section, clock, view and message in casefile is a `Struct` (`msgspec.Struct`):
a class with typed fields, an `__init__`, `__repr__`, `__eq__` and, when `frozen=True`, a `__hash__` —
what `dataclasses.dataclass` gives, made in C when the class is defined.  The standard library's
dataclasses write and compile six functions' source for every class, ~1 ms each on the bench machine:
`show` defines ~76 classes before it reads one file, and that was ~45 % of its instructions
(callgrind).  A msgspec class is defined in ~12 µs.

What differs from a dataclass, and how casefile writes it:

* a field that is a cache is not a field: `dict=True` on the class and a `functools.cached_property`
  (it is never compared, hashed or shown);
* `__post_init__` sets a frozen field with `force_setattr`, not `object.__setattr__`;
* `replace` (`msgspec.structs.replace`) runs `__post_init__` again, as `dataclasses.replace` does;
* `plain` gives a value's fields as builtins for JSON, nested values included (`dataclasses.asdict`).

And, as msgspec's owner, JSON for the record index: `from_json` decodes every stored record with
msgspec's decoder, which builds a record's front matter in ~20 µs where `json.loads` takes ~29 µs, and
`to_json` writes one in ~3 µs where `json.dumps` takes ~17 µs (100,000 of each in a fresh clone's
first `check`).
"""

from __future__ import annotations

import json
from typing import Any, TypeGuard

from msgspec import DecodeError, Struct, field, to_builtins
from msgspec.json import Decoder, Encoder
from msgspec.structs import force_setattr, replace

__all__ = ["Struct", "field", "force_setattr", "from_json", "is_value", "plain", "replace", "to_json"]

_FROM_JSON = Decoder()
_TO_JSON = Encoder()


def plain(value: Struct) -> Any:
    """The value's fields as dicts, lists, tuples and scalars for JSON, nested values included, as
    `dataclasses.asdict` gives them."""
    return to_builtins(value)


def is_value(value: object) -> TypeGuard[Struct]:
    """Whether `value` is an instance of a value class (not the class itself)."""
    return isinstance(value, Struct)


def from_json(text: str) -> Any:
    """What `json.loads(text)` gives.  msgspec reads it where it can; a text it refuses (`NaN` and
    `Infinity`, which `json.dumps` writes and msgspec does not read, a number past a float's range, a
    lone surrogate, anything malformed) goes to `json.loads`, which gives the value or the error."""
    try:
        return _FROM_JSON.decode(text)
    except DecodeError:
        return json.loads(text)


def to_json(value: Any) -> str:
    """Compact JSON of builtins whose floats are finite (msgspec writes NaN and the infinities as `null`,
    where `json.dumps` writes `NaN`): text `from_json` and `json.loads` read back as `value`.  An
    integer past 64 bits or a lone surrogate, which msgspec refuses, is written by `json.dumps`."""
    try:
        return _TO_JSON.encode(value).decode("utf-8")
    except (OverflowError, UnicodeEncodeError, TypeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
