from datetime import timedelta

from celery import shared_task
from django.core.management import call_command

from . import jobs, services


@shared_task(acks_late=True, ignore_result=True)
def notification_deliver_task(notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def notification_sweep_task(older_than_seconds: int = 30) -> int:
    """Queue every due notification again: covers a broker that was down and a worker that died."""
    ids = services.notification_due_ids(older_than=timedelta(seconds=older_than_seconds))
    for notification_id in ids:
        notification_deliver_task.delay(notification_id)
    return len(ids)


@shared_task(ignore_result=True)
def clearsessions_task() -> None:
    call_command("clearsessions")


@shared_task(acks_late=True, ignore_result=True)
def job_run_task(job_id: int) -> None:
    jobs.run(job_id)


@shared_task(ignore_result=True)
def job_sweep_task(older_than_seconds: int = 120) -> int:
    """Start jobs a lost message or a dead worker left behind (a live one keeps its lock)."""
    ids = services.job_due_ids(older_than=timedelta(seconds=older_than_seconds))
    for job_id in ids:
        job_run_task.delay(job_id)
    return len(ids)
