"""The check cron runs: which providers a desk's `casefile check` is made of.
"""

from __future__ import annotations

from casefile.check.bulletin import BulletinReminder
from casefile.check.cases import CaseAlerts
from casefile.check.changes import ChangeAlerts
from casefile.check.contracts import contract_reminders
from casefile.check.inspections import InspectionAlerts
from casefile.check.paging import Pager, RepageAlerts
from casefile.check.reminders import OfficialDaysReminder
from casefile.check.run import Check
from casefile.check.surveys import SurveyUpkeep
from casefile.session import Session


def desk_check(session: Session) -> Check:
    """The check cron runs: the clocks of cases, inspections, surveys, the monthly bulletin's reminder, and
    the reminder that a year's official days are missing, the contracts that end soon, and the changes (the
    customers' notice before a window, pending reviews, windows that start soon or ran over)."""
    inspections, surveys, changes = InspectionAlerts(session), SurveyUpkeep(session), ChangeAlerts(session)
    pager = Pager(session)
    return Check(
        session,
        providers=[CaseAlerts(session), RepageAlerts(session, pager),  # re-pages nobody acknowledged
                   inspections, BulletinReminder(session), *contract_reminders(session), changes],
        upkeep=[inspections, surveys, changes],
        letters=[surveys],
        reminders=OfficialDaysReminder(session),
        pager=pager,
    )
