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


# ONE CHECK FOR ONE OBJECT: can() and require()


def test_can_judges_an_unsaved_object_by_its_own_fields(two_regions):
    from core.scoping import ADD, can
    from tests.commissions.factories import PrecinctCommissionFactory

    here, there, _stations = two_regions
    user = staff_of(here, Role.TERRITORIAL_STAFF)
    ours = PollingStation(number=901, precinct_commission=PrecinctCommissionFactory(parent=here))
    theirs = PollingStation(number=902, precinct_commission=PrecinctCommissionFactory(parent=there))

    assert can(user, ADD, ours)
    assert not can(user, ADD, theirs)


def test_can_sees_a_change_not_yet_saved(two_regions):
    from core.scoping import CHANGE, can

    here, there, stations = two_regions
    user = staff_of(here, Role.TERRITORIAL_STAFF)
    station = stations["here"][0]
    assert can(user, CHANGE, station)

    station.precinct_commission = stations["there"][0].precinct_commission  # not saved

    assert not can(user, CHANGE, station)
    assert ids(PollingStation.objects.restrict(user, CHANGE).filter(pk=station.pk))  # stored


def test_can_agrees_with_restrict_for_every_role(two_regions):
    from core.scoping import ACTIONS, can

    here, _there, stations = two_regions
    station = stations["here"][0]
    users = [
        staff_of(CecFactory(), Role.CEC_STAFF),
        staff_of(here, Role.TERRITORIAL_STAFF),
        staff_of(station.precinct_commission, Role.PRECINCT_MEMBER),
        AgencyFactory().user,
        AnonymousUser(),
    ]
    everything = [*stations["here"], *stations["there"]]
    for user in users:
        for action in ACTIONS:
            allowed = ids(PollingStation.objects.restrict(user, action))
            for row in everything:
                assert can(user, action, row) == (row.pk in allowed), (user, action, row)


def test_require_refuses_with_the_services_message_and_lets_the_system_act(two_regions):
    from django.core.exceptions import PermissionDenied

    from core.scoping import CHANGE, require

    here, _there, stations = two_regions
    user = staff_of(here, Role.TERRITORIAL_STAFF)
    foreign = stations["there"][0]

    require(None, CHANGE, foreign, "never raised")  # a job or a command
    require(user, CHANGE, stations["here"][0], "never raised")
    with pytest.raises(PermissionDenied, match="Not yours"):
        require(user, CHANGE, foreign, "Not yours")


def test_a_jobs_scope_is_its_owner_through_the_one_restrict():
    from core.models import Job
    from core.scoping import VIEW, can

    cec = staff_of(CecFactory(), Role.CEC_STAFF)
    owner = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    other = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    job = Job.objects.create(kind="test", key="scope-test", created_by=owner)

    assert ids(Job.objects.restrict(owner)) == {job.pk}
    assert not Job.objects.restrict(other).exists()
    assert not Job.objects.restrict(AnonymousUser()).exists()
    assert ids(Job.objects.restrict(cec)) == {job.pk}
    assert can(owner, VIEW, job) and not can(other, VIEW, job)


def test_a_scope_names_its_user_without_changing_what_it_equals(two_regions):
    here, _there, _stations = two_regions
    first = staff_of(here, Role.TERRITORIAL_STAFF)
    second = staff_of(here, Role.TERRITORIAL_STAFF)

    assert scope_of(first).user_id == first.pk
    assert scope_of(first) == scope_of(second)


def test_require_permission_lets_the_system_act_and_agencies_only_when_told():
    from django.contrib.auth.models import Permission
    from django.core.exceptions import PermissionDenied

    from core.scoping import require_permission
    from tests.core.factories import UserFactory

    permission = "polling.change_pollingstation"
    holder = UserFactory(is_staff=True)
    holder.user_permissions.add(Permission.objects.get(codename="change_pollingstation"))
    without = UserFactory(is_staff=True)
    agency = UserFactory(role=Role.AGENCY)

    require_permission(None, permission, "never raised")  # a job or a command
    require_permission(holder, permission, "never raised")
    require_permission(agency, permission, "never raised", agencies=True)  # its token's scopes
    for actor in (without, agency):
        with pytest.raises(PermissionDenied, match="Not allowed"):
            require_permission(actor, permission, "Not allowed")
