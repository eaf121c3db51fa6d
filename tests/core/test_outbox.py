"""The notification outbox: written with its cause, delivered once, retried, never lost."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from commissions.services import commission_member_add
from core import notifications
from core.choices import NotificationChannel, NotificationStatus
from core.models import Notification
from core.services import notification_deliver, notification_enqueue
from tests.celery import real_worker, wait_until
from tests.commissions.factories import TerritorialCommissionFactory
from tests.core.sms import RecordingSmsBackend


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "tests.core.sms.RecordingSmsBackend"
    notifications.sms_backend.cache_clear()
    RecordingSmsBackend.sent = []
    RecordingSmsBackend.fail = False
    RecordingSmsBackend.delay = 0.0
    yield RecordingSmsBackend
    notifications.sms_backend.cache_clear()


def enqueue_sms(**kwargs):
    return notification_enqueue(
        channel=NotificationChannel.SMS, recipient="+77010000001", body="Hello", **kwargs
    )


@pytest.mark.django_db
def test_adding_a_member_writes_notifications_for_email_and_phone():
    commission = TerritorialCommissionFactory()
    member = commission_member_add(
        actor=None,
        commission=commission,
        full_name="Aigerim Sadykova",
        role="member",
        email="aigerim@example.kz",
        phone="+77010000002",
    )
    rows = Notification.objects.filter(object_id=str(member.pk)).order_by("channel")
    assert [n.channel for n in rows] == ["email", "sms"]
    assert all(n.status == NotificationStatus.PENDING for n in rows)
    assert "Aigerim Sadykova" in rows[0].body
    assert str(commission) in rows[0].subject


@pytest.mark.django_db
def test_same_dedupe_key_notifies_once():
    assert enqueue_sms(dedupe_key="k1") is not None
    assert enqueue_sms(dedupe_key="k1") is None
    assert Notification.objects.filter(dedupe_key="k1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_cause_leaves_no_notification():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_sms()
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_delivered_notification_is_not_sent_again(sms):
    notification = enqueue_sms()
    notification_deliver(notification_id=notification.pk)
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DELIVERED
    assert notification.delivered_at is not None
    assert len(sms.sent) == 1


@pytest.mark.django_db
def test_failed_attempt_is_retried_later_then_marked_failed(sms, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    sms.fail = True
    notification = enqueue_sms()
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at > timezone.now()
    assert "gateway said no" in notification.last_error
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert sms.sent == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliveries_send_once(sms):
    sms.delay = 0.3
    notification = enqueue_sms()
    errors = []

    def deliver():
        try:
            notification_deliver(notification_id=notification.pk)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(sms.sent) == 1


# Integration: a real Celery worker consuming a real Redis.


def queue_drained(app):
    from celery.worker import state

    with app.connection_for_write() as conn:
        waiting = conn.default_channel.client.llen("celery")
    return waiting == 0 and not state.active_requests


def test_real_worker_delivers_once_even_when_the_task_is_sent_three_times(celery_app, mailoutbox):
    from core.tasks import notification_deliver_task

    with real_worker():
        member = commission_member_add(
            actor=None,
            commission=TerritorialCommissionFactory(),
            full_name="Daniyar Ospanov",
            role="member",
            email="daniyar@example.kz",
        )  # committed at once (autocommit): its task is already queued
        notification = Notification.objects.get(object_id=str(member.pk))
        notification_deliver_task.delay(notification.pk)
        notification_deliver_task.delay(notification.pk)
        wait_until(lambda: Notification.objects.get(pk=notification.pk).status == "delivered")
        wait_until(lambda: queue_drained(celery_app))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["daniyar@example.kz"]
    assert mail.outbox[0].extra_headers["X-Saylau-Notification"] == str(notification.pk)


def test_message_lost_by_the_broker_is_delivered_by_the_sweep(celery_app, mailoutbox):
    from core.tasks import notification_sweep_task

    notification = notification_enqueue(
        channel=NotificationChannel.EMAIL, recipient="lost@example.kz", subject="S", body="B"
    )
    celery_app.control.purge()  # the broker lost its task before any worker took it
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    with real_worker():
        notification_sweep_task.delay(older_than_seconds=60)
        wait_until(lambda: Notification.objects.get(pk=notification.pk).status == "delivered")
        wait_until(lambda: queue_drained(celery_app))
    assert [m.to for m in mail.outbox] == [["lost@example.kz"]]


def test_development_sms_gateway_never_logs_the_number_or_the_text(caplog):
    from core.notifications import LoggingSmsBackend

    with caplog.at_level("DEBUG"):
        message_id = LoggingSmsBackend().send("+77015550123", "Your code is 4321")
    assert message_id
    assert "+77015550123" not in caplog.text
    assert "4321" not in caplog.text
