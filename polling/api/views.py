from core.api.viewsets import ReadOnlyModelViewSet
from polling.filtersets import PollingStationFilterSet
from polling.models import PollingStation

from .serializers import PollingStationSerializer


class PollingStationViewSet(ReadOnlyModelViewSet):
    """Polling stations at home and abroad, with what each offers on voting day."""

    public = True
    queryset = PollingStation.objects.select_related("region")
    serializer_class = PollingStationSerializer
    filterset_class = PollingStationFilterSet
    ordering_fields = ["number"]
