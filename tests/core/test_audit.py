"""Every change is audited with its actor, whichever way it came in."""

import pytest
from auditlog.models import LogEntry

from commissions.models import Region
from core.audit import SYSTEM_USERNAME, acting_as, log_access
from tests.commissions.factories import RegionFactory
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_change_through_the_admin_records_actor_and_before_after(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    region = RegionFactory(timezone="Asia/Almaty")
    client.force_login(admin)
    form = {
        "code": region.code,
        "name_kk": "Ақтөбе облысы",
        "name_ru": "Актюбинская область",
        "name_en": "Aktobe Region",
        "kind": region.kind,
        "timezone": "Asia/Aqtobe",
    }
    response = client.post(f"/en/admin/commissions/region/{region.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(region).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == admin
    assert entry.changes_dict["timezone"] == ["Asia/Almaty", "Asia/Aqtobe"]
    assert entry.remote_addr == "127.0.0.1"


def test_admin_shows_the_history(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    region = RegionFactory()
    client.force_login(admin)
    response = client.get(f"/en/admin/commissions/region/{region.pk}/auditlog/")
    assert response.status_code == 200


def test_work_outside_a_request_is_done_by_the_system_account():
    with acting_as(None):
        region = RegionFactory()
    entry = LogEntry.objects.get_for_object(region).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor.username == SYSTEM_USERNAME


def test_acting_as_names_the_given_user_and_then_restores_the_outer_actor():
    outer, inner = UserFactory(), UserFactory()
    with acting_as(outer):
        first = RegionFactory()
        with acting_as(inner):
            second = RegionFactory()
        third = RegionFactory()
    actors = [LogEntry.objects.get_for_object(r).get().actor for r in (first, second, third)]
    assert actors == [outer, inner, outer]


def test_delete_is_audited_with_the_last_values():
    region = RegionFactory(code="ulytau")
    pk = region.pk
    with acting_as(UserFactory()):
        region.delete()
    entry = LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).get()
    assert entry.changes_dict["code"][0] == "ulytau"
    assert not Region.objects.filter(pk=pk).exists()


def test_reading_personal_data_can_be_logged():
    reader = UserFactory()
    region = RegionFactory()
    with acting_as(reader):
        log_access(region)
    entry = LogEntry.objects.get_for_object(region).filter(action=LogEntry.Action.ACCESS).get()
    assert entry.actor == reader


def test_passwords_are_never_in_the_audit_trail():
    user = UserFactory()
    user.set_password("another secret phrase")
    with acting_as(None):
        user.save()
    for entry in LogEntry.objects.get_for_object(user):
        assert "password" not in (entry.changes_dict or {})
