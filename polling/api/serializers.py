from rest_framework import serializers

from core.api.serializers import ModelSerializer
from polling.models import PollingStation


class PollingStationSerializer(ModelSerializer):
    timezone = serializers.CharField(source="timezone_name", read_only=True)

    class Meta:
        model = PollingStation
        fields = [
            "id",
            "number",
            "name",
            "address",
            "region",
            "country",
            "timezone",
            "precinct_commission",
            "is_abroad",
            "egov_check_available",
            "temporary_registration_allowed",
            "special_kind",
        ]


class PollingStationUpdateSerializer(serializers.ModelSerializer):
    """What staff and agencies with `polling:write` may change: voting-day facilities."""

    class Meta:
        model = PollingStation
        fields = ["egov_check_available", "temporary_registration_allowed", "special_kind"]
