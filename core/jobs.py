"""Jobs with progress: the registry of what each kind of job runs, and the runner.

An app declares a kind with `@job_handler("observers.badges")` on a function
`handler(job, progress)`: it does the work, calls `progress(done)` as it goes (committed at once,
so the admin and the API see it while the job runs) and returns the result as a file
(a `django.core.files.File`) or None. `run` runs a job once: an advisory lock (the namespace
`core.job_run` of `core.locks`, with the job's id as its scope) keeps a second worker off a job
that is running, a finished job is left alone, and a job whose worker died is started again from
the beginning, at most settings.JOB_MAX_ATTEMPTS times: then it is given up (failed).

A handler keeps its temporary files in `job_scratch(job)`, a folder of the job's own that is
emptied when an attempt ends however it ends, and again before the next attempt or the give-up
(a worker killed mid-job cleans up nothing). A result file half-copied to storage by a worker
that died is removed the same way: its name is recorded before it is written.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.utils import timezone

from .choices import JobStatus
from .locks import lock_namespace, session_lock
from .models import Job

logger = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable] = {}
_LABELS: dict[str, str] = {}
JOB_RUNS = lock_namespace("core.job_run")  # one runner per job: (JOB_RUNS, job id)


class JobRefused(Exception):
    """Raised by a handler when the work is refused for what it was given (an import file with
    errors), not because something broke: the job fails with `message` as its error, shown as
    it is (no exception name, not cut short; lines a person reads) and not logged as a fault."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def job_handler(kind: str, *, label: str | None = None):
    """Registers `handler(job, progress)` for jobs of `kind`; `label` is the kind as people
    read it (a lazy translation: "Badges"), shown in the admin's job pages."""

    def register(function):
        _HANDLERS[kind] = function
        if label is not None:
            _LABELS[kind] = label
        return function

    return register


def kind_label(kind: str) -> str:
    """The readable name of a kind of job, or the kind itself when it has none."""
    return str(_LABELS.get(kind, kind))


def handler_for(kind: str) -> Callable:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler for jobs of kind {kind!r}") from None


# How long a progress written aside waits for the job's row (core.jobs._progress_aside).
PROGRESS_LOCK_TIMEOUT = "500ms"


def run(job_id: int) -> Job | None:
    """Run one job to its end; safe to call twice or from two workers at once."""
    if connection.in_atomic_block:
        raise RuntimeError("a job commits its progress as it goes: run it outside a transaction")
    with session_lock(JOB_RUNS, job_id) as acquired:
        if not acquired:
            logger.info("Job %s is running elsewhere", job_id)
            return Job.objects.filter(pk=job_id).first()
        return _run_locked(job_id)


def scratch_folder(job: Job) -> Path:
    """Where a job's temporary files go: one folder per job (and database), in the system's
    temporary folder, so the next attempt finds what a dead worker left."""
    database = connection.settings_dict["NAME"]
    return Path(tempfile.gettempdir()) / f"saylau-job-{database}-{job.pk}"


@contextlib.contextmanager
def job_scratch(job: Job) -> Iterator[Path]:
    """The job's scratch folder, empty at the start and removed at the end, whatever happens."""
    folder = scratch_folder(job)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _discard_leftovers(job: Job) -> None:
    """What an earlier attempt left: its scratch folder and a result file not (fully) saved."""
    shutil.rmtree(scratch_folder(job), ignore_errors=True)
    if job.result and job.status != JobStatus.DONE:
        job.result.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result="")


def _run_locked(job_id: int) -> Job | None:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    _discard_leftovers(job)
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        return _give_up(job)
    handler = handler_for(job.kind)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        done=0,
        attempts=job.attempts + 1,
        error="",
    )
    job.refresh_from_db()

    side = []  # a connection of its own for progress made inside the handler's transaction

    def progress(done: int) -> None:
        job.done = min(done, job.total)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=job.pk).update(done=job.done)
        else:
            _progress_aside(side, job)

    result = None
    try:
        result = handler(job, progress)
        if result is not None:
            _save_result(job, result)
    except Exception as exc:
        if isinstance(exc, JobRefused):
            logger.info("Job %s (%s) refused its input", job.pk, job.kind)
            error = exc.message
        else:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            error = f"{type(exc).__name__}: {exc}"[:2000]
        _discard_leftovers(job)
        job.status = JobStatus.FAILED
        job.error = error
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    finally:
        shutil.rmtree(scratch_folder(job), ignore_errors=True)
        if result is not None:
            result.close()
        for other in side:
            other.close()
    job.status = JobStatus.DONE
    job.done = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "finished_at"])
    return job


def _progress_aside(side: list, job: Job) -> None:
    """Write the job's progress through a connection of its own, committed at once: progress
    made inside the handler's transaction (an import that is all or nothing) would otherwise
    be seen by nobody before the end. Waits at most PROGRESS_LOCK_TIMEOUT for the job's row
    (a handler that updated it in its transaction holds it): then this progress is skipped."""
    if not side:
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        with other.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{PROGRESS_LOCK_TIMEOUT}'")
        side.append(other)
    quote = side[0].ops.quote_name
    update = "UPDATE {} SET {} = %s WHERE {} = %s".format(  # noqa: S608 (quoted names)
        quote(Job._meta.db_table), quote("done"), quote("id")
    )
    try:
        with side[0].cursor() as cursor:
            cursor.execute(update, [job.done, job.pk])
    except OperationalError:  # the lock timeout: the row is the handler's for now
        logger.info("Job %s: progress %s not written (its row is locked)", job.pk, job.done)


def _save_result(job: Job, result) -> None:
    """Copy the handler's file to storage under a name recorded (committed) first, so a copy cut
    short by a dying worker is found and removed by the next attempt."""
    field = job.result.field
    name = field.storage.get_available_name(
        field.generate_filename(job, job.result_name or result.name)
    )
    Job.objects.filter(pk=job.pk).update(result=name)
    job.result.name = name
    saved = field.storage.save(name, result, max_length=field.max_length)
    if saved != name:
        Job.objects.filter(pk=job.pk).update(result=saved)
        job.result.name = saved


def _give_up(job: Job) -> Job:
    """A job whose worker stopped on each of its attempts: failed, not started again."""
    logger.warning("Job %s (%s) given up after %s attempts", job.pk, job.kind, job.attempts)
    job.status = JobStatus.FAILED
    job.gave_up = True
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "gave_up", "finished_at"])
    return job
