from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.response import Response

from core.api.viewsets import ReadOnlyModelViewSet
from core.choices import TokenScope
from polling import services
from polling.filtersets import PollingStationFilterSet
from polling.models import PollingStation

from .serializers import PollingStationSerializer, PollingStationUpdateSerializer


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
