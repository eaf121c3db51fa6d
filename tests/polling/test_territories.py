"""Territories: which station serves an address, street search, and the rules that keep one
station per address (polling.addresses, polling.selectors, polling.services)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polling.addresses import building_key, street_key
from polling.choices import LocalityKind, Parity, RuleKind
from polling.selectors import station_for_address, streets_matching
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)

pytestmark = pytest.mark.django_db


def station_in(region):
    return PollingStationFactory(precinct_commission__parent__region=region)


def rule(street, kind=RuleKind.STREET, station=None, **fields):
    station = station or station_in(street.locality.region)
    return TerritoryRuleFactory(street=street, station=station, kind=kind, **fields)


# BUILDING NUMBERS AND STREET KEYS


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("12", "12"),
        ("12А", "12A"),  # Cyrillic А
        ("12A", "12A"),  # Latin A
        ("12 а", "12A"),
        ("12-А", "12A"),
        ("12Б", "12Б"),  # no Latin look-alike: kept
        ("12/1", "12/1"),
        ("12А/1", "12A/1"),
        ("12 корпус 2", "12/2"),
        ("12 корп. 2", "12/2"),
        ("12к2", "12/2"),
        ("１２А", "12A"),  # full-width digits
        ("д. 5", "5"),
    ],
)
def test_building_numbers_are_read_in_every_usual_spelling(typed, key):
    assert building_key(typed) == key


@pytest.mark.parametrize("typed", ["", "abc", "0", "12//", "А12"])
def test_a_text_that_is_no_building_number_is_refused(typed):
    with pytest.raises(ValidationError):
        building_key(typed)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ул. Абая", "Абай көшесі"),
        ("Абай көшесі", "Abay"),
        ("ABAI", "абай"),
        ("проспект Достық", "Dostyk ave."),
        ("Қонаев көшесі", "Конаев"),
        ("Ёлочная", "Елочная"),
    ],
)
def test_street_keys_fold_languages_types_and_lookalikes(one, other):
    first, second = street_key(one), street_key(other)
    assert first.startswith(second) or second.startswith(first)


# WHICH STATION SERVES AN ADDRESS


def test_a_single_building_beats_a_range_which_beats_the_street_which_beats_the_locality():
    street = StreetFactory()
    region = street.locality.region
    whole_locality = TerritoryRuleFactory(
        street=None, locality=street.locality, kind=RuleKind.LOCALITY
    ).station
    whole_street = rule(street).station
    in_range = rule(street, RuleKind.RANGE, number_from=10, number_to=20).station
    single = rule(street, RuleKind.BUILDING, building="12А", station=station_in(region)).station

    assert station_for_address(street=street, building="12а") == single
    assert station_for_address(street=street, building="12") == in_range
    assert station_for_address(street=street, building="30") == whole_street
    assert station_for_address(street=StreetFactory(locality=street.locality)) == whole_locality
    assert station_for_address(locality=street.locality) == whole_locality


def test_odd_and_even_sides_go_to_their_own_stations():
    street = StreetFactory()
    odd = rule(street, parity=Parity.ODD).station
    even = rule(street, parity=Parity.EVEN).station

    assert station_for_address(street=street.pk, building="7") == odd
    assert station_for_address(street=street.pk, building="8") == even
    assert station_for_address(street=street.pk, building="7Б") == odd


def test_a_building_with_a_letter_or_block_is_inside_the_range_of_its_number():
    street = StreetFactory()
    station = rule(street, RuleKind.RANGE, number_from=10, number_to=14, parity=Parity.EVEN).station

    assert station_for_address(street=street, building="12А") == station
    assert station_for_address(street=street, building="12/1") == station
    assert station_for_address(street=street, building="14 корпус 2") == station
    assert station_for_address(street=street, building="13") is None
    assert station_for_address(street=street, building="16") is None


def test_a_single_building_rule_serves_that_building_only():
    street = StreetFactory()
    station = rule(street, RuleKind.BUILDING, building="12/1").station

    assert station_for_address(street=street, building="12 корп 1") == station
    assert station_for_address(street=street, building="12") is None
    assert station_for_address(street=street, building="12А") is None


def test_an_address_no_rule_covers_has_no_station():
    street = StreetFactory()

    assert station_for_address(street=street, building="1") is None
    assert station_for_address(locality=LocalityFactory(kind=LocalityKind.VILLAGE)) is None
    assert station_for_address() is None


def test_a_street_without_a_building_number_is_served_only_by_a_both_sides_rule():
    street = StreetFactory()
    rule(street, parity=Parity.ODD)

    assert station_for_address(street=street) is None


def test_the_lookup_is_one_query(django_assert_num_queries):
    street = StreetFactory()
    rule(street, RuleKind.RANGE, number_from=1, number_to=99)
    TerritoryRuleFactory(street=None, locality=street.locality, kind=RuleKind.LOCALITY)

    with django_assert_num_queries(1):
        station = station_for_address(street=street.pk, building="12А")
        assert station.region.name  # the region (its zone) comes with it

    with django_assert_num_queries(1):
        station_for_address(locality=street.locality.pk)


# STREET SEARCH


def test_a_street_is_found_by_its_former_name_in_russian():
    street = StreetFactory(name="Абай көшесі", names=["ул. Ленина"])

    found = streets_matching("Ленина")

    assert found == [street]
    assert found[0].matched_name == "ул. Ленина"


@pytest.mark.parametrize("typed", ["Абай", "абая", "Abay", "ABAI", "ул. Аба"])
def test_a_street_is_found_by_a_prefix_in_kazakh_russian_or_latin(typed):
    street = StreetFactory(name="Абай көшесі", names=["улица Абая"])

    assert streets_matching(typed) == [street]


def test_streets_are_listed_in_the_alphabet_of_the_language_then_by_pk():
    locality = LocalityFactory()
    later = StreetFactory(locality=locality, name="Қабанбай батыр")
    first = StreetFactory(locality=locality, name="Кабанбай")
    StreetFactory(name="Кабанбай батыр")  # another locality

    with translation.override("kk"):
        assert streets_matching("каб", locality=locality) == [first, later]


def test_the_typeahead_is_two_queries(django_assert_num_queries):
    for number in range(5):
        StreetFactory(name=f"Абай {number}")

    with django_assert_num_queries(2):
        assert len(streets_matching("абай", limit=3)) == 3
