"""`list --where`, `bulk --where` and saved views: a small filter language over the fields of `list`.

    level in (A,B) and customer = acme-sz and due < 2h
    assignee = me and (breached or due < 1h)
    tag = vip and not status = pending

The grammar (docs/filters.md has it for users):

    expr       := term ("or" term)*
    term       := factor ("and" factor)*
    factor     := "not" factor | "(" expr ")" | condition
    condition  := FIELD                          (breached, paused: a flag)
                | FIELD op value                 (op: = != ~ < <= > >=)
                | FIELD ["not"] "in" "(" value ("," value)* ")"
    value      := WORD | "quoted text" | 'quoted text'

A filter is parsed once into a tree and evaluated over the rows `list` shows
(the summaries kept in the record index, with their clocks), so no record is
read in full.  Every mistake is one line naming the column where it is.
Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from casefile.cases.listing import CaseFilter
from casefile.cases.vocabulary import CaseType, Channel, Status, Tier
from casefile.errors import CasefileError
from casefile.values import Struct, replace
from casefile.worktime.clock import BadInstant, parse_instant, parse_stored
from casefile.i18n import _

TEXT_FIELDS = ("id", "title", "type", "level", "status", "channel", "category", "customer", "assignee", "tier",
               "caller")
TIME_FIELDS = ("opened", "updated", "due")  # instants; `due` is the next deadline of a running clock
AGE_FIELDS = ("age", "idle")  # how long since opened / since the last activity (real time)
FLAG_FIELDS = ("breached", "paused")
FIELDS = (*TEXT_FIELDS, "tag", *TIME_FIELDS, *AGE_FIELDS, *FLAG_FIELDS)
CHOICES: dict[str, tuple[str, ...]] = {
    "status": tuple(str(s) for s in Status), "type": tuple(str(t) for t in CaseType),
    "channel": tuple(str(c) for c in Channel), "tier": tuple(str(t) for t in Tier),
}
NONE = "none"  # an unquoted `none`: the field is not set (`assignee = none`)
ME = "me"  # an unquoted `me` for assignee: the person acting
KEYWORDS = ("and", "or", "not", "in")
_TOKEN = re.compile(r"""\s*(?:(?P<op>!=|<=|>=|=|<|>|~)|(?P<punct>[(),])|(?P<str>"[^"]*"|'[^']*')|(?P<word>[^\s()=!<>~,"']+)|(?P<bad>\S))""")
_DURATION = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?$")


class FilterError(CasefileError):
    pass


class Token(Struct, frozen=True):
    kind: str  # op, punct, str, word, end
    text: str
    column: int  # 1-based

    @property
    def value(self) -> str:
        return self.text[1:-1] if self.kind == "str" else self.text

    def keyword(self, word: str) -> bool:
        return self.kind == "word" and self.text.lower() == word


class Context(Struct, frozen=True):
    """What a filter is evaluated against: the desk's now and zone, and the person acting (`me`)."""

    now: datetime
    me: str | None = None


Test = Callable[[Mapping[str, Any], Context], bool]


class Query(Struct, frozen=True):
    """A parsed filter: its text, the test it compiles to, and what it names."""

    text: str
    test: Test
    fields: frozenset[str]
    statuses: frozenset[str] | None  # the statuses a matching case must be in (None: the filter does not say)
    uses_me: bool = False  # `assignee = me`: evaluated with the person acting

    def matches(self, row: Mapping[str, Any], context: Context) -> bool:
        return self.test(row, context)


def tokens(text: str, where: str) -> list[Token]:
    found: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break  # only trailing blanks are left
        kind = match.lastgroup or "bad"
        start = match.start(kind) + 1
        if kind == "bad":
            raise _error(where, text, start, _("unexpected {group!r}").format(group=match.group(kind)),
                         _("quote text with spaces or punctuation: title ~ \"paper jam\""))
        found.append(Token(kind, match.group(kind), start))
        position = match.end()
    found.append(Token("end", "", len(text) + 1))
    return found


def _error(where: str, text: str, column: int, problem: str, hint: str | None = None) -> FilterError:
    shown = text if len(text) <= 60 else text[: 57] + "..."
    return FilterError(f"{where}: {problem} at column {column} of {shown!r}",
                       hint or "see docs/filters.md for the fields and the grammar")


class _Parser:
    def __init__(self, text: str, where: str, levels: Collection[str] | None, zone: tzinfo) -> None:
        self.text, self.where, self.levels, self.zone = text, where, levels, zone
        self.items = tokens(text, where)
        self.at = 0
        self.named: set[str] = set()
        self.uses_me = False

    @property
    def current(self) -> Token:
        return self.items[self.at]

    def take(self) -> Token:
        token = self.items[self.at]
        self.at += 1
        return token

    def fail(self, token: Token, problem: str, hint: str | None = None) -> FilterError:
        return _error(self.where, self.text, token.column, problem, hint)

    def expect(self, what: str) -> Token:
        token = self.take()
        if token.text != what:
            got = "the end" if token.kind == "end" else repr(token.text)
            raise self.fail(token, _("expected {what!r}, found {got}").format(what=what, got=got))
        return token

    def parse(self) -> tuple[Test, frozenset[str] | None]:
        if self.current.kind == "end":
            raise self.fail(self.current, _("the filter is empty"), _("say what to match, e.g. \"assignee = li.na\""))
        test, statuses = self.expr()
        if self.current.kind != "end":
            raise self.fail(self.current, _("expected 'and', 'or' or the end, found {text!r}").format(text=self.current.text))
        return test, statuses

    def expr(self) -> tuple[Test, frozenset[str] | None]:
        parts = [self.term()]
        while self.current.keyword("or"):
            self.take()
            parts.append(self.term())
        if len(parts) == 1:
            return parts[0]
        tests = [t for t, _s in parts]
        known = [s for _t, s in parts]
        union = frozenset().union(*known) if all(s is not None for s in known) else None  # type: ignore[arg-type]
        return (lambda row, ctx: any(t(row, ctx) for t in tests)), union

    def term(self) -> tuple[Test, frozenset[str] | None]:
        parts = [self.factor()]
        while self.current.keyword("and"):
            self.take()
            parts.append(self.factor())
        if len(parts) == 1:
            return parts[0]
        tests = [t for t, _s in parts]
        statuses: frozenset[str] | None = None
        for _t, found in parts:
            if found is not None:
                statuses = found if statuses is None else statuses & found
        return (lambda row, ctx: all(t(row, ctx) for t in tests)), statuses

    def factor(self) -> tuple[Test, frozenset[str] | None]:
        token = self.current
        if token.keyword("not"):
            self.take()
            inner, _statuses = self.factor()
            return (lambda row, ctx: not inner(row, ctx)), None
        if token.text == "(" and token.kind == "punct":
            self.take()
            found = self.expr()
            self.expect(")")
            return found
        return self.condition()

    def condition(self) -> tuple[Test, frozenset[str] | None]:
        token = self.take()
        if token.kind != "word" or token.text.lower() in KEYWORDS:
            got = "the end" if token.kind == "end" else repr(token.text)
            raise self.fail(token, _("expected a field, found {got}").format(got=got), _("fields: {names}").format(names=', '.join(FIELDS)))
        name = token.text.lower()
        if name not in FIELDS:
            raise self.fail(token, _("unknown field {text!r}").format(text=token.text), _("fields: {names}").format(names=', '.join(FIELDS)))
        self.named.add(name)
        if name in FLAG_FIELDS:
            return self.flag(name)
        negated = False
        if self.current.keyword("not"):
            self.take()
            negated = True
            if not self.current.keyword("in"):
                raise self.fail(self.current, _("expected 'in' after 'not'"))
        if self.current.keyword("in"):
            return self.membership(name, token, negated)
        op = self.take()
        if op.kind != "op":
            got = "the end" if op.kind == "end" else repr(op.text)
            raise self.fail(op, _("expected an operator after {name}, found {got}").format(name=name, got=got), _("operators: = != ~ < <= > >= in"))
        value = self.value()
        if name in TEXT_FIELDS:
            return self.text_test(name, op, value)
        if name == "tag":
            return self.tag_test(op, [value])
        if name in AGE_FIELDS:
            return self.age_test(name, op, value), None
        return self.time_test(name, op, value), None

    def value(self) -> Token:
        token = self.take()
        if token.kind not in ("word", "str") or (token.kind == "word" and token.text.lower() in KEYWORDS):
            got = "the end" if token.kind == "end" else repr(token.text)
            raise self.fail(token, _("expected a value, found {got}").format(got=got), _("quote a value that is a keyword: \"in\""))
        return token

    def membership(self, name: str, field: Token, negated: bool) -> tuple[Test, frozenset[str] | None]:
        self.take()  # in
        self.expect("(")
        values = [self.value()]
        while self.current.text == ",":
            self.take()
            values.append(self.value())
        self.expect(")")
        if name == "tag":
            test, __ = self.tag_test(Token("op", "=", field.column), values)
        elif name in TEXT_FIELDS:
            tests = [self.text_test(name, Token("op", "=", field.column), v) for v in values]
            test = lambda row, ctx: any(t(row, ctx) for t, _s in tests)  # noqa: E731
            if not negated and name == "status":
                return test, frozenset(v.value for v in values)
        else:
            raise self.fail(field, _("{name} is a time; 'in' is for text fields and tags").format(name=name), _("use < or > with a time"))
        if negated:
            return (lambda row, ctx: not test(row, ctx)), None
        return test, None

    def flag(self, name: str) -> tuple[Test, frozenset[str] | None]:
        if name == "breached" and self.current.kind == "op" and self.current.text in ("=", "!="):
            op, clock = self.take(), self.value().value
            has = lambda row, ctx: clock in ((row.get("sla") or {}).get("breached") or ())  # noqa: E731
            return (has if op.text == "=" else (lambda row, ctx: not has(row, ctx))), None
        if name == "breached":
            return (lambda row, ctx: bool((row.get("sla") or {}).get("breached"))), None
        return (lambda row, ctx: bool((row.get("sla") or {}).get("paused"))), None

    def text_test(self, name: str, op: Token, value: Token) -> tuple[Test, frozenset[str] | None]:
        if op.text not in ("=", "!=", "~"):
            raise self.fail(op, _("{name} is text: use =, !=, ~ (contains) or in, not {text}").format(name=name, text=op.text))
        key = name
        unset = value.kind == "word" and value.text.lower() == NONE
        wanted = value.value
        if not unset and op.text != "~":
            wanted = self.checked(name, value)
        me = name == "assignee" and value.kind == "word" and value.text.lower() == ME
        self.uses_me = self.uses_me or me

        def actual(row: Mapping[str, Any]) -> str | None:
            found = row.get(key)
            return None if found is None or found == "" else str(found)

        if op.text == "~":
            needle = wanted.casefold()
            return (lambda row, ctx: needle in (actual(row) or "").casefold()), None

        def equal(row: Mapping[str, Any], ctx: Context) -> bool:
            found = actual(row)
            if unset:
                return found is None
            if me:
                return found is not None and found == ctx.me
            return found is not None and (found.upper() == wanted.upper() if name in ("id", "level") else found == wanted)

        if op.text == "!=":
            return (lambda row, ctx: not equal(row, ctx)), None
        return equal, (frozenset({wanted}) if name == "status" and not unset else None)

    def checked(self, name: str, value: Token) -> str:
        """An enumerated field's value must be one of its words (a typo would match nothing, silently)."""
        text = value.value
        choices: Sequence[str] | None = CHOICES.get(name)
        if name == "level" and self.levels is not None:
            choices = list(self.levels)
            text = text.upper()
        if choices is not None and text not in choices:
            raise self.fail(value, _("{name} {value!r} is not one of {names}").format(name=name, value=value.value, names=', '.join(choices)))
        return text

    def tag_test(self, op: Token, values: list[Token]) -> tuple[Test, frozenset[str] | None]:
        if op.text not in ("=", "!="):
            raise self.fail(op, _("tag takes =, != or in, not {text}").format(text=op.text))
        from casefile.cases.tags import check_tag

        wanted: set[str] = set()
        for value in values:
            try:
                wanted.add(check_tag(value.value))
            except CasefileError as error:
                raise self.fail(value, error.message) from None

        def has(row: Mapping[str, Any], ctx: Context) -> bool:
            return bool(wanted & set(row.get("tags") or ()))

        return (has if op.text == "=" else (lambda row, ctx: not has(row, ctx))), None

    def age_test(self, name: str, op: Token, value: Token) -> Test:
        if op.text not in ("<", "<=", ">", ">="):
            raise self.fail(op, _("{name} is a duration: use <, <=, > or >=, like {name} > 4h").format(name=name))
        length = duration(value.value)
        if length is None:
            raise self.fail(value, _("{value!r} is not a duration").format(value=value.value), _("like 30m, 4h, 2d or 1d12h (real time)"))
        key = "opened_at" if name == "age" else "updated_at"
        compare = _COMPARE[op.text]

        def test(row: Mapping[str, Any], ctx: Context) -> bool:
            since = _instant(row.get(key))
            return since is not None and compare(ctx.now - since, length)

        return test

    def time_test(self, name: str, op: Token, value: Token) -> Test:
        key = {"opened": "opened_at", "updated": "updated_at"}.get(name)
        if op.text in ("=", "!=") and value.kind == "word" and value.text.lower() == NONE and name == "due":
            unset = op.text == "="
            return lambda row, ctx: (_due(row) is None) == unset
        if op.text not in ("<", "<=", ">", ">="):
            raise self.fail(op, f"{name} is a time: use <, <=, > or >=" + (" (or due = none)" if name == "due" else ""))
        length = duration(value.value) if name == "due" else None
        moment: datetime | None = None
        if length is None:
            try:
                moment = parse_instant(value.value, self.zone, what=name)
            except BadInstant:
                what = "a time (2026-11-01, 2026-11-01T09:00) or a duration from now (2h)" if name == "due" \
                    else "a time like 2026-11-01 or 2026-11-01T09:00"
                raise self.fail(value, _("{value!r} is not {what}").format(value=value.value, what=what)) from None
        compare = _COMPARE[op.text]

        def test(row: Mapping[str, Any], ctx: Context) -> bool:
            found = _due(row) if key is None else _instant(row.get(key))
            if found is None:
                return False
            limit = ctx.now + length if length is not None else moment
            return compare(found, limit)

        return test


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def duration(text: str) -> timedelta | None:
    """`30m`, `2h`, `1d12h`: real time (a day is 24 hours), or None."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or match is None or not any(match.groupdict().values()):
        return None
    parts = {key: int(value or 0) for key, value in match.groupdict().items()}
    return timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"])


def _instant(value: Any) -> datetime | None:
    try:
        return parse_stored(str(value)) if value else None
    except ValueError:
        return None


def _due(row: Mapping[str, Any]) -> datetime | None:
    return _instant((row.get("sla") or {}).get("next_due_at"))


def parse_filter(text: str, zone: tzinfo, levels: Collection[str] | None = None, where: str = "--where") -> Query:
    """The filter `text` as a `Query`, or a `FilterError` naming the column; `zone`: the desk's (a time
    without an offset is the desk's), `levels`: the desk's levels."""
    parser = _Parser(text, where, levels, zone)
    test, statuses = parser.parse()
    return Query(text, test, frozenset(parser.named), statuses, parser.uses_me)


def widened(wanted: CaseFilter, query: Query | None) -> CaseFilter:
    """The cases to read for `query`: a filter that names `status` decides the statuses itself, instead of
    `list`'s default of open and pending (unless --status or --all said otherwise)."""
    if query is None or "status" not in query.fields or wanted.statuses or wanted.everything:
        return wanted
    if query.statuses is not None:
        return replace(wanted, statuses=query.statuses)
    return replace(wanted, everything=True)


def both(first: Query | None, second: Query | None) -> Query | None:
    """Two filters that must both match (a saved view and `--where`)."""
    if first is None or second is None:
        return first or second
    statuses = first.statuses if second.statuses is None else (
        second.statuses if first.statuses is None else first.statuses & second.statuses)
    return Query(f"({first.text}) and ({second.text})",
                 lambda row, ctx: first.test(row, ctx) and second.test(row, ctx),
                 first.fields | second.fields, statuses, first.uses_me or second.uses_me)
