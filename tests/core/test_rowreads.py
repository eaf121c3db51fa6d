"""Anonymous public single-row API reads answered without the whole request cycle
(core.api.rowreads): the same answer, headers included, and the whole cycle for the rest."""

from collections import defaultdict

import pytest
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from core.api import rowreads
from tests.commissions.factories import ElectionFactory
from tests.core.factories import UserFactory
from tests.core.test_rows import _public_detail_urls
from tests.permissions import world  # noqa: F401  (fixture)
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db

# Headers that differ between two answers by nature: the clock.
CLOCK = {"Date", "Last-Modified"}


@pytest.fixture
def answered(monkeypatch):
    """The paths the row reads answered themselves (the others went through the whole cycle)."""
    paths = []
    original = rowreads.answer

    def spy(request, language):
        response = original(request, language)
        if response is not None:
            paths.append(request.get_full_path())
        return response

    monkeypatch.setattr(rowreads, "answer", spy)
    return paths


def _headers(response):
    return {name: value for name, value in response.headers.items() if name not in CLOCK}


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_public_detail_answers_the_same_through_both_paths(settings, answered, language):
    """For each public single-row endpoint, some rows of the permission tests' world and a row
    that does not exist, in each language: the same status, body and headers."""
    details = _public_detail_urls()
    assert {cls.__name__ for cls, _ in details} >= {
        "PollingStationViewSet",
        "RegionViewSet",
        "CommissionViewSet",
        "NominatingBodyViewSet",
    }
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    compared = 0
    for cls, pattern in details:
        model = cls.queryset.model
        keys = [str(pk) for pk in model.objects.values_list("pk", flat=True)[:3]] + ["999999"]
        base = "/" + pattern.split("(?P<")[0].lstrip("^").replace("^", "")
        for key in keys:
            url = f"{base}{key}/"
            settings.PUBLIC_ROW_READS = True
            lean = client.get(url)
            settings.PUBLIC_ROW_READS = False
            whole = client.get(url)
            assert (lean.status_code, lean.content) == (whole.status_code, whole.content), url
            assert _headers(lean) == _headers(whole), url
            compared += lean.status_code == 200
    assert compared >= len(details)
    # Every existing row was answered by the row reads; the missing ones by the whole cycle.
    assert len(answered) == compared


def test_a_station_read_is_one_query_and_no_session(answered, django_assert_num_queries):
    station = PollingStationFactory()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="ru")
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/polling-stations/{station.pk}/")
    assert response.status_code == 200
    assert response.json()["number"] == station.number
    assert response["Content-Language"] == "ru"
    assert not response.cookies
    assert answered == [f"/api/v1/polling-stations/{station.pk}/"]


def test_query_parameters_reach_the_serializer():
    """`?election=` gives each station its voting hours: the view's own serializer context."""
    station = PollingStationFactory()
    election = ElectionFactory()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    url = f"/api/v1/polling-stations/{station.pk}/"
    assert client.get(url).json()["voting_hours"] is None
    hours = client.get(url, {"election": election.pk}).json()["voting_hours"]
    assert hours["election"] == election.pk


def test_errors_are_answered_by_the_whole_cycle(answered):
    """A missing row, an unknown election, a key that is no number: the API's JSON errors."""
    station = PollingStationFactory()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/api/v1/polling-stations/999999/").status_code == 404
    assert client.get("/api/v1/polling-stations/abc/").status_code == 404
    bad = client.get(f"/api/v1/polling-stations/{station.pk}/", {"election": "x"})
    assert bad.status_code == 400
    assert "election" in bad.json()
    assert answered == []


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_ACCEPT": "text/html"},
        {"HTTP_AUTHORIZATION": "Token nonsense"},
        {"HTTP_COOKIE": "sessionid=abc"},
    ],
    ids=["html", "token", "session cookie"],
)
def test_other_requests_take_the_whole_cycle(answered, extra):
    station = PollingStationFactory()
    APIClient(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/polling-stations/{station.pk}/", **extra)
    APIClient().get(f"/api/v1/polling-stations/{station.pk}/", {"format": "json"})
    APIClient().head(f"/api/v1/polling-stations/{station.pk}/")
    assert answered == []


def test_signed_in_users_take_the_whole_cycle(answered):
    station = PollingStationFactory()
    client = APIClient()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/api/v1/polling-stations/{station.pk}/").status_code == 200
    assert answered == []


def test_the_throttle_still_counts_and_its_429_comes_from_the_whole_cycle(monkeypatch, answered):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: "1/minute"))
    station = PollingStationFactory()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    url = f"/api/v1/polling-stations/{station.pk}/"
    assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert answered == [url]


def test_views_with_their_own_retrieve_are_not_taken():
    """Only a view answering `retrieve` with DRF's and Saylau's own code qualifies."""
    from polling.api.views import PollingStationViewSet

    class Own(PollingStationViewSet):
        def retrieve(self, request, *args, **kwargs):  # pragma: no cover — never called
            raise AssertionError

    assert rowreads._plain(PollingStationViewSet)
    assert not rowreads._plain(Own)


def test_lists_are_not_row_reads():
    with translation.override("en"):
        assert rowreads._route("en", "/api/v1/polling-stations/") is None
        assert rowreads._route("en", "/api/v1/nothing/1/") is None


def test_a_cached_path_counts_the_anonymous_rate_in_the_caches_round_trip(
    public_cache, monkeypatch, answered
):
    """Every anonymous API request to a cached path is counted once, hit or miss; past the rate
    a hit is still served from the cache and a miss is refused with the API's 429."""
    from django.core.cache import cache

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: "3/minute"))
    station = PollingStationFactory()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    url = f"/api/v1/polling-stations/{station.pk}/"
    assert client.get(url)["X-Saylau-Cache"] == "miss"
    assert client.get(url)["X-Saylau-Cache"] == "hit"
    assert client.get(url, {"a": 1})["X-Saylau-Cache"] == "miss"
    counters = list(cache.raw_client().scan_iter(match="*throttle_anon_*"))
    assert [int(cache.raw_client().get(key)) for key in counters] == [3]
    assert client.get(url)["X-Saylau-Cache"] == "hit"  # the fourth: served, as cached
    refused = client.get(url, {"a": 2})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert answered == [url, f"{url}?a=1"]


def test_a_high_rate_is_counted_in_batches_and_still_refuses(monkeypatch, answered):
    """600 a minute: the process adds a client's requests to Redis ten at a time, and the 601st
    request of the window is refused all the same."""
    from django.core.cache import cache

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: "600/minute"))
    station = PollingStationFactory()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    url = f"/api/v1/polling-stations/{station.pk}/"
    for _ in range(15):
        assert client.get(url).status_code == 200
    (key,) = cache.raw_client().scan_iter(match="*throttle_anon_*")
    assert int(cache.raw_client().get(key)) == 10  # one batch added, five pending
    cache.raw_client().set(key, 600)  # other processes' requests
    assert client.get(url).status_code == 200  # 601st, as this process knows: not yet
    for _ in range(4):
        client.get(url)
    refused = client.get(url)  # the batch added: 610 in the window
    assert refused.status_code == 429


@pytest.mark.parametrize("key", ["١٢", "1.5", "12.xml", "0x1", "+1"])
def test_a_key_that_is_no_ascii_id_is_not_found(api_client, key):
    """Arabic-Indic digits and format suffixes no renderer has are no row (a JSON 404), on the
    row reads' path and the whole cycle's alike."""
    PollingStationFactory()
    response = api_client.get(f"/api/v1/polling-stations/{key}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
