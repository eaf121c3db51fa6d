"""Admin of commissions and polling stations: query counts, row scope, the service on add."""

from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from commissions.choices import MemberRole
from commissions.models import Commission, CommissionMember, Region
from core.choices import Role
from core.models import Notification
from polling.models import PollingStation
from tests.commissions.factories import (
    CommissionMemberFactory,
    ElectionFactory,
    PartyFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import UserFactory
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db

STATIONS_PER_REGION = 8


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Country:
    region_a: Region
    region_b: Region
    station_a: PollingStation
    station_b: PollingStation


def territorial_staff(region: Region):
    """A territorial staff account working for the region's territorial commission."""
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    commission = Commission.objects.get(level="territorial", region=region)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


@pytest.fixture
def country() -> Country:
    """Two regions, each with a territorial commission and precinct commissions with stations
    and members (a party nominee with an account each): enough rows to show an N+1."""
    regions = [RegionFactory(), RegionFactory(timezone="Asia/Aqtobe")]
    stations = []
    for region in regions:
        territorial = TerritorialCommissionFactory(region=region)
        for _ in range(STATIONS_PER_REGION):
            station = PollingStationFactory(precinct_commission__parent=territorial)
            CommissionMemberFactory(
                commission=station.precinct_commission,
                party=PartyFactory(),
                user=UserFactory(role=Role.PRECINCT_MEMBER),
                email="member@example.org",
            )
            stations.append(station)
    ElectionFactory.create_batch(3)
    return Country(regions[0], regions[1], stations[0], stations[-1])


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def changelist(app_model: str) -> str:
    app, model = app_model.split(".")
    return reverse(f"admin:{app}_{model}_changelist")


@pytest.mark.parametrize(
    ("app_model", "max_queries"),
    [
        ("commissions.region", 6),
        ("commissions.election", 7),
        ("commissions.party", 5),
        ("commissions.commission", 6),
        ("commissions.commissionmember", 7),
        ("polling.pollingstation", 6),
    ],
)
def test_changelist_takes_a_fixed_number_of_queries(
    client, superuser, country, app_model, max_queries, django_assert_max_num_queries
):
    client.force_login(superuser)

    with django_assert_max_num_queries(max_queries):
        response = client.get(changelist(app_model))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 2


def test_commission_page_lists_members_in_a_fixed_number_of_queries(
    client, superuser, country, django_assert_max_num_queries
):
    commission = country.station_a.precinct_commission
    for _ in range(5):
        CommissionMemberFactory(commission=commission, user=UserFactory(), party=PartyFactory())
    client.force_login(superuser)

    with django_assert_max_num_queries(13):
        response = client.get(reverse("admin:commissions_commission_change", args=[commission.pk]))

    assert response.status_code == 200
    assert "Add a member to this commission" in response.content.decode()


@pytest.mark.parametrize(
    ("app_model", "max_queries"),
    [
        ("commissions.commission", 9),
        ("commissions.commissionmember", 10),
        ("polling.pollingstation", 9),
    ],
)
def test_territorial_changelist_takes_a_fixed_number_of_queries(
    client, country, app_model, max_queries, django_assert_max_num_queries
):
    client.force_login(territorial_staff(country.region_a))

    with django_assert_max_num_queries(max_queries):
        response = client.get(changelist(app_model))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= STATIONS_PER_REGION


def test_search_by_name_or_number_works(client, superuser, country):
    client.force_login(superuser)
    number = country.station_a.number

    by_number = client.get(changelist("polling.pollingstation"), {"q": str(number)})
    by_text = client.get(changelist("commissions.commission"), {"q": "Precinct"})

    assert [s.pk for s in by_number.context["cl"].result_list] == [country.station_a.pk]
    assert by_text.context["cl"].result_count == 2 * STATIONS_PER_REGION


def test_territorial_staff_see_only_their_regions_commissions(client, country):
    client.force_login(territorial_staff(country.region_a))

    response = client.get(changelist("commissions.commission"))

    shown = {c.pk for c in response.context["cl"].result_list}
    assert shown == set(
        Commission.objects.filter(region=country.region_a).values_list("pk", flat=True)
    )


def test_territorial_staff_see_only_their_regions_stations(client, country):
    client.force_login(territorial_staff(country.region_a))

    response = client.get(changelist("polling.pollingstation"))

    shown = {s.region_id for s in response.context["cl"].result_list}
    assert shown == {country.region_a.pk}
    assert response.context["cl"].result_count == STATIONS_PER_REGION


def test_territorial_staff_cannot_open_another_regions_station(client, country):
    client.force_login(territorial_staff(country.region_a))

    other = client.get(reverse("admin:polling_pollingstation_change", args=[country.station_b.pk]))
    own = client.get(reverse("admin:polling_pollingstation_change", args=[country.station_a.pk]))

    assert other.status_code == 404
    assert own.status_code == 200


def test_territorial_staff_cannot_see_another_regions_audit_history(client, country):
    client.force_login(territorial_staff(country.region_a))

    response = client.get(
        reverse("admin:polling_pollingstation_auditlog", args=[country.station_b.pk])
    )

    assert response.status_code == 404


def member_form(commission, **overrides):
    return {
        "commission": commission.pk,
        "full_name_en": "Aliya Nurpeisova",
        "full_name_ru": "Алия Нурпеисова",
        "full_name_kk": "Әлия Нұрпейісова",
        "role": MemberRole.MEMBER,
        "party": "",
        "email": "aliya@example.org",
        "phone": "",
        "user": "",
        "started_on": "2023-01-20",
        **overrides,
    }


def test_adding_a_member_audits_the_admin_and_notifies_the_member(client, superuser, country):
    client.force_login(superuser)
    commission = country.station_a.precinct_commission

    response = client.post(
        reverse("admin:commissions_commissionmember_add"), member_form(commission)
    )

    assert response.status_code == 302
    member = CommissionMember.objects.get(full_name_en="Aliya Nurpeisova")
    assert member.commission == commission
    assert member.full_name_kk == "Әлия Нұрпейісова"
    entry = LogEntry.objects.get_for_object(member).get(action=LogEntry.Action.CREATE)
    assert entry.actor == superuser
    notification = Notification.objects.get(object_id=str(member.pk))
    assert notification.recipient == "aliya@example.org"


def test_territorial_staff_add_members_in_their_region_only(client, country):
    staff = territorial_staff(country.region_a)
    client.force_login(staff)
    url = reverse("admin:commissions_commissionmember_add")

    outside = client.post(url, member_form(country.station_b.precinct_commission))
    inside = client.post(url, member_form(country.station_a.precinct_commission))

    assert outside.status_code == 200
    assert "commission" in outside.context["adminform"].form.errors
    assert inside.status_code == 302
    member = CommissionMember.objects.get(full_name_en="Aliya Nurpeisova")
    assert member.commission == country.station_a.precinct_commission
    entry = LogEntry.objects.get_for_object(member).get(action=LogEntry.Action.CREATE)
    assert entry.actor == staff


def test_members_contact_details_stay_out_of_the_changelist(client, superuser, country):
    client.force_login(superuser)

    response = client.get(changelist("commissions.commissionmember"))

    assert "member@example.org" not in response.content.decode()


def test_opening_a_members_page_logs_the_read_of_contact_details(client, superuser, country):
    member = CommissionMember.objects.exclude(email="").first()
    client.force_login(superuser)

    response = client.get(reverse("admin:commissions_commissionmember_change", args=[member.pk]))

    assert response.status_code == 200
    assert "member@example.org" in response.content.decode()
    entry = LogEntry.objects.get_for_object(member).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == superuser


def test_a_staff_account_without_a_commission_sees_no_stations(client, country):
    client.force_login(UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True))

    response = client.get(changelist("polling.pollingstation"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_a_precinct_member_sees_only_their_own_station(client, country):
    user = UserFactory(role=Role.PRECINCT_MEMBER, is_staff=True)
    CommissionMemberFactory(commission=country.station_a.precinct_commission, user=user)
    client.force_login(user)

    response = client.get(changelist("polling.pollingstation"))

    assert [s.pk for s in response.context["cl"].result_list] == [country.station_a.pk]


# ONE WRITE PATH: every add and change through the app's service


def form_data(response) -> dict:
    """What the page's form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = getattr(value, "pk", value)
    return data


def test_a_stations_number_place_and_commission_are_not_offered_on_its_page(client, country):
    client.force_login(territorial_staff(country.region_a))

    response = client.get(
        reverse("admin:polling_pollingstation_change", args=[country.station_a.pk])
    )

    offered = set(response.context["adminform"].form.fields)
    assert not offered & {"number", "region", "precinct_commission", "is_abroad", "country"}
    assert {"name_en", "address_en", "egov_check_available"} <= offered


def test_a_station_changed_in_the_admin_keeps_its_number_and_is_audited(client, country):
    staff = territorial_staff(country.region_a)
    client.force_login(staff)
    station = country.station_a
    url = reverse("admin:polling_pollingstation_change", args=[station.pk])
    data = form_data(client.get(url))

    response = client.post(
        url, {**data, "name_en": "Lyceum No. 7", "egov_check_available": "on", "number": 1}
    )

    assert response.status_code == 302
    changed = PollingStation.objects.get(pk=station.pk)
    assert changed.name_en == "Lyceum No. 7" and changed.egov_check_available
    assert changed.number == station.number
    entry = LogEntry.objects.get_for_object(changed).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == staff


def test_a_member_changed_in_the_admin_goes_through_the_service(client, superuser, country):
    member = CommissionMember.objects.exclude(email="").first()
    client.force_login(superuser)
    url = reverse("admin:commissions_commissionmember_change", args=[member.pk])
    data = form_data(client.get(url))

    response = client.post(url, {**data, "phone": "+77011234567"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "+77011234567"
    entry = LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == superuser


def test_a_region_added_in_the_admin_is_saved_through_the_reference_service(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:commissions_region_add"),
        {
            "name_en": "Ulytau Region",
            "code": "ulytau",
            "kind": "oblast",
            "timezone": "Asia/Almaty",
            "established_on": "2022-06-08",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    region = Region.objects.get(code="ulytau")
    entry = LogEntry.objects.get_for_object(region).get(action=LogEntry.Action.CREATE)
    assert entry.actor == superuser


# WHAT TERRITORIAL STAFF ARE OFFERED


def test_territorial_staffs_region_filter_offers_only_their_region(client, country):
    client.force_login(territorial_staff(country.region_a))

    for model in ("polling.pollingstation", "commissions.commission"):
        response = client.get(changelist(model))
        region_filter = next(
            spec for spec in response.context["cl"].filter_specs if spec.field_path == "region"
        )
        offered = {pk for pk, _name in region_filter.lookup_choices}
        assert offered == {country.region_a.pk}, model


def test_an_empty_list_says_it_shows_only_the_staff_members_region(client, country):
    empty = RegionFactory()  # a region with no station yet
    TerritorialCommissionFactory(region=empty)
    client.force_login(territorial_staff(empty))

    response = client.get(changelist("polling.pollingstation"))

    assert response.context["cl"].result_count == 0
    shown = [str(m) for m in response.context["messages"]]
    assert any("only the polling stations of your region" in m for m in shown)
    filtered = client.get(changelist("polling.pollingstation") + "?is_abroad__exact=1")
    assert not any("only the" in str(m) for m in filtered.context["messages"])


def test_a_list_with_rows_says_nothing_about_scope(client, country):
    client.force_login(territorial_staff(country.region_a))
    response = client.get(changelist("polling.pollingstation"))
    assert not any("only the" in str(m) for m in response.context["messages"])


def test_a_link_outside_ones_scope_is_the_sites_404_page_with_debug_on_too(
    client, country, settings
):
    settings.DEBUG = True
    client.force_login(territorial_staff(country.region_a))

    response = client.get(
        reverse("admin:polling_pollingstation_change", args=[country.station_b.pk])
    )

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert b"Technical" not in response.content and b"Traceback" not in response.content


def test_territorial_staff_add_only_commissions_below_their_own_level(client, country):
    client.force_login(territorial_staff(country.region_a))

    page = client.get(reverse("admin:commissions_commission_add"))

    offered = {v for v, _label in page.context["adminform"].form.fields["level"].choices if v}
    assert offered == {"district", "precinct"}
    territorial = Commission.objects.get(level="territorial", region=country.region_a)
    response = client.post(
        reverse("admin:commissions_commission_add"),
        {
            "level": "territorial",
            "number": "77",
            "region": country.region_a.pk,
            "parent": territorial.pk,
            "name_kk": "Аумақтық комиссия",
            "name_ru": "Территориальная комиссия",
            "name_en": "Territorial commission",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # refused on the form
    assert not Commission.objects.filter(number=77).exists()


def test_the_cec_adds_territorial_commissions_but_not_a_second_cec(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:commissions_commission_add"))
    offered = {v for v, _label in page.context["adminform"].form.fields["level"].choices if v}
    assert offered == {"territorial", "district", "precinct"}


def test_the_scope_rule_refuses_a_commission_at_ones_own_level(country):
    from core.scoping import ADD, can

    user = territorial_staff(country.region_a)
    parent = Commission.objects.get(level="territorial", region=country.region_a)
    same = Commission(level="territorial", region=country.region_a, parent=parent, number=9)
    below = Commission(level="district", region=country.region_a, parent=parent, number=9)
    elsewhere = Commission(level="district", region=country.region_b, number=9)
    assert [can(user, ADD, c) for c in (same, below, elsewhere)] == [False, True, False]


def test_the_parent_picker_offers_no_precinct_commission(client, country):
    client.force_login(territorial_staff(country.region_a))

    response = client.get(
        "/en/admin/autocomplete/",
        {"app_label": "commissions", "model_name": "commission", "field_name": "parent"},
    )

    offered = {int(r["id"]) for r in response.json()["results"]}
    levels = set(Commission.objects.filter(pk__in=offered).values_list("level", flat=True))
    assert offered and "precinct" not in levels
    member_picker = client.get(
        "/en/admin/autocomplete/",
        {"app_label": "commissions", "model_name": "commissionmember", "field_name": "commission"},
    )
    assert any(r for r in member_picker.json()["results"])  # members' commissions: every level
