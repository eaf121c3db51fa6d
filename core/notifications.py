"""Notifications: written from templates in the recipient's language, and the channels that
deliver them.

`notify()` is the one way an app tells someone something: it renders the notification's subject
and body templates in the recipient's language and writes the result to the outbox
(`core.services.notification_enqueue`) in the caller's transaction, so the message is sent once
that transaction commits and never for a change that was rolled back.

A notification kind is a pair of plain-text templates in its app,
`<app>/templates/<app>/notifications/<kind>.subject.txt` and `.body.txt`, named to `notify()`
as `"<app>/notifications/<kind>"`. Their words are translated like every other string of the
site (`{% load i18n %}`, `{% translate %}`, `{% blocktranslate %}`; locale/<lang>/django.po),
so one template serves every language and `makemessages` finds its strings; they are rendered
with autoescaping off (plain text: "O'Brien" stays "O'Brien"). The subject is made one line;
an SMS has no subject, so only the body template is rendered for it.

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
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django.utils.module_loading import import_string

from .choices import NotificationChannel

logger = logging.getLogger(__name__)


SUBJECT_SUFFIX = ".subject.txt"
BODY_SUFFIX = ".body.txt"
CHANNELS_WITH_SUBJECT = {NotificationChannel.EMAIL}


# WRITING: TEMPLATES RENDERED IN THE RECIPIENT'S LANGUAGE


def render_text(template_name: str, context: dict) -> str:
    """The template `template_name` rendered as plain text (no HTML escaping), in the active
    language. Raises TemplateDoesNotExist when there is no such template."""
    template = get_template(template_name)
    # The backend's own template, so that the context can turn autoescaping off.
    return template.template.render(Context(context, autoescape=False))


def render_notification(
    template: str, *, language: str, context: dict, channel: str = NotificationChannel.EMAIL
) -> tuple[str, str]:
    """(subject, body) of the notification kind `template` ("<app>/notifications/<kind>") in
    `language`: the subject on one line ("" for a channel without subjects), the body without
    leading or trailing blank lines."""
    with translation.override(language):
        subject = ""
        if channel in CHANNELS_WITH_SUBJECT:
            subject = " ".join(render_text(template + SUBJECT_SUFFIX, context).split())
        body = render_text(template + BODY_SUFFIX, context).strip()
    return subject, body


def notify(
    *,
    template: str,
    recipient: str,
    channel: str,
    language: str | None,
    context: dict,
    dedupe_key: str | None = None,
    cause=None,
):
    """Tell `recipient` through `channel` (email or SMS) what the templates of the kind
    `template` say, in `language` (the recipient's; None: the active language).

    The notification is written to the outbox in the caller's transaction and sent once it
    commits; with a `dedupe_key` already used nothing is written and None is returned (see
    `core.services.notification_enqueue`). `cause` is the object the notification is about.
    Returns the Notification, or None. Raises TemplateDoesNotExist for a kind without its
    templates, ValueError for an unknown channel.
    """
    from .services import notification_enqueue  # services imports this module for delivery

    if channel not in NotificationChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    subject, body = render_notification(
        template,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        context=context,
        channel=channel,
    )
    return notification_enqueue(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        cause=cause,
    )


# DELIVERING: THE CHANNELS


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
