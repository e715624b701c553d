"""The note a change leaves when it queued mail (`Done.notes`): words for the person at the terminal, in their
language, and what they say kept beside them — so the command line knows to send the outbox now by asking what
the note is (`queued_mail`), never by reading its words."""

from __future__ import annotations

from collections.abc import Iterable

from casefile.i18n import _


class MailQueued(str):
    """`mail to zhang.wei@acme.example queued` (in the reader's language), with its addresses and hold."""

    to: tuple[str, ...]
    held_until: str | None

    def __new__(cls, to: Iterable[str], held_until: str | None = None) -> MailQueued:
        addresses = tuple(to)
        if held_until:
            words = _("mail to {to} queued (held until {time}: outside the customer's hours)").format(
                to=", ".join(addresses), time=held_until)
        else:
            words = _("mail to {to} queued").format(to=", ".join(addresses))
        note = super().__new__(cls, words)
        note.to, note.held_until = addresses, held_until
        return note


def queued_mail(notes: Iterable[str]) -> bool:
    """Did the change queue mail?  (Its notes say so in words; this asks what they are.)"""
    return any(isinstance(note, MailQueued) for note in notes)
