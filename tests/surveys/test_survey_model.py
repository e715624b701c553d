"""A survey's status as of now (surveys/model.py): an outstanding survey past its expiry is expired."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from casefile.surveys.model import SurveyStatus, case_survey_id, effective_status, to_send

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_expiry_and_sending_as_of_now() -> None:
    survey = {"id": "SV-KMT-00417", "status": "pending", "issued_at": "2026-11-02T11:00:00+08:00",
              "send_after": "2026-11-02T11:00:00+08:00", "expires_at": "2026-12-02T11:00:00+08:00",
              "contact": {"email": "zhang.wei@acme.example"}}
    before, after = datetime(2026, 11, 3, tzinfo=SHANGHAI), datetime(2026, 12, 3, tzinfo=SHANGHAI)
    assert effective_status(survey, before) is SurveyStatus.PENDING
    assert effective_status(survey, after) is SurveyStatus.EXPIRED
    assert effective_status({**survey, "status": "answered"}, after) is SurveyStatus.ANSWERED
    assert to_send(survey, before) and not to_send({**survey, "status": "sent"}, before)
    assert (case_survey_id("KMT-00417", 1), case_survey_id("KMT-00417", 2)) == ("SV-KMT-00417", "SV-KMT-00417-2")
