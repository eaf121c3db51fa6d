"""Observers' document numbers and names are normalised and checked on every path: the model
fields (core.fields), the API, the desk's upload, the database's one-accreditation rule."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from core.choices import TokenScope
from core.models import AgencyKind
from core.normalize import (
    CYRILLIC_LOST,
    IDENTIFIER_NOT_TEXT,
    IDENTIFIER_SCIENTIFIC,
    LATIN_NO_LETTERS,
    NAME_INVISIBLE,
    NAME_LETTERS_LOST,
)
from observers import services
from observers.models import NominationBatch, Observer
from tests.core.factories import AgencyFactory, StaffUserFactory, make_token
from tests.observers.factories import (
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    person,
)

DATA = Path(__file__).resolve().parent.parent / "data"
BATCHES = "/api/v1/observers/batches/"
OBSERVERS = "/api/v1/observers/"
UPLOAD = "admin:observers_observer_upload"

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    return OpenElectionFactory()


@pytest.fixture
def mission():
    agency = AgencyFactory(kind=AgencyKind.MISSION)
    return OrganizationBodyFactory(agency=agency, name="CIS Observer Mission")


@pytest.fixture
def mission_client(api_client, mission):
    _token, key = make_token(mission.agency, [TokenScope.OBSERVERS_SUBMIT])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api_client


@pytest.fixture
def desk(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    return client


# DOCUMENT NUMBERS


@pytest.mark.parametrize(
    "typed", ["ＰＲＢＯ０００２", "PRBO٠٠٠٢", "prbo 0002", "prbo-0002", "PRBO\u00a00002"]
)
def test_a_document_number_is_stored_normalised_even_without_full_clean(typed):
    observer = ObserverFactory(document_number=typed)  # a plain save()

    observer.refresh_from_db()
    assert observer.document_number == "PRBO0002"


def test_update_and_bulk_create_store_a_number_normalised(election):
    first = ObserverFactory(election=election)
    Observer.objects.filter(pk=first.pk).update(document_number="ＡＢ－１２")
    second = ObserverFactory.build(election=election, body=first.body, document_number="cd 34")
    Observer.objects.bulk_create([second])

    numbers = set(Observer.objects.values_list("document_number", flat=True))
    assert numbers == {"AB12", "CD34"}


def test_look_ups_find_a_number_however_it_is_typed():
    observer = ObserverFactory(document_number="PRBO0002")

    assert Observer.objects.get(document_number="ＰＲＢＯ０００２") == observer
    assert Observer.objects.filter(document_number__in=["PRBO٠٠٠٢"]).get() == observer
    assert Observer.objects.filter(document_number="prbo 0002").exists()


def test_the_database_holds_one_place_per_passport_however_it_is_typed(election):
    ObserverFactory(election=election, citizenship="TR", document_number="PRBO0002")

    with pytest.raises(IntegrityError), transaction.atomic():
        ObserverFactory(election=election, citizenship="TR", document_number="PRBO٠٠٠٢")


def test_full_clean_refuses_a_number_of_other_characters():
    observer = ObserverFactory.build(document_number="AB#1234")

    with pytest.raises(ValidationError) as raised:
        observer.full_clean(exclude=["election", "body", "batch", "photo"])

    assert "“#”" in raised.value.message_dict["document_number"][0]


def test_a_number_too_long_only_with_its_separators_fits():
    observer = ObserverFactory.build(document_number="AB 12 34 56 78 90 12 34 56")  # 26 typed
    observer.full_clean(exclude=["election", "body", "batch", "photo"])
    assert observer.document_number == "AB1234567890123456"


def test_a_full_width_passport_is_refused_when_its_number_holds_a_place(
    mission_client, election, mission
):
    """Real-world case a3: the same number as AB1234567, written in full-width characters."""
    ObserverFactory(election=election, citizenship="TR", document_number="AB1234567")
    payload = json.loads((DATA / "api" / "a3_passport_fullwidth.json").read_text("utf-8"))
    payload.update(election=election.pk, body=mission.pk)
    assert payload["observers"][0]["document_number"] == "ＡＢ１２３４５６７"

    response = mission_client.post(BATCHES, payload, format="json")

    assert response.status_code == 400
    # Refused as the held place (another body's nominee: the mission learns only that).
    message = response.json()["observers"]["1"]["document_number"][0]
    assert message == str(services.ALREADY_HELD_ELSEWHERE)
    assert Observer.objects.count() == 1
    assert not NominationBatch.objects.exists()


def test_a_full_width_passport_is_stored_as_ascii(mission_client, election, mission):
    payload = json.loads((DATA / "api" / "a3_passport_fullwidth.json").read_text("utf-8"))
    payload.update(election=election.pk, body=mission.pk)

    response = mission_client.post(BATCHES, payload, format="json")

    assert response.status_code == 201
    assert Observer.objects.get().document_number == "AB1234567"


def test_a_batch_with_one_passport_typed_two_ways_names_the_first_row(election, mission):
    rows = [person(1, document_number="prbo 0002"), person(2, document_number="PRBO٠٠٠٢")]

    with pytest.raises(services.BatchInvalid) as raised:
        services.nomination_batch_submit(actor=None, election=election, body=mission, rows=rows)

    assert raised.value.rows[2]["document_number"] == [
        str(services.REPEATED_IN_BATCH.format(row=1))
    ]


def test_a_single_nomination_in_arabic_indic_digits_is_refused_when_held(election, mission):
    ObserverFactory(election=election, citizenship="US", document_number="P100001")

    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=None,
            election=election,
            body=mission,
            **person(5, document_number="P١٠٠٠٠١"),
        )

    assert "P100001" in raised.value.message_dict["document_number"][0]


# NAMES


def test_a_name_with_a_right_to_left_override_is_refused_by_the_api(
    mission_client, election, mission
):
    row = person(1, last_name_latin="Smith\u202etxt.exe")
    payload = {"election": election.pk, "body": mission.pk, **row}
    payload["date_of_birth"] = row["date_of_birth"].isoformat()

    response = mission_client.post(OBSERVERS, payload, format="json")

    assert response.status_code == 400
    message = response.json()["last_name_latin"][0]
    assert message.startswith(str(NAME_INVISIBLE).split("(")[0])
    assert "U+202E" in message
    assert not Observer.objects.exists()


def test_names_are_stored_nfc_with_spaces_collapsed(election, mission):
    observer = services.observer_nominate(
        actor=None,
        election=election,
        body=mission,
        **person(1, first_name_latin="Jose\u0301  Luis", first_name_cyrillic="Хосе\u00a0Луис"),
    )

    observer.refresh_from_db()
    assert observer.first_name_latin == "José Luis"
    assert observer.first_name_cyrillic == "Хосе Луис"


def test_a_cyrillic_name_in_the_latin_column_is_refused(election, mission):
    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=None, election=election, body=mission, **person(1, last_name_latin="Иванов")
        )

    assert raised.value.message_dict["last_name_latin"] == [str(LATIN_NO_LETTERS)]


# SPREADSHEETS THAT LOST LETTERS (real-world cases t01 and t05)


def upload(desk, election, body, name):
    content = (DATA / "spreadsheets" / name).read_bytes()
    return desk.post(
        reverse(UPLOAD),
        {"election": election.pk, "body": body.pk, "file": SimpleUploadedFile(name, content)},
    )


def shown_errors(response) -> dict[tuple[int, str], str]:
    assert response.status_code == 200
    return {(e.row, e.column): str(e.message) for e in response.context["errors"]}


def test_a_cp1251_file_whose_kazakh_and_turkish_letters_became_question_marks(
    desk, election, mission
):
    """t01: Excel's CSV on a Russian-locale PC; Ş, ö, ç, Ә, Қ, Ұ were saved as "?"."""
    response = upload(desk, election, mission, "t01_excel_ru_cp1251_semicolon.csv")

    errors = shown_errors(response)
    lost = str(NAME_LETTERS_LOST)
    assert errors == {
        (2, "last_name_latin"): lost,  # ?ahin
        (2, "first_name_latin"): lost,  # G?k?e
        (3, "last_name_cyrillic"): lost,  # ?біл?асымов
        (3, "first_name_cyrillic"): lost,  # Н?рлан
    }
    assert "CSV UTF-8" in response.content.decode()
    assert not Observer.objects.exists()
    assert not NominationBatch.objects.exists()


def test_a_cp1252_file_whose_cyrillic_was_lost(desk, election, mission):
    """t05: Excel's CSV on an English-locale PC; every Cyrillic letter became "?"."""
    response = upload(desk, election, mission, "t05_excel_enUS_csv_cp1252_cyrillic_lost.csv")

    errors = shown_errors(response)
    assert errors == {
        (row, column): str(CYRILLIC_LOST)
        for row in (2, 3)
        for column in ("last_name_cyrillic", "first_name_cyrillic")
    }
    assert not Observer.objects.exists()
    assert not NominationBatch.objects.exists()


# THE DATA MIGRATION


def test_the_migration_normalises_stored_numbers_and_names(election):
    observer = ObserverFactory(election=election)
    with connection.cursor() as cursor:  # as a row stored before the fields normalised
        cursor.execute(
            "UPDATE observers_observer SET document_number = %s, first_name_latin = %s "
            "WHERE id = %s",
            ["ab-12 ３４", "Jose\u0301  Luis", observer.pk],
        )
    migration = importlib.import_module(
        "observers.migrations.0003_normalized_identifiers_and_names"
    )

    migration.normalize_rows(apps, None)

    observer.refresh_from_db()
    assert observer.document_number == "AB1234"
    assert observer.first_name_latin == "José Luis"


def test_the_migration_stops_where_two_places_would_become_one(election):
    first = ObserverFactory(election=election, citizenship="TR", document_number="AB1234")
    second = ObserverFactory(election=election, citizenship="TR", document_number="AB1235")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE observers_observer SET document_number = %s WHERE id = %s",
            ["ＡＢ１２３４", second.pk],
        )
    migration = importlib.import_module(
        "observers.migrations.0003_normalized_identifiers_and_names"
    )

    with pytest.raises(RuntimeError, match=f"{first.pk} and {second.pk}"):
        migration.normalize_rows(apps, None)


# LOOK-ALIKE LETTERS, NUMBERS A SPREADSHEET DESTROYED: ONE RULE ON EVERY WRITE PATH

# One passport, typed five ways: Latin; Cyrillic А В (a Russian keyboard); full width; Cyrillic
# and Arabic-Indic digits; lower-case Cyrillic with a space.
SPELLINGS = ["AB1234567", "АВ1234567", "ＡＢ１２３４５６７", "АB١٢٣٤٥٦٧", "ав 1234567"]


def api_nomination(election, body, n=1, **overrides) -> dict:
    row = person(n, **overrides)
    return {
        "election": election.pk,
        "body": body.pk,
        **row,
        "date_of_birth": row["date_of_birth"].isoformat(),
    }


@pytest.mark.parametrize("typed", SPELLINGS)
def test_the_api_stores_a_passport_typed_with_look_alikes_as_latin(
    mission_client, election, mission, typed
):
    response = mission_client.post(
        OBSERVERS, api_nomination(election, mission, document_number=typed), format="json"
    )

    assert response.status_code == 201, response.content
    assert Observer.objects.get().document_number == "AB1234567"


@pytest.mark.parametrize("typed", SPELLINGS[1:])
def test_the_api_refuses_a_look_alike_spelling_of_a_held_passport(
    mission_client, election, mission, typed
):
    ObserverFactory(election=election, citizenship="US", document_number="AB1234567")

    response = mission_client.post(
        OBSERVERS, api_nomination(election, mission, document_number=typed), format="json"
    )

    assert response.status_code == 400
    assert response.json()["document_number"] == [str(services.ALREADY_HELD_ELSEWHERE)]
    assert Observer.objects.count() == 1


def test_a_batch_with_one_passport_in_five_spellings_names_the_first_row(
    mission_client, election, mission
):
    rows = [
        api_nomination(election, mission, n, document_number=t) for n, t in enumerate(SPELLINGS)
    ]
    for row in rows:
        del row["election"], row["body"]
    payload = {"election": election.pk, "body": mission.pk, "observers": rows}

    response = mission_client.post(BATCHES, payload, format="json")

    assert response.status_code == 400
    errors = response.json()["observers"]
    assert errors == {
        str(row): {"document_number": [str(services.REPEATED_IN_BATCH.format(row=1))]}
        for row in (2, 3, 4, 5)
    }
    assert not Observer.objects.exists()


@pytest.mark.parametrize("number", [123456789, 1.23457e11, 75001234])
def test_the_api_refuses_a_document_number_sent_as_a_json_number(
    mission_client, election, mission, number
):
    single = mission_client.post(
        OBSERVERS, api_nomination(election, mission, document_number=number), format="json"
    )
    row = {**api_nomination(election, mission, document_number=number)}
    del row["election"], row["body"]
    batch = mission_client.post(
        BATCHES,
        {"election": election.pk, "body": mission.pk, "observers": [row]},
        format="json",
    )

    assert single.status_code == 400
    assert single.json() == {"document_number": [str(IDENTIFIER_NOT_TEXT)]}
    assert batch.status_code == 400
    assert batch.json()["observers"] == {"1": {"document_number": [str(IDENTIFIER_NOT_TEXT)]}}
    assert not Observer.objects.exists()


@pytest.mark.parametrize("typed", ["1,23457E+11", "1.23457E+11", "7.5E+08"])
def test_the_api_refuses_a_document_number_in_scientific_notation(
    mission_client, election, mission, typed
):
    response = mission_client.post(
        OBSERVERS, api_nomination(election, mission, document_number=typed), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"document_number": [str(IDENTIFIER_SCIENTIFIC.format(value=typed))]}
    assert not Observer.objects.exists()


def test_the_service_refuses_a_number_in_scientific_notation_whatever_calls_it(election, mission):
    with pytest.raises(ValidationError) as raised:
        services.observer_nominate(
            actor=None,
            election=election,
            body=mission,
            **person(1, document_number="1.23457E+11"),
        )

    assert raised.value.error_dict["document_number"][0].code == "scientific"
    assert not Observer.objects.exists()


def csv_upload(rows: list[dict]) -> SimpleUploadedFile:
    header = list(services.PERSON_FIELDS)
    lines = [",".join(header)]
    for row in rows:
        values = {**row, "date_of_birth": row["date_of_birth"].isoformat()}
        lines.append(",".join(str(values[column]) for column in header))
    return SimpleUploadedFile("nominees.csv", "\n".join(lines).encode("utf-8"))


def post_upload(desk, election, body, upload):
    return desk.post(reverse(UPLOAD), {"election": election.pk, "body": body.pk, "file": upload})


def test_an_upload_stores_a_passport_typed_in_cyrillic_as_latin(desk, election, mission):
    preview = post_upload(
        desk, election, mission, csv_upload([person(1, document_number="АВ 1234567")])
    )
    kept = preview.context["kept"]  # "Upload and check" saved nothing; "Save" saves
    response = desk.post(reverse(UPLOAD), {"token": kept.token, "digest": kept.digest})

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert Observer.objects.get().document_number == "AB1234567"


def test_an_upload_with_one_passport_in_five_spellings_names_the_first_row(desk, election, mission):
    rows = [person(n, document_number=t) for n, t in enumerate(SPELLINGS)]

    errors = shown_errors(post_upload(desk, election, mission, csv_upload(rows)))

    repeated = str(services.REPEATED_IN_BATCH.format(row=2))  # the header is row 1
    assert errors == {(row, "document_number"): repeated for row in (3, 4, 5, 6)}
    assert not Observer.objects.exists()


def test_an_upload_refuses_a_cyrillic_spelling_of_a_held_passport(desk, election, mission):
    first = ObserverFactory(election=election, citizenship="US", document_number="AB1234567")

    errors = shown_errors(
        post_upload(desk, election, mission, csv_upload([person(1, document_number="АВ1234567")]))
    )

    # The desk (CEC) is told whose nomination holds the place.
    assert first.body.name in errors[(2, "document_number")]
    assert Observer.objects.count() == 1


def admin_add(election, body, **overrides) -> dict:
    data = person(1, **overrides)
    return {
        "election": election.pk,
        "body": body.pk,
        **data,
        "date_of_birth": data["date_of_birth"].isoformat(),
    }


def test_the_admin_stores_a_passport_typed_in_cyrillic_as_latin(desk, election, mission):
    response = desk.post(
        reverse("admin:observers_observer_add"),
        admin_add(election, mission, document_number="РВ 1234567"),  # Cyrillic Р, В
    )

    assert response.status_code == 302
    assert Observer.objects.get().document_number == "PB1234567"


def test_the_admin_refuses_a_look_alike_spelling_of_a_held_passport(desk, election, mission):
    ObserverFactory(election=election, citizenship="US", document_number="AB1234567")

    response = desk.post(
        reverse("admin:observers_observer_add"),
        admin_add(election, mission, document_number="ＡВ١٢٣٤٥٦٧"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["document_number"]
    assert "AB1234567" in errors[0]
    assert Observer.objects.count() == 1


def test_the_admin_refuses_a_number_in_scientific_notation(desk, election, mission):
    response = desk.post(
        reverse("admin:observers_observer_add"),
        admin_add(election, mission, document_number="1,23457E+11"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["document_number"]
    assert [error.code for error in errors] == ["scientific"]
    assert not Observer.objects.exists()


# WHAT THE ADMIN SAYS OF ANOTHER BODY'S NOMINEES


@pytest.fixture
def regional_client(client):
    from commissions.choices import MemberRole
    from core.choices import Role
    from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory
    from tests.core.factories import UserFactory

    commission = TerritorialCommissionFactory()
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    client.force_login(user)
    client.region = commission.region
    return client


def change_form(observer, **overrides) -> dict:
    return {
        **{name: getattr(observer, name) for name in services.PERSON_FIELDS},
        "citizenship": observer.citizenship.code,
        "date_of_birth": observer.date_of_birth.isoformat(),
        **overrides,
    }


def test_regional_staff_searching_a_missions_nominees_passport_find_nothing(
    regional_client, election, mission
):
    """Territorial staff only view nominations in the admin (the CEC desk nominates and
    corrects); their search does not reveal that another body's nominee holds a passport."""
    held = ObserverFactory(election=election, body=mission, document_number="AB1234567")
    changelist = reverse("admin:observers_observer_changelist")

    for term in ("AB1234567", "АВ 1234567"):
        response = regional_client.get(changelist, {"q": term})

        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == []
        assert mission.name not in response.content.decode()
    assert regional_client.post(
        reverse("admin:observers_observer_change", args=[held.pk]), change_form(held)
    ).status_code in (403, 404)


def test_the_cec_desks_correction_onto_a_missions_nominee_names_it(desk, election, mission):
    held = ObserverFactory(election=election, body=mission, document_number="AB1234567")
    other = ObserverFactory(election=election, citizenship=held.citizenship.code)
    url = reverse("admin:observers_observer_change", args=[other.pk])

    response = desk.post(url, change_form(other, document_number="АВ1234567"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["document_number"]
    assert mission.name in errors[0]
