import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import NotificationChannel, NotificationStatus, Role, TokenScope
from .scoping import RestrictedQuerySet, ScopedModel


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

    name = models.CharField(_("name"), max_length=255)
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
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="core_agency_unique_name"),
        ]

    def __str__(self):
        return self.name


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
        ordering = ["-created_at"]
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
        ordering = ["-created_at"]
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
