"""Badge jobs: one PDF of a selection's badges, made by a Celery job and shared while the
selection is unchanged."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissions.models import Election
from core.scoping import VIEW, require, scope_of

from ..badges import BADGE_DESIGN
from ..models import NominatingBody, NominationBatch, Observer

BADGE_JOB = "observers.badges"
NO_BADGES = gettext_lazy("There is no accredited observer in this selection.")
BADGES_NOT_YOURS = gettext_lazy("You may not make the badges of this body's observers.")
BADGES_OF_ELECTION = gettext_lazy(
    "Only the CEC makes every badge of an election; choose a nominating body or a batch."
)
BATCH_OF_ANOTHER_ELECTION = gettext_lazy("This batch was submitted for another election.")
BATCH_OF_ANOTHER_BODY = gettext_lazy("This batch was submitted by another nominating body.")
OBSERVER_OF_ANOTHER_ELECTION = gettext_lazy("This observer was nominated for another election.")
OBSERVER_OF_ANOTHER_BODY = gettext_lazy("This observer was nominated by another nominating body.")
UNKNOWN_LANGUAGE = gettext_lazy("Badges are made in Kazakh (kk), Russian (ru) or English (en).")

# What a card shows of an observer: a change to any of these makes a new badge job.
BADGE_STATE_FIELDS = (
    "pk",
    "decided_at",
    "valid_until",
    "body_id",
    "photo",
    "last_name_latin",
    "first_name_latin",
    "last_name_cyrillic",
    "first_name_cyrillic",
)


def badge_job_submit(
    *,
    actor,
    election: Election,
    body: NominatingBody | None = None,
    batch: NominationBatch | None = None,
    observer: Observer | None = None,
    language: str | None = None,
):
    """The job that makes one PDF of the badges of the election's accredited observers (of one
    nominating body, of one batch, or one observer's own badge), in `language` (default: the
    active one).

    A nominating body's badges are its own agency's and the staff's in whose scope it is; a whole
    election's are the CEC's. Asking twice for the same badges finds the same job; a change to
    the selection (an observer accredited or revoked since, a new photo) makes a new one.
    """
    import hashlib

    from core.services import job_submit

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": UNKNOWN_LANGUAGE})
    if observer is not None:
        if observer.election_id != election.pk:
            raise ValidationError({"observer": OBSERVER_OF_ANOTHER_ELECTION})
        if body is not None and observer.body_id != body.pk:
            raise ValidationError({"observer": OBSERVER_OF_ANOTHER_BODY})
        body = body or observer.body
    if batch is not None:
        if batch.election_id != election.pk:
            raise ValidationError({"batch": BATCH_OF_ANOTHER_ELECTION})
        if body is not None and batch.body_id != body.pk:
            raise ValidationError({"batch": BATCH_OF_ANOTHER_BODY})
        body = body or batch.body
    if body is not None:
        require(actor, VIEW, Observer(body=body), BADGES_NOT_YOURS)
    elif actor is not None and not scope_of(actor).is_national:
        raise PermissionDenied(BADGES_OF_ELECTION)

    observers = Observer.objects.accredited().filter(election=election)
    if body is not None:
        observers = observers.filter(body=body)
    if batch is not None:
        observers = observers.filter(batch=batch)
    if observer is not None:
        observers = observers.filter(pk=observer.pk)
    state = list(observers.order_by("number").values_list(*BADGE_STATE_FIELDS))
    if not state:
        raise ValidationError(NO_BADGES, code="no_badges")

    # The CEC's jobs are shared by its staff (they see every job); anyone else's are their own.
    owner = "cec" if actor is None or scope_of(actor).is_national else f"user{actor.pk}"
    digest = hashlib.sha256(repr((state, language, BADGE_DESIGN)).encode()).hexdigest()[:32]
    selection = ":".join(str(part.pk) if part else "-" for part in (body, batch, observer))
    key = f"{BADGE_JOB}:{election.pk}:{selection}:{language}:{owner}:{digest}"

    def title() -> str:
        """The job's title in the active language (made in each: core.services.job_submit)."""
        if observer is not None:
            text = _("Badge of {observer}").format(observer=observer.full_name_latin)
        elif batch is not None:
            day = f"{timezone.localtime(batch.submitted_at):%d.%m.%Y}"
            what = _("batch of {day}").format(day=day)
            text = _("Badges of {body}, {what} ({count})")
            text = text.format(body=body, what=what, count=len(state))
        elif body is not None:
            text = _("Badges of {body} ({count})").format(body=body, count=len(state))
        else:
            text = _("All badges ({count})").format(count=len(state))
        return f"{text}: {election.name}"

    name = "-".join(
        str(part)
        for part in (
            "badges",
            election.election_day.year,
            body and body.pk,
            batch and batch.pk,
            observer and f"o{observer.pk}",
        )
        if part
    )
    return job_submit(
        actor=actor,
        kind=BADGE_JOB,
        key=key,
        title=title,
        params={
            "election": election.pk,
            "body": body.pk if body else None,
            "batch": batch.pk if batch else None,
            "observer": observer.pk if observer else None,
            "language": language,
            "observers": [row[0] for row in state],
        },
        total=len(state),
        result_name=f"{name}-{language}.pdf",
    )
