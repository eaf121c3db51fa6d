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


# ADDRESSES AS TEXT


@pytest.mark.parametrize(
    ("text", "street", "building", "locality"),
    [
        ("ул. Абая, 12/1", "ул. Абая", "12/1", ()),
        ("Абай даңғылы 12А", "Абай даңғылы", "12А", ()),
        ("Abai avenue 12 korpus 2", "Abai avenue", "12 korpus 2", ()),
        ("Алматы, Ленина 5", "Ленина", "5", ("Алматы",)),
        ("г. Алматы, пр. Абая 52, кв. 7", "пр. Абая", "52", ("г. Алматы", "Алматы")),
        ("Абая 12 кв 5", "Абая", "12", ()),
        ("Абай, 12А, пәтер 5", "Абай", "12А", ()),
        ("Абая д. 12", "Абая", "д. 12", ()),
        ("  ул.  Абая ,  12 ", "ул. Абая", "12", ()),
        ("8 Марта", "8 Марта", "", ()),
        ("мкр 5, 12", "мкр 5", "12", ()),
        ("Qazaqstan, Almaty, Almaly district, Abai avenue 12", "Abai avenue", "12", None),
    ],
)
def test_an_address_is_read_street_building_and_locality(text, street, building, locality):
    from polling.addresses import parse_address

    reading = parse_address(text)[0]

    assert (reading.street, reading.building) == (street, building)
    if locality is not None:
        assert reading.locality == locality


def test_only_the_two_parts_nearest_the_street_name_its_locality():
    from polling.addresses import parse_address

    reading = parse_address("Қазақстан, Алматы, Алмалы ауданы, Абай даңғылы 12")[0]

    assert reading.locality == ("Алматы", "Алмалы ауданы")


def test_an_address_without_commas_may_name_its_locality_first_but_is_read_without_first():
    from polling.addresses import AddressReading, parse_address

    readings = parse_address("Алматы Ленина 5")

    assert readings[0] == AddressReading("Алматы Ленина", "5")
    assert AddressReading("Ленина", "5", ("Алматы",)) in readings
    assert readings.index(AddressReading("Ленина", "5", ("Алматы",))) > 0


def test_a_street_named_with_a_number_is_read_before_the_number_as_a_building():
    from polling.addresses import AddressReading, parse_address

    assert parse_address("8 Марта")[:2] == (
        AddressReading("8 Марта"),
        AddressReading("Марта", "8"),
    )
    assert AddressReading("Abay Avenue", "52") in parse_address("52 Abay Avenue")


def test_a_street_type_word_is_no_locality():
    from polling.addresses import parse_address

    assert all(not reading.locality for reading in parse_address("ул. Абая 12"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("А" * 201, "address_length"),
        ("Абай\u202e 12", "invisible"),
        ("Абай\u2066 12", "invisible"),  # a left-to-right isolate
        ("Абай\ufeff 12", "invisible"),  # a byte-order mark
        ("...", "no_text"),
        ("", "address_street"),
        ("кв. 5", "address_street"),
        ("улица, 12", "address_street"),
    ],
)
def test_text_that_cannot_be_an_address_is_refused_with_its_code(text, code):
    from django.core.exceptions import ValidationError

    from polling.addresses import parse_address

    with pytest.raises(ValidationError) as refused:
        parse_address(text)
    assert refused.value.code == code


def test_two_hundred_characters_are_read():
    from polling.addresses import parse_address

    text = "Абай даңғылы 12".rjust(200, " ")
    assert parse_address(text)[0].building == "12"


def test_station_for_text_answers_the_station_of_station_for_address(django_assert_num_queries):
    from polling.choices import RuleKind
    from polling.selectors import station_for_address, station_for_text
    from tests.polling.factories import StreetFactory, TerritoryRuleFactory

    street = StreetFactory(name="Абай даңғылы", names=["ул. Ленина"])
    TerritoryRuleFactory(street=street, kind=RuleKind.RANGE, number_from=10, number_to=14)
    exception = TerritoryRuleFactory(street=street, kind=RuleKind.BUILDING, building="12А")

    with django_assert_num_queries(2):
        match = station_for_text("Ленина 12А")

    assert (match.street_id, match.reading.building) == (street.pk, "12А")
    assert match.station == station_for_address(street=street, building="12А")
    assert match.station.pk == exception.station_id
    assert match.candidates == ()


def test_station_for_text_lists_candidates_in_the_alphabets_order_up_to_its_limit(
    django_assert_num_queries,
):
    from polling.selectors import station_for_text
    from tests.polling.factories import LocalityFactory, StreetFactory

    streets = [
        StreetFactory(name="Абай көшесі", locality=LocalityFactory(name=name))
        for name in ("Ақсу", "Балқаш", "Арал", "Жезқазған")
    ]
    StreetFactory(name="Абайлы көшесі")  # a longer name: not one of them

    with django_assert_num_queries(2):
        match = station_for_text("Абай 5", limit=3)

    assert match.street_id is None and match.station is None
    assert len(match.candidates) == 3
    assert {street.pk for street in match.candidates} < {street.pk for street in streets}
    assert all(street.matched_name == "Абай көшесі" for street in match.candidates)
    assert match.reading.street == "Абай"


def test_station_for_text_narrows_to_a_locality_and_its_districts():
    from polling.selectors import station_for_text
    from tests.polling.factories import LocalityFactory, StreetFactory

    city = LocalityFactory(name="Алматы")
    district = LocalityFactory(name="Алмалы ауданы", parent=city, region=city.region)
    in_district = StreetFactory(name="Абай даңғылы", locality=district)
    elsewhere = StreetFactory(name="Абай даңғылы")

    assert station_for_text("Абай 5", locality=city).street_id == in_district.pk
    assert station_for_text("Абай 5", locality=elsewhere.locality_id).street_id == elsewhere.pk
    assert station_for_text("Абай 5", locality=LocalityFactory()).reading is None


def test_station_for_text_reads_nothing_for_a_street_nobody_has(django_assert_num_queries):
    from polling.selectors import station_for_text

    with django_assert_num_queries(2):  # the streets' names, the localities'
        match = station_for_text("Жоқ көшесі 1")

    assert match.reading is None and match.street_id is None and match.candidates == ()


def test_station_for_text_answers_a_village_served_whole_by_its_name(django_assert_num_queries):
    from polling.choices import LocalityKind, RuleKind
    from polling.selectors import station_for_text
    from tests.polling.factories import LocalityFactory, TerritoryRuleFactory

    village = LocalityFactory(kind=LocalityKind.VILLAGE, name_kk="Саты", name_ru="Саты")
    rule = TerritoryRuleFactory(street=None, locality=village, kind=RuleKind.LOCALITY)
    LocalityFactory(kind=LocalityKind.VILLAGE, name_kk="Сатыбалды")

    for text in ("Саты", "с. Саты", "Саты ауылы, 5", "САТЫ"):
        with django_assert_num_queries(3):  # the streets' names, the localities', the station
            match = station_for_text(text)
        assert (match.locality_id, match.station.pk) == (village.pk, rule.station_id), text
        assert match.street_id is None


def test_station_for_text_answers_no_village_of_two_with_one_name():
    from polling.choices import LocalityKind, RuleKind
    from polling.selectors import station_for_text
    from tests.polling.factories import LocalityFactory, TerritoryRuleFactory

    for _n in range(2):
        village = LocalityFactory(kind=LocalityKind.VILLAGE, name_kk="Саты", name_ru="Саты")
        TerritoryRuleFactory(street=None, locality=village, kind=RuleKind.LOCALITY)

    match = station_for_text("Саты")

    assert match.reading is None and match.station is None


def test_station_for_text_answers_the_locality_given_when_it_is_served_whole():
    from polling.choices import LocalityKind, RuleKind
    from polling.selectors import station_for_text
    from tests.polling.factories import LocalityFactory, TerritoryRuleFactory

    village = LocalityFactory(kind=LocalityKind.VILLAGE)
    rule = TerritoryRuleFactory(street=None, locality=village, kind=RuleKind.LOCALITY)

    match = station_for_text("Орталық көшесі 3", locality=village.pk)

    assert match.station.pk == rule.station_id
    assert station_for_text("Орталық көшесі 3", locality=LocalityFactory()).station is None
