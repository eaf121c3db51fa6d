from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    STATE = "state", _("Foreign state")
    ORGANIZATION = "organization", _("International organisation or mission")
    ASSOCIATION = "association", _("Public association (domestic)")


class ObserverStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCREDITED = "accredited", _("Accredited")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class BatchSource(models.TextChoices):
    API = "api", _("API")
    CSV = "csv", _("CSV upload")
    XLSX = "xlsx", _("XLSX upload")
    DESK = "desk", _("Entered at the desk")


class Verification(models.TextChoices):
    """What the public verification page answers for a badge's code."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", pgettext_lazy("badge verification", "Unknown")


# Statuses in which a nomination holds the person's one place in an election.
HOLDING_STATUSES = (ObserverStatus.SUBMITTED, ObserverStatus.ACCREDITED)
# Statuses of an accreditation that was granted (a revoked one was granted, then withdrawn).
GRANTED_STATUSES = (ObserverStatus.ACCREDITED, ObserverStatus.REVOKED)
