"""Territories in the admin: rules saved through the services (the overlap refusal on the
form), the import page with its per-row report, a street's former names, the unserved report."""

import io

import pytest

from polling.choices import RuleKind
from polling.models import Street, TerritoryRule
from polling.services import RULE_OVERLAP
from tests.commissions.factories import PrecinctCommissionFactory, TerritorialCommissionFactory
from tests.core.factories import UserFactory
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)

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


def test_the_import_page_shows_each_rows_error_and_saves_nothing(client, superuser):
    territorial = TerritorialCommissionFactory()
    LocalityFactory(region=territorial.region, name="Астана")
    upload = io.BytesIO("station;locality;street\n99;Астана;улица Абая\n".encode("cp1251"))
    upload.name = "territories.csv"

    response = client.post(RULES + "import/", {"commission": territorial.pk, "file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "No polling station No. 99" in page and "<td>2</td><td>station</td>" in page
    assert not Street.objects.exists()


def test_the_import_page_imports_a_valid_file(client, superuser):
    territorial = TerritorialCommissionFactory()
    LocalityFactory(region=territorial.region, name="Астана")
    PollingStationFactory(
        precinct_commission=PrecinctCommissionFactory(parent=territorial, number=12)
    )
    upload = io.BytesIO("\ufeffstation,locality,street\n12,Астана,Абай көшесі\n".encode())
    upload.name = "territories.csv"

    response = client.post(RULES + "import/", {"commission": territorial.pk, "file": upload})

    assert response.status_code == 302
    assert TerritoryRule.objects.get().street.name == "Абай көшесі"


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
