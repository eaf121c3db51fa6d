"""Jobs with progress: the registry of what each kind of job runs, and the runner.

An app declares a kind with `@job_handler("observers.badges")` on a function
`handler(job, progress)`: it does the work, calls `progress(done)` as it goes (committed at once,
so the admin and the API see it while the job runs) and returns the result as a file
(a `django.core.files.File`) or None. `run` runs a job once: an advisory lock (the namespace
`core.job_run` of `core.locks`, with the job's id as its scope) keeps a second worker off a job
that is running, a finished job is left alone, and a job whose worker died is started again from
the beginning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from .choices import JobStatus
from .locks import lock_namespace, session_lock
from .models import Job

logger = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable] = {}
JOB_RUNS = lock_namespace("core.job_run")  # one runner per job: (JOB_RUNS, job id)


def job_handler(kind: str):
    def register(function):
        _HANDLERS[kind] = function
        return function

    return register


def handler_for(kind: str) -> Callable:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler for jobs of kind {kind!r}") from None


def run(job_id: int) -> Job | None:
    """Run one job to its end; safe to call twice or from two workers at once."""
    if connection.in_atomic_block:
        raise RuntimeError("a job commits its progress as it goes: run it outside a transaction")
    with session_lock(JOB_RUNS, job_id) as acquired:
        if not acquired:
            logger.info("Job %s is running elsewhere", job_id)
            return Job.objects.filter(pk=job_id).first()
        return _run_locked(job_id)


def _run_locked(job_id: int) -> Job | None:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    handler = handler_for(job.kind)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        done=0,
        attempts=job.attempts + 1,
        error="",
    )
    job.refresh_from_db()

    def progress(done: int) -> None:
        job.done = min(done, job.total)
        Job.objects.filter(pk=job.pk).update(done=job.done)

    try:
        result = handler(job, progress)
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job.status = JobStatus.FAILED
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    with transaction.atomic():
        if result is not None:
            if job.result:
                job.result.delete(save=False)
            job.result.save(job.result_name or result.name, result, save=False)
        job.status = JobStatus.DONE
        job.done = job.total
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "done", "result", "finished_at"])
    return job
