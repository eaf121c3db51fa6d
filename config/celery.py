"""The Celery application: tasks live in each app's tasks.py, schedules are declared here."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("saylau")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # The outbox sweep: whatever a lost message or a dead worker left pending is sent again.
    "core-outbox-sweep": {
        "task": "core.tasks.notification_sweep_task",
        "schedule": 60.0,
    },
    # Jobs a lost message or a dead worker left queued or half-done are started again.
    "core-job-sweep": {
        "task": "core.tasks.job_sweep_task",
        "schedule": 120.0,
    },
    # Territorial commissions with voting hours decisions still drafts near the informing
    # deadline are warned (once per decision and day); unconfirmed subscriptions expire.
    "polling-draft-warning": {
        "task": "polling.tasks.voting_hours_draft_warn_task",
        "schedule": crontab(hour=3, minute=5),
    },
    "polling-prune-subscriptions": {
        "task": "polling.tasks.station_subscriptions_prune_task",
        "schedule": crontab(hour=3, minute=35),
    },
    "core-prune-stale-sessions": {
        "task": "core.tasks.clearsessions_task",
        "schedule": crontab(hour=3, minute=17),
    },
}


@worker_ready.connect
def sweep_at_start(sender=None, **kwargs):
    """A worker that starts queues the job sweep and the outbox sweep at once, for everything
    pending however recent: what a crashed worker left starts within seconds, not at the next
    beat (two to four minutes). Running a job or a notification twice is safe: the job's lock and
    the notification's row lock let one through, and a finished one is left alone."""
    for task in ("core.tasks.job_sweep_task", "core.tasks.notification_sweep_task"):
        app.send_task(task, kwargs={"older_than_seconds": 0})
