"""The shared filters: a yes-or-no filter reads only true or false; the API's ordering keeps the
primary key last, so pages never repeat or skip a row, and documents the names each list
accepts."""

import importlib

import django_filters
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from commissions.models import Election
from core.filters import YES_NO_INVALID, FilterSet, StableOrderingFilter, YesNoField, YesNoFilter
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


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("True", True),
        ("1", True),
        (" true ", True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_a_yes_or_no_field_reads_true_false_or_nothing(text, value):
    assert YesNoField(required=False).clean(text) is value


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("text", ["maybe", "yes", "no", "2", "TRUE", "on", "truee"])
def test_a_yes_or_no_field_refuses_anything_else_in_the_users_language(language, text):
    field = YesNoField(required=False)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        field.clean(text)
    assert refused.value.code == "invalid"
    with translation.override(language):
        assert refused.value.messages == [str(YES_NO_INVALID)]


class ElectionYesNo(FilterSet):
    upcoming = YesNoFilter(method="filter_upcoming")

    class Meta:
        model = Election
        fields = ["is_early"]

    def filter_upcoming(self, queryset, name, value):
        return queryset


def test_a_model_yes_or_no_field_gets_a_yes_or_no_filter():
    assert type(ElectionYesNo.base_filters["is_early"]) is YesNoFilter


def test_a_filtersets_invalid_yes_or_no_is_a_field_error_and_left_unapplied_by_qs(db):
    filterset = ElectionYesNo({"is_early": "maybe", "upcoming": "perhaps"})
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"is_early", "upcoming"}
    # A web page reading .qs lists as if the field were not given (django-filter's own rule).
    assert "WHERE" not in str(filterset.qs.query)


def project_filtersets():
    """Every FilterSet class of the project's apps (each app's `filtersets` module imported)."""
    local = [name for name in settings.LOCAL_APPS if name != "core"]
    for name in local:
        if importlib.util.find_spec(f"{name}.filtersets"):
            importlib.import_module(f"{name}.filtersets")
    found, todo = [], list(django_filters.FilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in local:
            found.append(cls)
    return found


def test_every_filterset_of_the_project_reads_yes_or_no_strictly():
    filtersets = project_filtersets()
    assert len(filtersets) >= 9  # commissions 4, observers 3, polling 2
    loose = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in filtersets
        for name, filter_ in cls.base_filters.items()
        if isinstance(filter_, django_filters.BooleanFilter)
        and not isinstance(filter_, YesNoFilter)
    ]
    assert loose == []
    assert [cls for cls in filtersets if not issubclass(cls, FilterSet)] == []


def ordering_parameter(**view_attributes):
    view = PollingStationViewSet(**view_attributes)
    (parameter,) = StableOrderingFilter().get_schema_operation_parameters(view)
    return parameter


def test_the_schema_names_each_ordering_a_list_accepts_both_ways():
    parameter = ordering_parameter(ordering_fields=["number", "published_at"])
    assert parameter["name"] == "ordering"
    assert parameter["schema"] == {
        "type": "array",
        "items": {"type": "string", "enum": ["number", "-number", "published_at", "-published_at"]},
    }
    assert (parameter["style"], parameter["explode"]) == ("form", False)  # ?ordering=a,-b


def test_the_schema_says_the_default_order_without_the_id_nor_a_language_suffix():
    description = ordering_parameter(ordering_fields=["number"])["description"]
    # PollingStation's Meta.ordering: region__name (name_kk, name_ru... once translated),
    # number, pk.
    assert description.endswith("Default: region name, number.")
    assert "the id always breaks ties" in description
    description = ordering_parameter(ordering_fields=["number"], ordering=["-number", "-pk"])[
        "description"
    ]
    assert description.endswith("Default: number descending.")


def test_a_list_without_ordering_fields_keeps_drfs_parameter():
    (parameter,) = StableOrderingFilter().get_schema_operation_parameters(
        PollingStationViewSet(ordering_fields=None)
    )
    assert parameter["schema"] == {"type": "string"}


def test_every_api_list_with_ordering_fields_documents_them_in_the_schema():
    from tests.openapi import api_schema

    paths = api_schema()["paths"]
    documented = {}
    for path, operations in paths.items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["name"] == "ordering" and "enum" in parameter["schema"].get("items", {}):
                documented[path] = parameter["schema"]["items"]["enum"]
    assert documented == {
        "/api/v1/regions/": ["name", "-name", "code", "-code"],
        "/api/v1/elections/": ["election_day", "-election_day"],
        "/api/v1/commissions/": ["level", "-level", "number", "-number", "name", "-name"],
        "/api/v1/observers/": [
            "number",
            "-number",
            "submitted_at",
            "-submitted_at",
            "decision_date",
            "-decision_date",
            "last_name_latin",
            "-last_name_latin",
        ],
        "/api/v1/observers/batches/": ["submitted_at", "-submitted_at"],
        "/api/v1/polling-stations/": ["number", "-number"],
        "/api/v1/voting-hours-decisions/": [
            "published_at",
            "-published_at",
            "adopted_on",
            "-adopted_on",
            "number",
            "-number",
        ],
    }
