"""Filters shared by the apps' FilterSets: lenient where a value can only match nothing."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row's id (e.g. `?region=5`); an id of no row gives an empty list, not an error."""

    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A whole year; one no calendar has (0, 10000) matches nothing rather than failing."""

    field_class = forms.IntegerField

    def filter(self, qs, value):
        if value is not None and not 1 <= value <= 9999:
            return qs.none()
        return super().filter(qs, value)


class StableOrderingFilter(OrderingFilter):
    """DRF's `?ordering=` with the primary key always last, so that pages of a list ordered by a
    field with equal values (a number not yet given, a shared date) never repeat or skip a row.
    The API's default ordering filter (settings.REST_FRAMEWORK)."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or ordering[-1].lstrip("-") in ("pk", "id"):
            return ordering
        return [*ordering, "pk"]
