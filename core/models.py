import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .choices import JobStatus, NotificationChannel, NotificationStatus, Role, TokenScope
from .fields import TitleField
from .scoping import VIEW, Level, RestrictedQuerySet, Scope, ScopedModel
from .storage import private_storage


class User(AbstractUser):
    """A person (or an agency's service account) who signs in.

    The role says what kind of work the user does; the commission the user works for (and so the
    region or station they may touch) is recorded in the commissions app.
    """

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="kk"
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or state body")
    BROADCASTER = "broadcaster", _("Broadcaster")
    MISSION = "mission", _("Observer mission")
    OTHER = "other", _("Other")


class Agency(ScopedModel, models.Model):
    """An outside body that uses the API: a ministry, the TV channel, an observer mission."""

    name = TitleField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=AgencyKind.choices)
    contact_email = models.EmailField(_("contact email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        related_name="agency",
        help_text=_("The account its API calls act as; the audit trail names it."),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="core_agency_unique_name"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope, action: str) -> Q | None:
        """Every staff member may see the agencies (a territorial desk names an association's
        submitting agency); only the CEC changes them."""
        if action == VIEW and scope.level in (Level.REGION, Level.PRECINCT):
            return Q()
        return super().scope_q(scope, action)


class ApiTokenQuerySet(RestrictedQuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(ScopedModel, models.Model):
    """A per-agency API key. Only its SHA-256 is stored; the key is shown once, when created."""

    PREFIX_LENGTH = 8

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is used for."))
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    scopes = ArrayField(
        models.CharField(max_length=32, choices=TokenScope.choices),
        verbose_name=_("scopes"),
        default=list,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="core_apitoken_unique_key_hash"),
        ]

    def __str__(self):
        return f"{self.agency} · {self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)

    def has_scope(self, scope: str) -> bool:
        if scope in self.scopes:
            return True
        return TokenScope.READ_ALL in self.scopes and scope.endswith(":read")


class NotificationQuerySet(models.QuerySet):
    def due(self):
        """Pending notifications whose next attempt has come."""
        return self.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=timezone.now())


class Notification(models.Model):
    """The outbox: one message to one recipient, written in the same transaction as its cause.

    A Celery task delivers it once (see `core.services.notification_deliver`); the periodic sweep
    re-sends what a lost message or a dead worker left pending.
    """

    channel = models.CharField(_("channel"), max_length=8, choices=NotificationChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    dedupe_key = models.CharField(  # noqa: DJ001 (NULL: no key, never equal to another)
        _("deduplication key"),
        max_length=200,
        null=True,
        blank=True,
        help_text=_("Two notifications with the same key are one: the second is not written."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    cause = GenericForeignKey("content_type", "object_id")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], name="core_notification_unique_dedupe_key"
            ),
            models.CheckConstraint(
                condition=~Q(status=NotificationStatus.DELIVERED) | Q(delivered_at__isnull=False),
                name="core_notification_delivered_has_time",
                violation_error_message=_("A delivered notification needs its delivery time."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="core_notification_due",
                condition=Q(status=NotificationStatus.PENDING),
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"


# The key of a job's parameters holding the id of the region whose territorial staff see the job.
JOB_REGION_PARAM = "scope_region"


class Job(ScopedModel, models.Model):
    """A long piece of work run by a Celery worker: a batch of PDFs, an import, a mailing.

    Its status and progress (done of total) are what the admin and the API show; its result, if
    it makes a file, is kept in private storage and downloaded through the API or the admin. The
    `key` makes a request idempotent: asking twice for the same work finds the same job.
    """

    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("key"), max_length=200)
    # `title` in the submitter's language; `titles` the same in each of settings.LANGUAGES
    # (language code → title), so that each viewer reads it in their own (`display_title`).
    # A job made before `titles` has none of them and shows `title`.
    title = models.CharField(_("title"), max_length=255, blank=True)
    titles = models.JSONField(_("title in each language"), default=dict, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    result = models.FileField(
        _("result"), storage=private_storage, upload_to="jobs/%Y/%m/", blank=True
    )
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    gave_up = models.BooleanField(
        _("given up"),
        default=False,
        help_text=_("Its worker stopped on each of its attempts: it is not started again."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # CEC staff see every job; anyone else the jobs they started (an agency: its tokens'), and
    # territorial staff also the jobs made for their region (params[JOB_REGION_PARAM]).
    scope_owner_path = "created_by"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="core_job_unique_key"),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")),
                name="core_job_done_within_total",
                violation_error_message=_("A job cannot have done more than its total."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[JobStatus.DONE, JobStatus.FAILED])
                | Q(finished_at__isnull=False),
                name="core_job_finished_has_time",
                violation_error_message=_("A finished job needs its finishing time."),
            ),
            models.CheckConstraint(
                condition=Q(gave_up=False) | Q(status=JobStatus.FAILED),
                name="core_job_given_up_failed",
                violation_error_message=_("A job given up has failed."),
            ),
        ]

    def __str__(self):
        return self.display_title

    @classmethod
    def scope_q(cls, scope: Scope, action: str) -> Q | None:
        """Besides their own jobs, territorial staff view the jobs submitted for their region
        (the region's id in `params[JOB_REGION_PARAM]`, e.g. the notices of a decision their
        commission published, whoever published it); other regions' jobs stay hidden. Core
        names no region model (it depends on no domain app), hence an id in the parameters."""
        condition = super().scope_q(scope, action)
        if action == VIEW and scope.level is Level.REGION and scope.region_id:
            regional = Q(**{f"params__{JOB_REGION_PARAM}": scope.region_id})
            return regional if condition is None else condition | regional
        return condition

    @property
    def display_title(self) -> str:
        """The title in the active language; else as it was submitted; else kind and number."""
        titles = self.titles if isinstance(self.titles, dict) else {}
        language = translation.get_language() or settings.LANGUAGE_CODE
        shown = titles.get(language) or titles.get(language.split("-")[0])
        return shown or self.title or f"{self.kind} #{self.pk}"

    @property
    def progress(self) -> int:
        """Per cent done; a finished job is at 100 whatever its total."""
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def error_message(self) -> str:
        """The error the admin and the API show, in the reader's language for a job given up."""
        if not self.gave_up:
            return self.error
        return ngettext(
            "gave up after %(attempts)d attempt: %(error)s",
            "gave up after %(attempts)d attempts: %(error)s",
            self.attempts,
        ) % {"attempts": self.attempts, "error": self.error or gettext("the worker stopped")}
