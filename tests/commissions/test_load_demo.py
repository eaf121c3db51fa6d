"""`manage.py load_demo`: the 19 March 2023 scenario, loaded once however often it runs."""

import re
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.test import override_settings
from django.utils import translation

from commissions.choices import CommissionLevel, ElectionKind, MemberRole, RegionKind
from commissions.models import Commission, CommissionMember, Election, Party, Region
from core.audit import SYSTEM_USERNAME
from core.models import Notification
from core.scoping import Level, scope_of
from polling.choices import SpecialKind
from polling.models import PollingStation

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-password-for-tests"
UTC5, UTC6 = timedelta(hours=5), timedelta(hours=6)
ELECTION_DAY = date(2023, 3, 19)


@pytest.fixture(autouse=True)
def _demo_settings(settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module", autouse=True)
def _demo(django_db_setup, django_db_blocker):
    """The demo is loaded once for the module (it takes seconds); each test runs in a savepoint
    of that transaction, so what a test changes is undone after it."""
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        patch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
        load_demo()
        yield
        transaction.set_rollback(True)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def offset_on_election_day(zone: str) -> timedelta:
    return datetime(2023, 3, 19, 12, tzinfo=ZoneInfo(zone)).utcoffset()


def snapshot() -> dict[str, int]:
    models = (Region, Election, Party, Commission, CommissionMember, PollingStation)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["users"] = get_user_model().objects.count()
    counts["log entries"] = LogEntry.objects.count()
    counts["notifications"] = Notification.objects.count()
    return counts


def test_loads_the_twenty_regions_with_their_time_zones():
    zones = dict(Region.objects.values_list("code", "timezone"))
    assert len(zones) == 20
    assert Region.objects.filter(kind=RegionKind.CITY).count() == 3
    assert zones["aktobe"] == "Asia/Aqtobe"
    assert zones["kostanay"] == "Asia/Qostanay"
    assert zones["astana"] == "Asia/Almaty"
    in_utc5 = {code for code, zone in zones.items() if offset_on_election_day(zone) == UTC5}
    assert in_utc5 == {"aktobe", "atyrau", "west-kazakhstan", "mangystau", "kyzylorda"}


def test_new_oblasts_date_from_8_june_2022():
    new = Region.objects.filter(established_on=date(2022, 6, 8))
    assert set(new.values_list("code", flat=True)) == {"abai", "zhetysu", "ulytau"}


def test_names_are_given_in_kazakh_russian_and_english():
    cec = Commission.objects.cec()
    assert cec.name_en == "Central Election Commission of the Republic of Kazakhstan"
    assert cec.name_ru == "Центральная избирательная комиссия Республики Казахстан"
    assert cec.name_kk == "Қазақстан Республикасының Орталық сайлау комиссиясы"
    with translation.override("kk"):
        assert Region.objects.get(code="aktobe").name == "Ақтөбе облысы"
    with translation.override("ru"):
        assert Region.objects.get(code="aktobe").name == "Актюбинская область"


def test_loads_both_early_elections_of_19_march_2023():
    elections = Election.objects.all()
    assert {e.kind for e in elections} == {ElectionKind.MAZHILIS, ElectionKind.MASLIKHAT}
    assert all(e.election_day == ELECTION_DAY for e in elections)
    assert all(e.is_early and e.called_on == date(2023, 1, 19) for e in elections)


def test_loads_the_seven_parties():
    assert set(Party.objects.values_list("short_name_en", flat=True)) == {
        "AMANAT",
        "Auyl",
        "Respublica",
        "People's Party",
        "Baitak",
        "Aq Jol",
        "NSDP",
    }


def test_the_cec_has_its_six_members_of_2023():
    members = CommissionMember.objects.filter(commission__level=CommissionLevel.CEC).exclude(
        role=MemberRole.STAFF
    )
    assert dict(members.values_list("full_name_en", "role")) == {
        "Nurlan Abdirov": MemberRole.CHAIR,
        "Konstantin Petrov": MemberRole.DEPUTY_CHAIR,
        "Mukhtar Yerman": MemberRole.SECRETARY,
        "Anastasia Schegortsova": MemberRole.MEMBER,
        "Sabila Mustafina": MemberRole.MEMBER,
        "Shavkhat Utemisov": MemberRole.MEMBER,
    }


def test_every_region_has_a_territorial_commission_under_the_cec():
    territorial = Commission.objects.filter(level=CommissionLevel.TERRITORIAL)
    assert territorial.count() == 20
    assert set(territorial.values_list("parent__level", flat=True)) == {CommissionLevel.CEC}
    assert set(territorial.values_list("region__code", flat=True)) == set(
        Region.objects.values_list("code", flat=True)
    )


def test_stations_cover_both_time_zones_and_what_stations_may_offer():
    stations = list(PollingStation.objects.select_related("region", "precinct_commission"))
    at_home = [s for s in stations if not s.is_abroad]
    assert len(stations) >= 12
    assert len({s.region_id for s in at_home}) >= 5
    assert {offset_on_election_day(s.timezone_name) for s in at_home} == {UTC5, UTC6}
    assert sum(s.egov_check_available for s in stations) >= 2
    assert sum(s.temporary_registration_allowed for s in stations) >= 2
    assert any(s.special_kind == SpecialKind.HOSPITAL for s in stations)
    for station in stations:
        station.full_clean()
        assert station.precinct_commission.level == CommissionLevel.PRECINCT
        assert station.precinct_commission.number == station.number


def test_stations_abroad_keep_local_time_and_are_run_from_astana():
    abroad = list(PollingStation.objects.abroad().select_related("precinct_commission__parent"))
    assert abroad
    ankara = next(s for s in abroad if s.country == "TR")
    assert ankara.region is None
    assert ankara.timezone_name == "Europe/Istanbul"
    for station in abroad:
        commission = station.precinct_commission
        assert commission.region.code == "astana"
        assert commission.parent.level == CommissionLevel.TERRITORIAL
        assert commission.parent.region.code == "astana"


def test_precinct_commissions_have_a_chair_a_secretary_and_one_nominee_per_party():
    staffed = Commission.objects.filter(level=CommissionLevel.PRECINCT, members__isnull=False)
    assert staffed.distinct().count() >= 2
    for commission in staffed.distinct():
        members = list(commission.members.exclude(role=MemberRole.STAFF))
        roles = [m.role for m in members]
        assert MemberRole.CHAIR in roles
        assert MemberRole.SECRETARY in roles
        parties = [m.party_id for m in members if m.party_id]
        assert len(parties) == len(set(parties))


def test_demo_accounts_sign_in_and_work_in_their_scope(client):
    User = get_user_model()
    cec = User.objects.get(username="demo-cec")
    astana = User.objects.get(username="demo-astana")
    precinct = User.objects.get(username="demo-precinct")
    assert scope_of(cec).level is Level.NATIONAL
    assert scope_of(astana).level is Level.REGION
    assert scope_of(astana).region_id == Region.objects.get(code="astana").pk
    assert scope_of(precinct).level is Level.PRECINCT
    station = PollingStation.objects.get(precinct_commission_id=scope_of(precinct).commission_id)
    assert station.region.code == "astana"
    assert all(user.is_staff for user in (cec, astana, precinct))
    # Signing in is counted per address (django-axes), so it takes a request.
    assert client.login(request=HttpRequest(), username="demo-astana", password=DEMO_PASSWORD)


def test_demo_admin_lists_the_demo_accounts_with_a_working_password(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "admin-password-for-tests")
    out = StringIO()

    call_command("demo_admin", stdout=out)

    assert f"user: demo-precinct  password: {DEMO_PASSWORD}" in out.getvalue()


def test_new_members_with_an_address_are_told_once():
    with_email = CommissionMember.objects.exclude(email="")
    to_members = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(CommissionMember)
    )
    assert to_members.count() == with_email.count() > 0

    load_demo()

    assert to_members.count() == with_email.count()


def test_the_audit_trail_names_the_system_actor():
    region = Region.objects.get(code="astana")
    entry = LogEntry.objects.get_for_object(region).get(action=LogEntry.Action.CREATE)
    assert entry.actor.username == SYSTEM_USERNAME


def test_running_it_twice_changes_nothing():
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert not re.search(r"created [1-9]|updated [1-9]", output)
    assert output.count("(created 0, updated 0)") >= 7


def test_running_it_again_in_another_language_changes_nothing():
    before = snapshot()

    with translation.override("kk"):
        load_demo()

    assert snapshot() == before
    assert Region.objects.get(code="aktobe").name_en == "Aktobe Region"


def test_a_changed_row_is_put_back():
    Region.objects.filter(code="kostanay").update(timezone="Asia/Almaty")

    output = load_demo()

    assert Region.objects.get(code="kostanay").timezone == "Asia/Qostanay"
    assert "region              20  (created 0, updated 1)" in output
