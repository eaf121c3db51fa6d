from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy
from modeltranslation.utils import get_translation_fields

from core.audit import acting_as
from core.choices import NotificationChannel
from core.constraints import save_checked
from core.notifications import notify
from core.scoping import CHANGE, require
from core.services import model_create, model_update

from .models import Commission, CommissionMember, Party

OUTSIDE_SCOPE = gettext_lazy("You may not change the members of this commission.")


def _check_scope(actor, commission: Commission) -> None:
    """Staff change only the commissions in their scope; jobs and commands pass actor=None."""
    require(actor, CHANGE, commission, OUTSIDE_SCOPE)


def _notify_member_added(member: CommissionMember) -> None:
    """Tell the new member by email and by SMS, whichever they have, in their language."""
    language = member.user.preferred_language if member.user else translation.get_language()
    for channel, recipient in (
        (NotificationChannel.EMAIL, member.email),
        (NotificationChannel.SMS, member.phone),
    ):
        if recipient:
            notify(
                template="commissions/notifications/member_added",
                recipient=recipient,
                channel=channel,
                language=language,
                context={"member": member},
                dedupe_key=f"commission-member-added:{member.pk}:{channel}",
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
    model_create(actor=actor, instance=member, refusal=OUTSIDE_SCOPE)
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


# What may change on a member's page (the name in every language).
MEMBER_FIELDS = (
    "commission",
    *get_translation_fields("full_name"),
    "full_name",
    "role",
    "party",
    "email",
    "phone",
    "user",
    "started_on",
    "ended_on",
)


@transaction.atomic
def commission_member_update(*, actor, member: CommissionMember, **changes) -> CommissionMember:
    """Change a member's details, office or dates, within the actor's scope (before and after:
    nobody moves a member to a commission outside it). Only MEMBER_FIELDS may change (ValueError
    otherwise, see `core.services.model_update`); a second holder of an office or a second
    nominee of a party is refused with the constraint's message."""
    member = CommissionMember.objects.select_for_update().get(pk=member.pk)
    _check_scope(actor, member.commission)
    changed = model_update(member, fields=MEMBER_FIELDS, data=changes)
    _check_scope(actor, member.commission)
    if changed:
        with acting_as(actor):
            save_checked(member)
    return member
