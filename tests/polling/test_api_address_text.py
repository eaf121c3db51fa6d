"""The address look-up from text (`?address=`): what a voter or an agency types, read by
`polling.addresses.parse_address` and decided by `polling.selectors.station_for_text`."""

import pytest
from django.core.cache import cache
from django.utils import translation

from polling.addresses import (
    ADDRESS_INVISIBLE,
    ADDRESS_NEEDS_STREET,
    ADDRESS_NO_STREET,
    ADDRESS_SEVERAL_STREETS,
    ADDRESS_TOO_LONG,
)
from polling.api.views import (
    ADDRESS_OR_STREET,
    BUILDING_REQUIRED,
    LOCALITY_UNKNOWN,
    NO_STATION_SERVES,
    NOT_AN_ID,
)
from polling.choices import LocalityKind, RuleKind
from polling.models import StreetName
from tests.openapi import api_schema, assert_matches_schema
from tests.polling.factories import LocalityFactory, StreetFactory, TerritoryRuleFactory

pytestmark = pytest.mark.django_db

LOOKUP = "/api/v1/polling-stations/lookup/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def locality(kk, ru=None, en=None, **fields):
    return LocalityFactory(name_kk=kk, name_ru=ru or kk, name_en=en or kk, **fields)


def street(place, kk, ru=None, *, former=()):
    """A street of `place` named `kk` in Kazakh (and `ru` in Russian, a current name too),
    known formerly by the Russian names `former`."""
    found = StreetFactory(locality=place, name=kk, names=former)
    found.name_kk, found.name_ru = kk, ru or kk
    found.save()
    if ru:
        StreetName.objects.create(street=found, name=ru, language="ru")
    return found


def served(street, **fields):
    """A rule of a station serving (part of) a street: the whole street unless told."""
    return TerritoryRuleFactory(street=street, **fields)


@pytest.fixture
def almaty():
    return locality("Алматы", en="Almaty")


@pytest.fixture
def abai(almaty):
    """Абай даңғылы (проспект Абая), formerly ул. Ленина, in Almaty; buildings 1–60 served by
    one station."""
    found = street(almaty, "Абай даңғылы", "проспект Абая", former=["ул. Ленина"])
    return served(found, kind=RuleKind.RANGE, number_from=1, number_to=60)


def station_of(response):
    assert response.status_code == 200, response.content
    assert_matches_schema(response)
    return response.json()["id"]


@pytest.mark.parametrize(
    "text",
    [
        "ул. Абая, 12/1",
        "Абай даңғылы 12А",
        "Abai avenue 12 korpus 2",
        "Abay Ave. 12",
        "пр-т Абая, д. 12, кв. 7",
        "проспект Абая 12 корпус 2",
        "Алматы, Абай даңғылы, 12",
        "г. Алматы, пр. Абая 12",
        "Almaty, 12 Abay Avenue",
        "Алматы Абая 12",
        "Абая １２",  # full-width digits
    ],
)
def test_an_address_as_typed_finds_the_station_serving_it(api_client, abai, text):
    response = api_client.get(LOOKUP, {"address": text})

    assert station_of(response) == abai.station_id


def test_a_former_street_name_finds_the_renamed_street(api_client, abai):
    response = api_client.get(LOOKUP, {"address": "Алматы, Ленина 5"})

    assert station_of(response) == abai.station_id


def test_the_answer_is_the_structured_lookups(api_client, abai):
    by_text = api_client.get(LOOKUP, {"address": "Абай даңғылы 12А"})
    by_id = api_client.get(LOOKUP, {"street": abai.street_id, "building": "12А"})

    assert by_text.json() == by_id.json()


def test_the_most_precise_rule_decides_as_for_the_structured_lookup(api_client, abai):
    exception = served(abai.street, kind=RuleKind.BUILDING, building="12А")

    assert station_of(api_client.get(LOOKUP, {"address": "Абай даңғылы 12А"})) == (
        exception.station_id
    )
    assert station_of(api_client.get(LOOKUP, {"address": "Абай даңғылы 12"})) == abai.station_id


def test_a_street_whose_name_is_exactly_typed_wins_over_longer_names(api_client, almaty):
    rule = served(street(almaty, "Абай көшесі"))
    served(street(almaty, "Абайлы көшесі"))

    assert station_of(api_client.get(LOOKUP, {"address": "Абай 5"})) == rule.station_id


def test_the_start_of_a_name_finds_the_one_street_it_begins(api_client, almaty):
    rule = served(street(almaty, "Кенесары көшесі"))

    assert station_of(api_client.get(LOOKUP, {"address": "Кенесар 14"})) == rule.station_id


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_one_name_in_two_localities_lists_the_streets_to_choose_from(api_client, language):
    almaty, astana = locality("Алматы", en="Almaty"), locality("Астана", en="Astana")
    in_almaty = street(almaty, "Абай даңғылы", "проспект Абая")
    in_astana = street(astana, "Абай даңғылы", "проспект Абая")
    served(in_almaty)
    served(in_astana)

    response = api_client.get(LOOKUP, {"address": "ул. Абая, 5"}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert_matches_schema(response)
    body = response.json()
    with translation.override(language):
        assert body["address"] == [str(ADDRESS_SEVERAL_STREETS).format(value="ул. Абая")]
        name = {"ru": "проспект Абая"}.get(language, "Абай даңғылы")
    assert sorted(body["candidates"], key=lambda c: c["id"]) == [
        {
            "id": found.pk,
            "name": name,
            "matched_name": "проспект Абая",
            "locality": found.locality_id,
            "locality_name": found.locality.name_kk if language != "en" else found.locality.name_en,
            "region": found.locality.region_id,
        }
        for found in sorted([in_almaty, in_astana], key=lambda s: s.pk)
    ]


def test_the_candidates_answer_again_with_their_street_id(api_client):
    places = [locality("Алматы"), locality("Астана")]
    rules = [served(street(place, "Абай даңғылы")) for place in places]

    candidates = api_client.get(LOOKUP, {"address": "Абай 5"}).json()["candidates"]
    answers = {
        station_of(api_client.get(LOOKUP, {"street": c["id"], "building": "5"})) for c in candidates
    }

    assert answers == {rule.station_id for rule in rules}


@pytest.mark.parametrize(
    "query",
    [
        {"address": "Алматы, Абай 5"},
        {"address": "Алматы Абай 5"},
        {"address": "Алматы қаласы, Абай даңғылы 5"},
        {"address": "г. Almaty, Абай 5"},
        {"address": "Абай 5", "locality": "almaty"},
    ],
)
def test_a_locality_chooses_among_streets_of_one_name(api_client, query):
    almaty, astana = locality("Алматы", en="Almaty"), locality("Астана")
    rule = served(street(almaty, "Абай даңғылы"))
    served(street(astana, "Абай даңғылы"))
    if query.get("locality") == "almaty":
        query = {**query, "locality": almaty.pk}

    assert station_of(api_client.get(LOOKUP, query)) == rule.station_id


def test_a_city_chooses_among_the_streets_of_its_districts(api_client):
    almaty = locality("Алматы")
    district = locality("Алмалы ауданы", "Алмалинский район", parent=almaty, region=almaty.region)
    rule = served(street(district, "Абай даңғылы"))
    served(street(locality("Астана"), "Абай даңғылы"))

    assert station_of(api_client.get(LOOKUP, {"address": "Алматы, Абай 5"})) == rule.station_id
    assert (
        station_of(api_client.get(LOOKUP, {"address": "Абай 5", "locality": almaty.pk}))
        == rule.station_id
    )


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_an_address_naming_no_street_is_a_400_on_address(api_client, abai, language):
    response = api_client.get(
        LOOKUP, {"address": "Несуществующая  улица 5"}, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 400
    assert_matches_schema(response)
    with translation.override(language):
        expected = str(ADDRESS_NO_STREET).format(value="Несуществующая улица 5")
    assert response.json() == {"address": [expected]}


def test_a_locality_that_has_not_the_street_finds_nothing(api_client, abai):
    other = locality("Астана")

    response = api_client.get(LOOKUP, {"address": "Абай 5", "locality": other.pk})

    assert response.status_code == 400
    assert list(response.json()) == ["address"]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_street_not_served_whole_without_a_building_is_a_400(api_client, abai, language):
    response = api_client.get(LOOKUP, {"address": "Абай даңғылы"}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    with translation.override(language):
        assert response.json() == {"address": [str(BUILDING_REQUIRED)]}
    assert_matches_schema(response)


def test_a_street_served_whole_needs_no_building(api_client, almaty):
    rule = served(street(almaty, "8 Наурыз көшесі"))

    assert station_of(api_client.get(LOOKUP, {"address": "8 Наурыз көшесі"})) == rule.station_id


def test_a_building_no_station_serves_is_a_404(api_client, abai):
    response = api_client.get(LOOKUP, {"address": "Абай даңғылы 61"})

    assert response.status_code == 404
    assert response.json() == {"detail": str(NO_STATION_SERVES)}
    assert_matches_schema(response)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("А" * 201, lambda: ADDRESS_TOO_LONG.format(limit=200)),
        ("Абай даңғылы 12 " * 640, lambda: ADDRESS_TOO_LONG.format(limit=200)),  # 10 kB
        ("Абай\u202e даңғылы 12", ADDRESS_INVISIBLE),  # a right-to-left override
        ("Абай\u200b даңғылы 12", ADDRESS_INVISIBLE),  # a zero-width space
        ("Абай\x00 даңғылы 12", ADDRESS_INVISIBLE),
        ("", ADDRESS_NEEDS_STREET),
        ("кв. 5", ADDRESS_NEEDS_STREET),
        ("ул. , 12", ADDRESS_NEEDS_STREET),
    ],
)
def test_text_that_cannot_be_an_address_is_a_400_on_address(api_client, abai, text, message):
    response = api_client.get(LOOKUP, {"address": text})

    assert response.status_code == 400
    # Translated now, in the request's language (a message with a number is formatted here).
    assert response.json() == {"address": [str(message() if callable(message) else message)]}


@pytest.mark.parametrize(
    "query",
    [
        "address=%00",
        "address=%FF%FE",
        "address=12345",
        "address=0",
        "address=%F0%9F%8F%A0+12",  # an emoji
        "address=%D0%90%CC%81%CC%81%CC%81%CC%81+12",  # combining marks
        "address=%EF%B7%BA",  # one character NFKC makes eighteen
        "address=%25%5F%5C+12",  # LIKE's wildcards and escape
        "address=" + "1+" * 99,
        "address=" + "%D0%B0+" * 66,
        "address=ул.+" * 20,
        "address=Абай&address=Кенесары",
        "address=Абай+12&locality=-1",
        "address=Абай+12&locality=%D9%A1",
        "address=Абай+99999999",
    ],
)
def test_no_text_makes_the_lookup_fail(api_client, abai, query):
    response = api_client.get(f"{LOOKUP}?{query}")

    assert response.status_code in (200, 400, 404)
    assert_matches_schema(response)


def test_an_address_with_a_street_id_is_a_400(api_client, abai):
    response = api_client.get(LOOKUP, {"address": "Абай 12", "street": abai.street_id})

    assert response.status_code == 400
    assert response.json() == {"address": [str(ADDRESS_OR_STREET)]}


def test_an_address_with_a_building_is_a_400(api_client, abai):
    response = api_client.get(LOOKUP, {"address": "Абай", "building": "12"})

    assert response.json() == {"address": [str(ADDRESS_OR_STREET)]}


def test_a_locality_that_is_no_id_or_names_none_is_a_400_on_locality(api_client, abai):
    not_an_id = api_client.get(LOOKUP, {"address": "Абай 12", "locality": "x"})
    unknown = api_client.get(LOOKUP, {"address": "Абай 12", "locality": "99999"})

    assert not_an_id.json() == {"locality": [NOT_AN_ID.format(value="x")]}
    assert unknown.json() == {"locality": [LOCALITY_UNKNOWN.format(value=99999)]}


def test_the_lookup_takes_two_queries_whatever_the_answer(
    api_client, abai, django_assert_num_queries
):
    for place in (locality("Астана"), locality("Шымкент"), locality("Ақтөбе")):
        served(street(place, "Кенесары көшесі"))
        served(street(place, "Кенесары тұйығы"))

    with django_assert_num_queries(2):  # the names of the streets, the station
        assert api_client.get(LOOKUP, {"address": "Алматы Абая 12"}).status_code == 200
    with django_assert_num_queries(2):  # the names of the streets, the candidates
        response = api_client.get(LOOKUP, {"address": "Кенесары 5"})
    assert len(response.json()["candidates"]) == 6  # тұйығы (a lane) is a type word too
    with django_assert_num_queries(2):  # the names of the streets, of the localities
        assert api_client.get(LOOKUP, {"address": "Жоқ көшесі 1"}).status_code == 400


def test_at_most_ten_candidates_are_listed(api_client):
    for n in range(12):
        served(street(locality(f"Ауыл {n}"), "Абай көшесі"))

    response = api_client.get(LOOKUP, {"address": "Абай 5"})

    assert response.status_code == 400
    assert len(response.json()["candidates"]) == 10


def test_the_schema_documents_the_address_and_the_candidates():
    lookup = api_schema()["paths"][LOOKUP]["get"]

    (address,) = [p for p in lookup["parameters"] if p["name"] == "address"]
    assert address["schema"] == {"type": "string"}
    assert "street=<id>" in address["description"]
    error = lookup["responses"]["400"]["content"]["application/json"]["schema"]
    assert error["$ref"].endswith("/LookupError")
    component = api_schema()["components"]["schemas"]["LookupError"]
    assert {"address", "candidates"} <= set(component["properties"])


def test_a_village_served_whole_is_found_by_its_name(api_client):
    village = locality("Саты", kind=LocalityKind.VILLAGE)
    rule = TerritoryRuleFactory(street=None, locality=village, kind=RuleKind.LOCALITY)

    response = api_client.get(LOOKUP, {"address": "Саты ауылы"})

    assert station_of(response) == rule.station_id
    assert response.json() == api_client.get(LOOKUP, {"locality": village.pk}).json()


def test_a_village_served_whole_answers_for_any_street_of_it(api_client):
    village = locality("Саты", kind=LocalityKind.VILLAGE)
    rule = TerritoryRuleFactory(street=None, locality=village, kind=RuleKind.LOCALITY)

    response = api_client.get(LOOKUP, {"address": "Орталық көшесі 3", "locality": village.pk})

    assert station_of(response) == rule.station_id


@pytest.mark.parametrize(
    ("typed", "which"),
    [
        ("Абай даңғылы 12А", "avenue"),
        ("проспект Абая 12", "avenue"),
        ("Abai avenue 12", "avenue"),
        ("ул. Абая, 12", "street"),
        ("Абай көшесі 12", "street"),
        ("Абай 12", None),  # no type word: both to choose from
    ],
)
def test_the_type_word_typed_tells_an_avenue_from_a_street_of_one_name(api_client, typed, which):
    almaty, aktau = locality("Алматы", en="Almaty"), locality("Ақтау", en="Aktau")
    avenue = served(street(almaty, "Абай даңғылы", "проспект Абая"))
    in_aktau = served(street(aktau, "Абай көшесі", "улица Абая"))

    response = api_client.get(LOOKUP, {"address": typed})

    if which is None:
        assert response.status_code == 400
        assert len(response.json()["candidates"]) == 2
    else:
        expected = {"avenue": avenue, "street": in_aktau}[which]
        assert station_of(response) == expected.station_id
