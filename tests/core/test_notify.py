"""notify(): a notification kind's templates rendered in the recipient's language, as plain
text, and written to the outbox in the caller's transaction."""

import pytest
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils import translation

from core.choices import NotificationChannel, NotificationStatus
from core.models import Notification
from core.notifications import notify
from tests.core.factories import AgencyFactory


@pytest.fixture
def kinds(tmp_path, settings):
    """Notification kinds of a test app: "tests/notifications/<kind>"."""
    folder = tmp_path / "tests" / "notifications"
    folder.mkdir(parents=True)

    def write(name, text):
        (folder / name).write_text(text, encoding="utf-8")

    write(
        "greeting.subject.txt",
        "{% load i18n %}\n  {% translate 'Email' %}\n  for {{ name }}  \n",
    )
    write(
        "greeting.body.txt",
        "\n{% load i18n %}{% get_current_language as lang %}"
        "{{ lang }}: {% translate 'Email' %}\n{{ name }} & {{ note }}\n\n",
    )
    write("sms_only.body.txt", "Code {{ code }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "tests/notifications/greeting"


def greet(kinds, **kwargs):
    arguments = {
        "template": kinds,
        "recipient": "aliya@example.kz",
        "channel": NotificationChannel.EMAIL,
        "language": "en",
        "context": {"name": "Aliya O'Brien", "note": "<b>bold</b>"},
        **kwargs,
    }
    return notify(**arguments)


@pytest.mark.django_db
def test_notify_writes_a_pending_notification_to_the_outbox(kinds):
    notification = greet(kinds)
    assert Notification.objects.get() == notification
    assert notification.status == NotificationStatus.PENDING
    assert notification.recipient == "aliya@example.kz"
    assert notification.channel == NotificationChannel.EMAIL


@pytest.mark.django_db
def test_the_subject_is_one_line_the_body_has_no_blank_ends_and_nothing_is_escaped(kinds):
    notification = greet(kinds)
    assert notification.subject == "Email for Aliya O'Brien"
    assert notification.body == "en: Email\nAliya O'Brien & <b>bold</b>"


@pytest.mark.parametrize(
    ("language", "subject", "first_line"),
    [
        ("kk", "Электрондық пошта for Aliya O'Brien", "kk: Электрондық пошта"),
        ("ru", "Электронная почта for Aliya O'Brien", "ru: Электронная почта"),
        ("en", "Email for Aliya O'Brien", "en: Email"),
    ],
)
@pytest.mark.django_db
def test_the_notification_is_written_in_the_recipients_language(
    kinds, language, subject, first_line
):
    notification = greet(kinds, language=language)
    assert notification.subject == subject
    assert notification.body.splitlines()[0] == first_line


@pytest.mark.django_db
def test_the_active_language_is_left_as_it_was(kinds):
    with translation.override("ru"):
        greet(kinds, language="kk")
        assert translation.get_language() == "ru"


@pytest.mark.django_db
def test_without_a_language_the_active_one_is_used(kinds):
    with translation.override("ru"):
        notification = greet(kinds, language=None)
    assert notification.body.startswith("ru: ")


@pytest.mark.django_db
def test_an_sms_has_no_subject_and_needs_no_subject_template(kinds):
    notification = notify(
        template="tests/notifications/sms_only",
        recipient="+77010000001",
        channel=NotificationChannel.SMS,
        language="kk",
        context={"code": "4321"},
    )
    assert (notification.subject, notification.body) == ("", "Code 4321")


@pytest.mark.django_db
def test_an_email_kind_without_a_subject_template_is_refused(kinds):
    with pytest.raises(TemplateDoesNotExist):
        notify(
            template="tests/notifications/sms_only",
            recipient="a@example.kz",
            channel=NotificationChannel.EMAIL,
            language="en",
            context={"code": "1"},
        )
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(kinds):
    with pytest.raises(TemplateDoesNotExist):
        greet(kinds, template="tests/notifications/no_such_kind")


@pytest.mark.django_db
def test_an_unknown_channel_is_refused(kinds):
    with pytest.raises(ValueError, match="unknown channel"):
        greet(kinds, channel="pigeon")


@pytest.mark.django_db
def test_the_same_dedupe_key_notifies_once(kinds):
    assert greet(kinds, dedupe_key="greeting:1") is not None
    assert greet(kinds, dedupe_key="greeting:1") is None
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_the_cause_is_recorded(kinds):
    agency = AgencyFactory()
    notification = greet(kinds, cause=agency)
    assert notification.cause == agency


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_cause_leaves_no_notification(kinds):
    with pytest.raises(RuntimeError), transaction.atomic():
        greet(kinds)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
