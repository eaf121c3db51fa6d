"""The demo stations' territories (polling.demo.territories): loaded through the import, renamed
streets found by their former names, and nothing written by a second load."""

import pytest

from commissions import demo as commissions_demo
from core.demo import Demo
from polling import demo
from polling.demo import territories
from polling.models import Locality, PollingStation, TerritoryRule
from polling.selectors import station_for_address, streets_matching, unserved_addresses

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    commissions_demo.load(Demo())
    demo.load(Demo())  # the stations, then their territories


def station(region, number):
    return PollingStation.objects.get(precinct_commission__region__code=region, number=number)


def test_a_renamed_street_is_found_by_its_soviet_name(loaded):
    astana = Locality.objects.get(name_en="Astana")

    (street,) = streets_matching("проспект Победы", locality=astana)

    assert street.name_kk == "Жеңіс даңғылы"
    assert station_for_address(street=street, building="3") == station("astana", 230)


def test_a_former_name_shared_by_streets_of_several_cities_finds_each(loaded):
    found = {street.locality.name_en for street in streets_matching("Ленина")}

    assert found >= {"Astana", "Shymkent", "Aktobe", "Kostanay"}


def test_the_demo_serves_single_buildings_sides_and_villages(loaded):
    astana = Locality.objects.get(name_en="Astana")
    (kenesary,) = streets_matching("Кенесары", locality=astana)

    assert station_for_address(street=kenesary, building="14") == station("astana", 12)
    assert station_for_address(street=kenesary, building="14/1") == station("astana", 230)
    assert station_for_address(street=kenesary, building="15") == station("astana", 12)
    assert station_for_address(street=kenesary, building="45") == station("astana", 45)
    village = Locality.objects.get(name_en="Karazhanbas")
    assert station_for_address(locality=village) == station("mangystau", 540)


def test_the_demo_shows_unserved_stretches(loaded):
    (kenesary,) = streets_matching("Кенесары", locality=Locality.objects.get(name_en="Astana"))

    report = unserved_addresses(kenesary.locality)

    assert [(r.parity, r.number_from, r.number_to) for r in report if r.street == kenesary] == [
        ("odd", 101, None),
        ("even", 100, None),
    ]


def test_a_second_load_writes_nothing(loaded):
    rules = list(TerritoryRule.objects.order_by("pk").values_list("pk", flat=True))
    again = Demo()

    territories.load(again)

    assert not any(again.written.values())
    assert list(TerritoryRule.objects.order_by("pk").values_list("pk", flat=True)) == rules
