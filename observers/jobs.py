"""The badge job: a mission's (or an election's) badges as one PDF, made by a Celery worker.

Cards are rendered settings.OBSERVER_BADGE_BATCH_SIZE at a time, each batch to a file of its own,
with progress reported after each; the parts are then merged into the job's result. So the job
holds one batch's documents in memory, whatever the number of badges. The parts go to the job's
scratch folder (core.jobs.job_scratch): removed when the job ends, fails, or is run again after
its worker died. The merged result is an anonymous temporary file: nothing to remove.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from core.jobs import job_handler, job_scratch
from core.pdf import merge_pdfs

from .badges import badge_observers, write_badges_pdf
from .services import BADGE_JOB

PART_NAME = "part-{:05d}.pdf"


class NoBadgesLeft(Exception):
    """Every observer of the job was revoked after it was asked for."""


@job_handler(BADGE_JOB, label=_("Badges"))
def badges_job(job, progress) -> File:
    ids: list[int] = job.params["observers"]
    language: str = job.params["language"]
    size = max(1, settings.OBSERVER_BADGE_BATCH_SIZE)
    result = tempfile.TemporaryFile(prefix="saylau-badges-")  # noqa: SIM115 (returned open)
    try:
        with job_scratch(job) as folder:
            parts: list[Path] = []
            for start in range(0, len(ids), size):
                chunk = ids[start : start + size]
                # Observers revoked since the job was asked for get no badge.
                observers = list(badge_observers().filter(pk__in=chunk))
                if observers:
                    part = folder / PART_NAME.format(len(parts))
                    write_badges_pdf(observers, language, part)
                    parts.append(part)
                progress(start + len(chunk))
            if not parts:
                raise NoBadgesLeft("no observer of this job is accredited any more")
            merge_pdfs(parts, result)
        result.seek(0)
    except BaseException:
        result.close()
        raise
    return File(result, name=job.result_name or "badges.pdf")
