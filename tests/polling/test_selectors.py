"""Effective voting hours: the election's default or the decision in force, in the station's
own zone (both Kazakh zones of 2023, and abroad), "open now" at the exact instants and around
midnight UTC, and lists without a query per station."""

import datetime
import zoneinfo

import pytest

from polling import services
from polling.models import PollingStation
from polling.selectors import effective_hours, is_open, with_voting_hours
from tests.polling.hours import (
    ALMATY,
    AQTOBE,
    UTC,
    draft,
    election_2023,
    publish,
    published,
    station_abroad,
    station_in,
)

pytestmark = pytest.mark.django_db

T = datetime.time


def utc(day, hour, minute=0, second=0):
    return datetime.datetime(2023, 3, day, hour, minute, second, tzinfo=UTC)


def test_zoneinfo_has_both_kazakh_zones_of_march_2023():
    day = datetime.datetime(2023, 3, 19, 12)
    offsets = {
        name: day.replace(tzinfo=zoneinfo.ZoneInfo(name)).utcoffset()
        for name in ("Asia/Almaty", "Asia/Qostanay", "Asia/Aqtobe", "Asia/Oral", "Asia/Atyrau")
    }
    assert offsets == {
        "Asia/Almaty": datetime.timedelta(hours=6),
        "Asia/Qostanay": datetime.timedelta(hours=6),
        "Asia/Aqtobe": datetime.timedelta(hours=5),
        "Asia/Oral": datetime.timedelta(hours=5),
        "Asia/Atyrau": datetime.timedelta(hours=5),
    }


def test_default_hours_in_almaty_time_are_0100_to_1400_utc():
    opening, closing, decision = effective_hours(station_in("Asia/Almaty"), election_2023())
    assert (opening, closing, decision) == (utc(19, 1), utc(19, 14), None)
    assert opening == datetime.datetime(2023, 3, 19, 7, tzinfo=ALMATY)


def test_default_hours_in_aqtobe_and_oral_time_are_an_hour_later():
    election = election_2023()
    for zone in ("Asia/Aqtobe", "Asia/Oral"):
        opening, closing, _decision = effective_hours(station_in(zone), election)
        assert (opening, closing) == (utc(19, 2), utc(19, 15))


@pytest.mark.parametrize(
    ("zone", "country", "opening_utc", "closing_utc"),
    [
        # New York is on daylight time from 12 March 2023: UTC-4.
        ("America/New_York", "US", utc(19, 11), utc(20, 0)),
        # London is on GMT until 26 March 2023.
        ("Europe/London", "GB", utc(19, 7), utc(19, 20)),
        ("Europe/Moscow", "RU", utc(19, 4), utc(19, 17)),
    ],
)
def test_a_station_abroad_votes_in_its_countrys_local_time(zone, country, opening_utc, closing_utc):
    station = station_abroad(zone, country)
    opening, closing, _decision = effective_hours(station, election_2023())
    assert (opening, closing) == (opening_utc, closing_utc)
    assert opening.tzinfo == zoneinfo.ZoneInfo(zone)


def test_an_elections_own_default_hours_are_used():
    election = election_2023(voting_opens_at=T(8, 0), voting_closes_at=T(21, 0))
    opening, closing, _decision = effective_hours(station_in(), election)
    assert (opening.time(), closing.time()) == (T(8, 0), T(21, 0))


def test_a_published_decision_sets_the_side_it_changes():
    station = station_in("Asia/Aqtobe")
    decision = published(station, election_2023(), opens_at=T(6, 0))
    opening, closing, found = effective_hours(station, decision.election)
    assert found == decision
    assert opening == datetime.datetime(2023, 3, 19, 6, tzinfo=AQTOBE)
    assert closing == datetime.datetime(2023, 3, 19, 20, tzinfo=AQTOBE)


def test_a_draft_or_adopted_decision_changes_nothing():
    station = station_in()
    election = election_2023()
    decision = draft(station, election)
    assert effective_hours(station, election)[2] is None
    services.voting_hours_decision_adopt(
        actor=None, decision=decision, on=datetime.date(2023, 3, 3)
    )
    assert effective_hours(station, election)[2] is None


def test_a_decision_for_another_election_changes_nothing():
    station = station_in()
    published(station, election_2023(kind="maslikhat"))
    assert effective_hours(station, election_2023())[2] is None


def test_a_superseding_decision_takes_over_once_published():
    station = station_in()
    election = election_2023()
    old = published(station, election, opens_at=T(6, 0))
    new = services.voting_hours_decision_supersede(
        actor=None, decision=old, number="2/1", opens_at=None, closes_at=T(22, 0)
    )
    assert effective_hours(station, election)[2] == old  # a draft supersedes nothing yet
    publish(new, at=datetime.datetime(2023, 3, 6, 9, tzinfo=ALMATY))
    opening, closing, decision = effective_hours(station, election)
    assert decision == new
    assert (opening.time(), closing.time()) == (T(7, 0), T(22, 0))


# OPEN NOW


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(19, 0, 59, 59), False),  # 06:59:59 in Almaty
        (utc(19, 1), True),  # 07:00: opening, included
        (utc(19, 13, 59, 59), True),
        (utc(19, 14), False),  # 20:00: closing, excluded
    ],
)
def test_open_at_the_exact_opening_and_closed_at_the_exact_closing(at, expected):
    assert is_open(station_in("Asia/Almaty"), election_2023(), at) is expected


def test_open_now_around_midnight_utc_for_a_station_opening_at_0600_in_almaty():
    # 06:00 in Almaty on 19 March is 00:00 UTC on 19 March; a minute earlier is 18 March in UTC.
    station = station_in("Asia/Almaty")
    election = election_2023()
    published(station, election, opens_at=T(6, 0))
    assert not is_open(station, election, utc(18, 23, 59))
    assert is_open(station, election, utc(19, 0, 0))
    assert is_open(station, election, datetime.datetime(2023, 3, 19, 6, tzinfo=ALMATY))


def test_open_now_around_midnight_utc_in_new_york():
    # 20:00 in New York on 19 March is 00:00 UTC on 20 March: closed from then on.
    station = station_abroad("America/New_York", "US")
    election = election_2023()
    assert is_open(station, election, utc(19, 23, 59, 59))
    assert not is_open(station, election, utc(20, 0, 0))


def test_open_now_differs_between_the_two_kazakh_zones_at_one_instant():
    election = election_2023()
    at = utc(19, 1, 30)  # 07:30 in Almaty, 06:30 in Aqtobe
    assert is_open(station_in("Asia/Almaty"), election, at)
    assert not is_open(station_in("Asia/Aqtobe"), election, at)


def test_open_now_needs_an_aware_instant():
    with pytest.raises(ValueError, match="aware"):
        is_open(station_in(), election_2023(), datetime.datetime(2023, 3, 19, 12))


def test_the_premises_open_an_hour_before_voting():
    station = station_in("Asia/Aqtobe")
    election = election_2023()
    assert station.premises_open_at(election) == datetime.datetime(2023, 3, 19, 6, tzinfo=AQTOBE)
    published(station, election, opens_at=T(6, 0))
    assert station.premises_open_at(election) == datetime.datetime(2023, 3, 19, 5, tzinfo=AQTOBE)


# LISTS


def test_a_list_of_stations_gets_its_hours_in_two_queries(django_assert_num_queries):
    election = election_2023()
    stations = [station_in(zone) for zone in ("Asia/Almaty", "Asia/Aqtobe", "Asia/Oral")]
    stations += [station_abroad("Europe/London", "GB")]
    published(stations[0], election, opens_at=T(6, 0))
    published(stations[1], election, number="2/1", opens_at=None, closes_at=T(21, 0))
    with django_assert_num_queries(2):
        listed = list(with_voting_hours(PollingStation.objects.order_by("pk"), election))
        hours = {s.pk: effective_hours(s, election) for s in listed}
    assert hours[stations[0].pk][0] == datetime.datetime(2023, 3, 19, 6, tzinfo=ALMATY)
    assert hours[stations[1].pk][1] == datetime.datetime(2023, 3, 19, 21, tzinfo=AQTOBE)
    assert hours[stations[2].pk][2] is None
    assert hours[stations[3].pk][0] == utc(19, 7)


def test_a_list_prefetched_for_one_election_asks_again_for_another(
    django_assert_num_queries,
):
    station = station_in()
    first, second = election_2023(), election_2023(kind="maslikhat")
    published(station, second)
    listed = with_voting_hours(PollingStation.objects.filter(pk=station.pk), first).get()
    with django_assert_num_queries(0):
        assert effective_hours(listed, first)[2] is None
    with django_assert_num_queries(1):
        assert effective_hours(listed, second)[2] is not None
