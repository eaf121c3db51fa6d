"""The reference models' rules: database constraints (hold under concurrency) and clean()."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commissions.choices import CommissionLevel, MemberRole
from commissions.models import (
    CEC_HAS_PARENT,
    PARENT_REQUIRED,
    REGION_OUTSIDE_PARENT,
    Commission,
    CommissionMember,
    Election,
)
from tests.commissions.factories import (
    CecFactory,
    CommissionMemberFactory,
    ElectionFactory,
    PartyFactory,
    PrecinctCommissionFactory,
    RegionFactory,
    TerritorialCommissionFactory,
)

pytestmark = pytest.mark.django_db


def violates(constraint_name):
    """The database refuses the write, naming the constraint."""
    return pytest.raises(IntegrityError, match=constraint_name)


def test_region_needs_an_iana_time_zone():
    region = RegionFactory.build(code="aktobe", timezone="UTC+5")
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "timezone" in error.value.message_dict


def test_region_zone_gives_the_2023_offset():
    aktobe = RegionFactory(code="aktobe", timezone="Asia/Aqtobe")
    voting_opens = datetime.datetime(2023, 3, 19, 7, tzinfo=aktobe.zone)
    assert voting_opens.utcoffset() == datetime.timedelta(hours=5)


def test_there_is_one_cec():
    CecFactory()
    with violates("commissions_commission_one_cec"), transaction.atomic():
        Commission.objects.create(level=CommissionLevel.CEC, name="Another CEC")


def test_cec_has_no_parent_and_no_region():
    cec = CecFactory()
    cec.region = RegionFactory()
    with pytest.raises(ValidationError, match=str(CEC_HAS_PARENT)):
        cec.full_clean()
    with violates("commissions_commission_place_in_hierarchy"), transaction.atomic():
        cec.save()


def test_lower_commission_needs_parent_and_region():
    commission = Commission(level=CommissionLevel.TERRITORIAL, name="Orphan")
    with pytest.raises(ValidationError, match=str(PARENT_REQUIRED)):
        commission.full_clean()
    with violates("commissions_commission_place_in_hierarchy"), transaction.atomic():
        commission.save()


def test_parent_must_be_higher_in_the_hierarchy():
    precinct = PrecinctCommissionFactory()
    child = Commission(
        level=CommissionLevel.TERRITORIAL,
        parent=precinct,
        region=precinct.region,
        name="Upside down",
    )
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "parent" in error.value.message_dict


def test_commission_stays_in_its_parents_region():
    territorial = TerritorialCommissionFactory()
    precinct = PrecinctCommissionFactory.build(parent=territorial, region=RegionFactory())
    with pytest.raises(ValidationError) as error:
        precinct.full_clean()
    assert error.value.message_dict["region"] == [str(REGION_OUTSIDE_PARENT)]


def test_commission_numbers_are_unique_per_region_and_level():
    first = PrecinctCommissionFactory(number=101)
    with violates("commissions_commission_unique_number"), transaction.atomic():
        PrecinctCommissionFactory(number=101, parent=first.parent)
    PrecinctCommissionFactory(number=101)  # another region: fine


def test_one_holder_of_each_office():
    commission = TerritorialCommissionFactory()
    CommissionMemberFactory(commission=commission, role=MemberRole.CHAIR)
    with violates("commissions_commissionmember_one_holder_per_office"), transaction.atomic():
        CommissionMemberFactory(commission=commission, role=MemberRole.CHAIR)
    CommissionMemberFactory(commission=commission, role=MemberRole.MEMBER)
    CommissionMemberFactory(commission=commission, role=MemberRole.MEMBER)


def test_former_chair_does_not_block_the_new_one():
    commission = TerritorialCommissionFactory()
    CommissionMemberFactory(
        commission=commission, role=MemberRole.CHAIR, ended_on=datetime.date(2022, 12, 31)
    )
    CommissionMemberFactory(commission=commission, role=MemberRole.CHAIR)
    assert commission.members.filter(role=MemberRole.CHAIR).count() == 2


def test_one_nominee_per_party_on_a_commission():
    commission = TerritorialCommissionFactory()
    party = PartyFactory()
    CommissionMemberFactory(commission=commission, party=party)
    with violates("commissions_commissionmember_one_nominee_per_party"), transaction.atomic():
        CommissionMemberFactory(commission=commission, party=party)
    CommissionMemberFactory(commission=TerritorialCommissionFactory(), party=party)


def test_membership_cannot_end_before_it_starts():
    with violates("commissions_commissionmember_dates_order"), transaction.atomic():
        CommissionMemberFactory(
            started_on=datetime.date(2023, 1, 1), ended_on=datetime.date(2022, 1, 1)
        )


def test_active_members_on_a_day():
    commission = TerritorialCommissionFactory()
    current = CommissionMemberFactory(commission=commission)
    CommissionMemberFactory(commission=commission, ended_on=datetime.date(2022, 6, 1))
    CommissionMemberFactory(commission=commission, started_on=datetime.date(2030, 1, 1))
    assert list(CommissionMember.objects.filter(commission=commission).active()) == [current]


def test_election_is_called_before_its_day():
    with violates("commissions_election_called_before_day"), transaction.atomic():
        ElectionFactory(
            election_day=datetime.date(2023, 3, 19), called_on=datetime.date(2023, 3, 20)
        )


def test_one_election_of_a_kind_per_day():
    ElectionFactory(kind="mazhilis", election_day=datetime.date(2023, 3, 19))
    with violates("commissions_election_unique_kind_day"), transaction.atomic():
        ElectionFactory(kind="mazhilis", election_day=datetime.date(2023, 3, 19))


def test_current_elections_are_the_next_election_day_in_kind_order():
    day = datetime.date(2023, 3, 19)
    maslikhat = ElectionFactory(kind="maslikhat", election_day=day)
    mazhilis = ElectionFactory(kind="mazhilis", election_day=day)
    ElectionFactory(kind="presidential", election_day=datetime.date(2022, 11, 20))
    ElectionFactory(kind="presidential", election_day=datetime.date(2029, 11, 20))
    assert list(Election.objects.current(today=datetime.date(2023, 3, 7))) == [
        mazhilis,
        maslikhat,
    ]
    # After the last election day, the last one is current.
    assert [e.kind for e in Election.objects.current(today=datetime.date(2030, 1, 1))] == [
        "presidential"
    ]
