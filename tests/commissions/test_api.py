import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissions.choices import CommissionLevel, MemberRole
from tests.commissions.factories import (
    CommissionMemberFactory,
    ElectionFactory,
    PartyFactory,
    PrecinctCommissionFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)
from tests.openapi import assert_matches_schema

pytestmark = pytest.mark.django_db


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    ("url", "factory"),
    [
        ("/api/v1/regions/", RegionFactory),
        ("/api/v1/elections/", ElectionFactory),
        ("/api/v1/parties/", PartyFactory),
        ("/api/v1/commissions/", PrecinctCommissionFactory),
    ],
)
def test_list_is_public_paginated_and_matches_schema(api_client, url, factory):
    factory.create_batch(3)
    response = api_client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= 3
    assert_matches_schema(response)


@pytest.mark.parametrize(
    ("url", "factory"),
    [
        ("/api/v1/regions/", RegionFactory),
        ("/api/v1/commissions/", PrecinctCommissionFactory),
    ],
)
def test_list_query_count_does_not_grow_with_rows(api_client, url, factory):
    factory.create_batch(2)
    few, _ = _count_queries(api_client, url)
    factory.create_batch(20)
    many, _ = _count_queries(api_client, url)
    assert many == few


def test_commission_detail_lists_members_without_contact_details(api_client):
    commission = TerritorialCommissionFactory()
    party = PartyFactory()
    CommissionMemberFactory(
        commission=commission,
        role=MemberRole.CHAIR,
        party=party,
        email="chair@example.kz",
        phone="+77010000000",
    )
    CommissionMemberFactory.create_batch(3, commission=commission)
    queries, response = _count_queries(api_client, f"/api/v1/commissions/{commission.pk}/")
    assert queries <= 3
    body = response.json()
    assert len(body["members"]) == 4
    assert "chair@example.kz" not in response.content.decode()
    assert "+77010000000" not in response.content.decode()
    assert {m["party"] for m in body["members"]} == {party.short_name, None}
    assert_matches_schema(response)


def test_former_members_are_not_listed(api_client):
    commission = TerritorialCommissionFactory()
    import datetime

    CommissionMemberFactory(commission=commission, ended_on=datetime.date(2022, 6, 1))
    response = api_client.get(f"/api/v1/commissions/{commission.pk}/")
    assert response.json()["members"] == []


def test_filter_commissions_by_level_and_region(api_client):
    precinct = PrecinctCommissionFactory()
    PrecinctCommissionFactory()
    response = api_client.get(
        "/api/v1/commissions/",
        {"level": CommissionLevel.PRECINCT, "region": precinct.region_id},
    )
    assert [c["id"] for c in response.json()["results"]] == [precinct.pk]


def test_bad_filter_value_is_a_400_with_the_field_named(api_client):
    response = api_client.get("/api/v1/commissions/", {"level": "galactic"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_names_follow_the_request_language(api_client):
    RegionFactory(
        code="abai", name_en="Abai Region", name_ru="Абайская область", name_kk="Абай облысы"
    )
    response = api_client.get("/api/v1/regions/", {"code": "abai"}, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.json()["results"][0]["name"] == "Абай облысы"
    response = api_client.get("/api/v1/regions/", {"code": "abai"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["results"][0]["name"] == "Абайская область"


def test_reference_data_cannot_be_written_through_the_api(api_client):
    response = api_client.post("/api/v1/regions/", {"code": "x"})
    assert response.status_code in (401, 403, 405)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("field", ["upcoming", "is_early"])
def test_an_elections_yes_or_no_filter_refuses_what_is_neither_on_its_field(
    api_client, language, field
):
    from django.utils import translation

    from core.filters import YES_NO_INVALID

    ElectionFactory()
    response = api_client.get("/api/v1/elections/", {field: "maybe"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    with translation.override(language):
        assert response.json() == {field: [str(YES_NO_INVALID)]}
    assert_matches_schema(response)


def test_upcoming_elections_are_still_read_as_true_or_false(api_client):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    past = ElectionFactory(election_day=today - datetime.timedelta(days=400))
    coming = ElectionFactory(election_day=today + datetime.timedelta(days=30))

    def listed(value):
        response = api_client.get("/api/v1/elections/", {"upcoming": value})
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert listed("true") == listed("1") == {coming.pk}
    assert listed("false") == listed("0") == {past.pk}
    assert listed("") == {past.pk, coming.pk}


def test_regions_are_listed_in_the_alphabet_of_the_request_language(api_client):
    """Kazakh: Ақмола before Атырау, Қарағанды right after the К names (the database's order of
    code points put Қ after Ш); the cities of republican significance first."""
    from commissions.choices import RegionKind
    from commissions.models import Region
    from tests.commissions.factories import RegionFactory

    Region.objects.all().delete()
    for kk in ["Атырау облысы", "Қарағанды облысы", "Ақмола облысы", "Шығыс Қазақстан облысы"]:
        RegionFactory(name_kk=kk, name_ru=kk, name_en=kk)
    RegionFactory(name_kk="Шымкент", name_ru="Шымкент", name_en="Shymkent", kind=RegionKind.CITY)

    response = api_client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="kk")

    assert [r["name"] for r in response.json()["results"]] == [
        "Шымкент",
        "Ақмола облысы",
        "Атырау облысы",
        "Қарағанды облысы",
        "Шығыс Қазақстан облысы",
    ]
