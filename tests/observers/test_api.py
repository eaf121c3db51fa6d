"""The observers API: scopes of the tokens, nominations one by one and in batches, photos, the
public statistics and nominating bodies."""

import datetime
import io
import logging
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from commissions.choices import MemberRole
from core.choices import Role, TokenScope
from core.models import AgencyKind
from observers import services
from observers.choices import BatchSource, ObserverStatus
from observers.models import NominatingBody, NominationBatch, Observer
from tests.commissions.factories import CecFactory, CommissionMemberFactory, ElectionFactory
from tests.core.factories import AgencyFactory, StaffUserFactory, UserFactory, make_token
from tests.observers.factories import (
    AssociationBodyFactory,
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    StateBodyFactory,
    person,
)
from tests.openapi import assert_matches_schema

ASTANA = ZoneInfo("Asia/Almaty")
OBSERVERS = "/api/v1/observers/"
BATCHES = "/api/v1/observers/batches/"
STATS = "/api/v1/observers/stats/"
BODIES = "/api/v1/nominating-bodies/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(api_client):
    """Requests ask for English (the API's default is Kazakh) unless a test asks otherwise."""
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def desk():
    return StaffUserFactory(is_superuser=True)


@pytest.fixture
def mission():
    """An observer mission's agency and the nominating body it submits for."""
    agency = AgencyFactory(kind=AgencyKind.MISSION)
    return agency, OrganizationBodyFactory(agency=agency)


def authorize(client, agency, *scopes):
    _token, key = make_token(agency, scopes)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")


def cec_staff():
    user = StaffUserFactory()
    CommissionMemberFactory(commission=CecFactory(), user=user, role=MemberRole.STAFF)
    return user


def nomination(election, body, n=0, **overrides):
    return {"election": election.pk, "body": body.pk, **person(n, **overrides)}


def json_row(n=0, **overrides):
    row = person(n, **overrides)
    if isinstance(row["date_of_birth"], datetime.date):
        row["date_of_birth"] = row["date_of_birth"].isoformat()
    return row


def _image(fmt="JPEG", size=(480, 640), exif=False, name=None):
    image = Image.new("RGB", size, (200, 180, 160))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam Inc."  # Make
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name or f"photo.{fmt.lower()}", out.getvalue())


# STATISTICS


def _accredit(desk, election, body, n, day, **overrides):
    at = datetime.datetime.combine(day, datetime.time(11, 0), tzinfo=ASTANA)
    observer = services.observer_nominate(
        actor=desk, election=election, body=body, at=at, **person(n, **overrides)
    )
    return services.observer_accredit(actor=desk, observer=observer, at=at)


@pytest.fixture
def march_2023(desk):
    """Accreditations of 6 and 7 March 2023 for the election of 19 March."""
    election = ElectionFactory(election_day=datetime.date(2023, 3, 19))
    germany, turkey = StateBodyFactory(country="DE"), StateBodyFactory(country="TR")
    cis = OrganizationBodyFactory(name="CIS Observer Mission", name_ru="Миссия наблюдателей СНГ")
    cica = OrganizationBodyFactory(name="CICA", name_ru="СВМДА")
    sixth, seventh = datetime.date(2023, 3, 6), datetime.date(2023, 3, 7)
    n = iter(range(100))
    for body, day, count in [
        (germany, sixth, 2),
        (cis, sixth, 1),
        (germany, seventh, 1),
        (turkey, seventh, 2),
        (cis, seventh, 3),
        (cica, seventh, 1),
    ]:
        for _ in range(count):
            _accredit(desk, election, body, next(n), day)
    return election


def test_stats_of_a_day_are_public(api_client, march_2023):
    response = api_client.get(STATS, {"election": march_2023.pk, "date": "2023-03-07"})
    assert response.status_code == 200
    data = response.json()
    assert (data["observers"], data["states"], data["organizations"]) == (7, 2, 2)
    assert data["by_state"] == {"TR": 2, "DE": 1}
    assert data["by_organization"] == {"CIS Observer Mission": 3, "CICA": 1}
    assert data["date"] == "2023-03-07" and data["until"] is None
    assert_matches_schema(response)


def test_stats_until_a_day_are_cumulative(api_client, march_2023):
    response = api_client.get(STATS, {"election": march_2023.pk, "until": "2023-03-07"})
    data = response.json()
    assert (data["observers"], data["states"], data["organizations"]) == (10, 2, 2)
    assert data["by_state"] == {"DE": 3, "TR": 2}
    assert_matches_schema(response)


def test_stats_until_the_day_before_leave_the_later_day_out(api_client, march_2023):
    response = api_client.get(STATS, {"election": march_2023.pk, "until": "2023-03-06"})
    assert response.json()["observers"] == 3


def test_stats_without_a_day_count_every_accreditation(api_client, march_2023):
    response = api_client.get(STATS, {"election": march_2023.pk})
    assert response.json()["observers"] == 10
    assert response.json()["date"] is None and response.json()["until"] is None


def test_stats_name_organisations_in_the_requested_language(api_client, march_2023):
    response = api_client.get(
        STATS, {"election": march_2023.pk, "date": "2023-03-07"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.json()["by_organization"] == {"Миссия наблюдателей СНГ": 3, "СВМДА": 1}
    assert response.json()["by_state"] == {"TR": 2, "DE": 1}


def test_stats_answer_with_few_queries(api_client, march_2023, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api_client.get(STATS, {"election": march_2023.pk})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "election"),
        ({"election": 999999}, "election"),
        ({"election": "abc"}, "election"),
        ({"date": "2023-02-30"}, "date"),
        ({"until": "7 March"}, "until"),
        ({"date": "2023-03-07", "until": "2023-03-07"}, "until"),
    ],
)
def test_stats_refuse_bad_queries_by_field(api_client, query, field):
    election = ElectionFactory()
    if query.get("election") is None and field != "election":
        query = {"election": election.pk, **query}
    response = api_client.get(STATS, query)
    assert response.status_code == 400
    assert field in response.json()
    assert_matches_schema(response)


def test_stats_answer_only_reads(api_client):
    response = api_client.post(STATS, {"election": ElectionFactory().pk})
    assert response.status_code in (401, 403, 405)


# NOMINATING BODIES


def test_nominating_bodies_are_public_without_contacts(api_client, mission):
    agency, body = mission
    StateBodyFactory(country="DE", contact_email="embassy@example.org")
    response = api_client.get(BODIES)
    assert response.status_code == 200
    assert_matches_schema(response)
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[body.pk]["name"] == body.name
    assert "contact_email" not in rows[body.pk] and "agency" not in rows[body.pk]
    assert b"embassy@example.org" not in response.content
    assert agency.name.encode() not in response.content


def test_a_state_is_named_by_its_country_in_the_requested_language(api_client):
    germany = StateBodyFactory(country="DE")
    response = api_client.get(f"{BODIES}{germany.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["name"] == "Германия"
    assert response.json()["country"] == "DE"
    assert_matches_schema(response)


def test_nominating_bodies_filter_by_kind_and_country(api_client):
    StateBodyFactory(country="DE")
    turkey = StateBodyFactory(country="TR")
    OrganizationBodyFactory()
    response = api_client.get(BODIES, {"kind": "state", "country": "TR"})
    assert [row["id"] for row in response.json()["results"]] == [turkey.pk]


def test_an_association_shows_its_accreditation_term(api_client):
    association = AssociationBodyFactory()
    row = api_client.get(f"{BODIES}{association.pk}/").json()
    assert row["accredited_until"] == association.accredited_until.isoformat()
    assert row["country"] is None


def test_a_mission_finds_the_bodies_it_submits_for(api_client, mission):
    agency, body = mission
    OrganizationBodyFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.get(BODIES, {"mine": "true"})
    assert [row["id"] for row in response.json()["results"]] == [body.pk]


def test_the_public_has_no_bodies_of_its_own(api_client, mission):
    response = api_client.get(BODIES, {"mine": "true"})
    assert response.json()["count"] == 0


def test_nominating_bodies_list_with_few_queries(api_client, django_assert_max_num_queries):
    for code in ("DE", "TR", "US", "PL"):
        StateBodyFactory(country=code)
    OrganizationBodyFactory.create_batch(4)
    with django_assert_max_num_queries(2):
        response = api_client.get(BODIES)
    assert response.json()["count"] == 8


def test_nominating_bodies_cannot_be_changed_through_the_api(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT, TokenScope.READ_ALL)
    response = api_client.post(BODIES, {"kind": "organization", "name": "X"})
    assert response.status_code in (403, 405)
    assert api_client.delete(f"{BODIES}{body.pk}/").status_code in (403, 405)
    assert NominatingBody.objects.count() == 1


# READING NOMINATIONS


def test_observers_are_not_public(api_client):
    ObserverFactory()
    response = api_client.get(OBSERVERS)
    assert response.status_code == 401
    assert_matches_schema(response)


def test_a_token_without_the_read_scope_is_refused(api_client, mission):
    agency, body = mission
    ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.get(OBSERVERS)
    assert response.status_code == 403
    assert_matches_schema(response)


def test_a_mission_reads_its_own_nominees_with_their_personal_data(api_client, mission):
    agency, body = mission
    own = ObserverFactory(body=body)
    ObserverFactory()  # another body's
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.get(OBSERVERS)
    assert response.status_code == 200
    assert_matches_schema(response)
    [row] = response.json()["results"]
    assert row["id"] == own.pk
    assert row["document_number"] == own.document_number
    assert row["date_of_birth"] == own.date_of_birth.isoformat()
    assert row["status"] == "submitted" and row["number_display"] == ""


def test_another_missions_nominee_is_not_found(api_client, mission):
    agency, _body = mission
    other = ObserverFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.get(f"{OBSERVERS}{other.pk}/")
    assert response.status_code == 404
    assert_matches_schema(response)


def test_the_ministry_reads_every_nomination(api_client):
    ObserverFactory.create_batch(3)
    authorize(api_client, AgencyFactory(), TokenScope.READ_ALL)
    response = api_client.get(OBSERVERS)
    assert response.json()["count"] == 3


def test_cec_staff_read_every_nomination(api_client):
    ObserverFactory.create_batch(2)
    api_client.force_login(cec_staff())
    response = api_client.get(OBSERVERS)
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_staff_without_the_view_permission_are_refused(api_client):
    ObserverFactory()
    api_client.force_login(UserFactory(role=Role.PRECINCT_MEMBER, is_staff=True))
    assert api_client.get(OBSERVERS).status_code == 403


def test_an_accredited_nominee_shows_the_decision_and_the_verification_address(
    api_client, mission, desk
):
    agency, body = mission
    observer = services.observer_accredit(actor=desk, observer=ObserverFactory(body=body))
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.get(f"{OBSERVERS}{observer.pk}/")
    assert_matches_schema(response)
    row = response.json()
    assert row["status"] == "accredited"
    assert row["number_display"] == observer.number_display
    assert row["decision_date"] == observer.decision_date.isoformat()
    assert row["verification_url"].endswith(f"/observers/verify/{observer.verification_code}/")


def test_a_submitted_nominee_has_no_verification_address(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    assert api_client.get(f"{OBSERVERS}{observer.pk}/").json()["verification_url"] is None


def test_a_refusal_shows_its_reason(api_client, mission, desk):
    agency, body = mission
    observer = services.observer_refuse(
        actor=desk, observer=ObserverFactory(body=body), reason="Passport expired"
    )
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    row = api_client.get(f"{OBSERVERS}{observer.pk}/").json()
    assert (row["status"], row["refusal_reason"]) == ("refused", "Passport expired")


def test_observers_filter_by_status_and_election(api_client, mission, desk):
    agency, body = mission
    election = OpenElectionFactory()
    accredited = services.observer_accredit(
        actor=desk, observer=ObserverFactory(body=body, election=election)
    )
    ObserverFactory(body=body, election=election)
    ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.get(OBSERVERS, {"election": election.pk, "status": "accredited"})
    assert [row["id"] for row in response.json()["results"]] == [accredited.pk]


def test_observers_list_with_few_queries(api_client, mission, desk, django_assert_max_num_queries):
    agency, body = mission
    election = OpenElectionFactory()
    observers = ObserverFactory.create_batch(6, body=body, election=election)
    services.observers_accredit(actor=desk, observers=observers[:3])
    ObserverFactory.create_batch(3, body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    with django_assert_max_num_queries(4):  # token, its last use, count, rows
        response = api_client.get(OBSERVERS)
    assert response.json()["count"] == 9


# NOMINATING ONE OBSERVER


def test_a_mission_nominates_an_observer(api_client, mission):
    agency, body = mission
    election = OpenElectionFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(
        OBSERVERS, nomination(election, body, document_number="p 12-34"), format="json"
    )
    assert response.status_code == 201, response.content
    assert_matches_schema(response, "POST")
    observer = Observer.objects.get()
    assert (observer.body, observer.status) == (body, ObserverStatus.SUBMITTED)
    assert observer.document_number == "P1234"
    assert response.json()["id"] == observer.pk


def test_a_country_code_is_read_in_either_case(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(
        OBSERVERS, nomination(OpenElectionFactory(), body, citizenship="tr"), format="json"
    )
    assert response.status_code == 201
    assert Observer.objects.get().citizenship.code == "TR"


def test_a_mission_cannot_nominate_for_another_body(api_client, mission):
    agency, _body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(
        OBSERVERS, nomination(OpenElectionFactory(), OrganizationBodyFactory()), format="json"
    )
    assert response.status_code == 403
    assert_matches_schema(response, "POST")
    assert not Observer.objects.exists()


def test_a_read_only_token_cannot_nominate(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.post(OBSERVERS, nomination(OpenElectionFactory(), body), format="json")
    assert response.status_code == 403
    assert not Observer.objects.exists()


def test_nominating_without_a_token_is_401(api_client, mission):
    _agency, body = mission
    response = api_client.post(OBSERVERS, nomination(OpenElectionFactory(), body), format="json")
    assert response.status_code == 401


def test_a_nomination_after_the_deadline_is_refused_with_the_closing_time(api_client, mission):
    agency, body = mission
    election = ElectionFactory(election_day=timezone.localdate() + datetime.timedelta(days=3))
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(OBSERVERS, nomination(election, body), format="json")
    assert response.status_code == 400
    assert_matches_schema(response, "POST")
    closing = election.election_day - datetime.timedelta(days=6)
    message = response.json()["non_field_errors"][0]
    assert f"closed on {closing:%d.%m.%Y} 18:00" in message
    assert not Observer.objects.exists()


def test_a_second_nomination_of_a_person_is_refused_as_the_place_held(api_client, mission, desk):
    agency, body = mission
    election = OpenElectionFactory()
    services.observer_nominate(
        actor=desk, election=election, body=StateBodyFactory(country="DE"), **person(1)
    )
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(OBSERVERS, nomination(election, body, 1), format="json")
    assert response.status_code == 400
    # Germany's nominee is not the mission's to know of (CEC staff are told: see below).
    assert response.json()["document_number"] == [str(services.ALREADY_HELD_ELSEWHERE)]
    assert Observer.objects.count() == 1


def test_an_unknown_country_is_refused_by_field(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(
        OBSERVERS, nomination(OpenElectionFactory(), body, citizenship="XX"), format="json"
    )
    assert response.status_code == 400
    assert "ISO 3166-1" in response.json()["citizenship"][0]


def test_errors_are_in_the_requested_language(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(
        OBSERVERS,
        nomination(OpenElectionFactory(), body, date_of_birth="17/05/1980"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    assert "формат" in response.json()["date_of_birth"][0]


def test_observers_cannot_be_deleted_or_decided_through_the_api(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT, TokenScope.OBSERVERS_READ)
    assert api_client.delete(f"{OBSERVERS}{observer.pk}/").status_code in (403, 405)
    # PATCH corrects a nominee's details; a decision is not among them and is ignored.
    response = api_client.patch(f"{OBSERVERS}{observer.pk}/", {"status": "accredited"})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert Observer.objects.filter(status=ObserverStatus.SUBMITTED).count() == 1


def test_personal_data_stays_out_of_the_logs(api_client, mission, desk, caplog):
    agency, body = mission
    election = OpenElectionFactory()
    services.observer_nominate(actor=desk, election=election, body=body, **person(5))
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    with caplog.at_level(logging.DEBUG):
        api_client.post(OBSERVERS, nomination(election, body, 5), format="json")
        api_client.post(
            BATCHES,
            {"election": election.pk, "body": body.pk, "observers": [json_row(5)]},
            format="json",
        )
    assert "P100005" not in caplog.text
    assert "1970-01-06" not in caplog.text


def test_public_endpoints_show_no_personal_data(api_client, march_2023):
    observer = Observer.objects.filter(election=march_2023).first()
    for url, query in [(STATS, {"election": march_2023.pk}), (BODIES, {})]:
        content = api_client.get(url, query).content.decode()
        assert observer.document_number not in content
        assert observer.date_of_birth.isoformat() not in content


# PHOTOS


def test_a_mission_uploads_a_photo_re_encoded_without_metadata(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    upload = _image("PNG", (1200, 1600), exif=True)
    response = api_client.put(f"{OBSERVERS}{observer.pk}/photo/", {"photo": upload})
    assert response.status_code == 200, response.content
    assert_matches_schema(response, "PUT")
    assert response.json()["has_photo"] is True
    observer.refresh_from_db()
    with observer.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


def test_a_text_file_named_jpg_is_refused(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    upload = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", "image/jpeg")
    response = api_client.put(f"{OBSERVERS}{observer.pk}/photo/", {"photo": upload})
    assert response.status_code == 400
    assert_matches_schema(response, "PUT")
    assert "must be a JPEG, PNG or WebP" in response.json()["photo"][0]
    observer.refresh_from_db()
    assert not observer.photo


def test_a_too_small_photo_is_refused(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.put(
        f"{OBSERVERS}{observer.pk}/photo/", {"photo": _image(size=(100, 120))}
    )
    assert response.status_code == 400
    assert "at least 240×320" in response.json()["photo"][0]


def test_a_mission_cannot_set_another_bodys_photo(api_client, mission):
    agency, _body = mission
    other = ObserverFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.put(f"{OBSERVERS}{other.pk}/photo/", {"photo": _image()})
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.photo


def test_setting_a_photo_needs_the_submit_scope(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.put(f"{OBSERVERS}{observer.pk}/photo/", {"photo": _image()})
    assert response.status_code == 403


def test_setting_a_photo_without_a_token_is_401(api_client):
    observer = ObserverFactory()
    response = api_client.put(f"{OBSERVERS}{observer.pk}/photo/", {"photo": _image()})
    assert response.status_code == 401


# BATCHES


def batch(election, body, rows, reference=""):
    return {"election": election.pk, "body": body.pk, "reference": reference, "observers": rows}


def test_a_mission_submits_a_batch(api_client, mission):
    agency, body = mission
    election = OpenElectionFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    rows = [json_row(n) for n in range(5)]
    response = api_client.post(BATCHES, batch(election, body, rows, "Note 12/345"), format="json")
    assert response.status_code == 201, response.content
    assert_matches_schema(response, "POST")
    data = response.json()
    saved = NominationBatch.objects.get()
    assert (data["id"], data["size"], data["reference"]) == (saved.pk, 5, "Note 12/345")
    assert saved.source == BatchSource.API
    assert saved.submitted_by == agency.user
    assert sorted(row["id"] for row in data["observers"]) == sorted(
        saved.observers.values_list("pk", flat=True)
    )
    assert {row["status"] for row in data["observers"]} == {"submitted"}


def test_the_same_reference_twice_gives_one_batch(api_client, mission):
    agency, body = mission
    election = OpenElectionFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    payload = batch(election, body, [json_row(n) for n in range(3)], "Note 1")
    first = api_client.post(BATCHES, payload, format="json")
    again = api_client.post(BATCHES, payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert_matches_schema(again, "POST")
    assert again.json()["id"] == first.json()["id"]
    assert NominationBatch.objects.count() == 1
    assert Observer.objects.count() == 3


def test_a_batch_with_bad_rows_lists_every_error_and_saves_nothing(api_client, mission, desk):
    agency, body = mission
    election = OpenElectionFactory()
    services.observer_nominate(
        actor=desk, election=election, body=StateBodyFactory(country="DE"), **person(9)
    )
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    rows = [
        json_row(1),
        json_row(2, date_of_birth="1980-02-30"),  # no such day
        json_row(3, citizenship="Atlantis"),  # no such country
        json_row(4, last_name_latin=""),  # empty name
        json_row(1),  # row 1 again
        json_row(9),  # already nominated by Germany
        "not a nominee",
        json_row(8),
    ]
    response = api_client.post(BATCHES, batch(election, body, rows), format="json")
    assert response.status_code == 400
    assert_matches_schema(response, "POST")
    errors = response.json()["observers"]
    assert sorted(errors, key=int) == ["2", "3", "4", "5", "6", "7"]
    assert list(errors["2"]) == ["date_of_birth"]
    assert "ISO 3166-1" in errors["3"]["citizenship"][0]
    assert list(errors["4"]) == ["last_name_latin"]
    assert "row 1" in errors["5"]["document_number"][0]
    # Germany's nominee is not the mission's to know of: only that the place is held.
    assert errors["6"]["document_number"] == [str(services.ALREADY_HELD_ELSEWHERE)]
    assert "Germany" not in response.content.decode()
    assert list(errors["7"]) == ["non_field_errors"]
    assert Observer.objects.count() == 1
    assert NominationBatch.objects.count() == 1  # the earlier single nomination's


def test_an_empty_batch_is_refused(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(BATCHES, batch(OpenElectionFactory(), body, []), format="json")
    assert response.status_code == 400
    assert_matches_schema(response, "POST")
    assert response.json()["non_field_errors"] == ["The batch has no nominees."]


def test_a_batch_after_the_deadline_is_refused(api_client, mission):
    agency, body = mission
    election = ElectionFactory(election_day=timezone.localdate() + datetime.timedelta(days=2))
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.post(BATCHES, batch(election, body, [json_row(1)]), format="json")
    assert response.status_code == 400
    assert "closed on" in response.json()["non_field_errors"][0]
    assert not Observer.objects.exists()


def test_a_batch_that_is_not_a_list_is_refused_by_field(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    payload = {"election": OpenElectionFactory().pk, "body": body.pk, "observers": {"a": 1}}
    response = api_client.post(BATCHES, payload, format="json")
    assert response.status_code == 400
    assert_matches_schema(response, "POST")
    assert "observers" in response.json()


def test_a_mission_cannot_submit_a_batch_for_another_body(api_client, mission):
    agency, _body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    payload = batch(OpenElectionFactory(), OrganizationBodyFactory(), [json_row(1)])
    response = api_client.post(BATCHES, payload, format="json")
    assert response.status_code == 403
    assert not NominationBatch.objects.exists()


def test_submitting_a_batch_needs_the_submit_scope(api_client, mission):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.post(BATCHES, batch(OpenElectionFactory(), body, [json_row(1)]))
    assert response.status_code == 403


def test_batches_are_not_public(api_client):
    response = api_client.get(BATCHES)
    assert response.status_code == 401
    assert_matches_schema(response)


def test_a_mission_reads_its_own_batches(api_client, mission, desk, django_assert_max_num_queries):
    agency, body = mission
    election = OpenElectionFactory()
    for reference in ("A", "B", "C"):
        services.nomination_batch_submit(
            actor=desk,
            election=election,
            body=body,
            reference=reference,
            rows=[person(n, document_number=f"{reference}{n}") for n in range(3)],
        )
    services.nomination_batch_submit(
        actor=desk, election=election, body=OrganizationBodyFactory(), rows=[person(99)]
    )
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    with django_assert_max_num_queries(5):  # token, its last use, count, batches, observers
        response = api_client.get(BATCHES)
    assert response.status_code == 200
    assert_matches_schema(response)
    assert sorted(row["reference"] for row in response.json()["results"]) == ["A", "B", "C"]
    assert all(len(row["observers"]) == 3 for row in response.json()["results"])


def test_another_missions_batch_is_not_found(api_client, mission, desk):
    agency, _body = mission
    result = services.nomination_batch_submit(
        actor=desk, election=OpenElectionFactory(), body=OrganizationBodyFactory(), rows=[person()]
    )
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.get(f"{BATCHES}{result.batch.pk}/")
    assert response.status_code == 404
    assert_matches_schema(response)


def test_the_ministry_reads_every_batch(api_client, desk):
    for _ in range(2):
        services.nomination_batch_submit(
            actor=desk,
            election=OpenElectionFactory(),
            body=OrganizationBodyFactory(),
            rows=[person()],
        )
    authorize(api_client, AgencyFactory(), TokenScope.READ_ALL)
    assert api_client.get(BATCHES).json()["count"] == 2


def test_a_nominee_is_not_readable_without_a_token(api_client):
    observer = ObserverFactory()
    response = api_client.get(f"{OBSERVERS}{observer.pk}/")
    assert response.status_code == 401
    assert observer.document_number.encode() not in response.content


# CORRECTIONS


def test_a_mission_corrects_a_misspelt_name_before_the_decision(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body, last_name_latin="Smiht")
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.patch(
        f"{OBSERVERS}{observer.pk}/", {"last_name_latin": "Smith"}, format="json"
    )
    assert response.status_code == 200
    assert_matches_schema(response)
    observer.refresh_from_db()
    assert observer.last_name_latin == "Smith"


def test_an_accredited_nominee_is_not_corrected(api_client, mission, desk):
    agency, body = mission
    observer = ObserverFactory(body=body)
    services.observer_accredit(actor=desk, observer=observer)
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.patch(f"{OBSERVERS}{observer.pk}/", {"first_name_latin": "Jo"})
    assert response.status_code == 400
    assert "awaiting its decision" in response.json()["non_field_errors"][0]


def test_another_missions_nominee_cannot_be_corrected(api_client, mission):
    agency, _body = mission
    observer = ObserverFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.patch(f"{OBSERVERS}{observer.pk}/", {"first_name_latin": "Jo"})
    assert response.status_code == 404


def test_a_read_only_token_cannot_correct(api_client, mission):
    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_READ)
    response = api_client.patch(f"{OBSERVERS}{observer.pk}/", {"first_name_latin": "Jo"})
    assert response.status_code == 403


# WHAT A MISSION LEARNS OF ANOTHER BODY'S NOMINEES


@pytest.fixture
def held_by_germany(desk):
    election = OpenElectionFactory()
    first = services.observer_nominate(
        actor=desk, election=election, body=StateBodyFactory(country="DE"), **person(9)
    )
    return services.observer_accredit(actor=desk, observer=first)


def test_a_mission_nominating_another_bodys_nominee_learns_only_that_the_place_is_held(
    api_client, mission, held_by_germany
):
    agency, body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    payload = {"election": held_by_germany.election.pk, "body": body.pk, **json_row(9)}

    response = api_client.post(OBSERVERS, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"document_number": [str(services.ALREADY_HELD_ELSEWHERE)]}
    content = response.content.decode()
    for detail in ("Germany", held_by_germany.number_display, "accredited", "DE"):
        assert detail not in content
    assert Observer.objects.count() == 1


def test_cec_staff_nominating_through_the_api_are_told_who_holds_the_place(
    api_client, mission, held_by_germany
):
    _agency, body = mission
    api_client.force_authenticate(cec_staff())
    payload = {"election": held_by_germany.election.pk, "body": body.pk, **json_row(9)}

    response = api_client.post(OBSERVERS, payload, format="json")

    assert response.status_code == 400
    message = response.json()["document_number"][0]
    assert "Germany" in message and held_by_germany.number_display in message


def test_a_missions_correction_onto_another_bodys_nominee_tells_nothing_of_them(
    api_client, mission, held_by_germany
):
    agency, body = mission
    own = services.observer_nominate(
        actor=agency.user, election=held_by_germany.election, body=body, **person(2)
    )
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT, TokenScope.OBSERVERS_READ)

    response = api_client.patch(
        f"{OBSERVERS}{own.pk}/", {"document_number": "P 100009"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"document_number": [str(services.ALREADY_HELD_ELSEWHERE)]}


# FILTERS READ WHAT THE WRITES READ


@pytest.mark.parametrize("code", ["TR", "tr", " Tr ", "TUR", "tur"])
def test_observers_filter_by_citizenship_as_the_writes_read_it(api_client, code):
    election = OpenElectionFactory()
    turkish = ObserverFactory(election=election, citizenship="TR")
    ObserverFactory(election=election, citizenship="DE")
    api_client.force_authenticate(cec_staff())

    response = api_client.get(OBSERVERS, {"citizenship": code})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [turkish.pk]


def test_a_citizenship_filter_and_a_nomination_read_one_code_alike(api_client, mission):
    """What POST accepts (tr, TUR), the filter finds: one rule, `validate_country`."""
    agency, body = mission
    election = OpenElectionFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT, TokenScope.OBSERVERS_READ)
    for n, code in enumerate(["tr", "TUR"]):
        payload = {"election": election.pk, "body": body.pk, **json_row(n, citizenship=code)}
        assert api_client.post(OBSERVERS, payload, format="json").status_code == 201

    for code in ("tr", "TUR", "tur"):
        response = api_client.get(OBSERVERS, {"citizenship": code})
        assert response.json()["count"] == 2
        assert {row["citizenship"] for row in response.json()["results"]} == {"TR"}


@pytest.mark.parametrize("code", ["XX", "XYZ", "Turkey", "1"])
def test_a_citizenship_filter_that_is_no_country_code_matches_nothing(api_client, code):
    ObserverFactory(citizenship="TR")
    api_client.force_authenticate(cec_staff())

    response = api_client.get(OBSERVERS, {"citizenship": code})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("code", ["de", "DEU", "deu"])
def test_nominating_bodies_filter_by_country_as_the_writes_read_it(api_client, code):
    germany = StateBodyFactory(country="DE")
    StateBodyFactory(country="TR")

    response = api_client.get(BODIES, {"country": code})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [germany.pk]


def test_a_photo_set_through_the_api_is_audited_with_its_actor(api_client, mission):
    from auditlog.models import LogEntry

    agency, body = mission
    observer = ObserverFactory(body=body)
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)

    response = api_client.put(f"{OBSERVERS}{observer.pk}/photo/", {"photo": _image()})

    assert response.status_code == 200, response.content
    entry = LogEntry.objects.get_for_object(observer).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == agency.user
    assert set(entry.changes_dict) == {"photo"}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_mine_neither_true_nor_false_is_a_400_on_its_field(api_client, mission, language):
    from django.utils import translation

    from core.filters import YES_NO_INVALID

    agency, _body = mission
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.get(BODIES, {"mine": "maybe"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    with translation.override(language):
        assert response.json() == {"mine": [str(YES_NO_INVALID)]}
    assert_matches_schema(response)


def test_a_mission_finds_the_bodies_it_does_not_submit_for_with_mine_false(api_client, mission):
    agency, body = mission
    other = OrganizationBodyFactory()
    authorize(api_client, agency, TokenScope.OBSERVERS_SUBMIT)
    response = api_client.get(BODIES, {"mine": "0"})
    ids = {row["id"] for row in response.json()["results"]}
    assert other.pk in ids
    assert body.pk not in ids
