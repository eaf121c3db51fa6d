"""The territories' public API: which station serves an address, and the street typeahead."""

import pytest
from django.core.cache import cache
from django.utils import translation

from polling.api.views import (
    ADDRESS_REQUIRED,
    BUILDING_REQUIRED,
    LOCALITY_UNKNOWN,
    NO_STATION_SERVES,
    STREET_UNKNOWN,
)
from polling.choices import LocalityKind, RuleKind
from tests.openapi import api_schema, assert_matches_schema
from tests.polling.factories import LocalityFactory, StreetFactory, TerritoryRuleFactory

pytestmark = pytest.mark.django_db

LOOKUP = "/api/v1/polling-stations/lookup/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_the_lookup_answers_the_station_serving_a_building(api_client):
    rule = TerritoryRuleFactory(kind=RuleKind.RANGE, number_from=10, number_to=14)

    response = api_client.get(LOOKUP, {"street": rule.street_id, "building": "12А"})

    assert response.status_code == 200
    assert response.json()["id"] == rule.station_id
    assert_matches_schema(response)


def test_the_lookup_answers_the_station_serving_a_whole_village(api_client):
    village = LocalityFactory(kind=LocalityKind.VILLAGE)
    rule = TerritoryRuleFactory(street=None, locality=village, kind=RuleKind.LOCALITY)

    response = api_client.get(LOOKUP, {"locality": village.pk})

    assert response.json()["number"] == rule.station.number


def test_an_address_no_station_serves_is_a_clear_404(api_client):
    street = StreetFactory()

    response = api_client.get(
        LOOKUP, {"street": street.pk, "building": "5"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": str(NO_STATION_SERVES)}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_street_without_a_building_number_is_a_400_on_building(api_client, language):
    rule = TerritoryRuleFactory(kind=RuleKind.RANGE, number_from=10, number_to=14)

    response = api_client.get(LOOKUP, {"street": rule.street_id}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    with translation.override(language):
        assert response.json() == {"building": [str(BUILDING_REQUIRED)]}
    assert_matches_schema(response)


def test_a_street_served_whole_needs_no_building_number(api_client):
    rule = TerritoryRuleFactory(kind=RuleKind.STREET)

    response = api_client.get(LOOKUP, {"street": rule.street_id})

    assert response.status_code == 200
    assert response.json()["id"] == rule.station_id


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"street": "99999"}, "street", STREET_UNKNOWN),
        ({"street": "99999", "building": "5"}, "street", STREET_UNKNOWN),
        ({"locality": "99999"}, "locality", LOCALITY_UNKNOWN),
    ],
)
def test_an_unknown_street_or_locality_is_a_400_on_its_field(api_client, query, field, message):
    response = api_client.get(LOOKUP, query, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {field: [message.format(value=99999)]}


@pytest.mark.parametrize(
    ("query", "field"),
    [({}, "street"), ({"street": "x"}, "street"), ({"locality": "1;"}, "locality")],
)
def test_a_lookup_without_a_usable_address_is_a_400(api_client, query, field):
    response = api_client.get(LOOKUP, query)

    assert response.status_code == 400
    assert field in response.json()


def test_a_lookup_without_an_address_says_what_to_give(api_client):
    response = api_client.get(LOOKUP, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["street"] == [str(ADDRESS_REQUIRED)]


def test_a_building_number_that_cannot_be_read_is_a_400(api_client):
    street = StreetFactory()

    response = api_client.get(LOOKUP, {"street": street.pk, "building": "abc"})

    assert response.status_code == 400
    assert "building" in response.json()


def test_the_lookup_is_a_constant_number_of_queries(api_client, django_assert_max_num_queries):
    rules = TerritoryRuleFactory.create_batch(3, kind=RuleKind.RANGE, number_from=1, number_to=9)

    for rule in rules:
        with django_assert_max_num_queries(1):
            response = api_client.get(LOOKUP, {"street": rule.street_id, "building": "3"})
        assert response.status_code == 200


def test_the_typeahead_finds_a_street_by_its_former_name(api_client):
    street = StreetFactory(name="Абай көшесі", names=["ул. Ленина"])

    response = api_client.get("/api/v1/streets/", {"q": "ленин"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": street.pk,
            "name": "Абай көшесі",
            "matched_name": "ул. Ленина",
            "locality": street.locality_id,
            "locality_name": street.locality.name,
            "region": street.locality.region_id,
        }
    ]
    assert_matches_schema(response)


def test_the_typeahead_is_limited_to_a_locality(api_client):
    street = StreetFactory(name="Абай көшесі")
    StreetFactory(name="Абай көшесі")

    response = api_client.get("/api/v1/streets/", {"q": "abay", "locality": street.locality_id})

    assert [found["id"] for found in response.json()] == [street.pk]


def test_the_typeahead_with_nothing_typed_is_empty(api_client):
    StreetFactory()

    assert api_client.get("/api/v1/streets/", {"q": " "}).json() == []


def test_the_schema_documents_the_lookup_and_the_typeahead():
    paths = api_schema()["paths"]

    lookup = paths["/api/v1/polling-stations/lookup/"]["get"]
    assert {p["name"] for p in lookup["parameters"]} >= {"street", "building", "locality"}
    assert {"200", "400", "404"} <= set(lookup["responses"])
    assert "/api/v1/streets/" in paths
