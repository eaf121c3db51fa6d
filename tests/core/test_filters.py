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


def filtered(queryset, query: str = "", **view_attributes):
    request = Request(APIRequestFactory().get("/api/v1/polling-stations/" + query))
    view = PollingStationViewSet(**view_attributes)
    return StableOrderingFilter().filter_queryset(request, queryset, view)


def test_a_querysets_own_ordering_gets_the_primary_key_last():
    queryset = filtered(PollingStation.objects.order_by("-number"))
    assert list(queryset.query.order_by) == ["-number", "pk"]


def test_a_view_ordering_on_a_shared_value_gets_the_primary_key_last():
    queryset = filtered(PollingStation.objects.all(), ordering=["number"])
    assert list(queryset.query.order_by) == ["number", "pk"]


def test_an_ordering_ending_in_the_primary_key_is_left_as_it_is():
    queryset = PollingStation.objects.order_by("number", "-id")
    assert list(filtered(queryset).query.order_by) == ["number", "-id"]
