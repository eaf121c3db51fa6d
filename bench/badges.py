"""Observers' badges: the real badge job against bare weasyprint, in the same run.

    python bench/badges.py              # 1,000 badges
    python bench/badges.py --n 50       # a quick run

Runs with the services of `make bench` / `python -m core.devstack exec`. It builds a database of
its own (saylau_bench_badges, dropped at the end) with N accredited observers, each with a photo,
and in separate processes:

- renders their cards with bare weasyprint (`HTML(string).write_pdf()`, the same HTML in batches
  of OBSERVER_BADGE_BATCH_SIZE, nothing else timed);
- runs the badge job for them through the real path (`badge_job_submit`, the Celery task run
  eagerly, `core.jobs.run`, batches written to files and merged);
- runs the job again for a few batches' worth of observers, to show that its peak memory does
  not grow with N (it holds one batch at a time).

It prints badges per second of each, the ratio job/bare and each process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "saylau_bench_badges"
LANGUAGE = "kk"


# THE PARENT: a database, three measuring processes, the report


def services_env(key: str) -> str:
    if os.environ.get(key):
        return os.environ[key]
    for line in (ROOT / "var" / "services.env").read_text().splitlines():
        if line.startswith(key + "="):
            return line.split("=", 1)[1]
    raise SystemExit(f"{key} is not set: run through `make bench`")


def admin_connection(database_url: str):
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(database_url)
    return psycopg.connect(
        dbname="postgres",
        user=cfg["USER"],
        host=unquote(cfg["HOST"]) or None,
        port=cfg["PORT"] or None,
        password=cfg["PASSWORD"] or None,
        autocommit=True,
    )


def child(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="badges to render (1000)")
    parser.add_argument("--batch", type=int, default=50, help="badges per batch (50)")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        return run_child(args.child)

    base_url = services_env("DATABASE_URL")
    bench_url = base_url.rsplit("/", 1)[0] + "/" + BENCH_DB
    media = Path(tempfile.mkdtemp(prefix="saylau-bench-badges-"))
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "REDIS_URL": services_env("REDIS_URL"),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "PUBLIC_BASE_URL": "https://saylau.example.kz",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PRIVATE_MEDIA_ROOT": str(media),
        "CELERY_TASK_ALWAYS_EAGER": "true",  # the job's task runs in the measuring process
        "OBSERVER_BADGE_BATCH_SIZE": str(args.batch),
    }
    small = min(args.n, 2 * args.batch)
    with admin_connection(base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        started = time.perf_counter()
        elections = child(env, "seed", str(args.n), str(small))
        print(
            f"seeded {args.n + small:,} accredited observers with photos "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        bare = child(env, "bare", str(elections["large"]))
        job = child(env, "job", str(elections["large"]))
        job_small = child(env, "job", str(elections["small"]))
    finally:
        with admin_connection(base_url) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        shutil.rmtree(media, ignore_errors=True)

    print(f"{args.n:,} badges (A6, photo and QR code), batches of {args.batch}, in {LANGUAGE}")
    rows = [
        ("bare weasyprint, HTML → PDF", bare, None),
        ("badge job (submit, Celery task, run, merge)", job, bare),
        (f"badge job, {small} badges", job_small, None),
    ]
    for name, result, baseline in rows:
        rate = result["badges"] / result["seconds"]
        ratio = (
            f"  {rate / (baseline['badges'] / baseline['seconds']):.2f}× bare" if baseline else ""
        )
        growth = (
            f" (+{result['growth_mb']:.0f} MB while rendering)" if "growth_mb" in result else ""
        )
        print(
            f"{name:46} {result['badges']:>6,} in {result['seconds']:6.1f} s  "
            f"{rate:7.1f} badges/s{ratio:12}  peak RSS {result['peak_mb']:.0f} MB{growth}"
        )
    print(
        f"job's merged PDF: {job['pdf_mb']:.1f} MB, {job['pages']:,} pages; peak RSS with "
        f"{job['badges']:,} badges {job['peak_mb']:.0f} MB, with {job_small['badges']:,} "
        f"{job_small['peak_mb']:.0f} MB"
    )


# THE CHILDREN: each measures in a fresh process, so peak memory is its own


def run_child(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    command, *rest = argv
    result = {"seed": seed, "bare": render_bare, "job": render_job}[command](*rest)
    result.setdefault("peak_mb", peak_rss_mb())
    print(json.dumps(result))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def seed(n: str, small: str) -> dict:
    import datetime
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image, ImageDraw

    from commissions.models import Election
    from observers import services
    from observers.choices import BodyKind

    desk = get_user_model().objects.create(username="bench-desk", is_staff=True, is_superuser=True)
    image = Image.new("RGB", (600, 800), (205, 215, 225))
    draw = ImageDraw.Draw(image)
    draw.ellipse((170, 120, 430, 420), fill=(150, 110, 90))
    draw.rectangle((110, 450, 490, 800), fill=(40, 60, 110))
    raw = io.BytesIO()
    image.save(raw, format="JPEG", quality=90)
    photo = services.photo_clean(ContentFile(raw.getvalue(), name="photo.jpg")).read()

    countries = ["DE", "FR", "GB", "US", "TR", "PL", "IT", "ES", "KG", "MN"]
    elections = {}
    for label, count, days in (("large", int(n), 60), ("small", int(small), 61)):
        election = Election.objects.create(
            name_en=f"Bench election ({label})",
            name_kk=f"Бенчмарк сайлауы ({label})",
            name_ru=f"Выборы для замера ({label})",
            kind="mazhilis" if label == "large" else "maslikhat",
            election_day=timezone.localdate() + datetime.timedelta(days=days),
        )
        body = services.nominating_body_create(
            actor=desk, kind=BodyKind.ORGANIZATION, name=f"Bench Observer Mission ({label})"
        )
        for start in range(0, count, services.BATCH_LIMIT):
            rows = [
                {
                    "last_name_latin": f"Observer{_lettered(i, 'abcdefghijklmnopqrstuvwxyz')}",
                    "first_name_latin": "Aigerim",
                    "last_name_cyrillic": f"Бақылаушы{_lettered(i, 'абвгдежзиклмнопрстуфхцчшэюя')}",
                    "first_name_cyrillic": "Әйгерім",
                    "citizenship": countries[i % len(countries)],
                    "date_of_birth": datetime.date(1970, 1, 1) + datetime.timedelta(days=i),
                    "document_number": f"B{i:08d}",
                }
                for i in range(start, min(count, start + services.BATCH_LIMIT))
            ]
            batch = services.nomination_batch_submit(
                actor=desk, election=election, body=body, rows=rows
            ).batch
            observers = list(batch.observers.all())
            for observer in observers:
                observer.photo.save("photo.jpg", ContentFile(photo), save=True)
            services.observers_accredit(actor=desk, observers=observers)
        elections[label] = election.pk
    return elections


def _lettered(i: int, alphabet: str) -> str:
    """The i-th five-letter word of the alphabet (names have letters, not digits)."""
    return "".join(alphabet[i // len(alphabet) ** k % len(alphabet)] for k in reversed(range(5)))


def render_bare(election_id: str) -> dict:
    from django.conf import settings
    from weasyprint import HTML

    from observers.badges import badge_observers, badges_html

    ids = list(badge_observers().filter(election_id=int(election_id)).values_list("pk", flat=True))
    size = settings.OBSERVER_BADGE_BATCH_SIZE
    seconds = 0.0
    for start in range(0, len(ids), size):
        html = badges_html(badge_observers().filter(pk__in=ids[start : start + size]), LANGUAGE)
        began = time.perf_counter()
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        seconds += time.perf_counter() - began
    return {"badges": len(ids), "seconds": seconds}


def render_job(election_id: str) -> dict:
    import weasyprint  # noqa: F401 (a worker loads it once; bare weasyprint is timed loaded too)
    from pypdf import PdfReader

    from commissions.models import Election
    from core.choices import JobStatus
    from observers.services import badge_job_submit

    election = Election.objects.get(pk=int(election_id))
    before = current_rss_mb()
    began = time.perf_counter()
    job = badge_job_submit(actor=None, election=election, language=LANGUAGE)
    seconds = time.perf_counter() - began
    job.refresh_from_db()
    if job.status != JobStatus.DONE:
        raise SystemExit(f"the badge job is {job.status}: {job.error}")
    peak = peak_rss_mb()
    with job.result.open("rb") as handle:
        pages = len(PdfReader(handle).pages)
    return {
        "badges": job.total,
        "seconds": seconds,
        "pages": pages,
        "pdf_mb": job.result.size / 1024 / 1024,
        "peak_mb": peak,
        "growth_mb": peak - before,
    }


if __name__ == "__main__":
    main()
