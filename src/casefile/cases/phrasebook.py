"""The desk's phrase book: its `replies/` and the packaged standard phrases, filled in for a case.

`note --phrase` is in the desk's language (an internal note is read by the
desk); `reply --phrase` in the customer's: the caller's contact's `lang:`, else
the customer's, else the desk's — the language their mail goes out in.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from casefile.cases.phrases import LANGS, PLACEHOLDERS, REPLIES, Phrase, check_phrase_name, choose, fill, read_folder
from casefile.errors import CasefileError
from casefile.records.yamlio import RecordError
from casefile.session import Session
from casefile.i18n import _
from casefile.values import Struct


class Filled(Struct, frozen=True):
    """A phrase filled in for a case: the text, its language, the phrase it came from."""

    text: str
    lang: str
    phrase: Phrase


class PhraseBook:
    def __init__(self, session: Session) -> None:
        self.session = session

    def phrases(self) -> list[Phrase]:
        """The desk's phrases, then the packaged ones (each name and language as it is found)."""
        packaged = Path(str(resources.files("casefile.templates"))) / REPLIES
        def skipped(error: RecordError) -> None:
            self.session.notes(f"skipped {error}")

        return [*read_folder(self.session.root / REPLIES, REPLIES, skipped), *read_folder(packaged, "package", skipped)]

    def listing(self) -> list[dict[str, Any]]:
        """`casefile phrase list`: each phrase once, with the languages it has and where each comes from."""
        found = self.phrases()
        rows = []
        for name in sorted({p.name for p in found}):
            chosen = {lang: choose(found, name, lang) for lang in LANGS
                      if any(p.name == name and p.lang in (lang, None) for p in found)}
            first = chosen.get(self.session.policy.language) or next(iter(chosen.values()))
            rows.append({"name": name, "title": first.title,
                         "langs": {lang: {"source": p.source, "title": p.title} for lang, p in chosen.items()},
                         "placeholders": first.placeholders()})
        return rows

    def phrase(self, name: str, lang: str | None = None) -> Phrase:
        return choose(self.phrases(), check_phrase_name(name), self._lang(lang))

    def _lang(self, lang: str | None) -> str:
        chosen = lang or self.session.policy.language
        if chosen not in LANGS:
            raise CasefileError(_("language {chosen!r} is not one of: {names}").format(chosen=chosen, names=', '.join(LANGS)))
        return chosen

    def fill_for(self, case_number: str, name: str, for_customer: bool, lang: str | None = None) -> Filled:
        """Phrase `name` filled in for the case: in `lang`, else the customer's language (`for_customer`,
        a reply) or the desk's (a note)."""
        check_phrase_name(name)
        entry = self.session.catalog.case(case_number)
        data = entry.data
        chosen = self._lang(lang or (self._customer_lang(data) if for_customer else None))
        phrase = choose(self.phrases(), name, chosen)
        text = fill(phrase, self._values(data), _missing(str(data.get("id"))))
        return Filled(text, chosen, phrase)

    def _customer_lang(self, data: Mapping[str, Any]) -> str:
        from casefile.notify.mails import customer_of, language_of

        customer = customer_of(self.session, str(data.get("customer") or "") or None)
        caller: Mapping[str, Any] = data["caller"] if isinstance(data.get("caller"), Mapping) else {}
        email = str(caller.get("email") or "").lower()
        contacts = [c for c in (customer or {}).get("contacts") or [] if isinstance(c, Mapping)]
        contact = next((c for c in contacts if email and str(c.get("email") or "").lower() == email), None)
        return language_of(contact, customer, self.session.policy.language)

    def _values(self, data: Mapping[str, Any]) -> dict[str, str | None]:
        session = self.session
        caller: Mapping[str, Any] = data["caller"] if isinstance(data.get("caller"), Mapping) else {}
        assignee = str(data.get("assignee") or "")
        engineer = session.people.persons.get(assignee)
        values: dict[str, str | None] = {
            "caller": str(caller.get("name") or "") or None,
            "case": str(data.get("id")),
            "engineer": (engineer.name if engineer and engineer.name else assignee) or None,
            "title": str(data.get("title") or "") or None,
            "customer": self._customer_name(data),
            "me": None,
            "due": None,
        }
        try:
            values["me"] = session.actor.name or session.actor.handle
        except CasefileError:
            pass  # `phrase show --case` without --as: only {me} is unknown
        values["due"] = self._due(data)
        return values

    def _customer_name(self, data: Mapping[str, Any]) -> str | None:
        from casefile.notify.mails import customer_of

        ident = str(data.get("customer") or "") or None
        customer = customer_of(self.session, ident)
        return str((customer or {}).get("name") or ident or "") or None

    def _due(self, data: Mapping[str, Any]) -> str | None:
        from casefile.sla.engine import CaseSla
        from casefile.sla.work import ServiceLevels

        if data.get("status") == "closed":
            return None
        sla = ServiceLevels(self.session).try_of(data)
        nxt = sla.next_deadline() if isinstance(sla, CaseSla) else None
        if nxt is None or nxt.due_at is None:
            return None
        return f"{nxt.due_at.astimezone(self.session.policy.zone):%Y-%m-%d %H:%M}"


def _missing(case_id: str) -> dict[str, str]:
    """How to give a case what a placeholder needs."""
    return {
        "caller": f"record the caller's name: casefile edit {case_id}",
        "engineer": f"assign it first: casefile assign {case_id} HANDLE",
        "due": f"{case_id} has no running deadline; write the text yourself with -m",
        "title": f"give it a title: casefile change {case_id} --title TEXT",
        "customer": f"{case_id} names no customer; write the text yourself with -m",
        "me": "say who you are: --as HANDLE",
    }


__all__ = ["Filled", "PhraseBook", "PLACEHOLDERS"]
