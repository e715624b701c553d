"""`casefile export --customer X`: one customer's case history as a static site, and nothing of anyone else's.

Customers may browse their own case history (seed 000), and only their own:
customer information is confidential.  The export

* takes the cases whose `customer` is X, and the surveys and inspections that
  name X (or one of its cases) — the `surveys/` and `inspections/` folders,
  read as generic records, when a desk has them;
* shows an allow-list of each: the customer-visible fields and events, labelled
  in `--lang zh|en` (default the desk's language), times to the minute
  (`export.view`);
* redacts, everywhere in the text, whatever identifies another customer:
  the names, phones, e-mail addresses, companies, addresses and contract ids
  found in other customers' records (`confidential`);
* writes self-contained pages — html (styles inline, no scripts, nothing
  loaded from elsewhere; autoescaped) or Markdown (raw HTML escaped, links and
  images in values neutralised, so no `javascript:` link or remote image gets
  in) — into a new folder, all or nothing: it is written beside and renamed
  into place at the end.  Page names come from record ids that are checked
  (letters, digits, `-`, `.`, `_`), and every path is resolved and must lie
  inside the folder: a hand-edited `id: ../../x` writes nowhere else.

Templates are `templates/export/*` (a desk may override them, see `templating`).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from casefile.errors import CasefileError, NotFound
from casefile.export.redact import REDACTED, Identifiers, Redactor
from casefile.export.labels import LANGUAGES, page
from casefile.export.view import case_view, inspection_view, survey_view
from casefile.records.file import RecordEntry
from casefile.records.kinds import CASES, CUSTOMERS, kind_of
from casefile.render import templates as templating
from casefile.render.cells import minute
from casefile.records.yamlio import RecordError
from casefile.policy.attachments import size_text
from casefile.session import Session
from casefile.i18n import _
from casefile.values import Struct, field

# Record folders shown with a customer's cases: folder -> the label of one record.
RELATED = {"surveys": "survey", "inspections": "inspection"}
FORMATS = ("html", "md")
_CUSTOMER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_PAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class ExportResult(Struct):
    customer: str
    folder: Path
    format: str
    cases: int = 0
    related: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        counts = [f"{self.cases} case(s)", *(f"{n} {folder}" for folder, n in self.related.items())]
        lines = [f"exported {', '.join(counts)} of {self.customer} to {self.folder} ({self.format})"]
        lines += [f"  skipped {path}: it cannot be read (casefile validate says why)" for path in self.unreadable]
        return lines

    def as_json(self) -> dict[str, Any]:
        return {"customer": self.customer, "folder": str(self.folder), "format": self.format, "cases": self.cases,
                **{folder: n for folder, n in self.related.items()}, "unreadable": self.unreadable}


class _Gathered(Struct):
    name: str
    cases: list[RecordEntry] = field(default_factory=list)
    related: dict[str, list[RecordEntry]] = field(default_factory=dict)
    own: Identifiers = field(default_factory=Identifiers)
    others: Identifiers = field(default_factory=Identifiers)
    unreadable: list[str] = field(default_factory=list)


def _customer_language(session: Session, customer: str) -> str:
    from casefile.notify.mails import customer_of, language_of

    try:
        data = customer_of(session, customer)
    except RecordError:
        data = None  # an unreadable customer file: the desk's language; the export says it skipped it
    return language_of(None, data, session.policy.language)


def check_customer(text: str) -> str:
    value = text.strip()
    if not _CUSTOMER.match(value) or ".." in value:
        raise CasefileError(_("{text!r} is not a customer id").format(text=text),
                            _("customer ids are letters, digits, '-', '.', '_', like acme-sz"))
    return value


def export_customer(session: Session, customer: str, fmt: str, output: Path, lang: str | None = None) -> ExportResult:
    customer = check_customer(customer)
    if fmt not in FORMATS:
        raise CasefileError(_("format {fmt!r} is not one of: {names}").format(fmt=fmt, names=', '.join(FORMATS)))
    if lang is None:  # the customer's language (`lang:` in its file), else the desk's
        lang = _customer_language(session, customer)
    if lang not in LANGUAGES:
        raise CasefileError(_("language {lang!r} is not one of: {names}").format(lang=lang, names=', '.join(LANGUAGES)))
    target = output.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CasefileError(_("{target} exists and is not empty").format(target=target), _("export into a new folder"))
    gathered = _gather(session, customer)
    if not gathered.cases and not any(gathered.related.values()) and gathered.name == customer \
            and CUSTOMERS.find(session.root, customer) is None:
        raise NotFound(_("no customer {customer!r}: no case, survey or inspection names it").format(customer=customer),
                       _("`casefile list --all --json` shows the customers of cases"))
    files = _public_files(session, gathered)
    pages = _pages(session, customer, gathered, fmt, lang, files)
    _write_all(pages, target, {relative: source for relative, (source, _name, _size) in files.items()})
    return ExportResult(customer, target, fmt, len(gathered.cases),
                        {folder: len(entries) for folder, entries in gathered.related.items() if entries},
                        gathered.unreadable)


def _records(session: Session, folder: str, gathered: _Gathered) -> Iterator[RecordEntry]:
    return session.catalog.records(folder, lambda error: gathered.unreadable.append(error.source))


def _gather(session: Session, customer: str) -> _Gathered:
    gathered = _Gathered(customer)
    for entry in _records(session, CUSTOMERS.folder, gathered):
        mine = CUSTOMERS.id_of(entry.path) == customer
        (gathered.own if mine else gathered.others).add_record(entry.data, customer_file=True)
        if mine and entry.data.get("name"):
            gathered.name = str(entry.data["name"])
    for entry in _records(session, CASES.folder, gathered):
        mine = str(entry.data.get("customer") or "") == customer
        (gathered.own if mine else gathered.others).add_record(entry.data)
        if mine:
            gathered.cases.append(entry)
    case_ids = {str(e.data.get("id")) for e in gathered.cases}
    for folder in RELATED:
        gathered.related[folder] = []
        for entry in _records(session, folder, gathered):
            mine = str(entry.data.get("customer") or "") == customer or str(entry.data.get("case") or "") in case_ids
            (gathered.own if mine else gathered.others).add_record(entry.data)
            if mine:
                gathered.related[folder].append(entry)
    gathered.cases.sort(key=lambda e: (str(e.data.get("opened_at") or ""), e.path))
    return gathered


def _public_files(session: Session, gathered: _Gathered) -> dict[str, tuple[Path, str, int]]:
    """The files the customer may see (`cases.attachments`: marked public when attached), by their place
    in the site (`files/<case>/<name>`): the file in the work tree, its name and size.  A file missing
    from the work tree is left out with a note."""
    from casefile.cases.attachments import public_attachments

    found: dict[str, tuple[Path, str, int]] = {}
    for entry in gathered.cases:
        case_id = _page_id(entry.path)
        for item in public_attachments(entry.data):
            source = session.root / item.path
            if not source.is_file() or source.is_symlink():
                session.notes(f"{item.path} is not in the work tree; left out of the export")
                continue
            found[f"files/{case_id}/{item.name}"] = (source, item.name, source.stat().st_size)
    return found


def _pages(session: Session, customer: str, gathered: _Gathered, fmt: str, lang: str,
           files: Mapping[str, tuple[Path, str, int]] | None = None) -> dict[str, str]:
    redactor = Redactor(gathered.others, gathered.own)
    zone = session.policy.zone

    def clean(value: Any) -> Any:
        # html is autoescaped by the templates; Markdown viewers render raw HTML, links and images, so
        # values are neutralised here.
        return redactor.data(value) if fmt == "html" else markdown_safe(redactor.data(value))

    def at_minute(value: Any) -> str:
        return minute(value, zone)

    exported = {_page_id(e.path) for e in gathered.cases}
    cases = [clean(case_view(e.data, e.body, exported, lang, at_minute, _page_id(e.path))) for e in gathered.cases]
    for case in cases:
        prefix = f"files/{case['id']}/"
        case["files"] = [clean({"name": name, "href": f"../{relative}", "size": size_text(size)})
                         for relative, (_source, name, size) in (files or {}).items() if relative.startswith(prefix)]
    related = {
        folder: [clean(_related_view(session, folder, e, lang, at_minute))
                 for e in sorted(entries, key=lambda e: e.path)]
        for folder, entries in gathered.related.items()
    }
    words = page(lang)
    labels = {folder: words[folder] for folder in RELATED}
    site = {"customer": clean(customer), "name": clean(gathered.name), "generated_at": at_minute(session.stamp()),
            "ext": fmt, "cases": cases, "related": related, "labels": labels, "t": words}

    def render(name: str, context: dict[str, Any]) -> str:
        return templating.render(session.root, f"export/{name}.{fmt}", context, zone)

    pages = {f"index.{fmt}": render("index", site)}
    for case in cases:
        pages[f"cases/{case['id']}.{fmt}"] = render("case", {**site, "case": case})
    for folder, records in related.items():
        for record in records:
            pages[f"{folder}/{record['id']}.{fmt}"] = render("record", {**site, "record": record})
    return pages


def _page_id(path: str) -> str:
    """The name of a record's page: its id as its path gives it, checked (never the `id` inside the file)."""
    stem = _stem(path)
    if not _PAGE_NAME.match(stem) or ".." in stem:
        raise CasefileError(_("{path}: its name cannot name a page").format(path=path), _("rename the file to its record id"))
    return stem


def _related_view(session: Session, folder: str, entry: RecordEntry, lang: str, at_minute: Any) -> dict[str, Any]:
    ident = _page_id(entry.path)
    if folder == "surveys":
        surveys = session.policy.surveys

        def question(key: str) -> str:
            found = next((q for q in surveys.questions if q.key == key), None)
            return (found.label_zh if lang == "zh" else found.label) if found else key

        def answer(key: str) -> str:
            found = surveys.answer_by_key(key)
            return (found.label_zh if lang == "zh" else found.label) if found else key

        view = survey_view(entry.data, entry.body, ident, lang, at_minute, question, answer)
    else:
        view = inspection_view(entry.data, entry.body, ident, lang, lambda item: item)
    view["kind"] = page(lang)[RELATED[folder]]
    return view


_MD_LINK = re.compile(r"(!?)\[")
_MD_SCHEME = re.compile(r"\b(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def markdown_safe(value: Any) -> Any:
    """Text that a Markdown viewer shows as text: raw HTML escaped, no link or image syntax, no
    `javascript:` URL, no autolink to anywhere."""
    if isinstance(value, str):
        text = html.escape(value, quote=False)
        text = _MD_LINK.sub(lambda m: ("\\!" if m.group(1) else "") + "\\[", text)
        text = text.replace("](", "]\\(").replace(f"\\{REDACTED}", REDACTED)  # "[redacted]" links nowhere
        return _MD_SCHEME.sub(lambda m: f"{m.group(1)}&#58;", text)
    if isinstance(value, Mapping):
        return {k: markdown_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(markdown_safe(v) for v in value)
    return value


def _write_all(pages: Mapping[str, str], target: Path, files: Mapping[str, Path] | None = None) -> None:
    """Write every page (and copy every file) beside the target, then move the whole folder into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        inside = staging.resolve()
        for relative, text in pages.items():
            path = (staging / relative).resolve()
            if not path.is_relative_to(inside) or path == inside:
                raise CasefileError(_("page {relative!r} would be written outside {target}").format(relative=relative, target=target), _("rename that record"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for relative, source in (files or {}).items():
            path = (staging / relative).resolve()
            if not path.is_relative_to(inside) or path == inside:
                raise CasefileError(_("file {relative!r} would be written outside {target}").format(relative=relative, target=target), _("rename that file"))
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
        mask = os.umask(0)
        os.umask(mask)
        staging.chmod(0o777 & ~mask)  # mkdtemp makes it private; the site is for reading
        if target.exists():
            target.rmdir()  # checked empty above
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _stem(path: str) -> str:
    kind = kind_of(path)
    return kind.id_of(path) if kind is not None else path
