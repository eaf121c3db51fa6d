import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from commissions.choices import MemberRole
from commissions.services import OUTSIDE_SCOPE, commission_member_add, commission_member_end
from core.choices import Role
from core.models import Notification
from tests.commissions.factories import CommissionMemberFactory, TerritorialCommissionFactory
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def territorial_staff(commission):
    user = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def test_staff_add_members_in_their_region_and_are_the_audited_actor():
    commission = TerritorialCommissionFactory()
    actor = territorial_staff(commission)
    member = commission_member_add(
        actor=actor, commission=commission, full_name="Asel Nurova", role=MemberRole.SECRETARY
    )
    entry = LogEntry.objects.get_for_object(member).get()
    assert entry.actor == actor
    assert not Notification.objects.exists()  # no email or phone: nobody to tell


def test_staff_cannot_add_members_elsewhere():
    actor = territorial_staff(TerritorialCommissionFactory())
    other = TerritorialCommissionFactory()
    with pytest.raises(PermissionDenied, match=str(OUTSIDE_SCOPE)):
        commission_member_add(actor=actor, commission=other, full_name="X", role="member")
    assert not other.members.exists()


def test_invalid_member_is_refused_with_field_messages_and_nothing_is_written():
    commission = TerritorialCommissionFactory()
    with pytest.raises(ValidationError) as error:
        commission_member_add(
            actor=None, commission=commission, full_name="", role="emperor", email="not-an-email"
        )
    assert {"full_name", "role", "email"} <= set(error.value.message_dict)
    assert not commission.members.exists()
    assert not Notification.objects.exists()


def test_second_chair_is_refused_before_the_database_is_asked():
    commission = TerritorialCommissionFactory()
    commission_member_add(actor=None, commission=commission, full_name="A", role="chair")
    with pytest.raises(ValidationError, match="already held"):
        commission_member_add(actor=None, commission=commission, full_name="B", role="chair")


def test_ending_a_membership_frees_the_office():
    commission = TerritorialCommissionFactory()
    chair = commission_member_add(actor=None, commission=commission, full_name="A", role="chair")
    commission_member_end(actor=None, member=chair, ended_on=chair.started_on)
    commission_member_add(actor=None, commission=commission, full_name="B", role="chair")
