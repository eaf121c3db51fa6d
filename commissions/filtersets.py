from core.filters import FilterSet, IdFilter, YearFilter, YesNoFilter

from .models import Commission, Election, Party, Region


class RegionFilterSet(FilterSet):
    class Meta:
        model = Region
        fields = ["kind", "timezone", "code"]


class ElectionFilterSet(FilterSet):
    year = YearFilter(field_name="election_day", lookup_expr="year")
    upcoming = YesNoFilter(method="filter_upcoming")

    class Meta:
        model = Election
        fields = ["kind", "election_day", "is_early"]

    def filter_upcoming(self, queryset, name, value):
        upcoming = queryset.upcoming()
        return upcoming if value else queryset.exclude(pk__in=upcoming.values("pk"))


class PartyFilterSet(FilterSet):
    class Meta:
        model = Party
        fields = ["short_name"]


class CommissionFilterSet(FilterSet):
    # By id: an id that matches nothing gives an empty list, not an error.
    region = IdFilter(field_name="region_id")
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Commission
        fields = ["level", "region", "parent", "number"]
