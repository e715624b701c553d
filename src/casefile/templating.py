"""The one module that imports jinja2: rendering pages and letters from templates.

Templates are looked up first in the case repository's own `templates/`
folder, then among the packaged ones (the top-level `templates/` of casefile,
installed as `casefile.templates`), the way datasette does it: a desk
overrides a template by putting a file of the same name in its repository,
and the override can extend the original instead of copying it:

    {% extends "default:export/case.html" %}
    {% block description %}...{% endblock %}

Templates ending in `.html` are autoescaped; text and Markdown are not.
Undefined variables are errors, so a mistyped name in a desk's template fails
loudly instead of printing nothing.

(Issue 4 creates this module too, with the same interface; the two are one.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from .errors import CasefileError

TEMPLATES_DIR = "templates"
DEFAULT_PREFIX = "default"


class TemplateFailed(CasefileError):
    pass


def packaged_templates() -> Path:
    return Path(str(resources.files("casefile.templates")))


def _autoescape(name: str | None) -> bool:
    return bool(name and name.endswith(".html"))


def _minute(value: Any, zone: tzinfo) -> str:
    """A stored time shown to the minute in the desk's zone (the `minute` filter)."""
    if not value:
        return "—"
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@dataclass
class Templates:
    """The templates of one case repository (its own first, then the packaged ones)."""

    environment: jinja2.Environment

    @classmethod
    def for_repository(cls, root: Path, zone: tzinfo) -> Templates:
        packaged = jinja2.FileSystemLoader(str(packaged_templates()))
        own = jinja2.FileSystemLoader(str(root / TEMPLATES_DIR))
        loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({DEFAULT_PREFIX: packaged}, delimiter=":"), own, packaged])
        environment = jinja2.Environment(
            loader=loader,
            autoescape=_autoescape,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        environment.filters["minute"] = partial(_minute, zone=zone)
        return cls(environment)

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            return self.environment.get_template(name).render(**context)
        except jinja2.TemplateNotFound as error:
            raise TemplateFailed(f"no template {error.name!r}", f"the packaged ones are in {packaged_templates()}") from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateFailed(
                f"template {error.filename or name}:{error.lineno}: {error.message}",
                "fix the template in the repository's templates/ folder",
            ) from None
        except jinja2.UndefinedError as error:
            raise TemplateFailed(f"template {name}: {error.message}", "check the variable names in the template") from None
