from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commissions.models import Election
from core.api.viewsets import ReadOnlyModelViewSet
from core.choices import TokenScope
from polling import services
from polling.filtersets import PollingStationFilterSet, VotingHoursDecisionFilterSet
from polling.models import PollingStation, VotingHoursDecision
from polling.selectors import with_voting_hours

from .serializers import (
    PollingStationSerializer,
    PollingStationUpdateSerializer,
    VotingHoursDecisionSerializer,
)

ELECTION_UNKNOWN = _("No election has the id “{value}”.")

ELECTION_PARAMETER = OpenApiParameter(
    "election",
    OpenApiTypes.INT,
    description="An election's id: each station then carries its voting hours for it.",
)


@extend_schema_view(
    list=extend_schema(parameters=[ELECTION_PARAMETER]),
    retrieve=extend_schema(parameters=[ELECTION_PARAMETER]),
)
class PollingStationViewSet(mixins.UpdateModelMixin, ReadOnlyModelViewSet):
    """Polling stations at home and abroad, with what each offers on voting day.

    Reading is public. Changing a station's voting-day facilities needs the change permission
    within one's scope (staff), or a token with `polling:write` (e.g. the ministry running e-Gov).
    """

    public_cache_areas = ("polling", "commissions")

    public = True
    token_scopes = {"PUT": TokenScope.POLLING_WRITE, "PATCH": TokenScope.POLLING_WRITE}
    queryset = PollingStation.objects.select_related("region")
    serializer_class = PollingStationSerializer
    filterset_class = PollingStationFilterSet
    ordering_fields = ["number"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PollingStationUpdateSerializer
        return PollingStationSerializer

    def election(self) -> Election | None:
        """The election of `?election=`, whose voting hours the stations carry (400 when none
        has that id)."""
        if not hasattr(self, "_election"):
            value = self.request.query_params.get("election", "")
            election = None
            if value:
                if value.isascii() and value.isdigit():
                    election = Election.objects.filter(pk=int(value)).first()
                if election is None:
                    raise ValidationError({"election": [ELECTION_UNKNOWN.format(value=value)]})
            self._election = election
        return self._election

    def get_queryset(self):
        queryset = super().get_queryset()
        election = self.election() if self.action == "list" else None
        return with_voting_hours(queryset, election) if election else queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.method in ("GET", "HEAD"):
            context["election"] = self.election()
        return context

    @extend_schema(responses=PollingStationSerializer)
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        station = services.polling_station_update(
            actor=request.user, station=serializer.instance, **serializer.validated_data
        )
        return Response(
            PollingStationSerializer(station, context=self.get_serializer_context()).data
        )

    @extend_schema(responses=PollingStationSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


class VotingHoursDecisionViewSet(ReadOnlyModelViewSet):
    """Published voting hours decisions of territorial commissions: which stations open earlier
    or close later than the election's default, from when, and why. Public; drafts and decisions
    not yet published are never shown here. A decision superseded by a published one is still
    listed, with the decision that supersedes it naming it in `supersedes`."""

    public_cache_areas = ("polling", "commissions")

    public = True
    queryset = (
        VotingHoursDecision.objects.published()
        .select_related("election", "commission")
        .prefetch_related("stations")
    )
    serializer_class = VotingHoursDecisionSerializer
    filterset_class = VotingHoursDecisionFilterSet
    ordering_fields = ["published_at", "number"]
