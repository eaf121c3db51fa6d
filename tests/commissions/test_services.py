import threading

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import translation

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


@pytest.mark.django_db(transaction=True)
def test_two_chairs_added_at_once_one_is_refused_with_the_constraint_message():
    """Both pass full_clean (neither sees the other's uncommitted row); the database decides."""
    commission = TerritorialCommissionFactory()
    first_saved = threading.Event()
    release_first = threading.Event()
    outcome = {}

    def add_first():
        try:
            with transaction.atomic():
                commission_member_add(
                    actor=None, commission=commission, full_name="A", role="chair"
                )
                first_saved.set()
                release_first.wait(10)
            outcome["first"] = "ok"
        finally:
            connection.close()

    def add_second():
        first_saved.wait(10)
        try:
            threading.Timer(0.5, release_first.set).start()  # commit the first while we wait
            with translation.override("en"):
                commission_member_add(
                    actor=None, commission=commission, full_name="B", role="chair"
                )
            outcome["second"] = "ok"
        except ValidationError as exc:
            outcome["second"] = exc.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=add_first), threading.Thread(target=add_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcome["first"] == "ok"
    assert outcome["second"] == ["This office of the commission is already held."]
    assert commission.members.filter(role="chair").count() == 1


# CHANGES


def test_a_members_change_is_saved_as_the_actor():
    from commissions.services import commission_member_update

    commission = TerritorialCommissionFactory()
    actor = territorial_staff(commission)
    member = CommissionMemberFactory(commission=commission, role=MemberRole.MEMBER)

    commission_member_update(actor=actor, member=member, phone="+77011234567")

    member.refresh_from_db()
    assert member.phone == "+77011234567"
    entry = LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == actor


def test_staff_cannot_move_a_member_to_a_commission_outside_their_scope():
    from commissions.services import commission_member_update

    commission = TerritorialCommissionFactory()
    actor = territorial_staff(commission)
    member = CommissionMemberFactory(commission=commission, role=MemberRole.MEMBER)

    with pytest.raises(PermissionDenied, match=str(OUTSIDE_SCOPE)):
        commission_member_update(
            actor=actor, member=member, commission=TerritorialCommissionFactory()
        )

    member.refresh_from_db()
    assert member.commission == commission


def test_a_member_change_outside_the_allowed_fields_is_a_programming_error():
    from commissions.services import commission_member_update

    member = CommissionMemberFactory(commission=TerritorialCommissionFactory())

    with pytest.raises(ValueError):
        commission_member_update(actor=None, member=member, pk=member.pk + 1)
