"""The accreditation desk's rules: deadline, one accreditation per person, batches saved whole,
decisions with reasons and numbers, photos, notifications. Every entry point calls these."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissions.models import Election
from core.choices import NotificationChannel, Role
from core.deadlines import RelativeDeadline
from core.scoping import Level, scope_of
from core.services import notification_enqueue

from .choices import HOLDING_STATUSES, BatchSource, BodyKind, ObserverStatus
from .models import NominatingBody, NominationBatch, Observer, badge_code

ACCREDITATION_CLOSED = gettext_lazy(
    "Accreditation of observers for this election closed on {deadline} (Astana time)."
)
BODY_NOT_ACCREDITED = gettext_lazy(
    "{body} is not accredited to nominate observers on {day} (its accreditation runs from "
    "{start} to {end})."
)
BODY_NOT_YOURS = gettext_lazy("You may not nominate observers for this body.")
BODY_NOT_YOURS_TO_REGISTER = gettext_lazy(
    "The CEC registers states and organisations; a territorial commission, the public "
    "associations of its own region."
)
DECISION_NOT_YOURS = gettext_lazy("You may not decide on this body's observers.")
ALREADY_HELD = gettext_lazy(
    "This person (document {document}, {citizenship}) is already {status} for this election: "
    "nominated by {body} on {day}{number}."
)
REPEATED_IN_BATCH = gettext_lazy("The same person is already in row {row} of this batch.")
EMPTY_BATCH = gettext_lazy("The batch has no nominees.")
BATCH_TOO_LARGE = gettext_lazy("A batch has at most {limit} nominees.")
NOT_SUBMITTED = gettext_lazy("Only a submitted nomination can be decided; this one is {status}.")
NOT_CORRECTABLE = gettext_lazy(
    "Only a nomination awaiting its decision can be corrected; this one is {status}."
)
NOT_ACCREDITED = gettext_lazy("Only a valid accreditation can be revoked; this one is {status}.")
REASON_REQUIRED = gettext_lazy("State the reason.")
PHOTO_NOT_AN_IMAGE = gettext_lazy("The photo must be a JPEG, PNG or WebP image.")
PHOTO_TOO_LARGE = gettext_lazy("The photo is larger than {limit} MB.")
PHOTO_TOO_SMALL = gettext_lazy("The photo must be at least {width}×{height} pixels.")
PHOTO_TOO_BIG = gettext_lazy("The photo must be at most {width}×{height} pixels.")

BATCH_LIMIT = 1000
PHOTO_MIN = (240, 320)  # width, height: enough for a sharp print at 3×4 cm
PHOTO_MAX = (8000, 8000)
PHOTO_STORED = (600, 800)
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

# The fields of a nominee a batch row or a single nomination gives.
PERSON_FIELDS = (
    "last_name_latin",
    "first_name_latin",
    "last_name_cyrillic",
    "first_name_cyrillic",
    "citizenship",
    "date_of_birth",
    "document_number",
)


class BatchInvalid(ValidationError):
    """A batch with invalid rows: `rows` maps each row's number (from 1) to its field errors."""

    def __init__(self, rows: dict[int, dict[str, list[str]]], non_row: list[str] | None = None):
        self.rows = rows
        self.non_row = non_row or []
        messages = list(self.non_row)
        for number, errors in sorted(rows.items()):
            for field, field_messages in errors.items():
                for message in field_messages:
                    messages.append(f"{number}: {field}: {message}")
        super().__init__(messages)


# DEADLINE AND SCOPE


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


def body_is_in_scope(actor, body: NominatingBody) -> bool:
    """Whether the actor acts for this body: CEC staff for any, an agency for the bodies it
    submits for, territorial staff for their region's associations. Jobs pass actor=None."""
    if actor is None:
        return True
    scope = scope_of(actor)
    if scope.is_national:
        return True
    if scope.level is Level.AGENCY:
        return scope.agency_id is not None and body.agency_id == scope.agency_id
    if scope.level is Level.REGION:
        return body.region_id is not None and body.region_id == scope.region_id
    return False


def _check_body(actor, body: NominatingBody, day: date) -> None:
    if not body_is_in_scope(actor, body):
        raise PermissionDenied(BODY_NOT_YOURS)
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
    if actor is None:
        return
    if getattr(actor, "role", "") == Role.AGENCY or not actor.has_perm(
        "observers.accredit_observer"
    ):
        raise PermissionDenied(DECISION_NOT_YOURS)
    if not body_is_in_scope(actor, observer.body):
        raise PermissionDenied(DECISION_NOT_YOURS)


# ONE ACCREDITATION PER PERSON


def holding_nomination(election, citizenship: str, document_number: str, exclude_pk=None):
    """The nomination that holds this person's place in the election, if any."""
    queryset = Observer.objects.filter(
        election=election,
        citizenship=citizenship,
        document_number=Observer.normalize_document_number(document_number),
        status__in=HOLDING_STATUSES,
    ).select_related("body")
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.first()


def _already_held_message(first: Observer) -> str:
    number = ""
    if first.number is not None:
        number = _(", accreditation No. {number}").format(number=first.number_display)
    return ALREADY_HELD.format(
        document=first.document_number,
        citizenship=first.citizenship.code,
        status=first.get_status_display().lower(),
        body=first.body,
        day=f"{timezone.localtime(first.submitted_at):%d.%m.%Y}",
        number=number,
    )


def _check_not_held(observer: Observer) -> None:
    first = holding_nomination(
        observer.election_id, observer.citizenship, observer.document_number, observer.pk
    )
    if first is not None:
        raise ValidationError({"document_number": _already_held_message(first)}, code="held")


def _save_nomination(observer: Observer) -> None:  # one nomination; batches save their own
    """Save; if a concurrent nomination of the same person won the race, name it."""
    try:
        with transaction.atomic():
            observer.save()
    except IntegrityError:
        _check_not_held(observer)
        raise


# NOMINATIONS


def _new_observer(*, election, body, batch=None, at=None, **person) -> Observer:
    observer = Observer(
        election=election,
        body=body,
        batch=batch,
        submitted_at=at or timezone.now(),
        **{field: person.get(field) for field in PERSON_FIELDS},
    )
    if observer.document_number:
        observer.document_number = Observer.normalize_document_number(observer.document_number)
    return observer


@transaction.atomic
def observer_nominate(
    *,
    actor,
    election: Election,
    body: NominatingBody,
    photo=None,
    at=None,
    source: str = BatchSource.API,
    **person,
) -> Observer:
    """Nominate one observer. Refused after the deadline, for a body not the actor's, and for a
    person already nominated or accredited for the election (the message names the first).

    A single nomination is filed as a batch of one, so that every nomination records where it
    came from (the API, the desk) and who submitted it."""
    at = at or timezone.now()
    check_accreditation_open(election, at)
    _check_body(actor, body, timezone.localdate(at))
    observer = _new_observer(election=election, body=body, at=at, **person)
    observer.full_clean(exclude=["photo", "batch", "election", "body"], validate_constraints=False)
    _check_not_held(observer)
    if photo is not None:
        observer.photo.save("photo.jpg", photo_clean(photo), save=False)
    batch = NominationBatch(
        election=election,
        body=body,
        source=source,
        size=1,
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
        submitted_at=at,
    )
    batch.full_clean(exclude=["election", "body", "submitted_by"])
    batch.save()
    observer.batch = batch
    _save_nomination(observer)
    return observer


@transaction.atomic
def observer_correct(*, actor, observer: Observer, at=None, **person) -> Observer:
    """Correct a nominee's details (a misspelt name, a mistyped passport number) while the
    nomination awaits its decision: the nominating body's or the desk's work. A badge prints
    what is accredited, so an accredited, refused or revoked nomination is not changed."""
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"not a nominee's field: {', '.join(sorted(unknown))}")
    observer = _locked(observer)
    if not body_is_in_scope(actor, observer.body):
        raise PermissionDenied(BODY_NOT_YOURS)
    if observer.status != ObserverStatus.SUBMITTED:
        raise ValidationError(
            NOT_CORRECTABLE.format(status=observer.get_status_display().lower()),
            code="not_correctable",
        )
    check_accreditation_open(observer.election, at)
    for name, value in person.items():
        setattr(observer, name, value)
    observer.full_clean(exclude=["photo", "batch", "election", "body"], validate_constraints=False)
    _check_not_held(observer)
    _save_nomination(observer)
    return observer


@dataclass
class BatchResult:
    batch: NominationBatch
    created: bool  # False: the same reference was sent before and this is that batch


@transaction.atomic
def nomination_batch_submit(
    *,
    actor,
    election: Election,
    body: NominatingBody,
    rows: list[dict],
    source: str = BatchSource.API,
    reference: str = "",
    at=None,
    row_numbers: list[int] | None = None,
) -> BatchResult:
    """Nominate a batch: every row is checked and every error reported (row number → field →
    messages, BatchInvalid); nothing is saved unless every row is valid. A batch re-sent with
    the same reference returns the first one (a client retrying after a timeout is safe).

    Rows are numbered from 1, or by `row_numbers` (e.g. a spreadsheet's own row numbers, when
    some of its rows could not be read and are not passed on)."""
    at = at or timezone.now()
    if row_numbers is not None and len(row_numbers) != len(rows):
        raise ValueError("row_numbers must number every row")
    if reference:
        existing = NominationBatch.objects.filter(
            body=body, election=election, reference=reference
        ).first()
        if existing is not None:
            if not body_is_in_scope(actor, body):
                raise PermissionDenied(BODY_NOT_YOURS)
            return BatchResult(existing, created=False)
    check_accreditation_open(election, at)
    _check_body(actor, body, timezone.localdate(at))
    if not rows:
        raise BatchInvalid({}, [str(EMPTY_BATCH)])
    if len(rows) > BATCH_LIMIT:
        raise BatchInvalid({}, [str(BATCH_TOO_LARGE.format(limit=BATCH_LIMIT))])

    errors: dict[int, dict[str, list[str]]] = {}
    observers: list[Observer] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in zip(row_numbers or range(1, len(rows) + 1), rows, strict=True):
        observer = _new_observer(election=election, body=body, at=at, **row)
        row_errors: dict[str, list[str]] = {}
        try:
            observer.full_clean(
                exclude=["photo", "batch", "election", "body"], validate_constraints=False
            )
        except ValidationError as exc:
            row_errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        if "citizenship" not in row_errors and "document_number" not in row_errors:
            identity = (str(observer.citizenship), observer.document_number)
            if identity in seen:
                row_errors["document_number"] = [str(REPEATED_IN_BATCH.format(row=seen[identity]))]
            else:
                seen[identity] = number
        if row_errors:
            errors[number] = row_errors
        observers.append(observer)
    # Persons already nominated or accredited: one query for the whole batch.
    for identity, first in _holding_nominations(election, seen).items():
        errors.setdefault(seen[identity], {})["document_number"] = [_already_held_message(first)]
    if errors:
        raise BatchInvalid(dict(sorted(errors.items())))

    batch = NominationBatch(
        election=election,
        body=body,
        source=source,
        reference=reference,
        size=len(observers),
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
        submitted_at=at,
    )
    batch.full_clean(exclude=["election", "body", "submitted_by"])
    try:
        with transaction.atomic():
            batch.save()
            for observer in observers:
                observer.batch = batch
                observer.save()
    except IntegrityError:
        # A concurrent nomination took a person (or the reference) first: report whose.
        taken = _holding_nominations(election, seen)
        if not taken:
            twin = (
                reference
                and NominationBatch.objects.filter(
                    body=body, election=election, reference=reference
                ).first()
            )
            if twin:  # the same batch, sent twice at once: the first one stands
                return BatchResult(twin, created=False)
            raise
        raise BatchInvalid(
            {seen[i]: {"document_number": [_already_held_message(f)]} for i, f in taken.items()}
        ) from None
    return BatchResult(batch, created=True)


def _holding_nominations(election, identities) -> dict[tuple[str, str], Observer]:
    """The nominations holding any of these (citizenship, document number) places."""
    if not identities:
        return {}
    numbers = {number for _, number in identities}
    found = Observer.objects.filter(
        election=election, status__in=HOLDING_STATUSES, document_number__in=numbers
    ).select_related("body")
    return {
        (str(o.citizenship), o.document_number): o
        for o in found
        if (str(o.citizenship), o.document_number) in identities
    }


# DECISIONS


def _next_number(election_id: int) -> int:
    """Lock the election's numbering (until the transaction ends) and return its next number."""
    Election.objects.select_for_update().filter(pk=election_id).values_list("pk").first()
    last = Observer.objects.filter(election_id=election_id).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _locked(observer: Observer) -> Observer:
    return (
        Observer.objects.select_for_update().select_related("body", "election").get(pk=observer.pk)
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
    observer.save()


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
    observer.save()
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
    observer.save()
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
        with translation.override(body.language):
            subject = _("{election}: {count} observers accredited").format(
                election=group[0].election.name, count=len(group)
            )
            lines = [
                _(
                    "The Central Election Commission has accredited these observers of {body}:"
                ).format(body=body),
                "",
                *(f"{o.number_display}  {o.full_name_latin}" for o in group),
                "",
                _("Their badges can be downloaded through the API or collected at the CEC."),
            ]
        notification_enqueue(
            channel=NotificationChannel.EMAIL,
            recipient=body.contact_email,
            subject=subject,
            body="\n".join(lines),
            dedupe_key=f"observers-accredited:{body.pk}:{min(o.pk for o in group)}:{len(group)}",
            cause=body,
        )


def _notify_decision(observer: Observer, decision: str) -> None:
    body = observer.body
    if not body.contact_email:
        return
    with translation.override(body.language):
        if decision == "refused":
            subject = _("Accreditation refused: {name}").format(name=observer.full_name_latin)
            text = _(
                "The accreditation of {name} as an observer of {election} is refused: {reason}"
            )
            reason = observer.refusal_reason
        else:
            subject = _("Accreditation revoked: {name}").format(name=observer.full_name_latin)
            text = _(
                "The accreditation of {name} as an observer of {election} is revoked: {reason}"
            )
            reason = observer.revocation_reason
        body_text = text.format(
            name=observer.full_name_latin, election=observer.election.name, reason=reason
        )
    notification_enqueue(
        channel=NotificationChannel.EMAIL,
        recipient=body.contact_email,
        subject=subject,
        body=body_text,
        dedupe_key=f"observer-{decision}:{observer.pk}",
        cause=observer,
    )


# PHOTOS


def photo_clean(upload) -> ContentFile:
    """Check an uploaded photo (type, size, dimensions) and re-encode it as a plain JPEG: no
    metadata (location, camera) survives, and a file that is not a real image is refused."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.OBSERVER_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > limit:
        raise ValidationError(
            {"photo": PHOTO_TOO_LARGE.format(limit=round(limit / 1024 / 1024, 1))}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE}) from None
    if image_format not in PHOTO_FORMATS:
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE})
    if width < PHOTO_MIN[0] or height < PHOTO_MIN[1]:
        raise ValidationError(
            {"photo": PHOTO_TOO_SMALL.format(width=PHOTO_MIN[0], height=PHOTO_MIN[1])}
        )
    if width > PHOTO_MAX[0] or height > PHOTO_MAX[1]:
        raise ValidationError(
            {"photo": PHOTO_TOO_BIG.format(width=PHOTO_MAX[0], height=PHOTO_MAX[1])}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail(PHOTO_STORED)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": PHOTO_NOT_AN_IMAGE}) from None
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
def observer_photo_set(*, actor, observer: Observer, upload) -> Observer:
    """Attach (or replace) a nominee's photo: the nominating body's or the desk's work."""
    if not body_is_in_scope(actor, observer.body):
        raise PermissionDenied(BODY_NOT_YOURS)
    content = photo_clean(upload)
    old = observer.photo.name if observer.photo else ""
    observer.photo.save("photo.jpg", content, save=False)
    observer.save(update_fields=["photo"])
    if old:
        storage = observer.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return observer


# NOMINATING BODIES


@transaction.atomic
def nominating_body_create(*, actor, kind: str, **fields) -> NominatingBody:
    """Register a nominating body. States and international organisations are the CEC's to
    register; a territorial commission accredits the public associations of its region."""
    body = NominatingBody(kind=kind, **fields)
    if kind == BodyKind.STATE:
        body.name = ""
    _check_registrar(actor, body)
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def nominating_body_update(*, actor, body: NominatingBody, **fields) -> NominatingBody:
    """Change a nominating body's details; the registrar's rule holds before and after (a
    territorial commission cannot move an association out of its region, or make it a state)."""
    _check_registrar(actor, NominatingBody.objects.get(pk=body.pk))
    for name, value in fields.items():
        setattr(body, name, value)
    if body.kind == BodyKind.STATE:
        body.name = ""
    _check_registrar(actor, body)
    body.full_clean()
    body.save()
    return body


def _check_registrar(actor, body: NominatingBody) -> None:
    if actor is None:
        return
    scope = scope_of(actor)
    regional = body.kind == BodyKind.ASSOCIATION and scope.level is Level.REGION
    if not scope.is_national and not (regional and body.region_id == scope.region_id):
        raise PermissionDenied(BODY_NOT_YOURS_TO_REGISTER)


# BADGES

BADGE_JOB = "observers.badges"
NO_BADGES = gettext_lazy("There is no accredited observer in this selection.")
BADGES_NOT_YOURS = gettext_lazy("You may not make the badges of this body's observers.")
BADGES_OF_ELECTION = gettext_lazy(
    "Only the CEC makes every badge of an election; choose a nominating body or a batch."
)
BATCH_OF_ANOTHER_ELECTION = gettext_lazy("This batch was submitted for another election.")
BATCH_OF_ANOTHER_BODY = gettext_lazy("This batch was submitted by another nominating body.")
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
    language: str | None = None,
):
    """The job that makes one PDF of the badges of the election's accredited observers (of one
    nominating body, or of one batch), in `language` (default: the active one).

    A nominating body's badges are its own agency's and the staff's in whose scope it is; a whole
    election's are the CEC's. Asking twice for the same badges finds the same job; a change to
    the selection (an observer accredited or revoked since, a new photo) makes a new one.
    """
    import hashlib

    from core.services import job_submit

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": UNKNOWN_LANGUAGE})
    if batch is not None:
        if batch.election_id != election.pk:
            raise ValidationError({"batch": BATCH_OF_ANOTHER_ELECTION})
        if body is not None and batch.body_id != body.pk:
            raise ValidationError({"batch": BATCH_OF_ANOTHER_BODY})
        body = body or batch.body
    if body is not None:
        if not body_is_in_scope(actor, body):
            raise PermissionDenied(BADGES_NOT_YOURS)
    elif actor is not None and not scope_of(actor).is_national:
        raise PermissionDenied(BADGES_OF_ELECTION)

    observers = Observer.objects.accredited().filter(election=election)
    if body is not None:
        observers = observers.filter(body=body)
    if batch is not None:
        observers = observers.filter(batch=batch)
    state = list(observers.order_by("number").values_list(*BADGE_STATE_FIELDS))
    if not state:
        raise ValidationError(NO_BADGES, code="no_badges")

    # The CEC's jobs are shared by its staff (they see every job); anyone else's are their own.
    owner = "cec" if actor is None or scope_of(actor).is_national else f"user{actor.pk}"
    digest = hashlib.sha256(repr((state, language)).encode()).hexdigest()[:32]
    selection = f"{body.pk if body else '-'}:{batch.pk if batch else '-'}"
    key = f"{BADGE_JOB}:{election.pk}:{selection}:{language}:{owner}:{digest}"
    if batch is not None:
        what = _("batch of {day}").format(day=f"{timezone.localtime(batch.submitted_at):%d.%m.%Y}")
        title = _("Badges of {body}, {what} ({count})")
        title = title.format(body=body, what=what, count=len(state))
    elif body is not None:
        title = _("Badges of {body} ({count})").format(body=body, count=len(state))
    else:
        title = _("All badges ({count})").format(count=len(state))
    title = f"{title}: {election.name}"
    name = "-".join(
        str(part)
        for part in ("badges", election.election_day.year, body and body.pk, batch and batch.pk)
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
            "language": language,
            "observers": [row[0] for row in state],
        },
        total=len(state),
        result_name=f"{name}-{language}.pdf",
    )
