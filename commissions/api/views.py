from django.db.models import Prefetch

from commissions.filtersets import (
    CommissionFilterSet,
    ElectionFilterSet,
    PartyFilterSet,
    RegionFilterSet,
)
from commissions.models import Commission, CommissionMember, Election, Party, Region
from core.api.viewsets import ReadOnlyModelViewSet

from . import serializers


class RegionViewSet(ReadOnlyModelViewSet):
    """The 17 oblasts and 3 cities of republican significance, with their time zones."""

    public_cache_areas = ("commissions",)

    public = True
    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["name", "code"]
    collated_by = ("kind", "name")  # the cities, then the oblasts, each in the alphabet


class ElectionViewSet(ReadOnlyModelViewSet):
    public_cache_areas = ("commissions",)
    public = True
    queryset = Election.objects.all()
    serializer_class = serializers.ElectionSerializer
    filterset_class = ElectionFilterSet
    ordering_fields = ["election_day"]


class PartyViewSet(ReadOnlyModelViewSet):
    public_cache_areas = ("commissions",)
    public = True
    queryset = Party.objects.all()
    serializer_class = serializers.PartySerializer
    filterset_class = PartyFilterSet
    collated_by = ("short_name",)


class CommissionViewSet(ReadOnlyModelViewSet):
    """The commission hierarchy; a commission's page lists its current members."""

    public_cache_areas = ("commissions",)

    public = True
    queryset = Commission.objects.all()
    filterset_class = CommissionFilterSet
    ordering_fields = ["level", "number", "name"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "members",
                    queryset=CommissionMember.objects.active().select_related("party"),
                    to_attr="active_members",
                )
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CommissionDetailSerializer
        return serializers.CommissionSerializer
