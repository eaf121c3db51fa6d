"""Filters shared by the apps' FilterSets: lenient where a value can only match nothing, strict
where a mistyped value would silently match everything (a yes-or-no filter), and the API's
ordering, which keeps the primary key last and documents the names each list accepts."""

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from .normalize import normalize_country

YES_NO_INVALID = _("Write true or false.")


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


class YesNoField(forms.NullBooleanField):
    """A yes-or-no query parameter: `true`/`false` (also `True`/`False`, `1`/`0`), or nothing
    (absent or blank: the filter is not applied). Anything else is a field error
    (YES_NO_INVALID, code "invalid"): Django's NullBooleanSelect reads `maybe` as no value, so a
    mistyped filter silently listed everything."""

    widget = forms.TextInput

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if text in ("true", "True", "1"):
            return True
        if text in ("false", "False", "0"):
            return False
        raise ValidationError(YES_NO_INVALID, code="invalid")

    def validate(self, value):
        pass


class YesNoFilter(django_filters.BooleanFilter):
    """A boolean filter that refuses what is neither true nor false (YesNoField): the API
    answers 400 on its field; a web page reading the FilterSet's `.qs` leaves it unapplied
    (django-filter filters only by the fields that are valid)."""

    field_class = YesNoField


class FilterSet(django_filters.FilterSet):
    """The apps' FilterSet: a model's BooleanField listed in `Meta.fields` gets a YesNoFilter.
    A yes-or-no filter declared by hand (one with a `method`) is declared as a YesNoFilter
    (tests/core/test_filters.py holds every FilterSet of the project to it)."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": YesNoFilter},
    }


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

    def get_schema_operation_parameters(self, view):
        """`?ordering=` documented with the names a list accepts (its `ordering_fields`; DRF's
        own parameter says only "string"): an array of them, comma-separated (`style=form`,
        `explode=false`), each also with a leading "-" for descending, and the default order.
        A list without `ordering_fields` keeps DRF's description."""
        fields = getattr(view, "ordering_fields", None)
        if not fields or fields == "__all__":
            return super().get_schema_operation_parameters(view)
        names = [f"{sign}{name}" for name in fields for sign in ("", "-")]
        default = _default_ordering(view)
        description = (
            f"Order by {', '.join(fields)}: one or more, comma-separated, a leading - for "
            "descending; the id always breaks ties. Other names are ignored."
        )
        if default:
            description += f" Default: {default}."
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "array", "items": {"type": "string", "enum": names}},
                "style": "form",
                "explode": False,
            }
        ]


def _default_ordering(view) -> str:
    """A list's order without `?ordering=`, in words ("election day descending, kind"): the
    view's `ordering`, else its queryset's (`order_by()`, else its model's `Meta.ordering`);
    the primary key left out (it always breaks ties), a translated field named once (`name`,
    not the `name_kk` modeltranslation orders by in Kazakh). Empty when the view has no
    queryset."""
    ordering = getattr(view, "ordering", None)
    queryset = getattr(view, "queryset", None)
    if not ordering and queryset is not None:
        query = queryset.query
        ordering = list(query.order_by) or (
            list(queryset.model._meta.ordering) if query.default_ordering else []
        )
    if isinstance(ordering, str):
        ordering = [ordering]
    words = []
    for key in ordering or ():
        if not isinstance(key, str) or key.lstrip("-") in ("pk", "id"):
            continue
        name = key.lstrip("-")
        for code, _name in settings.LANGUAGES:
            name = name.removesuffix("_" + code.replace("-", "_"))
        name = name.replace("__", " ").replace("_", " ")
        words.append(f"{name} descending" if key.startswith("-") else name)
    return ", ".join(words)


def _ends_in_pk(ordering, model) -> bool:
    """Whether an ordering's last key is the primary key ("pk", "-id", the pk field's name)."""
    if not ordering or not isinstance(ordering[-1], str):
        return False
    return ordering[-1].lstrip("-") in ("pk", model._meta.pk.name, model._meta.pk.attname)
