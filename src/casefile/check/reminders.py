"""`casefile check` says, once per run-day, that a year's official days are missing.

From `desk.next_year_reminder` (default 1 December) a run reports that next year's official days (statutory
days off and make-up working days) are not in the repository or the package yet, with the command that adds
them; a missing *current* year is reported every run-day too.  Cron mails what a run prints, so the line
comes once a day, not every five minutes: the days it was said on are remembered per clone in
`.git/casefile/reminders.json` (a dry run says it and remembers nothing).  It changes no record, makes no
commit and does not change the exit status.

(The clocks that cannot be computed meanwhile are reported once each, in their case — see
`AlertKind.UNCOMPUTABLE`.)
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from casefile.check.model import DeskNotice
from casefile.policy.official import missing_years
from casefile.render.output import write_atomic
from casefile.session import Session

STATE_FILE = "reminders.json"


class OfficialDaysReminder:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def path(self) -> Path:
        return self.session.state_dir / STATE_FILE

    def due(self, now: datetime) -> list[DeskNotice]:
        """The missing years not yet said on `now`'s day."""
        today = now.astimezone(self.session.policy.zone).date()
        told = self._told()
        return [DeskNotice(found.key, found.text(), found.fix)
                for found in missing_years(self.session.policy, today) if told.get(found.key) != today.isoformat()]

    def said(self, notices: list[DeskNotice], now: datetime) -> None:
        """Remember that `notices` were said today."""
        if not notices:
            return
        today = now.astimezone(self.session.policy.zone).date().isoformat()
        told = self._told()
        told.update({notice.key: today for notice in notices})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(told, sort_keys=True).encode("utf-8"))

    def _told(self) -> dict[str, str]:
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError, UnicodeDecodeError):
            return {}  # a lost or damaged file: say it again, once
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
