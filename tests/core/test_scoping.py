"""The row scope of each role, through the one `restrict(user, action)`."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from commissions.choices import MemberRole
from commissions.models import Commission, CommissionMember
from core.choices import Role
from core.models import ApiToken
from core.scoping import Level, scope_of
from polling.models import PollingStation
from tests.commissions.factories import (
    CecFactory,
    CommissionMemberFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import AgencyFactory, UserFactory, make_token
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db


def staff_of(commission, role):
    user = UserFactory(role=role, is_staff=role != Role.PRECINCT_MEMBER)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


@pytest.fixture
def two_regions():
    """Two territorial commissions, each with two stations."""
    here = TerritorialCommissionFactory()
    there = TerritorialCommissionFactory()
    stations = {
        "here": PollingStationFactory.create_batch(2, precinct_commission__parent=here),
        "there": PollingStationFactory.create_batch(2, precinct_commission__parent=there),
    }
    return here, there, stations


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_cec_staff_change_everything(two_regions):
    user = staff_of(CecFactory(), Role.CEC_STAFF)
    assert scope_of(user).level is Level.NATIONAL
    assert ids(PollingStation.objects.restrict(user, "change")) == ids(PollingStation.objects.all())


def test_territorial_staff_change_only_their_region(two_regions):
    here, there, stations = two_regions
    user = staff_of(here, Role.TERRITORIAL_STAFF)
    assert scope_of(user) is scope_of(user)  # resolved once, cached on the user object
    assert ids(PollingStation.objects.restrict(user, "change")) == {s.pk for s in stations["here"]}
    changeable = ids(Commission.objects.restrict(user, "change"))
    assert here.pk in changeable
    assert there.pk not in changeable
    assert all(c.region_id == here.region_id for c in Commission.objects.filter(pk__in=changeable))


def test_precinct_member_changes_only_their_station(two_regions):
    _here, _there, stations = two_regions
    station = stations["here"][0]
    user = staff_of(station.precinct_commission, Role.PRECINCT_MEMBER)
    assert scope_of(user).level is Level.PRECINCT
    assert ids(PollingStation.objects.restrict(user, "change")) == {station.pk}
    assert ids(CommissionMember.objects.restrict(user, "change")) == set(
        station.precinct_commission.members.values_list("pk", flat=True)
    )


def test_public_data_is_visible_to_anyone(two_regions):
    anonymous = AnonymousUser()
    assert ids(PollingStation.objects.restrict(anonymous, "view")) == ids(
        PollingStation.objects.all()
    )
    assert not PollingStation.objects.restrict(anonymous, "change").exists()


def test_non_public_rows_are_hidden_from_the_public():
    make_token()
    assert not ApiToken.objects.restrict(AnonymousUser(), "view").exists()


def test_staff_without_a_current_membership_change_nothing(two_regions):
    here, _there, _stations = two_regions
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(
        commission=here, user=user, role=MemberRole.STAFF, ended_on=datetime.date(2022, 12, 31)
    )
    assert scope_of(user).level is Level.NONE
    assert not PollingStation.objects.restrict(user, "change").exists()


def test_agency_scope_names_the_agency():
    agency = AgencyFactory()
    scope = scope_of(agency.user)
    assert scope.level is Level.AGENCY
    assert scope.agency_id == agency.pk


def test_unknown_action_is_refused():
    with pytest.raises(ValueError):
        PollingStation.objects.restrict(AnonymousUser(), "steal")


def test_role_permissions_come_from_the_apps():
    precinct = UserFactory(role=Role.PRECINCT_MEMBER)
    territorial = UserFactory(role=Role.TERRITORIAL_STAFF)
    assert precinct.has_perm("polling.view_pollingstation")
    assert not precinct.has_perm("polling.change_pollingstation")
    assert territorial.has_perm("polling.change_pollingstation")
    assert not territorial.has_perm("polling.delete_pollingstation")
    assert not UserFactory(role="").has_perm("polling.view_pollingstation")
