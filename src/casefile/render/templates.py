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
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from casefile.errors import CasefileError, NotFound
from casefile.render.cells import minute

OVERRIDES_DIR = "templates"


class TemplateFailed(CasefileError):
    pass


def packaged_dir() -> Path:
    return Path(str(resources.files("casefile.templates")))


@lru_cache(maxsize=8)
def environment(repo_root: Path | None, zone: tzinfo | None = None) -> Environment:
    """Templates of the repository at `repo_root` over the packaged ones."""
    packaged = FileSystemLoader(str(packaged_dir()))
    loaders: list[BaseLoader] = []
    if repo_root is not None and (repo_root / OVERRIDES_DIR).is_dir():
        loaders.append(FileSystemLoader(str(repo_root / OVERRIDES_DIR)))
    loaders += [PrefixLoader({"default": packaged}, delimiter=":"), packaged]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if zone is not None:
        env.filters["minute"] = partial(minute, zone=zone)
    return env


def render(repo_root: Path | None, name: str, context: Mapping[str, Any], zone: tzinfo | None = None) -> str:
    """Render template `name` (repository override first) with `context`."""
    env = environment(repo_root, zone)
    try:
        return env.get_template(name).render(**context)
    except TemplateNotFound as missing:
        raise NotFound(f"no template {missing.name}", f"packaged templates are in {packaged_dir()}") from None
    except TemplateSyntaxError as error:
        raise TemplateFailed(f"template {error.name or name} line {error.lineno}: {error.message}") from None
    except Exception as error:  # a desk's override can fail in any way jinja2 can
        where = "your override" if _overridden(repo_root, name) else "the packaged template"
        raise TemplateFailed(f"template {name} ({where}) failed: {error}") from None


def _overridden(repo_root: Path | None, name: str) -> bool:
    return repo_root is not None and (repo_root / OVERRIDES_DIR / name).is_file()


@lru_cache(maxsize=8)
def sandboxed_environment(repo_root: Path | None, zone: tzinfo | None = None) -> Environment:
    """The same templates (a desk's overrides first) in jinja2's sandbox: what goes to customers.

    A desk's override of a customer mail is text anyone with commit rights wrote, rendered with
    the customer's data; the sandbox refuses attribute tricks (`{{ ''.__class__ }}`) and unsafe calls.
    """
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    packaged = FileSystemLoader(str(packaged_dir()))
    loaders: list[BaseLoader] = []
    if repo_root is not None:  # asked for even before the folder exists: a later override is found
        loaders.append(FileSystemLoader(str(repo_root / OVERRIDES_DIR)))
    loaders += [PrefixLoader({"default": packaged}, delimiter=":"), packaged]
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=False,  # plain-text mail
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if zone is not None:
        env.filters["minute"] = partial(minute, zone=zone)
    return env


def render_sandboxed(repo_root: Path | None, name: str, context: Mapping[str, Any], zone: tzinfo | None = None) -> str:
    """Render template `name` (repository override first) in the sandbox."""
    from jinja2.exceptions import SecurityError

    env = sandboxed_environment(repo_root, zone)
    try:
        return env.get_template(name).render(**context)
    except TemplateNotFound as missing:
        raise NotFound(f"no template {missing.name}", f"packaged templates are in {packaged_dir()}") from None
    except TemplateSyntaxError as error:
        raise TemplateFailed(f"template {error.name or name} line {error.lineno}: {error.message}") from None
    except SecurityError as error:
        raise TemplateFailed(f"template {name} tried something the sandbox forbids: {error}") from None
    except Exception as error:  # a desk's override can fail in any way jinja2 can
        where = "your override" if _overridden(repo_root, name) else "the packaged template"
        raise TemplateFailed(f"template {name} ({where}) failed: {error}") from None
