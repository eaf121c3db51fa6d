"""The API's ordering keeps the primary key last, so pages never repeat or skip a row."""

from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.filters import StableOrderingFilter
from polling.api.views import PollingStationViewSet
from polling.models import PollingStation


def ordering_of(query: str) -> list[str] | None:
    request = Request(APIRequestFactory().get("/api/v1/polling-stations/" + query))
    view = PollingStationViewSet()
    return StableOrderingFilter().get_ordering(request, PollingStation.objects.all(), view)


def test_a_requested_ordering_gets_the_primary_key_last():
    assert ordering_of("?ordering=-number") == ["-number", "pk"]


def test_the_primary_key_is_last_once_whatever_was_asked():
    assert ordering_of("?ordering=number,pk") == ["number", "pk"]
    assert ordering_of("?ordering=-pk,number") == ["number", "pk"]  # pk is not offered


def test_without_a_requested_ordering_the_models_ordering_ends_in_the_primary_key():
    assert ordering_of("") is None  # the model's Meta.ordering applies
    assert PollingStation._meta.ordering[-1] == "pk"
