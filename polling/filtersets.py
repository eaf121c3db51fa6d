import django_filters

from .models import PollingStation


class PollingStationFilterSet(django_filters.FilterSet):
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
