from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    CEC_STAFF = "cec", _("CEC staff")
    TERRITORIAL_STAFF = "territorial", _("Territorial commission staff")
    PRECINCT_MEMBER = "precinct", _("Precinct commission member")
    AGENCY = "agency", _("Agency (API client)")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class TokenScope(models.TextChoices):
    """What an agency's API token may do. Reading public reference data needs no scope."""

    READ_ALL = "read:all", _("Read everything the API offers (ministries)")
    OBSERVERS_SUBMIT = "observers:submit", _("Submit observer nominations (missions)")
    OBSERVERS_READ = "observers:read", _("Read own observer nominations and badges")
    POLLING_WRITE = "polling:write", _("Update polling stations' voting-day facilities")


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job status", "Queued")
    RUNNING = "running", pgettext_lazy("job status", "Running")
    DONE = "done", pgettext_lazy("job status", "Done")
    FAILED = "failed", pgettext_lazy("job status", "Failed")
