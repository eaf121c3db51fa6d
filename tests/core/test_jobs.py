"""Jobs with progress: the runner (once, failures, the lock, bounded attempts, no files left
behind), the sweeps, a real worker, the admin, the API."""

import base64
import json
import tempfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from django.utils import timezone, translation

from core import jobs
from core.admin import JobKindFilter
from core.choices import JobStatus, Role, TokenScope
from core.models import Job
from core.services import job_due_ids, job_submit
from tests.celery import real_worker, wait_until
from tests.core.factories import AgencyFactory, StaffUserFactory, UserFactory, make_token
from tests.openapi import assert_matches_schema

handled: list[int] = []


@jobs.job_handler("tests.greeting", label="Greeting cards")
def greeting_job(job, progress):
    handled.append(job.pk)
    progress(1)
    return ContentFile(b"%PDF-1.7 hello", name="greeting.pdf")


@jobs.job_handler("tests.broken")
def broken_job(job, progress):
    handled.append(job.pk)
    raise RuntimeError("the printer is on fire")


@jobs.job_handler("tests.progress")
def progress_job(job, progress):
    """Reports progress, then reads it back through another connection: it is committed."""
    progress(1)
    handled.append(done_seen_elsewhere(job))


def done_seen_elsewhere(job) -> int:
    """The job's progress as another connection (the admin's page) reads it."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT done FROM core_job WHERE id = %s", [job.pk])
            return cursor.fetchone()[0]
    finally:
        other.close()


@jobs.job_handler("tests.scratch")
def scratch_job(job, progress):
    """Writes temporary files the ways a handler may, then fails or succeeds as asked."""
    handled.append(job.pk)
    loose = jobs.scratch_folder(job)
    loose.mkdir(exist_ok=True)
    (loose / "loose.tmp").write_bytes(b"written without the context manager")
    with jobs.job_scratch(job) as folder:
        (folder / "part-00000.pdf").write_bytes(b"%PDF-1.7 part")
        if job.params.get("fail"):
            raise RuntimeError("the printer is on fire")
    return ContentFile(b"%PDF-1.7 whole", name="whole.pdf")


@pytest.fixture(autouse=True)
def _calls():
    handled.clear()


@pytest.fixture
def job_tmp(tmp_path, monkeypatch):
    """The system's temporary folder, for the test: empty, so whatever is left shows."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def abandoned(attempts: int, kind="tests.greeting", key="abandoned", **fields) -> Job:
    """A job whose worker died during its last attempt: running, with its lock free."""
    job = Job.objects.create(
        kind=kind,
        key=key,
        total=2,
        status=JobStatus.RUNNING,
        attempts=attempts,
        started_at=timezone.now(),
        **fields,
    )
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    return job


def submit(kind="tests.greeting", key="k1", actor=None, total=2) -> Job:
    return job_submit(actor=actor, kind=kind, key=key, title="Greeting", total=total)


def finished_job(**kwargs) -> Job:
    job = Job.objects.create(
        kind="tests.greeting",
        key=kwargs.pop("key", "done-1"),
        title="Badges",
        status=JobStatus.DONE,
        total=3,
        done=3,
        finished_at=timezone.now(),
        result_name="badges.pdf",
        **kwargs,
    )
    job.result.save("badges.pdf", ContentFile(b"%PDF-1.7 badges"))
    return job


# THE RUNNER (outside a transaction: a job commits its progress as it goes)


@pytest.mark.django_db(transaction=True)
def test_a_job_run_twice_is_done_once():
    job = submit()
    jobs.run(job.pk)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert handled == [job.pk]
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.progress) == (2, 2, 100)
    assert job.finished_at is not None
    assert job.result.read() == b"%PDF-1.7 hello"


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_marked_failed_with_its_error():
    job = submit(kind="tests.broken")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: the printer is on fire"
    assert job.finished_at is not None
    assert job.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_asked_for_again_is_queued_again():
    job = submit(kind="tests.broken")
    jobs.run(job.pk)
    again = submit(kind="tests.broken")
    assert again.pk == job.pk
    assert again.status == JobStatus.QUEUED
    assert (again.error, again.done, again.finished_at) == ("", 0, None)


@pytest.mark.django_db(transaction=True)
def test_a_job_another_runner_holds_is_left_alone():
    job = submit()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [jobs.JOB_RUNS.key, job.pk])
        returned = jobs.run(job.pk)
        assert returned.status == JobStatus.QUEUED
        assert handled == []
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [jobs.JOB_RUNS.key, job.pk])
    finally:
        other.close()
    assert jobs.run(job.pk).status == JobStatus.DONE  # the lock released, it runs
    assert handled == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_run_again_from_the_start():
    job = abandoned(attempts=1)
    Job.objects.filter(pk=job.pk).update(done=1)
    job = jobs.run(job.pk)
    assert (job.status, job.attempts, job.done) == (JobStatus.DONE, 2, 2)
    assert handled == [job.pk]


# BOUNDED ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_attempts_are_used_up_is_given_up_when_run_again(settings):
    assert settings.JOB_MAX_ATTEMPTS == 3
    job = abandoned(attempts=3)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert handled == []
    assert (job.status, job.gave_up, job.attempts) == (JobStatus.FAILED, True, 3)
    assert job.finished_at is not None
    assert job.error_message == "gave up after 3 attempts: the worker stopped"


@pytest.mark.django_db(transaction=True)
def test_a_job_given_up_names_its_last_error(settings):
    settings.JOB_MAX_ATTEMPTS = 1
    job = abandoned(attempts=1, error="MemoryError: out of memory")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.error_message == "gave up after 1 attempt: MemoryError: out of memory"


def test_why_a_job_was_given_up_is_said_in_the_readers_language():
    job = Job(status=JobStatus.FAILED, attempts=3, gave_up=True)
    with translation.override("ru"):
        assert job.error_message == "прекращено после 3 попыток: рабочий процесс остановился"
    with translation.override("kk"):
        assert job.error_message == "3 әрекеттен кейін тоқтатылды: орындаушы процесс тоқтап қалды"


@pytest.mark.django_db(transaction=True)
def test_a_job_given_up_is_left_alone_by_the_sweep():
    job = abandoned(attempts=3)
    assert job_due_ids(older_than=timedelta(0)) == [job.pk]  # the sweep runs it: it gives up
    jobs.run(job.pk)
    assert job_due_ids(older_than=timedelta(0)) == []
    assert jobs.run(job.pk).status == JobStatus.FAILED
    assert handled == []


@pytest.mark.django_db(transaction=True)
def test_a_job_given_up_and_asked_for_again_gets_its_attempts_anew():
    job = abandoned(attempts=3, key="k1")
    jobs.run(job.pk)
    again = submit(key="k1")
    assert (again.status, again.attempts, again.gave_up) == (JobStatus.QUEUED, 0, False)
    assert jobs.run(job.pk).status == JobStatus.DONE


# NO FILES LEFT BEHIND


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_leaves_no_temporary_files(job_tmp):
    job = job_submit(actor=None, kind="tests.scratch", key="s", total=1, params={"fail": True})
    assert jobs.run(job.pk).status == JobStatus.FAILED
    assert handled == [job.pk]
    assert list(job_tmp.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_job_done_leaves_no_temporary_files(job_tmp, settings):
    job = job_submit(actor=None, kind="tests.scratch", key="s", total=1)
    job = jobs.run(job.pk)
    assert job.status == JobStatus.DONE
    assert job.result.read() == b"%PDF-1.7 whole"
    assert list(job_tmp.iterdir()) == []


def leftovers(job: Job) -> tuple:
    """What a worker killed mid-attempt leaves: its scratch files and a half-copied result."""
    folder = jobs.scratch_folder(job)
    folder.mkdir()
    (folder / "part-00000.pdf").write_bytes(b"%PDF-1.7 par")
    name = job.result.field.generate_filename(job, "badges.pdf")
    stored = job.result.storage.save(name, ContentFile(b"%PDF-1.7 hal"))
    Job.objects.filter(pk=job.pk).update(result=stored)
    return folder, stored


@pytest.mark.django_db(transaction=True)
def test_a_job_run_again_removes_what_its_dead_worker_left(job_tmp):
    job = abandoned(attempts=1, kind="tests.scratch")
    folder, partial = leftovers(job)
    job = jobs.run(job.pk)
    assert job.status == JobStatus.DONE
    assert job.result.name != partial
    assert not job.result.storage.exists(partial)
    assert not folder.exists()
    assert list(job_tmp.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_job_given_up_removes_what_its_dead_worker_left(job_tmp):
    job = abandoned(attempts=3, kind="tests.scratch")
    folder, partial = leftovers(job)
    job = jobs.run(job.pk)
    assert job.status == JobStatus.FAILED
    assert not job.result
    assert not Job.objects.get(pk=job.pk).result
    assert not job.result.storage.exists(partial)
    assert not folder.exists()


@pytest.mark.django_db(transaction=True)
def test_progress_is_committed_while_the_job_runs():
    job = submit(kind="tests.progress", total=5)
    jobs.run(job.pk)
    assert handled == [1]


@pytest.mark.django_db
def test_the_runner_refuses_to_run_inside_a_transaction():
    job = submit()
    with pytest.raises(RuntimeError, match="outside a transaction"):
        jobs.run(job.pk)


@pytest.mark.django_db
def test_the_same_key_finds_the_same_job():
    assert submit().pk == submit().pk
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_when_submitted():
    with pytest.raises(LookupError):
        submit(kind="tests.no-such-kind")


# A REAL CELERY WORKER ON THE REAL REDIS


def test_a_real_worker_runs_a_submitted_job_to_done(celery_app):
    with real_worker():
        job = submit()  # committed at once (autocommit): its task is queued on commit
        wait_until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE)
    job.refresh_from_db()
    assert handled == [job.pk]
    assert job.result.read() == b"%PDF-1.7 hello"


# THE SWEEPS


def queued_tasks(app) -> list[tuple[str, dict]]:
    """The task names and keyword arguments waiting in the real Redis queue."""
    with app.connection_for_write() as connection:
        messages = connection.default_channel.client.lrange("celery", 0, -1)
    found = []
    for message in map(json.loads, messages):
        _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"]["task"], kwargs))
    return sorted(found)


def test_a_worker_that_starts_queues_both_sweeps_at_once(celery_app):
    from config.celery import sweep_at_start

    sweep_at_start(sender=None)
    assert queued_tasks(celery_app) == [
        ("core.tasks.job_sweep_task", {"older_than_seconds": 0}),
        ("core.tasks.notification_sweep_task", {"older_than_seconds": 0}),
    ]


def test_a_job_left_by_a_dead_worker_moments_ago_is_started_by_the_sweep_at_start(celery_app):
    job = Job.objects.create(
        kind="tests.greeting", key="moments", total=2, status=JobStatus.RUNNING, attempts=1
    )
    from core.tasks import job_sweep_task

    assert job_sweep_task(older_than_seconds=0) == 1
    with real_worker():
        wait_until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE)
    assert handled == [job.pk]


# THE API


def job_url(job, suffix=""):
    return f"/api/v1/jobs/{job.pk}/{suffix}"


@pytest.fixture
def agency_key():
    agency = AgencyFactory()
    _token, key = make_token(agency, [TokenScope.OBSERVERS_READ])
    return agency, key


@pytest.mark.django_db
def test_an_agency_reads_its_job_with_progress_and_download(api_client, agency_key):
    agency, key = agency_key
    job = finished_job(created_by=agency.user)
    response = api_client.get(job_url(job), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["progress"], body["done"], body["total"]) == ("done", 100, 3, 3)
    assert body["download"] == f"http://testserver/api/v1/jobs/{job.pk}/download/"
    assert_matches_schema(response)


@pytest.mark.django_db
def test_a_queued_job_has_no_download_yet(api_client, agency_key):
    agency, key = agency_key
    job = Job.objects.create(kind="tests.greeting", key="q", total=4, created_by=agency.user)
    body = api_client.get(job_url(job), HTTP_AUTHORIZATION=f"Token {key}").json()
    assert (body["status"], body["progress"], body["download"]) == ("queued", 0, None)


@pytest.mark.django_db
def test_the_api_says_why_a_job_was_given_up(api_client, agency_key):
    agency, key = agency_key
    job = Job.objects.create(
        kind="tests.greeting",
        key="given-up",
        total=4,
        created_by=agency.user,
        status=JobStatus.FAILED,
        attempts=3,
        gave_up=True,
        finished_at=timezone.now(),
    )
    response = api_client.get(job_url(job), HTTP_AUTHORIZATION=f"Token {key}")
    body = response.json()
    assert (body["status"], body["download"]) == ("failed", None)
    assert body["error"] == "gave up after 3 attempts: the worker stopped"
    assert_matches_schema(response)


@pytest.mark.django_db
def test_an_agency_cannot_see_another_callers_job(api_client, agency_key):
    _agency, key = agency_key
    job = finished_job(created_by=AgencyFactory().user)
    response = api_client.get(job_url(job), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404
    assert_matches_schema(response)


@pytest.mark.django_db
def test_a_read_all_token_sees_every_job(api_client):
    _token, key = make_token(scopes=[TokenScope.READ_ALL])
    job = finished_job(created_by=AgencyFactory().user)
    assert api_client.get(job_url(job), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


@pytest.mark.django_db
def test_a_job_without_credentials_is_refused(api_client):
    response = api_client.get(job_url(finished_job()))
    assert response.status_code == 401
    assert_matches_schema(response)


@pytest.mark.django_db
def test_a_job_with_a_token_without_the_read_scope_is_refused(api_client):
    agency = AgencyFactory()
    _token, key = make_token(agency, [TokenScope.POLLING_WRITE])
    job = finished_job(created_by=agency.user)
    response = api_client.get(job_url(job), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_signed_in_user_sees_only_their_own_jobs(client):
    user = StaffUserFactory(role=Role.TERRITORIAL_STAFF)
    client.force_login(user)
    assert client.get(job_url(finished_job(key="a", created_by=user))).status_code == 200
    assert client.get(job_url(finished_job(key="b"))).status_code == 404


@pytest.mark.django_db
def test_an_agency_downloads_its_jobs_file(api_client, agency_key):
    agency, key = agency_key
    job = finished_job(created_by=agency.user)
    response = api_client.get(job_url(job, "download/"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="badges.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 badges"


@pytest.mark.django_db
def test_a_download_asked_for_as_pdf_answers_the_file(api_client, agency_key):
    agency, key = agency_key
    job = finished_job(created_by=agency.user)
    response = api_client.get(
        job_url(job, "download/"), HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_job_not_done_cannot_be_downloaded_yet(api_client, agency_key):
    agency, key = agency_key
    job = Job.objects.create(kind="tests.greeting", key="r", status=JobStatus.RUNNING, total=4)
    Job.objects.filter(pk=job.pk).update(created_by=agency.user)
    response = api_client.get(
        job_url(job, "download/"), HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    assert "not done yet" in response.json()["detail"]


@pytest.mark.django_db
def test_another_callers_file_cannot_be_downloaded(api_client, agency_key):
    _agency, key = agency_key
    job = finished_job(created_by=AgencyFactory().user)
    response = api_client.get(job_url(job, "download/"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_download_without_credentials_is_refused(api_client):
    response = api_client.get(job_url(finished_job(), "download/"))
    assert response.status_code == 401


# THE ADMIN


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_the_admin_lists_jobs_with_progress(superuser_client, django_assert_max_num_queries):
    for n in range(5):
        finished_job(key=f"j{n}", created_by=UserFactory())
    with django_assert_max_num_queries(8):
        response = superuser_client.get("/en/admin/core/job/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<progress value="100" max="100">') == 5
    assert html.count("/download/") == 5


@pytest.mark.django_db
def test_the_admin_says_why_a_job_was_given_up(superuser_client):
    job = Job.objects.create(
        kind="tests.greeting",
        key="given-up",
        status=JobStatus.FAILED,
        attempts=3,
        gave_up=True,
        finished_at=timezone.now(),
    )
    response = superuser_client.get(f"/en/admin/core/job/{job.pk}/change/")
    assert "gave up after 3 attempts: the worker stopped" in response.content.decode()


@pytest.mark.django_db
def test_staff_see_only_the_jobs_they_started_in_the_admin(client):
    user = StaffUserFactory(role=Role.TERRITORIAL_STAFF)
    client.force_login(user)
    own = finished_job(key="own", created_by=user)
    other = finished_job(key="other", created_by=UserFactory())
    Job.objects.filter(pk=other.pk).update(title="Someone else's badges")
    html = client.get("/en/admin/core/job/").content.decode()
    assert f"/admin/core/job/{own.pk}/change/" in html
    assert "Someone else" not in html
    assert client.get(f"/en/admin/core/job/{other.pk}/change/").status_code in (302, 404)


@pytest.mark.django_db
def test_the_admin_names_a_kind_as_people_read_it(superuser_client):
    finished_job(key="readable")
    Job.objects.create(kind="tests.unlabelled", key="raw")
    html = superuser_client.get("/en/admin/core/job/").content.decode()
    assert "Greeting cards" in html
    assert "tests.unlabelled" in html  # a kind with no label is shown as it is
    assert jobs.kind_label("observers.badges") != "observers.badges"
    filtered = superuser_client.get("/en/admin/core/job/?kind=tests.greeting")
    assert [job.kind for job in filtered.context["cl"].result_list] == ["tests.greeting"]
    kind_filter = next(
        spec for spec in filtered.context["cl"].filter_specs if isinstance(spec, JobKindFilter)
    )
    assert ("tests.greeting", "Greeting cards") in kind_filter.lookup_choices


@pytest.mark.django_db
@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING])
def test_the_page_of_a_job_under_way_reloads_itself(superuser_client, status):
    job = Job.objects.create(kind="tests.greeting", key=f"under-way-{status}", status=status)
    html = superuser_client.get(f"/en/admin/core/job/{job.pk}/change/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html


@pytest.mark.django_db
def test_the_page_of_a_finished_job_stays_and_offers_its_file(superuser_client):
    job = finished_job(key="finished-page")
    html = superuser_client.get(f"/en/admin/core/job/{job.pk}/change/").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert f"/admin/core/job/{job.pk}/download/" in html


@pytest.mark.django_db
def test_the_admin_job_page_is_read_only(superuser_client):
    job = finished_job()
    response = superuser_client.get(f"/en/admin/core/job/{job.pk}/change/")
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert superuser_client.get("/en/admin/core/job/add/").status_code == 403


@pytest.mark.django_db
def test_the_admin_downloads_a_finished_jobs_file(superuser_client):
    job = finished_job()
    response = superuser_client.get(f"/en/admin/core/job/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="badges.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 badges"


@pytest.mark.django_db
def test_the_admin_does_not_download_another_users_file(client):
    user = StaffUserFactory(role=Role.TERRITORIAL_STAFF)
    client.force_login(user)
    job = finished_job(created_by=UserFactory())
    assert client.get(f"/en/admin/core/job/{job.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_the_admin_download_without_the_permission_is_refused(client):
    client.force_login(StaffUserFactory(role=Role.PRECINCT_MEMBER))
    job = finished_job()
    assert client.get("/en/admin/core/job/").status_code == 403
    assert client.get(f"/en/admin/core/job/{job.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_the_admin_download_is_not_for_the_public(client):
    response = client.get(f"/en/admin/core/job/{finished_job().pk}/download/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# THE TITLE IN THE READER'S LANGUAGE

TITLE = {"kk": "Барлық бейдждер (3)", "ru": "Все бейджи (3)", "en": "All badges (3)"}


def all_badges_title() -> str:
    return translation.gettext("All badges ({count})").format(count=3)


def submitted_in(language: str, key="titled", actor=None) -> Job:
    with translation.override(language):
        return job_submit(
            actor=actor, kind="tests.greeting", key=key, title=all_badges_title, total=3
        )


@pytest.mark.django_db
def test_a_jobs_title_is_made_in_each_language_when_submitted():
    job = submitted_in("kk")
    assert job.titles == TITLE
    assert job.title == TITLE["kk"]  # as its submitter read it


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["kk", "ru", "en"])
def test_a_jobs_title_reads_in_the_readers_language_whoever_submitted_it(reader):
    job = submitted_in("kk" if reader != "kk" else "ru")
    with translation.override(reader):
        assert job.display_title == TITLE[reader]
        assert str(job) == TITLE[reader]


@pytest.mark.django_db
def test_a_job_made_before_titles_in_each_language_shows_its_title_as_submitted():
    job = Job.objects.create(kind="tests.greeting", key="old", title="Барлық бейдждер (3)")
    with translation.override("ru"):
        assert str(job) == "Барлық бейдждер (3)"
    assert str(Job.objects.create(kind="tests.greeting", key="untitled")).startswith(
        "tests.greeting #"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["kk", "ru", "en"])
def test_the_admin_lists_and_shows_a_jobs_title_in_the_readers_language(superuser_client, reader):
    job = submitted_in("ru" if reader != "ru" else "kk")
    listed = superuser_client.get(f"/{reader}/admin/core/job/").content.decode()
    shown = superuser_client.get(f"/{reader}/admin/core/job/{job.pk}/change/").content.decode()
    assert f'<span class="job-title">{TITLE[reader]}</span>' in listed
    assert TITLE[reader] in shown
    others = [title for language, title in TITLE.items() if language != reader]
    assert not [title for title in others if title in listed + shown]


@pytest.mark.django_db
def test_the_admin_finds_a_job_by_its_title_in_any_language(superuser_client):
    job = submitted_in("kk")
    found = superuser_client.get("/ru/admin/core/job/", {"q": "Все бейджи"})
    assert [row.pk for row in found.context["cl"].result_list] == [job.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["kk", "ru", "en"])
def test_the_api_gives_a_jobs_title_in_the_requests_language(api_client, agency_key, reader):
    agency, key = agency_key
    job = submitted_in("kk" if reader != "kk" else "en", actor=agency.user)
    response = api_client.get(
        job_url(job), HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=reader
    )
    assert response.json()["title"] == TITLE[reader]
    assert_matches_schema(response)


@jobs.job_handler("tests.progress_in_transaction")
def progress_in_transaction_job(job, progress):
    """An all-or-nothing job: its progress is seen by others before its transaction ends."""
    from django.db import transaction

    with transaction.atomic():
        progress(2)
        handled.append(done_seen_elsewhere(job))
        Job.objects.filter(pk=job.pk).update(title="locked by the transaction")
        progress(3)  # the row is the transaction's now: skipped after the lock timeout


@pytest.mark.django_db(transaction=True)
def test_progress_made_inside_the_handlers_transaction_is_seen_at_once():
    job = submit(kind="tests.progress_in_transaction", total=5)
    jobs.run(job.pk)
    assert handled == [2]
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE


# AGAIN WHEN FINISHED: the key guards only work under way (an import of the same file again)


def submit_again(kind="tests.greeting", key="k1") -> Job:
    return job_submit(
        actor=None, kind=kind, key=key, title="Greeting", total=2, again_when_finished=True
    )


@pytest.mark.django_db
def test_again_when_finished_a_queued_job_is_the_same_job():
    first = submit_again()
    assert submit_again().pk == first.pk
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_again_when_finished_a_running_job_is_the_same_job():
    first = submit_again()
    Job.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)
    assert submit_again().pk == first.pk
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_again_when_finished_a_done_job_is_kept_and_a_new_one_made():
    done = finished_job(key="k1")
    again = submit_again()
    assert again.pk != done.pk
    assert (again.key, again.status, again.done) == ("k1", JobStatus.QUEUED, 0)
    done.refresh_from_db()
    assert (done.key, done.status, done.result.read()) == (
        f"k1|{done.pk}",
        JobStatus.DONE,
        b"%PDF-1.7 badges",
    )
    assert submit_again().pk == again.pk  # the new one is now the work under way


@pytest.mark.django_db(transaction=True)
def test_again_when_finished_a_failed_job_keeps_its_error_and_a_new_one_is_made():
    failed = submit_again(kind="tests.broken")
    jobs.run(failed.pk)
    again = submit_again(kind="tests.broken")
    assert again.pk != failed.pk
    assert again.status == JobStatus.QUEUED
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED
    assert failed.error == "RuntimeError: the printer is on fire"


@pytest.mark.django_db
def test_without_again_when_finished_a_done_job_is_returned_as_it_is():
    done = finished_job(key="k1")
    assert submit().pk == done.pk
    done.refresh_from_db()
    assert (done.key, done.status) == ("k1", JobStatus.DONE)


@pytest.mark.django_db(transaction=True)
def test_again_when_finished_two_requests_at_once_make_one_new_job():
    import threading

    from django.db import transaction

    done = finished_job(key="k1")
    made, release = threading.Event(), threading.Event()
    seen = {}

    def first():
        try:
            with transaction.atomic():  # holds the key's rows until released
                seen["first"] = submit_again().pk
                made.set()
                release.wait(10)
        finally:
            connections.close_all()

    def second():
        made.wait(10)
        try:
            seen["second"] = submit_again().pk  # waits for the first's commit
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    made.wait(10)
    wait_until(waiting_on_a_lock, timeout=10)
    release.set()
    for thread in threads:
        thread.join(20)
    assert seen["first"] == seen["second"] != done.pk
    assert Job.objects.filter(key="k1").count() == 1
    assert Job.objects.count() == 2


def waiting_on_a_lock() -> bool:
    """Whether a session of the test database waits for a lock another holds."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0
    finally:
        other.close()
