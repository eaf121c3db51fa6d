import re

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.utils.translation import gettext_lazy as _

from core.filters import CountryFilter, FilterSet, IdFilter, YesNoFilter
from core.normalize import search_key
from core.scoping import scope_of

from .models import SEARCH_CONFIG, NominatingBody, NominationBatch, Observer


class NominatingBodyFilterSet(FilterSet):
    # As the writes read a country: alpha-2 or alpha-3, either case.
    country = CountryFilter(label=_("Country (ISO 3166-1 alpha-2 or alpha-3 code)"))
    mine = YesNoFilter(
        method="filter_mine",
        label=_("Only the bodies the caller nominates for (a mission's own, a region's own)"),
    )

    class Meta:
        model = NominatingBody
        fields = ["kind", "country", "mine"]

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        condition = Observer.body_scope_q(scope_of(user))
        mine = queryset.none() if condition is None else queryset.filter(condition)
        return mine if value else queryset.exclude(pk__in=mine.values("pk"))


MAX_NAME_WORDS = 8  # a name search's words looked at (more only slows the query down)
# A searched word's letters and digits: what the full-text parser reads as a word (a hyphen or
# an apostrophe separates two).
WORD = re.compile(r"[^\W_]+")


class ObserverFilterSet(FilterSet):
    # By id: an id that matches nothing gives an empty list, not an error.
    election = IdFilter(field_name="election_id")
    body = IdFilter(field_name="body_id")
    batch = IdFilter(field_name="batch_id")
    # As the writes read it (the API's POST, the upload): alpha-2 or alpha-3, either case.
    citizenship = CountryFilter(label=_("Citizenship (ISO 3166-1 alpha-2 or alpha-3 code)"))
    q = django_filters.CharFilter(
        method="filter_name",
        label=_(
            "Name (Latin or Cyrillic, the start of any of its words, with or without accents; "
            "every word must match)"
        ),
    )

    class Meta:
        model = Observer
        fields = ["election", "body", "batch", "status", "citizenship", "decision_date"]

    def filter_name(self, queryset, name, value):
        """Observers whose names have a word starting with each word of `value`, in any of the
        Latin or Cyrillic first or last names, whatever the case and the diacritics (`Sahin`
        finds `Şahin`, `Гекче` finds `Гёкче`, and the other way round): the words and the
        stored `search_key` are read by one rule (`core.normalize.search_key`), and matched
        through the key's full-text index."""
        words = WORD.findall(search_key(value))[:MAX_NAME_WORDS]
        if not words:
            return queryset
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG
        )
        return queryset.annotate(
            name_search=SearchVector("search_key", config=SEARCH_CONFIG)
        ).filter(name_search=query)


class NominationBatchFilterSet(FilterSet):
    election = IdFilter(field_name="election_id")
    body = IdFilter(field_name="body_id")

    class Meta:
        model = NominationBatch
        fields = ["election", "body", "reference"]
