from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ModelSerializer
from polling.models import (
    PREMISES_OPEN_BEFORE_VOTING,
    PollingStation,
    Street,
    VotingHoursDecision,
)
from polling.selectors import effective_hours


class EffectiveHoursSerializer(serializers.Serializer):
    """A station's voting hours for one election, in the station's local time (with its UTC
    offset): the election's default or a published decision's."""

    election = serializers.IntegerField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    premises_open_at = serializers.DateTimeField(help_text="An hour before voting opens.")
    decision = serializers.IntegerField(
        allow_null=True, help_text="The voting hours decision that sets them, if any."
    )
    changed = serializers.BooleanField(help_text="Whether a decision changed the default.")


class PollingStationSerializer(ModelSerializer):
    timezone = serializers.CharField(source="timezone_name", read_only=True)
    voting_hours = serializers.SerializerMethodField(
        help_text="With `?election=<id>`: the station's hours for that election; else null."
    )

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
            "latitude",
            "longitude",
            "phone",
            "step_free_entrance",
            "has_ramp",
            "accessible_booth",
            "egov_check_available",
            "temporary_registration_allowed",
            "special_kind",
            "voting_hours",
        ]

    @extend_schema_field(EffectiveHoursSerializer(allow_null=True))
    def get_voting_hours(self, station):
        election = self.context.get("election")
        if election is None:
            return None
        opening, closing, decision = effective_hours(station, election)
        return {
            "election": election.pk,
            "opens_at": opening.isoformat(),
            "closes_at": closing.isoformat(),
            "premises_open_at": (opening - PREMISES_OPEN_BEFORE_VOTING).isoformat(),
            "decision": decision.pk if decision else None,
            "changed": decision is not None,
        }


class PollingStationUpdateSerializer(serializers.ModelSerializer):
    """What staff and agencies with `polling:write` may change: voting-day facilities."""

    class Meta:
        model = PollingStation
        fields = ["egov_check_available", "temporary_registration_allowed", "special_kind"]


class VotingHoursDecisionSerializer(ModelSerializer):
    """A published voting hours decision; times are the local time of each station concerned."""

    stations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    superseded_by = serializers.IntegerField(
        source="superseded_by_id",
        read_only=True,
        allow_null=True,
        help_text="The published decision that replaces this one, or null while none does "
        "(a draft successor does not count).",
    )

    class Meta:
        model = VotingHoursDecision
        fields = [
            "id",
            "election",
            "commission",
            "number",
            "proposed_by",
            "stations",
            "opens_at",
            "closes_at",
            "reason_kind",
            "reason",
            "early_closing_allowed",
            "status",
            "adopted_on",
            "published_at",
            "supersedes",
            "superseded_by",
        ]


class StreetSerializer(ModelSerializer):
    """A street offered by the typeahead, with the name that matched what was typed (a former
    name, maybe) and its locality."""

    matched_name = serializers.CharField(
        read_only=True, help_text="The name (current or former) that matched the search."
    )
    locality_name = serializers.CharField(source="locality.name", read_only=True)
    region = serializers.IntegerField(source="locality.region_id", read_only=True)

    class Meta:
        model = Street
        fields = ["id", "name", "matched_name", "locality", "locality_name", "region"]


class LookupErrorSerializer(serializers.Serializer):
    """Why the address look-up answered no station (a 400): messages by field (`address`,
    `street`, `building`, `locality`); for an address that several streets match, also the
    streets it may mean, to ask again with `street=<id>`."""

    address = serializers.ListField(child=serializers.CharField(), required=False)
    street = serializers.ListField(child=serializers.CharField(), required=False)
    building = serializers.ListField(child=serializers.CharField(), required=False)
    locality = serializers.ListField(child=serializers.CharField(), required=False)
    candidates = StreetSerializer(
        many=True,
        required=False,
        help_text="The streets an address may mean (at most ten, in the alphabetical order of "
        "the request's language).",
    )
