"""The desk's decisions: accreditation with the election's next number, refusal and revocation
with their reasons, and the nominating body told of each."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.choices import NotificationChannel
from core.constraints import save_checked
from core.locks import lock_namespace, next_number
from core.notifications import notify

from ..choices import ObserverStatus
from ..models import Observer, badge_code
from .deadlines import _check_decider, accreditation_valid_until, check_accreditation_open
from .nominations import _locked

NOT_SUBMITTED = gettext_lazy("Only a submitted nomination can be decided; this one is {status}.")
NOT_ACCREDITED = gettext_lazy("Only a valid accreditation can be revoked; this one is {status}.")
REASON_REQUIRED = gettext_lazy("State the reason.")

ACCREDITATION_NUMBERS = lock_namespace("observers.accreditation_number")  # scope: an election


def _next_number(election_id: int) -> int:
    """Lock the election's numbering (until the transaction ends) and return its next number."""
    return next_number(
        ACCREDITATION_NUMBERS,
        election_id,
        queryset=Observer.objects.filter(election_id=election_id),
        field="number",
    )


def _grant(observer: Observer, number: int, at: datetime) -> None:
    observer.status = ObserverStatus.ACCREDITED
    observer.number = number
    observer.decided_at = at
    observer.decision_date = timezone.localdate(at)
    observer.valid_until = accreditation_valid_until(observer.election)
    observer.verification_code = badge_code()
    # The lock makes the number unique, the code is random, the person was checked when
    # nominated: the constraints cannot fail here (and the database still holds them).
    observer.full_clean(exclude=["photo", "batch", "election", "body"], validate_constraints=False)
    save_checked(observer)


@transaction.atomic
def observers_accredit(*, actor, observers, at: datetime | None = None) -> list[Observer]:
    """Accredit submitted nominations (one or a mission's batch): each gets the next number of
    its election, a decision date, a validity and a badge code; each nominating body is told
    once, listing its accredited nominees. All or none: one that cannot be accredited stops
    the lot."""
    at = at or timezone.now()
    ids = sorted({o if isinstance(o, int) else o.pk for o in observers})
    locked = list(
        Observer.objects.select_for_update(of=("self",))
        .select_related("body", "election")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    next_numbers: dict[int, int] = {}
    for observer in locked:
        _check_decider(actor, observer)
        if observer.status != ObserverStatus.SUBMITTED:
            raise ValidationError(
                NOT_SUBMITTED.format(status=observer.get_status_display().lower()),
                code="not_submitted",
            )
        check_accreditation_open(observer.election, at)
        if observer.election_id not in next_numbers:
            next_numbers[observer.election_id] = _next_number(observer.election_id)
        with acting_as(actor):
            _grant(observer, next_numbers[observer.election_id], at)
        next_numbers[observer.election_id] += 1
    _notify_accredited(locked)
    return locked


def observer_accredit(*, actor, observer: Observer, at: datetime | None = None) -> Observer:
    return observers_accredit(actor=actor, observers=[observer], at=at)[0]


@transaction.atomic
def observer_refuse(*, actor, observer: Observer, reason: str, at=None) -> Observer:
    """Refuse a submitted nomination, with its reason; the person may be nominated again."""
    observer = _locked(observer)
    _check_decider(actor, observer)
    if not (reason or "").strip():
        raise ValidationError({"refusal_reason": REASON_REQUIRED})
    if observer.status != ObserverStatus.SUBMITTED:
        raise ValidationError(
            NOT_SUBMITTED.format(status=observer.get_status_display().lower()), code="not_submitted"
        )
    at = at or timezone.now()
    observer.status = ObserverStatus.REFUSED
    observer.refusal_reason = reason.strip()
    observer.decided_at = at
    observer.decision_date = timezone.localdate(at)
    observer.full_clean(exclude=["photo", "batch"])
    with acting_as(actor):
        save_checked(observer)
    _notify_decision(observer, "refused")
    return observer


@transaction.atomic
def observer_revoke(*, actor, observer: Observer, reason: str, at=None) -> Observer:
    """Withdraw an accreditation, with its reason: the badge then verifies as revoked."""
    observer = _locked(observer)
    _check_decider(actor, observer)
    if not (reason or "").strip():
        raise ValidationError({"revocation_reason": REASON_REQUIRED})
    if observer.status != ObserverStatus.ACCREDITED:
        raise ValidationError(
            NOT_ACCREDITED.format(status=observer.get_status_display().lower()),
            code="not_accredited",
        )
    observer.status = ObserverStatus.REVOKED
    observer.revocation_reason = reason.strip()
    observer.revoked_at = at or timezone.now()
    observer.full_clean(exclude=["photo", "batch"])
    with acting_as(actor):
        save_checked(observer)
    _notify_decision(observer, "revoked")
    return observer


# NOTIFICATIONS TO THE NOMINATING BODY


def _notify_accredited(observers: list[Observer]) -> None:
    by_body: dict[int, list[Observer]] = {}
    for observer in observers:
        by_body.setdefault(observer.body_id, []).append(observer)
    for group in by_body.values():
        body = group[0].body
        if not body.contact_email:
            continue
        notify(
            template="observers/notifications/accredited",
            recipient=body.contact_email,
            channel=NotificationChannel.EMAIL,
            language=body.language,
            context={"body": body, "election": group[0].election, "observers": group},
            dedupe_key=f"observers-accredited:{body.pk}:{min(o.pk for o in group)}:{len(group)}",
            cause=body,
        )


def _notify_decision(observer: Observer, decision: str) -> None:
    """Tell the nominating body of a refusal or revocation (`decision`: "refused", "revoked")."""
    body = observer.body
    if not body.contact_email:
        return
    notify(
        template=f"observers/notifications/{decision}",
        recipient=body.contact_email,
        channel=NotificationChannel.EMAIL,
        language=body.language,
        context={"observer": observer},
        dedupe_key=f"observer-{decision}:{observer.pk}",
        cause=observer,
    )
