"""Polling stations' services: opening one and what may change once it exists."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from commissions.choices import MemberRole
from core.choices import Role
from polling.models import PollingStation
from polling.services import (
    NO_STATION_PERMISSION,
    OUTSIDE_SCOPE,
    polling_station_create,
    polling_station_update,
)
from tests.commissions.factories import (
    CommissionMemberFactory,
    PrecinctCommissionFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import UserFactory
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db


def territorial_staff(commission):
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def new_station(precinct):
    return PollingStation(
        number=precinct.number,
        name="School No. 12",
        address="12 Abay Avenue",
        region=precinct.region,
        precinct_commission=precinct,
    )


def test_territorial_staff_open_a_station_in_their_region_as_the_audited_actor():
    territorial = TerritorialCommissionFactory()
    actor = territorial_staff(territorial)

    station = polling_station_create(
        actor=actor, station=new_station(PrecinctCommissionFactory(parent=territorial))
    )

    entry = LogEntry.objects.get_for_object(station).get(action=LogEntry.Action.CREATE)
    assert entry.actor == actor


def test_territorial_staff_cannot_open_a_station_in_another_region():
    actor = territorial_staff(TerritorialCommissionFactory())

    with pytest.raises(PermissionDenied, match=str(OUTSIDE_SCOPE)):
        polling_station_create(actor=actor, station=new_station(PrecinctCommissionFactory()))

    assert not PollingStation.objects.exists()


def test_a_stations_number_cannot_be_changed():
    station = PollingStationFactory()

    with pytest.raises(ValueError, match="number"):
        polling_station_update(actor=None, station=station, number=station.number + 1)


def test_a_stations_facilities_change_as_the_actor():
    station = PollingStationFactory()
    actor = territorial_staff(station.precinct_commission.parent)

    polling_station_update(actor=actor, station=station, egov_check_available=True)

    station.refresh_from_db()
    assert station.egov_check_available
    entry = LogEntry.objects.get_for_object(station).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == actor


# THE MODEL PERMISSION: checked by the services themselves, whoever calls them


def region_account_without_station_permissions(commission):
    """An account of the commission's region (its row scope) whose role holds no permission
    to open or change stations."""
    user = UserFactory(role=Role.PRECINCT_MEMBER, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def test_opening_a_station_needs_the_add_permission_within_ones_scope():
    territorial = TerritorialCommissionFactory()
    actor = region_account_without_station_permissions(territorial)

    with pytest.raises(PermissionDenied, match=str(NO_STATION_PERMISSION)):
        polling_station_create(
            actor=actor, station=new_station(PrecinctCommissionFactory(parent=territorial))
        )

    assert not PollingStation.objects.exists()


def test_changing_a_station_needs_the_change_permission_within_ones_scope():
    station = PollingStationFactory()
    actor = region_account_without_station_permissions(station.precinct_commission.parent)

    with pytest.raises(PermissionDenied, match=str(NO_STATION_PERMISSION)):
        polling_station_update(actor=actor, station=station, egov_check_available=True)

    station.refresh_from_db()
    assert not station.egov_check_available


def test_the_system_needs_no_permission():
    station = PollingStationFactory()

    polling_station_update(actor=None, station=station, has_ramp=True)

    station.refresh_from_db()
    assert station.has_ramp
