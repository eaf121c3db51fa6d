from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from core.deadlines import RelativeDeadline

ELECTION_DAY = date(2023, 3, 19)


def test_six_days_before_at_six_pm_in_astana_time():
    deadline = RelativeDeadline.parse("E-6 18:00")
    assert deadline == RelativeDeadline(days=-6, at=time(18, 0))
    resolved = deadline.resolve(ELECTION_DAY, "Asia/Almaty")
    assert resolved == datetime(2023, 3, 13, 18, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    assert resolved.utcoffset().total_seconds() == 6 * 3600  # UTC+6 in March 2023


def test_the_same_deadline_in_the_west_is_an_hour_later_in_utc():
    deadline = RelativeDeadline.parse("E-6 18:00")
    east = deadline.resolve(ELECTION_DAY, "Asia/Almaty")
    west = deadline.resolve(ELECTION_DAY, "Asia/Aqtobe")
    assert (west - east).total_seconds() == 3600


def test_the_deadline_moves_with_election_day():
    deadline = RelativeDeadline.parse("E-10 24:00")
    assert deadline.resolve(date(2023, 3, 26), "Asia/Almaty").date() == date(2023, 3, 17)


@pytest.mark.parametrize("text", ["E 07:00", "E+10 24:00", "E-6 18:00", "E - 1 00:00"])
def test_round_trip(text):
    assert RelativeDeadline.parse(str(RelativeDeadline.parse(text))) == RelativeDeadline.parse(text)


@pytest.mark.parametrize("text", ["", "6 days before", "E-6 25:00", "E-6 18:60", "E-6"])
def test_malformed_deadlines_are_refused(text):
    with pytest.raises(ValidationError):
        RelativeDeadline.parse(text)
