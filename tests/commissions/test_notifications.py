"""What a new commission member is told: the texts of commissions/notifications/member_added,
word for word, by email and by SMS."""

import datetime

import pytest

from commissions.services import commission_member_add
from core.choices import NotificationChannel
from core.models import Notification
from tests.commissions.factories import TerritorialCommissionFactory
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_member_is_told_by_email_and_sms_in_the_same_words():
    commission = TerritorialCommissionFactory()
    member = commission_member_add(
        actor=None,
        commission=commission,
        full_name="Aigerim O'Brien-Sadykova",
        role="deputy_chair",
        email="aigerim@example.kz",
        phone="+77010000002",
        user=UserFactory(preferred_language="en"),
        started_on=datetime.date(2023, 1, 31),
    )
    email, sms = Notification.objects.filter(object_id=str(member.pk)).order_by("channel")
    text = (
        f"Aigerim O'Brien-Sadykova, you are now {member.get_role_display().lower()} of "
        f"{commission} from 31.01.2023. Sign in to Saylau to see your commission's work."
    )
    assert (email.channel, email.recipient) == (NotificationChannel.EMAIL, "aigerim@example.kz")
    assert email.subject == f"You have been added to {commission}"
    assert email.body == text
    assert email.dedupe_key == f"commission-member-added:{member.pk}:email"
    assert (sms.channel, sms.recipient, sms.subject) == ("sms", "+77010000002", "")
    assert sms.body == text
    assert sms.dedupe_key == f"commission-member-added:{member.pk}:sms"
