"""Core services: the shared write conventions (`model_update`, the reference-data service),
API tokens and agencies, the notification outbox and jobs.

Every write to the database goes through a service `<entity>_<action>(*, actor, ...)` that
checks the actor's row scope (`core.scoping.require`), validates (`full_clean`), and saves inside
`core.audit.acting_as(actor)` with `core.constraints.save_checked` (a constraint that only the
database could check, under concurrency, still gives its own message)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from . import notifications
from .audit import acting_as
from .choices import JobStatus, NotificationChannel, NotificationStatus, Role
from .constraints import save_checked
from .models import Agency, ApiToken, Job, Notification
from .scoping import ADD, CHANGE, ScopedModel, require
from .storage import private_storage

logger = logging.getLogger(__name__)

OUTSIDE_SCOPE = gettext_lazy("You may not change this.")


# MODEL WRITES


def model_update(
    instance: models.Model,
    *,
    fields: Iterable[str],
    data: Mapping,
    exclude: Iterable[str] | None = None,
    validate_constraints: bool = True,
) -> list[str]:
    """Apply `data` (field name → new value) to `instance`, within the `fields` a service lets
    change; returns the names whose value changed, in `data`'s order. Nothing is saved.

    A name in `data` outside `fields` raises ValueError before anything is applied: it is the
    caller's mistake (a form or serializer must not offer it), not the user's, so it is not a
    ValidationError to show on a form. When something changed, `full_clean(exclude=...,
    validate_constraints=...)` runs and raises the model's ValidationError.

    Values are compared as stored: a foreign key by its id, so passing the same related object
    again is no change."""
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(
            f"{type(instance).__name__}: not changeable here: {', '.join(sorted(unknown))}"
        )
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        before = field.value_from_object(instance)
        setattr(instance, name, value)
        if field.value_from_object(instance) != before:
            changed.append(name)
    if changed:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    return changed


@transaction.atomic
def model_create(*, actor, instance: models.Model, refusal=OUTSIDE_SCOPE) -> models.Model:
    """Save a new row the way every service does: the actor's add scope (PermissionDenied with
    `refusal` when the row would be outside it; models without a scope declaration are guarded
    by their model permissions alone), `full_clean`, then saved as the actor, a constraint
    refused by the database under a race raising the constraint's own ValidationError (see
    `core.constraints.save_checked`). `actor=None` is the system. Returns `instance`, saved."""
    _require_scope(actor, ADD, instance, refusal)
    instance.full_clean()
    with acting_as(actor):
        save_checked(instance)
    return instance


def reference_create(*, actor, instance: models.Model) -> models.Model:
    """Save a new row of reference data (a region, an election, a party, a commission): a model
    with no rules across rows or side effects of its own, so no domain service of its own; the
    admin's default create (`core.admin.ServiceAdminMixin`)."""
    return model_create(actor=actor, instance=instance)


@transaction.atomic
def reference_update(
    *, actor, instance: models.Model, data: Mapping, fields: Iterable[str] | None = None
) -> list[str]:
    """Change a row of reference data: the stored row must be in the actor's change scope and
    so must the changed one (nobody moves a row out of their own scope). `fields`: those that
    may change (default: every editable concrete field). Returns the changed names."""
    model = type(instance)
    stored = model._default_manager.select_for_update().get(pk=instance.pk)
    _require_scope(actor, CHANGE, stored)
    if fields is None:
        fields = [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    changed = model_update(stored, fields=fields, data=data)
    _require_scope(actor, CHANGE, stored)
    if changed:
        with acting_as(actor):
            save_checked(stored)  # the whole row, read under the lock just now
    for name in changed:
        setattr(instance, name, getattr(stored, name))
    return changed


def _require_scope(actor, action: str, instance, refusal=OUTSIDE_SCOPE) -> None:
    """Row scope for a model that declares one; a model without (accounts) is guarded by its
    model permissions alone."""
    if isinstance(instance, ScopedModel):
        require(actor, action, instance, refusal)


# API TOKENS


def agency_account_create(*, name: str, actor=None):
    """The service account an agency's API calls act as: it cannot sign in with a password."""
    base = "agency-" + slugify(name)[:80]
    username, n = base, 1
    User = get_user_model()
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User(username=username, role=Role.AGENCY)
    user.set_unusable_password()
    with acting_as(actor):
        save_checked(user)
    return user


@transaction.atomic
def agency_create(
    *, name: str, kind: str, contact_email: str = "", actor=None, **translations
) -> Agency:
    """An agency (an API client: a ministry, a mission) with its own service account."""
    agency = Agency(name=name, kind=kind, contact_email=contact_email, **translations)
    _require_scope(actor, ADD, agency)
    agency.full_clean(exclude=["user"])
    agency.user = agency_account_create(name=name, actor=actor)
    with acting_as(actor):
        save_checked(agency)
    return agency


@transaction.atomic
def api_token_create(
    *, agency: Agency, name: str, scopes: list[str], expires_at=None, actor=None
) -> tuple[ApiToken, str]:
    """A new token; returns it with the plain key, which is never stored and shown only now."""
    key = ApiToken.generate_key()
    token = ApiToken(
        agency=agency,
        name=name,
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
    )
    model_create(actor=actor, instance=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    """Revoke a token from now on (a revoked one stays as it was)."""
    _require_scope(actor, CHANGE, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        with acting_as(actor):
            save_checked(token, update_fields=["revoked_at"])
    return token


# OUTBOX


def notification_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    dedupe_key: str | None = None,
    cause=None,
) -> Notification | None:
    """Write a notification in the caller's transaction; it is sent once that transaction commits.

    With a `dedupe_key` already used, nothing is written and None is returned: a cause that is
    processed twice notifies once.
    """
    if channel not in NotificationChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    notification = Notification(
        channel=channel,
        recipient=recipient,
        subject=subject[:255],
        body=body,
        dedupe_key=dedupe_key,
    )
    if cause is not None:
        notification.content_type = ContentType.objects.get_for_model(cause)
        notification.object_id = str(cause.pk)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: _schedule_delivery(notification.pk))
    return notification


@transaction.atomic
def notification_retry(*, notification_ids) -> int:
    """Give failed notifications a fresh set of attempts; returns how many were queued again."""
    failed = list(
        Notification.objects.select_for_update()
        .filter(pk__in=notification_ids, status=NotificationStatus.FAILED)
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=failed).update(
        status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for notification_id in failed:
        transaction.on_commit(lambda pk=notification_id: _schedule_delivery(pk))
    return len(failed)


def _schedule_delivery(notification_id: int) -> None:
    from .tasks import notification_deliver_task

    try:
        notification_deliver_task.delay(notification_id)
    except Exception:  # the broker is down: the sweep will send it
        logger.warning("Notification %s not queued; the outbox sweep will send it", notification_id)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Deliver one notification, once.

    The row is locked for the whole attempt, so a second task for the same notification waits and
    then finds it delivered. A failed attempt is recorded and retried later with a growing delay,
    until settings.OUTBOX_MAX_ATTEMPTS; then the notification is marked failed.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != NotificationStatus.PENDING:
            return notification
        notification.attempts += 1
        try:
            notifications.send(notification)
        except notifications.DeliveryError as exc:
            notification.last_error = str(exc)[:2000]
            if notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            else:
                notification.next_attempt_at = timezone.now() + _retry_delay(notification.attempts)
            logger.warning(
                "Notification %s attempt %s failed", notification.pk, notification.attempts
            )
        else:
            notification.status = NotificationStatus.DELIVERED
            notification.delivered_at = timezone.now()
            notification.last_error = ""
        notification.save(
            update_fields=["status", "attempts", "last_error", "next_attempt_at", "delivered_at"]
        )
        return notification


def notification_due_ids(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500):
    """Pending notifications due for an attempt that no task seems to be handling."""
    return list(
        Notification.objects.due()
        .filter(created_at__lte=timezone.now() - older_than)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# JOBS


def titles_in_each_language(make: Callable[[], str]) -> dict[str, str]:
    """{language code: make() with that language active} for each of settings.LANGUAGES."""
    titles = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            titles[language] = str(make())[:255]
    return titles


def job_submit(
    *,
    actor,
    kind: str,
    key: str,
    title: str | Callable[[], str] = "",
    params: dict | None = None,
    total: int = 0,
    result_name: str = "",
    again_when_finished: bool = False,
) -> Job:
    """A job for this work, queued for a worker once the caller's transaction commits.

    `title` is what the admin and the API call the job: give a function that makes it (with
    gettext) and it is made in each of settings.LANGUAGES, so that every viewer reads it in their
    own language (Job.display_title); a text is shown as it is, in every language.

    The same key finds the same job: a finished one is returned as it is, a failed one is queued
    again. So a client that asks twice, or retries after a timeout, starts the work once.

    With `again_when_finished`, the key guards only work under way: a job with this key that is
    queued or running is returned as it is (a double click, a form sent again), but one that has
    finished, done or failed, is left as it is, with its result or error, under a key of its own
    (`<key>|<its id>`), and a new job with this key is made: the work is asked for again (an
    import of the same file after others changed the data). The key is read under a row lock,
    so two requests at once make one new job.
    """
    from .jobs import handler_for

    handler_for(kind)  # an unknown kind is a programming error, raised here and not in a worker
    with transaction.atomic():
        if again_when_finished:
            finished = (
                Job.objects.select_for_update()
                .filter(key=key, status__in=[JobStatus.DONE, JobStatus.FAILED])
                .first()
            )
            if finished is not None:
                suffix = f"|{finished.pk}"
                finished.key = key[: Job._meta.get_field("key").max_length - len(suffix)] + suffix
                finished.save(update_fields=["key"])
        job, created = Job.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "title": str(title() if callable(title) else title)[:255],
                "titles": titles_in_each_language(title) if callable(title) else {},
                "params": params or {},
                "total": total,
                "result_name": result_name,
                "created_by": actor if actor is not None and actor.is_authenticated else None,
            },
        )
        if not created and job.status == JobStatus.FAILED:
            # Asked for again: a new request, with its own attempts.
            job.status = JobStatus.QUEUED
            job.error = ""
            job.done = 0
            job.attempts = 0
            job.gave_up = False
            job.finished_at = None
            job.save(
                update_fields=["status", "error", "done", "attempts", "gave_up", "finished_at"]
            )
        elif not created:
            return job
        transaction.on_commit(lambda: _schedule_job(job.pk))
    return job


def _schedule_job(job_id: int) -> None:
    from .tasks import job_run_task

    try:
        job_run_task.delay(job_id)
    except Exception:  # the broker is down: the sweep will start it
        logger.warning("Job %s not queued; the job sweep will start it", job_id)


def job_due_ids(*, older_than: timedelta = timedelta(minutes=2), limit: int = 100):
    """Queued jobs no worker has started, and running ones whose worker may have died (the
    advisory lock tells a live runner from a dead one when the job is run again). A job given up
    is failed, so never among them."""
    cutoff = timezone.now() - older_than
    return list(
        Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING], created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def file_digest(upload) -> str:
    """The SHA-256 (hex) of a binary file object (an upload), read in 64 KiB chunks from its
    start; the file is left at its start."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_job_submit(
    *,
    actor,
    kind: str,
    scope: str | int,
    upload,
    folder: str,
    title: str | Callable[[], str] = "",
    params: dict | None = None,
    result_name: str = "",
) -> Job:
    """A job that works on an uploaded file (an import): the file kept in private storage under
    `folder` for the job (its `params` gain "file", the stored name, and "name", the upload's),
    the job keyed by its kind, `scope` (e.g. the commission's id), the user and the file's
    SHA-256. The same file sent again while its job is queued or running (a double click) is
    that job, and the copy kept now is deleted; once that job has finished, done or failed, the
    same file makes a new job that works on it again (staff going back to an earlier file):
    `job_submit(again_when_finished=True)`."""
    digest = file_digest(upload)
    upload.seek(0)
    storage = private_storage()
    stored = storage.save(f"{folder}/{digest[:16]}.bin", ContentFile(upload.read()))
    job = job_submit(
        actor=actor,
        kind=kind,
        key=f"{kind}:{scope}:{actor.pk if actor else 0}:{digest}",
        title=title,
        params={**(params or {}), "file": stored, "name": upload.name},
        result_name=result_name,
        again_when_finished=True,
    )
    if job.params.get("file") != stored:  # the job under way, with the file kept for it
        storage.delete(stored)
    return job
