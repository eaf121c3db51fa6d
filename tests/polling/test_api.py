import pytest
from auditlog.models import LogEntry

from commissions.choices import MemberRole
from core.choices import Role, TokenScope
from polling.models import PollingStation
from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory
from tests.core.factories import UserFactory, make_token
from tests.openapi import assert_matches_schema
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db


def territorial_staff(commission):
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def last_change(station):
    return LogEntry.objects.get_for_object(station).order_by("-timestamp", "-pk").first()


def url(station):
    return f"/api/v1/polling-stations/{station.pk}/"


def test_list_is_public_matches_schema_and_has_flat_query_count(
    api_client, django_assert_max_num_queries
):
    PollingStationFactory.create_batch(15)
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/polling-stations/", {"page_size": 10})
    assert response.status_code == 200
    assert response.json()["count"] == 15
    assert len(response.json()["results"]) == 10
    assert_matches_schema(response)


def test_station_timezone_falls_back_to_the_region(api_client):
    station = PollingStationFactory(precinct_commission__parent__region__timezone="Asia/Aqtobe")
    assert api_client.get(url(station)).json()["timezone"] == "Asia/Aqtobe"


def test_territorial_staff_update_a_station_and_it_is_audited(api_client):
    station = PollingStationFactory()
    user = territorial_staff(station.precinct_commission.parent)
    api_client.force_login(user)
    response = api_client.patch(url(station), {"egov_check_available": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["egov_check_available"] is True
    assert_matches_schema(response, "PATCH")
    entry = last_change(station)
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == user
    assert entry.changes_dict["egov_check_available"] == [False, True]


def test_territorial_staff_cannot_touch_another_region(api_client):
    station = PollingStationFactory()
    user = territorial_staff(TerritorialCommissionFactory())
    api_client.force_login(user)
    response = api_client.patch(url(station), {"egov_check_available": True}, format="json")
    assert response.status_code == 404
    station.refresh_from_db()
    assert station.egov_check_available is False


def test_precinct_member_without_change_permission_is_refused(api_client):
    station = PollingStationFactory()
    user = UserFactory(role=Role.PRECINCT_MEMBER)
    CommissionMemberFactory(commission=station.precinct_commission, user=user)
    api_client.force_login(user)
    response = api_client.patch(url(station), {"egov_check_available": True}, format="json")
    assert response.status_code == 403


def test_anonymous_cannot_update(api_client):
    station = PollingStationFactory()
    response = api_client.patch(url(station), {"egov_check_available": True}, format="json")
    assert response.status_code in (401, 403)


def test_agency_token_with_scope_updates_and_is_the_audited_actor(api_client):
    station = PollingStationFactory()
    token, key = make_token(scopes=[TokenScope.POLLING_WRITE])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.patch(
        url(station), {"temporary_registration_allowed": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert last_change(station).actor == token.agency.user


def test_agency_token_without_the_scope_is_refused(api_client):
    station = PollingStationFactory()
    _token, key = make_token(scopes=[TokenScope.READ_ALL])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.patch(url(station), {"egov_check_available": True}, format="json")
    assert response.status_code == 403
    assert api_client.get(url(station)).status_code == 200


@pytest.mark.parametrize("header", ["Token nonsense", "Token", "Token a b", "Token \udcff"])
def test_bad_or_revoked_tokens_are_401(api_client, header):
    PollingStationFactory()
    api_client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8", "surrogateescape"))
    assert api_client.get("/api/v1/polling-stations/").status_code == 401


def test_revoked_token_is_401(api_client):
    from core.services import api_token_revoke

    token, key = make_token(scopes=[TokenScope.POLLING_WRITE])
    api_token_revoke(token=token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/polling-stations/").status_code == 401


def test_bad_value_gets_a_field_level_message(api_client):
    station = PollingStationFactory()
    api_client.force_login(territorial_staff(station.precinct_commission.parent))
    response = api_client.patch(
        url(station), {"special_kind": "spaceport"}, format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    assert "special_kind" in response.json()
    assert PollingStation.objects.get(pk=station.pk).special_kind == ""


def test_number_and_region_cannot_be_changed(api_client):
    station = PollingStationFactory()
    api_client.force_login(territorial_staff(station.precinct_commission.parent))
    api_client.patch(url(station), {"number": 9999, "region": None}, format="json")
    fresh = PollingStation.objects.get(pk=station.pk)
    assert (fresh.number, fresh.region_id) == (station.number, station.region_id)
