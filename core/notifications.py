"""Channel backends the outbox delivers through.

Email goes through Django's mail framework (EMAIL_URL chooses the transport). SMS goes through a
gateway named by settings.SMS_BACKEND: a class with `send(recipient, body) -> str` returning the
gateway's message id and raising `DeliveryError` when the gateway refuses.
"""

from __future__ import annotations

import logging
import uuid
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from .choices import NotificationChannel

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel refused or failed to take the message; the outbox will try again."""


class SmsBackend:
    def send(self, recipient: str, body: str) -> str:
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """Development gateway: logs that a message was sent, never the number or the text."""

    def send(self, recipient: str, body: str) -> str:
        message_id = uuid.uuid4().hex
        logger.info("SMS %s accepted (%d characters)", message_id, len(body))
        return message_id


@cache
def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send(notification) -> None:
    """Hand one notification to its channel; raises DeliveryError on failure."""
    try:
        if notification.channel == NotificationChannel.EMAIL:
            EmailMessage(
                subject=notification.subject,
                body=notification.body,
                to=[notification.recipient],
                headers={"X-Saylau-Notification": str(notification.pk)},
            ).send(fail_silently=False)
        elif notification.channel == NotificationChannel.SMS:
            sms_backend().send(notification.recipient, notification.body)
        else:
            raise DeliveryError(f"unknown channel {notification.channel!r}")
    except DeliveryError:
        raise
    except Exception as exc:  # a transport error of any kind is a failed attempt
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
