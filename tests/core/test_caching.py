"""The cache of public reads (core.caching): served to anonymous readers, invalidated exactly when
the data it shows changes, never for a signed-in or personal answer, and out of the way when
Redis is."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core.cache import cache

from core.caching import CACHE_HEADER, FailOpenRedisCache
from tests.commissions.factories import RegionFactory
from tests.core.factories import UserFactory
from tests.observers.factories import Desk, OpenElectionFactory, state
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db

REGIONS = "/api/v1/regions/"


def _get(client, path, **headers):
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en", **headers)


def test_an_anonymous_read_is_stored_then_served_from_the_cache(client, public_cache):
    RegionFactory(name="Abai")
    first = _get(client, REGIONS)
    second = _get(client, REGIONS)
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert "Abai" in second.content.decode()
    # What a proxy in front needs to cache and revalidate it too.
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]
    assert second["Cache-Control"].startswith("public, max-age=")
    assert {"accept", "accept-language", "cookie"} <= {
        v.strip().lower() for v in second["Vary"].split(",")
    }
    assert not second.cookies


def test_a_matching_etag_or_date_is_answered_304(client, public_cache):
    RegionFactory()
    etag = _get(client, REGIONS)["ETag"]
    modified = _get(client, REGIONS)["Last-Modified"]
    assert _get(client, REGIONS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert _get(client, REGIONS, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert _get(client, REGIONS, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert _get(client, REGIONS, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304


def test_a_proxy_revalidating_gets_304_even_when_the_entry_was_gone(client, public_cache):
    RegionFactory()
    etag = _get(client, REGIONS)["ETag"]
    public_cache.bump("commissions")  # the entry is stale; the content is the same
    response = _get(client, REGIONS, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response[CACHE_HEADER]) == (304, "miss")


def test_a_refused_host_is_refused_as_json_under_the_api(client, public_cache):
    response = client.get(REGIONS, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_a_change_committed_to_the_data_makes_the_answer_fresh(
    client, public_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        region = RegionFactory(name="Abai")
    assert _get(client, REGIONS)[CACHE_HEADER] == "miss"
    assert _get(client, REGIONS)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        region.name_en = "Abay"
        region.save()
    fresh = _get(client, REGIONS)
    assert fresh[CACHE_HEADER] == "miss"
    assert "Abay" in fresh.content.decode()


def test_a_change_not_yet_committed_keeps_the_cached_answer(
    client, public_cache, django_capture_on_commit_callbacks
):
    """The generation moves on commit: an answer computed from uncommitted data is never what
    the next reader gets as the new version."""
    with django_capture_on_commit_callbacks(execute=True):
        region = RegionFactory(name="Abai")
    _get(client, REGIONS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        region.name_en = "Abay"
        region.save()
        region.save()  # twice in one transaction: one bump
    assert _get(client, REGIONS)[CACHE_HEADER] == "hit"
    assert len([c for c in callbacks if getattr(c, "public_cache_area", None)]) == 1


def test_only_the_areas_a_read_uses_invalidate_it(
    client, public_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        RegionFactory()
    _get(client, REGIONS)
    with django_capture_on_commit_callbacks(execute=True):
        PollingStationFactory()  # polling, and its commission (commissions)
    assert _get(client, REGIONS)[CACHE_HEADER] == "miss"
    assert _get(client, REGIONS)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        public_cache.area_changed("polling")  # polling only: regions do not read it
    assert _get(client, REGIONS)[CACHE_HEADER] == "hit"


def test_a_voters_subscription_leaves_the_public_cache_alone(
    client, public_cache, django_capture_on_commit_callbacks
):
    """Anyone may subscribe to a station's notices; no public answer reads subscriptions, so
    subscribing must not let an anonymous visitor empty the cache of the public pages."""
    from polling.subscription_models import StationSubscription

    with django_capture_on_commit_callbacks(execute=True):
        station = PollingStationFactory()
    path = "/api/v1/polling-stations/"
    _get(client, path)
    assert _get(client, path)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        subscription = StationSubscription.objects.create(
            station=station, channel="email", contact="voter@example.kz", language="kk"
        )
        subscription.delete()
    assert _get(client, path)[CACHE_HEADER] == "hit"


def test_an_observer_decision_makes_the_statistics_fresh(
    client, public_cache, django_capture_on_commit_callbacks
):
    # Each step committed, as in a real request (a test's transaction never commits).
    with django_capture_on_commit_callbacks(execute=True):
        election = OpenElectionFactory()
        desk = Desk(election)
        day = election.election_day - datetime.timedelta(days=10)
        body = state("DE")
        desk.accredit(body, day)
    path = f"/api/v1/observers/stats/?election={election.pk}"
    before = _get(client, path)
    assert _get(client, path)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        desk.accredit(body, day)
    after = _get(client, path)
    assert after[CACHE_HEADER] == "miss"
    assert after.json() != before.json()


def test_each_language_and_accept_header_is_its_own_answer(client, public_cache):
    RegionFactory(name_en="Abai region", name_ru="Абайская область", name_kk="Абай облысы")
    english = client.get(REGIONS, HTTP_ACCEPT_LANGUAGE="en")
    russian = client.get(REGIONS, HTTP_ACCEPT_LANGUAGE="ru")
    assert russian[CACHE_HEADER] == "miss"
    assert "Абайская" in russian.content.decode()
    assert "Abai region" in english.content.decode()
    assert client.get(REGIONS, HTTP_ACCEPT_LANGUAGE="ru")[CACHE_HEADER] == "hit"
    html = client.get(REGIONS, HTTP_ACCEPT_LANGUAGE="en", HTTP_ACCEPT="text/html")
    assert html.get(CACHE_HEADER) != "hit"


def test_the_api_renders_json_only_with_debug_off():
    """DRF's browsable pages carry a CSRF token and set its cookie: with DEBUG on only."""
    code = (
        "from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])"
    )
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "PUBLIC_BASE_URL": "https://saylau.example.kz",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "['rest_framework.renderers.JSONRenderer']"


def test_pages_are_cached_per_language_prefix_and_query(client, public_cache):
    assert client.get("/kk/")[CACHE_HEADER] == "miss"
    assert client.get("/ru/")[CACHE_HEADER] == "miss"
    assert client.get("/kk/")[CACHE_HEADER] == "hit"
    assert client.get("/kk/?page=2")[CACHE_HEADER] == "miss"


def test_a_signed_in_reader_never_gets_or_leaves_a_cached_answer(client, public_cache):
    RegionFactory()
    _get(client, REGIONS)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _get(client, REGIONS)
    assert CACHE_HEADER not in response
    client.logout()
    assert _get(client, REGIONS)[CACHE_HEADER] == "hit"


def test_a_request_with_a_token_or_a_session_cookie_bypasses_the_cache(client, public_cache):
    RegionFactory()
    _get(client, REGIONS)
    assert CACHE_HEADER not in _get(client, REGIONS, HTTP_AUTHORIZATION="Token nonsense")
    client.cookies["sessionid"] = "whatever"
    assert CACHE_HEADER not in _get(client, REGIONS)


def test_a_very_long_query_is_answered_but_not_stored(client, public_cache):
    RegionFactory()
    path = REGIONS + "?x=" + "a" * 600
    assert _get(client, path).status_code == 200
    assert CACHE_HEADER not in _get(client, path)


def test_a_view_that_did_not_opt_in_is_not_cached(client, public_cache):
    assert CACHE_HEADER not in client.get("/healthz")
    assert CACHE_HEADER not in client.get("/kk/observers/verify/NOSUCHCODE/")


@pytest.mark.parametrize(
    "path",
    [
        "/kk/",
        "/ru/observers/",
        "/en/observers/revoked/",
        "/kk/observers/stats/",
        "/kk/observers/verify/NOSUCHCODE/",
        REGIONS,
        "/api/v1/polling-stations/",
    ],
)
def test_anonymous_reads_set_no_cookie(client, public_cache, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert not response.cookies, response.cookies


def test_reads_work_without_redis(client, settings):
    """Redis unreachable (a closed port, not a mock): pages, the API and its throttle answer."""
    settings.PUBLIC_CACHE_ENABLED = True
    settings.CACHES = {
        "default": {
            "BACKEND": "core.caching.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    RegionFactory(name="Abai")
    for path in (REGIONS, "/kk/", "/en/observers/stats/", REGIONS):
        response = _get(client, path)
        assert response.status_code == 200, path
    assert "Abai" in _get(client, REGIONS).content.decode()


def test_the_fail_open_backend_answers_defaults_and_skips_redis_for_a_while():
    backend = FailOpenRedisCache(
        "redis://127.0.0.1:9/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "retry_seconds": 60}},
    )
    assert backend.get("key", "default") == "default"
    assert not backend._available()  # the next calls do not wait for the dead server
    assert backend.get_many(["a", "b"]) == {}
    assert backend.add("key", 1) is False
    backend.set("key", 1)
    backend.delete("key")
    with pytest.raises(ValueError):
        backend.incr("key")
    assert backend.raw_client() is None


def test_the_fail_open_backend_is_the_real_cache_when_redis_answers():
    cache.delete_many(["core-caching-test", "core-caching-test-n"])
    cache.set("core-caching-test", {"a": 1}, 10)
    assert cache.get("core-caching-test") == {"a": 1}
    assert cache.add("core-caching-test-n", 1) is True
    assert cache.incr("core-caching-test-n") == 2
    assert cache.get_many(["core-caching-test", "core-caching-test-n"]) == {
        "core-caching-test": {"a": 1},
        "core-caching-test-n": 2,
    }
    cache.delete_many(["core-caching-test", "core-caching-test-n"])
    assert cache.get("core-caching-test") is None


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_generations_move_on_another_cache_backend_too(settings):
    from core import caching

    settings.CACHES = LOCAL_MEMORY
    before = caching.generations(["polling"])["polling"]
    caching.bump("polling")
    after = caching.generations(["polling"])["polling"]
    assert after is not None and after != before


def test_the_anonymous_throttle_counts_on_another_cache_backend_too(client, settings, monkeypatch):
    """Only an unreachable Redis opens the throttle; a backend without the one-round-trip
    counter (local memory here) gets DRF's own counting."""
    from rest_framework.throttling import SimpleRateThrottle

    settings.CACHES = LOCAL_MEMORY
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [_get(client, REGIONS).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
