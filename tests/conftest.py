"""Shared fixtures. Tests run on a real PostgreSQL and, where a broker is needed, a real Redis:
the embedded ones started by `make test`, or those named by DATABASE_URL / REDIS_URL."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests speak English unless they switch language themselves."""
    with translation.override("en"):
        yield


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    # The API speaks the request's language (Kazakh by default): tests ask for English unless
    # they send their own Accept-Language.
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    """API throttling counts requests in the real Redis (and each process its batch not yet
    added, core.api.throttling): each test starts with a clean count."""
    from core.api import throttling

    throttling._pending.clear()
    yield
    throttling._pending.clear()
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match="*throttle_*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def _no_public_cache(settings):
    """Tests change data inside a transaction that never commits, so the cache of public reads
    (core.caching), invalidated on commit, would serve one test's answer in the next: it is off
    except where a test turns it on (the `public_cache` fixture)."""
    settings.PUBLIC_CACHE_ENABLED = False


@pytest.fixture
def public_cache(settings):
    """The cache of public reads on, every area's cached answers made stale first."""
    from core import caching

    settings.PUBLIC_CACHE_ENABLED = True
    caching.bump(*caching.areas())
    return caching


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path):
    """Photos and job results written by a test go to its own folder, not var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def celery_app(transactional_db):
    """The project's Celery app on the real Redis, with an empty queue before and after."""
    from config.celery import app

    app.control.purge()
    yield app
    app.control.purge()
