from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.choices import NotificationChannel
from core.constraints import save_checked
from core.scoping import CHANGE, can
from core.services import notification_enqueue

from .models import Commission, CommissionMember, Party

OUTSIDE_SCOPE = gettext_lazy("You may not change the members of this commission.")


def _check_scope(actor, commission: Commission) -> None:
    """Staff change only the commissions in their scope; jobs and commands pass actor=None."""
    if actor is not None and not can(actor, CHANGE, commission):
        raise PermissionDenied(OUTSIDE_SCOPE)


def _notify_member_added(member: CommissionMember) -> None:
    language = member.user.preferred_language if member.user else translation.get_language()
    with translation.override(language):
        subject = _("You have been added to {commission}").format(commission=member.commission)
        body = _(
            "{name}, you are now {role} of {commission} from {date}. "
            "Sign in to Saylau to see your commission's work."
        ).format(
            name=member.full_name,
            role=member.get_role_display().lower(),
            commission=member.commission,
            date=member.started_on.strftime("%d.%m.%Y"),
        )
    if member.email:
        notification_enqueue(
            channel=NotificationChannel.EMAIL,
            recipient=member.email,
            subject=subject,
            body=body,
            dedupe_key=f"commission-member-added:{member.pk}:email",
            cause=member,
        )
    if member.phone:
        notification_enqueue(
            channel=NotificationChannel.SMS,
            recipient=member.phone,
            body=body,
            dedupe_key=f"commission-member-added:{member.pk}:sms",
            cause=member,
        )


@transaction.atomic
def commission_member_add(
    *,
    actor,
    commission: Commission,
    full_name: str,
    role: str,
    party: Party | None = None,
    email: str = "",
    phone: str = "",
    user=None,
    started_on: date | None = None,
    **translations: str,
) -> CommissionMember:
    """Put a person on a commission and tell them (email and/or SMS, through the outbox)."""
    _check_scope(actor, commission)
    member = CommissionMember(
        commission=commission,
        full_name=full_name,
        role=role,
        party=party,
        email=email,
        phone=phone,
        user=user,
        **translations,
    )
    if started_on:
        member.started_on = started_on
    member.full_clean()
    with acting_as(actor):
        save_checked(member)
    _notify_member_added(member)
    return member


@transaction.atomic
def commission_member_end(*, actor, member: CommissionMember, ended_on: date) -> CommissionMember:
    _check_scope(actor, member.commission)
    member.ended_on = ended_on
    member.full_clean()
    with acting_as(actor):
        save_checked(member, update_fields=["ended_on"])
    return member
