import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter
from core.scoping import scope_of

from .models import NominatingBody, NominationBatch, Observer


class NominatingBodyFilterSet(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(
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


class ObserverFilterSet(django_filters.FilterSet):
    # By id: an id that matches nothing gives an empty list, not an error.
    election = IdFilter(field_name="election_id")
    body = IdFilter(field_name="body_id")
    batch = IdFilter(field_name="batch_id")

    class Meta:
        model = Observer
        fields = ["election", "body", "batch", "status", "citizenship", "decision_date"]


class NominationBatchFilterSet(django_filters.FilterSet):
    election = IdFilter(field_name="election_id")
    body = IdFilter(field_name="body_id")

    class Meta:
        model = NominationBatch
        fields = ["election", "body", "reference"]
