import django_filters

from core.filters import IdFilter

from .models import PollingStation


class PollingStationFilterSet(django_filters.FilterSet):
    # By id: an id that matches nothing gives an empty list, not an error.
    region = IdFilter(field_name="region_id")

    class Meta:
        model = PollingStation
        fields = [
            "region",
            "number",
            "is_abroad",
            "country",
            "egov_check_available",
            "temporary_registration_allowed",
            "special_kind",
        ]
