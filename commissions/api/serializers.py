from rest_framework import serializers

from commissions.models import Commission, CommissionMember, Election, Party, Region
from core.api.serializers import ModelSerializer


class RegionSerializer(ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind", "timezone", "established_on"]


class ElectionSerializer(ModelSerializer):
    class Meta:
        model = Election
        fields = [
            "id",
            "name",
            "kind",
            "election_day",
            "is_early",
            "called_on",
            "description",
            "voting_opens_at",
            "voting_closes_at",
        ]


class PartySerializer(ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "name", "short_name", "registration_number", "website"]


class CommissionMemberSerializer(ModelSerializer):
    """Public facts about a member: contact details never leave the admin."""

    party = serializers.SlugRelatedField(slug_field="short_name", read_only=True, allow_null=True)

    class Meta:
        model = CommissionMember
        fields = ["id", "full_name", "role", "party", "started_on"]


class CommissionSerializer(ModelSerializer):
    class Meta:
        model = Commission
        fields = ["id", "level", "name", "parent", "region", "number", "term_start", "term_end"]


class CommissionDetailSerializer(CommissionSerializer):
    members = CommissionMemberSerializer(many=True, read_only=True, source="active_members")

    class Meta(CommissionSerializer.Meta):
        fields = [*CommissionSerializer.Meta.fields, "address", "members"]
