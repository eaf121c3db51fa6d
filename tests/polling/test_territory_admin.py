"""Territories in the admin: rules saved through the services (the overlap refusal on the
form), the import page that makes a job (who may, for which commission; a file unusable as a
whole refused at once), a street's former names, the unserved report."""

import io

import pytest
from django.utils import translation
from django.utils.html import escape

from core import spreadsheets
from core.choices import JobStatus, Role
from core.models import Job
from polling import territory_imports
from polling.choices import RuleKind
from polling.models import TerritoryRule
from polling.services import RULE_OVERLAP
from tests.commissions.factories import PrecinctCommissionFactory, TerritorialCommissionFactory
from tests.core.factories import UserFactory
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)
from tests.polling.hours import staff

pytestmark = pytest.mark.django_db

RULES = "/en/admin/polling/territoryrule/"


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_a_rule_overlapping_another_stations_is_refused_on_the_form(client, superuser):
    existing = TerritoryRuleFactory()
    station = PollingStationFactory(precinct_commission__parent__region=existing.locality.region)

    response = client.post(
        RULES + "add/",
        {
            "station": station.pk,
            "kind": RuleKind.STREET,
            "locality": existing.locality_id,
            "street": existing.street_id,
            "parity": "odd",
        },
    )

    assert response.status_code == 200
    assert str(RULE_OVERLAP).format(number=existing.station.number) in response.content.decode()
    assert TerritoryRule.objects.count() == 1


def test_a_rule_is_added_through_the_service(client, superuser):
    street = StreetFactory()
    station = PollingStationFactory(precinct_commission__parent__region=street.locality.region)

    response = client.post(
        RULES + "add/",
        {
            "station": station.pk,
            "kind": RuleKind.BUILDING,
            "locality": street.locality_id,
            "street": street.pk,
            "parity": "both",
            "building": "12 а",
        },
    )

    assert response.status_code == 302
    assert TerritoryRule.objects.get().building_key == "12A"


def territories_csv(text: str, encoding: str = "utf-8"):
    upload = io.BytesIO(text.encode(encoding))
    upload.name = "territories.csv"
    return upload


def test_the_import_page_makes_a_job_and_leads_to_its_page(client, superuser):
    territorial = TerritorialCommissionFactory()
    LocalityFactory(region=territorial.region, name="Астана")
    PollingStationFactory(
        precinct_commission=PrecinctCommissionFactory(parent=territorial, number=12)
    )
    upload = territories_csv("\ufeffstation,locality,street\n12,Астана,Абай көшесі\n")

    response = client.post(RULES + "import/", {"commission": territorial.pk, "file": upload})

    job = Job.objects.get(kind=territory_imports.IMPORT_JOB)
    assert response.status_code == 302
    assert response["Location"] == f"/en/admin/core/job/{job.pk}/change/"
    assert job.status == JobStatus.QUEUED and job.created_by == superuser
    assert job.params["language"] == "en"
    assert not TerritoryRule.objects.exists()  # the worker's to import
    territory_imports.territories_import_job(job, lambda done: None)
    assert TerritoryRule.objects.get().street.name == "Абай көшесі"


def test_a_file_without_the_columns_is_refused_at_once_without_a_job(client, superuser):
    territorial = TerritorialCommissionFactory()

    response = client.post(
        RULES + "import/",
        {"commission": territorial.pk, "file": territories_csv("a;b\n1;2\n", "cp1251")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_file_with_only_its_header_is_refused_at_once_as_having_no_rows(
    client, superuser, language
):
    territorial = TerritorialCommissionFactory()

    response = client.post(
        f"/{language}/admin/polling/territoryrule/import/",
        {"commission": territorial.pk, "file": territories_csv("station,locality\r\n")},
    )

    assert response.status_code == 200
    with translation.override(language):
        expected = str(spreadsheets.FILE_NO_ROWS)
    assert response.context["form"].non_field_errors() == [expected]
    assert escape(expected) in response.content.decode()
    assert not Job.objects.exists()


def test_anonymous_users_and_precinct_members_cannot_open_the_import_page(client):
    station = PollingStationFactory()
    assert client.get(RULES + "import/").status_code == 302  # to the sign-in page
    client.force_login(staff(station.precinct_commission, role=Role.PRECINCT_MEMBER))
    assert client.get(RULES + "import/").status_code == 403


def test_territorial_staff_import_only_for_their_own_commission(client):
    own = TerritorialCommissionFactory()
    other = TerritorialCommissionFactory()
    client.force_login(staff(own))
    upload = territories_csv("station,locality\n12,Астана\n")

    response = client.post(RULES + "import/", {"commission": other.pk, "file": upload})

    assert response.status_code == 200
    assert list(response.context["form"].fields["commission"].queryset) == [own]
    assert "commission" in response.context["form"].errors
    assert not Job.objects.exists()


def test_territorial_staff_get_a_job_for_their_own_commission(client):
    own = TerritorialCommissionFactory()
    client.force_login(staff(own))
    upload = territories_csv("station,locality\n12,Астана\n")

    response = client.post(RULES + "import/", {"commission": own.pk, "file": upload})

    assert response.status_code == 302
    assert Job.objects.get().params["commission"] == own.pk


def test_a_street_gets_former_names_from_its_page(client, superuser):
    street = StreetFactory(name="Абай көшесі")

    response = client.post(
        f"/en/admin/polling/street/{street.pk}/change/",
        {
            "name_kk": "Абай көшесі",
            "name_ru": "",
            "name_en": "Abay Street",
            "former_names": "ул. Ленина\nLenin street",
            "names-TOTAL_FORMS": "1",
            "names-INITIAL_FORMS": "1",
            "names-0-id": street.names.get().pk,
            "names-0-street": street.pk,
        },
    )

    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
        [f.formset.non_form_errors() for f in response.context["inline_admin_formsets"]],
    )
    assert set(street.names.values_list("name", flat=True)) >= {"ул. Ленина", "Lenin street"}


def test_the_unserved_report_lists_a_street_no_station_serves(client, superuser):
    street = StreetFactory(name="Бейбітшілік")

    response = client.get(f"/en/admin/polling/locality/{street.locality_id}/unserved/")

    assert response.status_code == 200
    assert "Бейбітшілік" in response.content.decode()


def test_the_import_forms_labels_are_capitalised(client, superuser):
    response = client.get("/ru/admin/polling/territoryrule/import/")

    labels = [field.label for field in response.context["form"]]
    assert labels == ["Территориальная комиссия", "Файл"]


def test_a_streets_page_hides_the_search_keys_of_its_names(client, superuser):
    street = StreetFactory(name="Кенесары көшесі")

    response = client.get(f"/en/admin/polling/street/{street.pk}/change/")

    assert response.status_code == 200
    assert "kenesari" not in response.content.decode()
    assert "Кенесары көшесі" in response.content.decode()
