"""Voters' subscriptions to a polling station's news (its voting hours changing): a contact (an
e-mail address or a phone number), confirmed by a link or a code, ended by one click (an
e-mail's link carries the long unsubscribe token, an SMS's the short unsubscribe code).

The contact is personal data: it is stored normalised (an address in lower case, a phone in
E.164) so that one person subscribes once per station, is read only to send the station's
notices, and is never shown on a public page, in the API, in the admin's lists or in a log
line (the model's text names the station, not the contact; the audit log leaves it out).
Imported by polling.models, which keeps the app's models.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import NotificationChannel

from .models import PollingStation

SUBSCRIPTION_TOKEN_BYTES = 32
CONFIRMATION_CODE_DIGITS = 6
# The SMS's unsubscribe link (`polling.informing.sms_unsubscribe_url`): 12 characters of
# lower-case base32 (RFC 4648's alphabet, no 0/1/8/9 to misread), 60 random bits, short enough
# for an SMS of three parts, too many to guess (the page also limits misses per address).
UNSUBSCRIBE_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
UNSUBSCRIBE_CODE_LENGTH = 12


def new_token() -> str:
    return secrets.token_urlsafe(SUBSCRIPTION_TOKEN_BYTES)


def new_code() -> str:
    return f"{secrets.randbelow(10**CONFIRMATION_CODE_DIGITS):0{CONFIRMATION_CODE_DIGITS}d}"


def new_unsubscribe_code() -> str:
    """UNSUBSCRIBE_CODE_LENGTH characters of UNSUBSCRIBE_CODE_ALPHABET from `secrets`."""
    return "".join(
        secrets.choice(UNSUBSCRIBE_CODE_ALPHABET) for _ in range(UNSUBSCRIBE_CODE_LENGTH)
    )


class StationSubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class StationSubscription(models.Model):
    """A voter's subscription to a station's notices (`polling.informing`)."""

    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=NotificationChannel.choices)
    # Never shown publicly nor logged: see the module's docstring.
    contact = models.CharField(_("contact"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    confirmation_token = models.CharField(
        _("confirmation token"), max_length=64, default=new_token, editable=False
    )
    confirmation_code = models.CharField(
        _("confirmation code"), max_length=8, blank=True, editable=False
    )
    confirmation_failures = models.PositiveSmallIntegerField(
        _("wrong codes"), default=0, editable=False
    )
    confirmations_sent = models.PositiveSmallIntegerField(
        _("confirmations sent"), default=0, editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribe_token = models.CharField(
        _("unsubscribe token"), max_length=64, default=new_token, editable=False
    )
    # The short key of the SMS's unsubscribe link, stored as the token is (polling.informing).
    unsubscribe_code = models.CharField(
        _("unsubscribe code"), max_length=16, default=new_unsubscribe_code, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StationSubscriptionQuerySet.as_manager()
    # No public answer reads it: a voter subscribing must not empty the public pages' cache.
    public_cache_exempt = True

    class Meta:
        verbose_name = _("station subscription")
        verbose_name_plural = _("station subscriptions")
        ordering = ["station", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "contact"],
                name="polling_stationsubscription_unique_contact",
                violation_error_message=_("This contact is already subscribed to the station."),
            ),
            models.UniqueConstraint(
                fields=["confirmation_token"],
                name="polling_stationsubscription_unique_confirmation_token",
            ),
            models.UniqueConstraint(
                fields=["unsubscribe_token"],
                name="polling_stationsubscription_unique_unsubscribe_token",
            ),
            models.UniqueConstraint(
                fields=["unsubscribe_code"],
                name="polling_stationsubscription_unique_unsubscribe_code",
            ),
            models.CheckConstraint(
                condition=Q(channel=NotificationChannel.EMAIL)
                | Q(channel=NotificationChannel.SMS, contact__regex=r"^\+[1-9][0-9]{7,14}$"),
                name="polling_stationsubscription_phone_e164",
                violation_error_message=_("A phone number is stored in E.164 (+77172123456)."),
            ),
        ]

    def __str__(self):
        # Never the contact.
        return _("Subscription No. {pk} to {station}").format(pk=self.pk, station=self.station)

    def __repr__(self):
        return f"<StationSubscription {self.pk} station={self.station_id} {self.channel}>"
