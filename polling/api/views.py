from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from commissions.models import Election
from core.api.viewsets import ReadOnlyModelViewSet, RestrictedViewSetMixin
from core.choices import TokenScope
from polling import services
from polling.addresses import ADDRESS_NO_STREET, ADDRESS_SEVERAL_STREETS
from polling.filtersets import PollingStationFilterSet, VotingHoursDecisionFilterSet
from polling.models import Locality, PollingStation, Street, VotingHoursDecision
from polling.selectors import (
    station_for_address,
    station_for_text,
    streets_matching,
    with_voting_hours,
)

from .serializers import (
    LookupErrorSerializer,
    PollingStationSerializer,
    PollingStationUpdateSerializer,
    StreetSerializer,
    VotingHoursDecisionSerializer,
)

ELECTION_UNKNOWN = _("No election has the id “{value}”.")
NOT_AN_ID = _("“{value}” is not an id.")
ADDRESS_REQUIRED = _("Give an address, or a street (and a building number), or a locality.")
ADDRESS_OR_STREET = _("Give either an address or a street and a building number, not both.")
NO_STATION_SERVES = _("No polling station serves this address.")
BUILDING_REQUIRED = _("Give the building number: no station serves this street as a whole.")
STREET_UNKNOWN = _("No street has the id “{value}”.")
LOCALITY_UNKNOWN = _("No locality has the id “{value}”.")

LOOKUP_PARAMETERS = [
    OpenApiParameter(
        "address",
        OpenApiTypes.STR,
        description="An address as text, at most 200 characters: a street and a building "
        "number, optionally after its locality (ул. Абая, 12/1; Абай даңғылы 12А; Abai avenue "
        "12 korpus 2; Алматы, Ленина 5), current or former names in Kazakh, Russian or Latin "
        "letters, or the name of a village served whole (с. Саты). With `locality` only "
        "(which then narrows the streets to that locality and its districts), not with "
        "`street` or `building`. When several streets match, a 400 lists them in "
        "`candidates`: ask again with `street=<id>`.",
        examples=[
            OpenApiExample("A street and a building", value="ул. Абая, 12/1"),
            OpenApiExample("A village served whole", value="с. Саты"),
        ],
    ),
    OpenApiParameter("street", OpenApiTypes.INT, description="A street's id (see /streets/)."),
    OpenApiParameter(
        "building", OpenApiTypes.STR, description="A building number: 12, 12А, 12/1, 12 корпус 2."
    ),
    OpenApiParameter(
        "locality",
        OpenApiTypes.INT,
        description="A locality's id, for a village served whole; with `address`, the "
        "locality (or city) the street is in.",
    ),
]


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

    @extend_schema(
        parameters=LOOKUP_PARAMETERS,
        responses={
            200: PollingStationSerializer,
            400: OpenApiResponse(
                LookupErrorSerializer,
                "Messages by field (address, street, building, locality); for an address that "
                "several streets match, also `candidates`.",
            ),
            404: OpenApiTypes.OBJECT,
        },
    )
    @action(detail=False, methods=["get"], url_path="lookup")
    def lookup(self, request):
        """The polling station that serves an address: `?address=<text>` as it is typed
        (`polling.selectors.station_for_text`), `?street=<id>&building=12А`, or
        `?locality=<id>` for a village served whole (`polling.selectors.station_for_address`:
        a single building before a range, a range before the whole street, the whole street
        before the whole locality). 400 for an unknown street or locality, or a street not served
        whole given without a building number; for an address text too long, with invisible
        characters or naming no known street (on `address`), or naming several streets (on
        `address`, with those streets in `candidates`); 404 when no station serves the
        address."""
        params = request.query_params
        if "address" in params:
            return self.lookup_text(params)
        ids = {}
        for name in ("street", "locality"):
            value = params.get(name, "").strip()
            if value:
                if not (value.isascii() and value.isdigit()):
                    raise ValidationError({name: [NOT_AN_ID.format(value=value)]})
                ids[name] = int(value)
        if not ids:
            raise ValidationError({"street": [ADDRESS_REQUIRED]})
        building = params.get("building", "")
        try:
            station = station_for_address(**ids, building=building)
        except DjangoValidationError as error:
            raise ValidationError({"building": error.messages}) from None
        if station is None:
            # Why nothing answered, read only then: the look-up itself stays one query.
            self.refuse_unknown_address(ids)
            if "street" in ids and not building.strip():
                raise ValidationError({"building": [BUILDING_REQUIRED]})
            raise NotFound(NO_STATION_SERVES)
        return Response(
            PollingStationSerializer(station, context=self.get_serializer_context()).data
        )

    def lookup_text(self, params) -> Response:
        """`?address=<text>` (and maybe `&locality=<id>`): the station, or why none."""
        if params.get("street", "").strip() or params.get("building", "").strip():
            raise ValidationError({"address": [ADDRESS_OR_STREET]})
        ids = {}
        value = params.get("locality", "").strip()
        if value:
            if not (value.isascii() and value.isdigit()):
                raise ValidationError({"locality": [NOT_AN_ID.format(value=value)]})
            ids["locality"] = int(value)
        text = params.get("address", "")
        try:
            match = station_for_text(text, locality=ids.get("locality"))
        except DjangoValidationError as error:
            raise ValidationError({"address": error.messages}) from None
        if match.candidates:
            message = ADDRESS_SEVERAL_STREETS.format(value=match.reading.street)
            candidates = StreetSerializer(match.candidates, many=True).data
            return Response({"address": [message], "candidates": candidates}, status=400)
        if match.station is None:
            if match.street_id is None:
                self.refuse_unknown_address(ids)
                value = " ".join(text.split())
                raise ValidationError({"address": [ADDRESS_NO_STREET.format(value=value)]})
            if not match.reading.building:
                raise ValidationError({"address": [BUILDING_REQUIRED]})
            raise NotFound(NO_STATION_SERVES)
        return Response(
            PollingStationSerializer(match.station, context=self.get_serializer_context()).data
        )

    @staticmethod
    def refuse_unknown_address(ids: dict[str, int]) -> None:
        """A 400 on the field of a street or locality id that names none."""
        for name, model, message in (
            ("street", Street, STREET_UNKNOWN),
            ("locality", Locality, LOCALITY_UNKNOWN),
        ):
            if name in ids and not model.objects.filter(pk=ids[name]).exists():
                raise ValidationError({name: [message.format(value=ids[name])]})


class VotingHoursDecisionViewSet(ReadOnlyModelViewSet):
    """Published voting hours decisions of territorial commissions: which stations open earlier
    or close later than the election's default, from when, and why. Public; drafts and decisions
    not yet published are never shown here. A decision superseded by a published one is still
    listed, with the decision that supersedes it naming it in `supersedes` and it naming that
    decision in `superseded_by`."""

    public_cache_areas = ("polling", "commissions")

    public = True
    queryset = (
        VotingHoursDecision.objects.published()
        .with_superseded_by()
        .select_related("election", "commission")
        .prefetch_related("stations")
    )
    serializer_class = VotingHoursDecisionSerializer
    filterset_class = VotingHoursDecisionFilterSet
    ordering_fields = ["published_at", "adopted_on", "number"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description="The start of a street's name, current or former, in Kazakh, "
                "Russian or Latin letters (ул. Абая, Абай көшесі, Abay).",
            ),
            OpenApiParameter("locality", OpenApiTypes.INT, description="A locality's id."),
        ]
    )
)
class StreetViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Streets for a typeahead (`polling.selectors.streets_matching`): at most ten, in the
    alphabetical order of the request's language. Public."""

    public_cache_areas = ("polling",)

    public = True
    queryset = Street.objects.all()
    serializer_class = StreetSerializer
    pagination_class = None

    def list(self, request, *args, **kwargs):
        locality = request.query_params.get("locality", "").strip()
        if locality and not (locality.isascii() and locality.isdigit()):
            raise ValidationError({"locality": [NOT_AN_ID.format(value=locality)]})
        streets = streets_matching(
            request.query_params.get("q", ""), locality=int(locality) if locality else None
        )
        return Response(self.get_serializer(streets, many=True).data)
