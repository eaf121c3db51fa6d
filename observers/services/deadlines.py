"""The accreditation deadline and who acts for a nominating body: every nomination, correction
and decision checks these first. Scope is the models' own declaration (`Observer.scope_q`),
checked through `core.scoping.require`."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from commissions.models import Election
from core.deadlines import RelativeDeadline
from core.scoping import ADD, CHANGE, require, require_permission

from ..models import NominatingBody, Observer

ACCREDITATION_CLOSED = gettext_lazy(
    "Accreditation of observers for this election closed on {deadline} (Astana time)."
)
BODY_NOT_ACCREDITED = gettext_lazy(
    "{body} is not accredited to nominate observers on {day} (its accreditation runs from "
    "{start} to {end})."
)
BODY_NOT_YOURS = gettext_lazy("You may not nominate observers for this body.")
DECISION_NOT_YOURS = gettext_lazy("You may not decide on this body's observers.")


def accreditation_deadline(election: Election) -> datetime:
    """When accreditation for the election closes (OBSERVER_ACCREDITATION_DEADLINE)."""
    deadline = RelativeDeadline.parse(settings.OBSERVER_ACCREDITATION_DEADLINE)
    return deadline.resolve(election.election_day, settings.TIME_ZONE)


def accreditation_valid_until(election: Election) -> date:
    return RelativeDeadline.parse(settings.OBSERVER_ACCREDITATION_VALID_UNTIL).day(
        election.election_day
    )


def accreditation_is_open(election: Election, at: datetime | None = None) -> bool:
    return (at or timezone.now()) < accreditation_deadline(election)


def check_accreditation_open(election: Election, at: datetime | None = None) -> None:
    if not accreditation_is_open(election, at):
        deadline = timezone.localtime(accreditation_deadline(election))
        raise ValidationError(
            ACCREDITATION_CLOSED.format(deadline=f"{deadline:%d.%m.%Y %H:%M}"),
            code="accreditation_closed",
        )


def _check_body(actor, body: NominatingBody, day: date) -> None:
    """The actor acts for the body (its nominations are in their scope: the CEC any body's, an
    agency the bodies it submits for, territorial staff their region's), and the body may
    nominate on that day."""
    require(actor, ADD, Observer(body=body), BODY_NOT_YOURS)
    if not body.accreditation_covers(day):
        raise ValidationError(
            {
                "body": BODY_NOT_ACCREDITED.format(
                    body=body,
                    day=f"{day:%d.%m.%Y}",
                    start=f"{body.accredited_from:%d.%m.%Y}",
                    end=f"{body.accredited_until:%d.%m.%Y}",
                )
            }
        )


def _check_decider(actor, observer: Observer) -> None:
    """Decisions are the desk's: staff with the permission, within their scope."""
    require_permission(actor, "observers.accredit_observer", DECISION_NOT_YOURS)
    require(actor, CHANGE, observer, DECISION_NOT_YOURS)
