"""The check cron runs: which providers a desk's `casefile check` is made of.
"""

from __future__ import annotations

from casefile.check.bulletin import BulletinReminder
from casefile.check.cases import CaseAlerts
from casefile.check.inspections import InspectionAlerts
from casefile.check.paging import Pager, RepageAlerts
from casefile.check.run import Check
from casefile.check.surveys import SurveyUpkeep
from casefile.session import Session


def desk_check(session: Session) -> Check:
    """The check cron runs: the clocks of cases (and re-pages of unacknowledged pages), inspections,
    surveys, and the monthly bulletin's reminder."""
    inspections, surveys = InspectionAlerts(session), SurveyUpkeep(session)
    pager = Pager(session)
    return Check(
        session,
        providers=[CaseAlerts(session), RepageAlerts(session, pager), inspections, BulletinReminder(session)],
        upkeep=[inspections, surveys],
        letters=[surveys],
        pager=pager,
    )
