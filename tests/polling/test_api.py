import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from commissions.choices import MemberRole
from core.choices import Role, TokenScope
from polling.models import PollingStation
from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory
from tests.core.factories import UserFactory, make_token
from tests.openapi import api_schema, assert_matches_schema
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


# VOTING HOURS


def test_stations_carry_their_hours_for_the_election_asked_in_a_flat_number_of_queries(
    api_client, django_assert_max_num_queries
):
    from tests.polling.hours import election_2023, published, station_abroad, station_in

    election = election_2023()
    changed = station_in("Asia/Aqtobe")
    published(changed, election, opens_at=datetime.time(6, 0))
    station_abroad("America/New_York", "US")
    for _n in range(8):
        station_in()
    with django_assert_max_num_queries(4):
        response = api_client.get("/api/v1/polling-stations/", {"election": election.pk})
    assert response.status_code == 200
    assert_matches_schema(response)
    hours = {row["id"]: row["voting_hours"] for row in response.json()["results"]}
    assert hours[changed.pk]["opens_at"] == "2023-03-19T06:00:00+05:00"
    assert hours[changed.pk]["premises_open_at"] == "2023-03-19T05:00:00+05:00"
    assert hours[changed.pk]["changed"] is True
    in_new_york = PollingStation.objects.get(country="US").pk
    assert hours[in_new_york]["opens_at"] == "2023-03-19T07:00:00-04:00"
    assert hours[in_new_york]["decision"] is None


def test_one_station_carries_its_hours_too(api_client):
    from tests.polling.hours import election_2023, station_in

    station = station_in("Asia/Oral")
    election = election_2023()
    response = api_client.get(url(station), {"election": election.pk})
    assert response.json()["voting_hours"]["closes_at"] == "2023-03-19T20:00:00+05:00"
    assert api_client.get(url(station)).json()["voting_hours"] is None


@pytest.mark.parametrize("value", ["999999", "abc", "١"])
def test_an_unknown_election_is_a_400(api_client, value):
    PollingStationFactory()
    response = api_client.get("/api/v1/polling-stations/", {"election": value})
    assert response.status_code == 400
    assert "election" in response.json()


def test_stations_show_their_accessibility_phone_and_coordinates(api_client):
    station = PollingStationFactory(
        has_ramp=True, phone="8 7172 123456", latitude="51.128207", longitude="71.430411"
    )
    body = api_client.get(url(station)).json()
    assert (body["has_ramp"], body["step_free_entrance"]) == (True, False)
    assert body["phone"] == "+77172123456"
    assert (body["latitude"], body["longitude"]) == ("51.128207", "71.430411")


def test_published_decisions_are_public_and_drafts_are_not(
    api_client, django_assert_max_num_queries
):
    from tests.polling.hours import draft, election_2023, published, station_in

    election = election_2023()
    shown = [published(station_in(), election) for _n in range(5)]
    hidden = draft(station_in(), election)
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/voting-hours-decisions/")
    assert response.status_code == 200
    assert_matches_schema(response)
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {decision.pk for decision in shown}
    assert hidden.pk not in ids
    assert api_client.get(f"/api/v1/voting-hours-decisions/{hidden.pk}/").status_code == 404
    row = api_client.get(f"/api/v1/voting-hours-decisions/{shown[0].pk}/").json()
    assert row["opens_at"] == "06:00:00"
    assert row["stations"] == [shown[0].stations.get().pk]


def test_a_decision_names_the_published_decision_that_supersedes_it(
    api_client, django_assert_num_queries
):
    from tests.polling.hours import draft, election_2023, publish, published, station_in

    election = election_2023()
    station = station_in()
    old = published(station, election, number="1/1")
    others = [published(station_in(), election, number=f"2/{n}") for n in range(3)]
    successor = draft(station, election, number="1/2", supersedes=old, opens_at=datetime.time(7))

    def superseded_by():
        with django_assert_num_queries(3):  # the page's count, its rows, their stations
            response = api_client.get("/api/v1/voting-hours-decisions/")
        assert response.status_code == 200
        assert_matches_schema(response)
        return {row["id"]: row["superseded_by"] for row in response.json()["results"]}

    assert superseded_by() == {old.pk: None, **{other.pk: None for other in others}}
    publish(successor)
    assert superseded_by() == {
        old.pk: successor.pk,
        successor.pk: None,
        **{other.pk: None for other in others},
    }
    row = api_client.get(f"/api/v1/voting-hours-decisions/{old.pk}/").json()
    assert row["superseded_by"] == successor.pk


def test_decisions_are_filtered_by_station(api_client):
    from tests.polling.hours import election_2023, published, station_in

    station = station_in()
    decision = published(station, election_2023())
    published(station_in(), decision.election)
    response = api_client.get("/api/v1/voting-hours-decisions/", {"station": station.pk})
    assert [row["id"] for row in response.json()["results"]] == [decision.pk]


def test_stations_are_filtered_by_changed_hours_for_an_election(
    api_client, django_assert_max_num_queries
):
    from tests.polling.hours import election_2023, published, station_in

    election = election_2023()
    changed = station_in()
    published(changed, election)
    unchanged = station_in()
    published(unchanged, election_2023(kind="maslikhat"))  # another election's decision

    def listed(value):
        response = api_client.get(
            "/api/v1/polling-stations/", {"election": election.pk, "hours_changed": value}
        )
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    with django_assert_max_num_queries(4):
        assert listed("true") == {changed.pk}
    assert listed("false") == {unchanged.pk}


def test_changed_hours_need_an_election(api_client):
    PollingStationFactory()
    response = api_client.get("/api/v1/polling-stations/", {"hours_changed": "true"})
    assert response.status_code == 400
    assert "hours_changed" in response.json()


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("value", ["maybe", "yes", "2", "truee", " "])
def test_changed_hours_neither_true_nor_false_is_a_400_on_the_field(api_client, language, value):
    from core.filters import YES_NO_INVALID
    from tests.polling.hours import election_2023

    PollingStationFactory()
    election = election_2023()
    response = api_client.get(
        "/api/v1/polling-stations/",
        {"election": election.pk, "hours_changed": value},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    if not value.strip():  # no value: the filter is not applied
        assert response.status_code == 200
        return
    assert response.status_code == 400
    with translation.override(language):
        assert response.json() == {"hours_changed": [str(YES_NO_INVALID)]}
    assert_matches_schema(response)


@pytest.mark.parametrize("value", ["True", "1", "False", "0"])
def test_changed_hours_read_the_usual_spellings_of_true_and_false(api_client, value):
    from tests.polling.hours import election_2023, published, station_in

    election = election_2023()
    changed = station_in()
    published(changed, election)
    unchanged = station_in()
    response = api_client.get(
        "/api/v1/polling-stations/", {"election": election.pk, "hours_changed": value}
    )
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == ({changed.pk} if value in ("True", "1") else {unchanged.pk})


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/polling-stations/", "is_abroad"),
        ("/api/v1/polling-stations/", "egov_check_available"),
        ("/api/v1/voting-hours-decisions/", "early_closing_allowed"),
    ],
)
def test_every_yes_or_no_filter_refuses_what_is_neither(api_client, path, field):
    response = api_client.get(path, {field: "maybe"})
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_decisions_are_listed_in_the_ordering_asked_with_the_id_breaking_ties(api_client):
    from tests.polling.hours import PUBLISHED_AT, draft, election_2023, publish, station_in

    election = election_2023()
    late, early, tied = (draft(station_in(), election, number=f"{n}/1") for n in (1, 2, 3))
    publish(late, at=PUBLISHED_AT + datetime.timedelta(hours=2))
    publish(early, at=PUBLISHED_AT)
    publish(tied, at=PUBLISHED_AT)

    def listed(ordering):
        response = api_client.get("/api/v1/voting-hours-decisions/", {"ordering": ordering})
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    ties = sorted([early.pk, tied.pk])
    assert listed("published_at") == [*ties, late.pk]
    assert listed("-published_at") == [late.pk, *ties]
    assert listed("-number") == [tied.pk, early.pk, late.pk]
    assert listed("-published_at,-number") == [late.pk, tied.pk, early.pk]


def test_decisions_ignore_an_ordering_they_do_not_offer(api_client):
    from tests.polling.hours import election_2023, published, station_in

    election = election_2023()
    decisions = [published(station_in(), election, number=f"{n}/1") for n in (1, 2, 3)]
    default = api_client.get("/api/v1/voting-hours-decisions/").json()["results"]
    response = api_client.get("/api/v1/voting-hours-decisions/", {"ordering": "reason,-stations"})
    assert response.status_code == 200
    assert response.json()["results"] == default
    assert {row["id"] for row in default} == {d.pk for d in decisions}


def test_the_schema_names_the_orderings_each_polling_list_accepts():
    paths = api_schema()["paths"]

    def orderings(path):
        (parameter,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == "ordering"]
        return parameter["schema"]["items"]["enum"]

    assert orderings("/api/v1/voting-hours-decisions/") == [
        "published_at",
        "-published_at",
        "adopted_on",
        "-adopted_on",
        "number",
        "-number",
    ]
    assert orderings("/api/v1/polling-stations/") == ["number", "-number"]
