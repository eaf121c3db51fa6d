"""Filters shared by the apps' FilterSets: lenient where a value can only match nothing."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from .normalize import normalize_country


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


@extend_schema_field(
    {
        "type": "string",
        "example": "TR",
        "description": "ISO 3166-1 alpha-2 or alpha-3 code, either case (tr, TUR).",
    }
)
class CountryFilter(django_filters.CharFilter):
    """A country by its ISO 3166-1 code, read as every write reads it
    (`core.normalize.normalize_country`): alpha-2 or alpha-3, either case (`tr`, `TUR` are TR).
    A value that is no country's code can only match nothing: an empty list, not an error."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        code = normalize_country(value)
        if not code:
            return qs.none()
        return super().filter(qs, code)


class StableOrderingFilter(OrderingFilter):
    """DRF's `?ordering=` with the primary key always last, so that pages of a list ordered by a
    field with equal values (a number not yet given, a shared date, a common surname) never
    repeat or skip a row. Without `?ordering=` (or with none of its fields allowed), the view's
    `ordering`, else the queryset's own (its `order_by()`, else its model's `Meta.ordering`),
    gets the primary key last too. The API's default ordering filter (settings.REST_FRAMEWORK)."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or _ends_in_pk(ordering, queryset.model):
            return ordering
        return [*ordering, "pk"]

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering)
        query = queryset.query
        current = list(query.order_by) or (
            list(queryset.model._meta.ordering) if query.default_ordering else []
        )
        if _ends_in_pk(current, queryset.model):
            return queryset
        return queryset.order_by(*current, "pk")


def _ends_in_pk(ordering, model) -> bool:
    """Whether an ordering's last key is the primary key ("pk", "-id", the pk field's name)."""
    if not ordering or not isinstance(ordering[-1], str):
        return False
    return ordering[-1].lstrip("-") in ("pk", model._meta.pk.name, model._meta.pk.attname)
