"""The one module that imports jinja2.

Templates come from two places: the case repository's own `templates/` folder,
which wins, and the templates packaged with casefile (the top-level
`templates/` folder of the project, installed as `casefile.templates`).
`default:NAME` always names the packaged template, so a desk's override can
extend the original instead of copying it:

    {% extends "default:reports/monthly.md" %}
    {% block footer %}Jinqiao IT Services · hotline 400-000-0000{% endblock %}

Templates are named by what they produce (`reports/monthly.html`); `.html`
and `.xml` are autoescaped, so a case title with `<script>` is shown as text.
Undefined variables are errors, so a mistyped name in a desk's template fails
loudly.  Given the desk's zone, templates get the filter `minute`: a stored
time shown to the minute in that zone.

Every template — packaged or the desk's own, pushed by anyone with write access
to the case repository — renders in Jinja's immutable sandbox: no attribute
that starts with `_` (so no `__globals__`, no `__class__.__mro__`, not through
`|attr` or a format string either), no changing the values it is given.  Its
work is bounded too: `range` gives at most `MAX_ITEMS` items, `*`, `**`, `%` and
format widths cannot build huge values, and a render stops after
`RENDER_SECONDS`.  `template_problems` is the same judgement made before a
template is committed or pushed (the pre-commit and server hooks): a template
that does not compile, or reaches for what the sandbox forbids, is refused.
"""

from __future__ import annotations

import operator
import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import tzinfo
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    nodes,
    select_autoescape,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from casefile.errors import CasefileError, NotFound
from casefile.render.cells import minute
from casefile.i18n import _

OVERRIDES_DIR = "templates"
MAX_ITEMS = 100_000  # the most a template may build: items of a range, characters of a repeat
MAX_EXPONENT = 64
# Of CPU time, not of the clock: a busy machine does not stop a report (a three-year `report stats` at
# 100,000 cases renders 14,000 major cases in ~4 s of CPU); a template that loops for ever is stopped.
RENDER_SECONDS = 10.0
_FORMAT_WIDTH = re.compile(r"\d{6,}")  # a width or precision of 100,000 or more
# Names an attribute may not have, besides every name starting with `_` (which the sandbox refuses).
_INTERNAL = frozenset({
    "mro", "func_globals", "func_code", "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code",
    "f_globals", "f_locals", "f_builtins", "f_back", "tb_frame", "im_func", "im_self",
})


class TemplateFailed(CasefileError):
    pass


class _Budget:
    """The CPU time left to the render running in this thread (the sandbox counts every call and attribute,
    and reads the clock at every CLOCK_EVERY-th: reading it is 0.6 µs, a sixth of a long report's render)."""

    local = threading.local()
    CLOCK_EVERY = 64

    @classmethod
    def check(cls) -> None:
        local = cls.local
        deadline = getattr(local, "deadline", None)
        if deadline is None:
            return
        local.calls = calls = getattr(local, "calls", 0) + 1
        if calls % cls.CLOCK_EVERY == 0 and time.thread_time() > deadline:
            raise SecurityError(_("the template ran longer than {RENDER_SECONDS:g} s").format(RENDER_SECONDS=RENDER_SECONDS))


class DeskSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the work a template can ask for bounded."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr not in _INTERNAL and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(_("access to attribute {attribute!r} of a {name__} value is not allowed").format(attribute=attribute, name__=type(obj).__name__))

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        _Budget.check()
        if operator_ == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT \
                and isinstance(left, int) and abs(left) > 1:
            raise SecurityError(_("{left} ** {right} is too large for a template").format(left=left, right=right))
        if operator_ == "*":
            for size, times in ((left, right), (right, left)):
                if isinstance(size, (str, list, tuple)) and isinstance(times, int) \
                        and len(size) * times > MAX_ITEMS:
                    raise SecurityError(_("a repeat of more than {MAX_ITEMS} items is too large for a template").format(MAX_ITEMS=MAX_ITEMS))
        if operator_ == "%" and isinstance(left, str) and _FORMAT_WIDTH.search(left):
            raise SecurityError(_("a format width of 100,000 or more is too large for a template"))
        if operator_ == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                and len(left) + len(right) > 50 * MAX_ITEMS:
            raise SecurityError(_("a text of more than 5,000,000 characters is too large for a template"))
        return _BINOPS[operator_](left, right)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _FORMAT_WIDTH.search(str(value.__self__)):
            raise SecurityError(_("a format width of 100,000 or more is too large for a template"))
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _Budget.check()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _Budget.check()
        return super().getattr(obj, attribute)


_BINOPS = {"*": operator.mul, "**": operator.pow, "%": operator.mod, "+": operator.add}


def _bounded_range(*args: int) -> range:
    _Budget.check()
    values = range(*args)
    if len(values) > MAX_ITEMS:
        raise SecurityError(_("a range of more than {MAX_ITEMS} items is too large for a template").format(MAX_ITEMS=MAX_ITEMS))
    return values


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the render after `seconds` of CPU time: checked by the sandbox (`_Budget`) and, in the main
    thread, by a CPU-time alarm too (a template looping over plain values makes no call)."""
    _Budget.local.deadline = time.thread_time() + seconds
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous: Any = None
    if main:
        def expired(signum: int, frame: Any) -> None:
            raise SecurityError(_("the template ran longer than {seconds:g} s").format(seconds=seconds))

        previous = signal.signal(signal.SIGPROF, expired)
        signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        if main:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
        _Budget.local.deadline = None


def packaged_dir() -> Path:
    return Path(str(resources.files("casefile.templates")))


def markdown_text(value: Any) -> Any:
    """What `{{ value }}` writes into Markdown: raw HTML in the text shown as text (a title with `<script>` or
    `<img src=...>` is not markup for a Markdown viewer)."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


@lru_cache(maxsize=8)
def environment(repo_root: Path | None, zone: tzinfo | None = None, markdown: bool = False) -> DeskSandbox:
    """Templates of the repository at `repo_root` over the packaged ones (`markdown`: every value written
    has its raw HTML escaped)."""
    packaged = FileSystemLoader(str(packaged_dir()))
    loaders: list[BaseLoader] = []
    if repo_root is not None:  # even before the folder exists: an override made later is found
        loaders.append(FileSystemLoader(str(repo_root / OVERRIDES_DIR)))
    loaders += [PrefixLoader({"default": packaged}, delimiter=":"), packaged]
    env = DeskSandbox(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown_text if markdown else None,
    )
    if zone is not None:
        env.filters["minute"] = partial(minute, zone=zone)
    return env


def render(repo_root: Path | None, name: str, context: Mapping[str, Any], zone: tzinfo | None = None,
           markdown: bool = False) -> str:
    """Render template `name` (repository override first) with `context`; `markdown`: escape raw HTML in
    every value written (a Markdown report)."""
    env = environment(repo_root, zone, markdown)
    try:
        with _time_limit(RENDER_SECONDS):
            return env.get_template(name).render(**context)
    except SecurityError as error:
        where = "your override" if _overridden(repo_root, name) else "the packaged template"
        raise TemplateFailed(_("template {name} ({where}) was stopped by the sandbox: {error}").format(name=name, where=where, error=error),
                             _("templates may use the values they are given, not Python's internals")) from None
    except TemplateNotFound as missing:
        raise NotFound(_("no template {name}").format(name=missing.name), _("packaged templates are in {packaged_dir}").format(packaged_dir=packaged_dir())) from None
    except TemplateSyntaxError as error:
        raise TemplateFailed(_("template {value} line {lineno}: {message}").format(value=error.name or name, lineno=error.lineno, message=error.message)) from None
    except Exception as error:  # a desk's override can fail in any way jinja2 can
        where = "your override" if _overridden(repo_root, name) else "the packaged template"
        raise TemplateFailed(_("template {name} ({where}) failed: {error}").format(name=name, where=where, error=error)) from None


def _overridden(repo_root: Path | None, name: str) -> bool:
    return repo_root is not None and (repo_root / OVERRIDES_DIR / name).is_file()


def template_problems(name: str, text: str) -> list[tuple[int | None, str]]:
    """Why a desk's template `name` must not be committed: it does not compile, or it reaches for what
    the sandbox forbids (an attribute starting with `_`, `|attr`, a format string into internals, a
    range or power too large). Each problem with its line."""
    env = DeskSandbox(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    try:
        tree = env.parse(text, name=name)
        env.compile(text, name=name)
    except TemplateSyntaxError as error:
        return [(error.lineno, f"does not compile: {error.message}")]
    problems: list[tuple[int | None, str]] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Const, nodes.Call,
                               nodes.Pow, nodes.Mul)):
        problem = _forbidden(node)
        if problem:
            problems.append((node.lineno, problem))
    return problems


def _forbidden(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr) and _internal(node.attr):
        return f"uses the attribute {node.attr!r}, which the sandbox forbids"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
            and isinstance(node.arg.value, str) and _internal(node.arg.value):
        return f"uses the item {node.arg.value!r}, which the sandbox forbids"
    if isinstance(node, nodes.Filter) and node.name == "attr":
        return "uses the filter attr (write value.name instead)"
    if isinstance(node, nodes.Const) and isinstance(node.value, str) \
            and (re.search(r"\{[^{}]*[.\[]_", node.value) or _FORMAT_WIDTH.search(node.value)):
        return f"has a format string that reaches past its values: {node.value[:40]!r}"
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range":
        sizes = [_size(arg) for arg in node.args]
        if any(size is None or abs(size) > MAX_ITEMS for size in sizes if size is not _UNKNOWN):
            return f"asks for a range of more than {MAX_ITEMS} items"
    if isinstance(node, nodes.Mul):
        for text, times in ((node.left, node.right), (node.right, node.left)):
            if isinstance(text, (nodes.Const, nodes.List, nodes.Tuple)) and not isinstance(_size(text), int):
                count = _size(times)
                if count is None or (isinstance(count, int) and count > MAX_ITEMS):
                    return f"repeats a value more than {MAX_ITEMS} times"
    if isinstance(node, (nodes.Pow, nodes.Mul)) and _size(node) is None:
        return f"computes a value too large for a template (more than {MAX_ITEMS} or a power above {MAX_EXPONENT})"
    return None


def _internal(attr: str) -> bool:
    return attr.startswith("_") or attr in _INTERNAL


_UNKNOWN: Any = object()


def _size(node: nodes.Node) -> Any:
    """The value of a constant integer expression, `_UNKNOWN` when it is not constant, None when too large."""
    if isinstance(node, nodes.Const):
        return node.value if isinstance(node.value, int) and not isinstance(node.value, bool) else _UNKNOWN
    if isinstance(node, (nodes.Pow, nodes.Mul, nodes.Add, nodes.Sub)):
        left, right = _size(node.left), _size(node.right)
        if left is None or right is None:
            return None
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        if isinstance(node, nodes.Pow):
            return None if abs(right) > MAX_EXPONENT and abs(left) > 1 else left ** right
        value = left * right if isinstance(node, nodes.Mul) else left + right if isinstance(node, nodes.Add) \
            else left - right
        return None if abs(value) > MAX_ITEMS ** 2 else value
    return _UNKNOWN
