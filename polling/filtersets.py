import django_filters

from core.filters import IdFilter

from .models import PollingStation, VotingHoursDecision


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


class VotingHoursDecisionFilterSet(django_filters.FilterSet):
    election = IdFilter(field_name="election_id")
    commission = IdFilter(field_name="commission_id")
    station = IdFilter(field_name="stations")

    class Meta:
        model = VotingHoursDecision
        fields = ["election", "commission", "station", "reason_kind", "early_closing_allowed"]
