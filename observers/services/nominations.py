"""Nominations: one accreditation per person, single nominations and batches saved whole,
corrections until the decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissions.models import Election
from core.audit import acting_as
from core.constraints import save_checked
from core.normalize import normalize_identifier
from core.scoping import CHANGE, VIEW, can, require
from core.services import model_update

from ..choices import HOLDING_STATUSES, BatchSource, ObserverStatus
from ..models import NominatingBody, NominationBatch, Observer
from .deadlines import BODY_NOT_YOURS, _check_body, check_accreditation_open
from .photos import photo_clean

ALREADY_HELD = gettext_lazy(
    "This person (document {document}, {citizenship}) is already {status} for this election: "
    "nominated by {body} on {day}{number}."
)
# What a body learns when the place is held by a nomination it may not see (another body's):
# not by whom, when, or under which number.
ALREADY_HELD_ELSEWHERE = gettext_lazy("This person already holds a place for this election.")
REPEATED_IN_BATCH = gettext_lazy("The same person is already in row {row} of this batch.")
EMPTY_BATCH = gettext_lazy("The batch has no nominees.")
BATCH_TOO_LARGE = gettext_lazy("A batch has at most {limit} nominees.")
NOT_CORRECTABLE = gettext_lazy(
    "Only a nomination awaiting its decision can be corrected; this one is {status}."
)

BATCH_LIMIT = 1000

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


# ONE ACCREDITATION PER PERSON


def holding_nomination(election, citizenship: str, document_number: str, exclude_pk=None):
    """The nomination that holds this person's place in the election, if any."""
    queryset = Observer.objects.filter(
        election=election,
        citizenship=citizenship,
        document_number=document_number,  # IdentifierField: compared normalised
        status__in=HOLDING_STATUSES,
    ).select_related("body")
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.first()


def _already_held_message(first: Observer, actor) -> str:
    """Why a person cannot be nominated: the first nomination named (its body, day and
    accreditation number) to those who may view it (CEC staff, the system, the body's own
    agency); to anyone else (another body's mission, another region's staff) only that the
    place is held."""
    if actor is not None and not can(actor, VIEW, first):
        return str(ALREADY_HELD_ELSEWHERE)
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


def _check_not_held(actor, observer: Observer) -> None:
    first = holding_nomination(
        observer.election_id, observer.citizenship, observer.document_number, observer.pk
    )
    if first is not None:
        message = _already_held_message(first, actor)
        raise ValidationError({"document_number": message}, code="held")


def _save_nomination(actor, observer: Observer) -> None:  # one; batches save their own
    """Save as the actor; if a concurrent nomination of the same person won the race, name it
    (else the constraint's own message)."""
    try:
        with acting_as(actor):
            save_checked(observer)
    except ValidationError:
        _check_not_held(actor, observer)
        raise


# NOMINATIONS


def _nominee_errors(observer: Observer, skip=()) -> dict[str, list[str]]:
    """Every error of the nominee's own fields and of the rules between them (the date of
    birth on the day of submission), field → messages; `skip`: fields not to check."""
    try:
        observer.full_clean(
            exclude=["photo", "batch", "election", "body", *skip], validate_constraints=False
        )
    except ValidationError as exc:
        return {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    return {}


def nominee_errors(person: dict, *, skip=(), at=None) -> dict[str, list[str]]:
    """The errors of a nominee's fields that `nomination_batch_submit` would report, without an
    election or a body: for a row some of whose cells did not parse (`skip`, e.g. an unknown
    citizenship), so that each of the others' errors is reported at once, not after the first
    is fixed. Checks needing another row or the database (a repeated person) are the
    submission's."""
    given = {name: value for name, value in person.items() if name not in skip}
    observer = _new_observer(election=None, body=None, at=at, **given)
    return _nominee_errors(observer, skip=[name for name in PERSON_FIELDS if name not in given])


def _new_observer(*, election, body, batch=None, at=None, **person) -> Observer:
    observer = Observer(
        election=election,
        body=body,
        batch=batch,
        submitted_at=at or timezone.now(),
        **{field: person.get(field) for field in PERSON_FIELDS},
    )
    if observer.document_number:
        # Normalised now, not only at full_clean: the batch compares its rows' identities first.
        observer.document_number = normalize_identifier(observer.document_number)
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
    person already nominated or accredited for the election (the message names the first to
    those who may view it, and only says the place is held to anyone else).

    A single nomination is filed as a batch of one, so that every nomination records where it
    came from (the API, the desk) and who submitted it."""
    at = at or timezone.now()
    check_accreditation_open(election, at)
    _check_body(actor, body, timezone.localdate(at))
    observer = _new_observer(election=election, body=body, at=at, **person)
    observer.full_clean(exclude=["photo", "batch", "election", "body"], validate_constraints=False)
    _check_not_held(actor, observer)
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
    with acting_as(actor):
        save_checked(batch)
    observer.batch = batch
    _save_nomination(actor, observer)
    return observer


@transaction.atomic
def observer_correct(*, actor, observer: Observer, at=None, **person) -> Observer:
    """Correct a nominee's details (a misspelt name, a mistyped passport number) while the
    nomination awaits its decision: the nominating body's or the desk's work. A badge prints
    what is accredited, so an accredited, refused or revoked nomination is not changed.

    `person`: any of PERSON_FIELDS (another name is a ValueError, see
    `core.services.model_update`)."""
    observer = _locked(observer)
    require(actor, CHANGE, observer, BODY_NOT_YOURS)
    if observer.status != ObserverStatus.SUBMITTED:
        raise ValidationError(
            NOT_CORRECTABLE.format(status=observer.get_status_display().lower()),
            code="not_correctable",
        )
    check_accreditation_open(observer.election, at)
    changed = model_update(
        observer,
        fields=PERSON_FIELDS,
        data=person,
        exclude=["photo", "batch", "election", "body"],
        validate_constraints=False,
    )
    if changed:
        _check_not_held(actor, observer)
        _save_nomination(actor, observer)
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
    file_sha256: str = "",
) -> BatchResult:
    """Nominate a batch: every row is checked and every error reported (row number → field →
    messages, BatchInvalid); nothing is saved unless every row is valid. A batch re-sent with
    the same reference returns the first one (a client retrying after a timeout is safe).

    Rows are numbered from 1, or by `row_numbers` (e.g. a spreadsheet's own row numbers, when
    some of its rows could not be read and are not passed on); `file_sha256`: the uploaded
    file's, kept on the batch."""
    at = at or timezone.now()
    if row_numbers is not None and len(row_numbers) != len(rows):
        raise ValueError("row_numbers must number every row")
    if reference:
        existing = NominationBatch.objects.filter(
            body=body, election=election, reference=reference
        ).first()
        if existing is not None:
            require(actor, VIEW, existing, BODY_NOT_YOURS)
            return BatchResult(existing, created=False)
    # Past the deadline the batch is refused, but its rows are still checked: the refusal comes
    # with every row's errors, whatever the rows (the same answer for every file).
    closed: list[str] = []
    try:
        check_accreditation_open(election, at)
    except ValidationError as exc:
        closed = [str(message) for message in exc.messages]
    _check_body(actor, body, timezone.localdate(at))
    if not rows:
        raise BatchInvalid({}, [*closed, str(EMPTY_BATCH)])
    if len(rows) > BATCH_LIMIT:
        raise BatchInvalid({}, [*closed, str(BATCH_TOO_LARGE.format(limit=BATCH_LIMIT))])

    errors: dict[int, dict[str, list[str]]] = {}
    observers: list[Observer] = []
    seen: dict[tuple[str, str], int] = {}
    people: dict[tuple, int] = {}
    for number, row in zip(row_numbers or range(1, len(rows) + 1), rows, strict=True):
        observer = _new_observer(election=election, body=body, at=at, **row)
        row_errors = _nominee_errors(observer)
        if "citizenship" not in row_errors and "document_number" not in row_errors:
            identity = (str(observer.citizenship), observer.document_number)
            if identity in seen:
                row_errors["document_number"] = [str(REPEATED_IN_BATCH.format(row=seen[identity]))]
            else:
                seen[identity] = number
        if not row_errors:
            # The same person under another document number (e.g. a row copied down and only
            # its number changed): same citizenship, date of birth and Latin names.
            person = (
                str(observer.citizenship),
                observer.date_of_birth,
                observer.last_name_latin.casefold(),
                observer.first_name_latin.casefold(),
            )
            if person in people:
                row_errors["document_number"] = [str(REPEATED_IN_BATCH.format(row=people[person]))]
            else:
                people[person] = number
        if row_errors:
            errors[number] = row_errors
        observers.append(observer)
    # Persons already nominated or accredited: one query for the whole batch.
    for identity, first in _holding_nominations(election, seen).items():
        message = _already_held_message(first, actor)
        errors.setdefault(seen[identity], {})["document_number"] = [message]
    if errors or closed:
        raise BatchInvalid(dict(sorted(errors.items())), closed)

    batch = NominationBatch(
        election=election,
        body=body,
        source=source,
        reference=reference,
        file_sha256=file_sha256,
        size=len(observers),
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
        submitted_at=at,
    )
    batch.full_clean(exclude=["election", "body", "submitted_by"])
    try:
        with transaction.atomic(), acting_as(actor):
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
            {
                seen[i]: {"document_number": [_already_held_message(f, actor)]}
                for i, f in taken.items()
            }
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


def _locked(observer: Observer) -> Observer:
    return (
        Observer.objects.select_for_update().select_related("body", "election").get(pk=observer.pk)
    )
