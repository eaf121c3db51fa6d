"""The observers API: missions submit nominations and read them back, the ministry reads
everything, the public reads the statistics and the nominating bodies.

Names (a state's country, an organisation's name) and messages are in the request's language:
the `Accept-Language` header (kk, ru or en; Kazakh when absent), as everywhere under /api/.
"""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ValidationErrorSerializer
from core.api.viewsets import ReadOnlyModelViewSet
from core.choices import TokenScope
from observers import services
from observers.choices import BatchSource
from observers.filtersets import (
    NominatingBodyFilterSet,
    NominationBatchFilterSet,
    ObserverFilterSet,
)
from observers.models import NominatingBody, NominationBatch, Observer
from observers.selectors import observer_stats

from . import serializers

# An object's id in a path (ASCII digits): other words under /observers/ are other endpoints.
ID = "[0-9]+"


class NominatingBodyViewSet(ReadOnlyModelViewSet):
    """Who nominates observers: foreign states, international organisations and their missions,
    domestic public associations (with their accreditation term). `mine=true` lists the bodies
    the caller submits for."""

    public_cache_areas = ("observers", "commissions")

    public = True
    queryset = NominatingBody.objects.all()
    serializer_class = serializers.NominatingBodySerializer
    filterset_class = NominatingBodyFilterSet
    lookup_value_regex = ID


class ObserverViewSet(mixins.CreateModelMixin, ReadOnlyModelViewSet):
    """Nominations and their decisions, with the nominees' personal data.

    Reading needs a token with `observers:read` (a mission reads its own bodies' nominations) or
    `read:all` (the ministry reads all), or staff's view permission. Nominating needs
    `observers:submit`, for a body the token's agency submits for. Decisions are the CEC desk's.
    """

    public_cache_areas = ("observers", "commissions")

    token_scopes = {
        "GET": TokenScope.OBSERVERS_READ,
        "POST": TokenScope.OBSERVERS_SUBMIT,
        "PUT": TokenScope.OBSERVERS_SUBMIT,
        "PATCH": TokenScope.OBSERVERS_SUBMIT,
    }
    queryset = Observer.objects.select_related("election")
    serializer_class = serializers.ObserverSerializer
    filterset_class = ObserverFilterSet
    ordering_fields = ["number", "submitted_at", "decision_date", "last_name_latin"]
    lookup_value_regex = ID

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ObserverCreateSerializer
        if self.action == "partial_update":
            return serializers.NomineeSerializer
        if self.action == "photo":
            return serializers.ObserverPhotoSerializer
        return serializers.ObserverSerializer

    @extend_schema(
        request=serializers.ObserverCreateSerializer,
        responses={201: serializers.ObserverSerializer},
        description="Nominate one observer. Refused (400) after the accreditation deadline and "
        "for a person already nominated or accredited for the election; 403 for a body the "
        "token does not submit for.",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        observer = services.observer_nominate(actor=request.user, **serializer.validated_data)
        data = serializers.ObserverSerializer(observer, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.NomineeSerializer,
        responses={200: serializers.ObserverSerializer},
        description="Correct a nominee's details (any of the person fields) while the "
        "nomination awaits its decision; refused (400) once it is decided or after the "
        "accreditation deadline, and for a person already nominated for the election.",
    )
    def partial_update(self, request, *args, **kwargs):
        observer = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        observer = services.observer_correct(
            actor=request.user, observer=observer, **serializer.validated_data
        )
        return Response(
            serializers.ObserverSerializer(observer, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request={"multipart/form-data": serializers.ObserverPhotoSerializer},
        responses={200: serializers.ObserverSerializer},
        description="Attach or replace the nominee's photo (multipart, field `photo`). It is "
        "checked (type, size, dimensions) and stored re-encoded as JPEG, without metadata.",
    )
    @action(detail=True, methods=["put"], url_path="photo", parser_classes=[MultiPartParser])
    def photo(self, request, pk=None):
        observer = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        observer = services.observer_photo_set(
            actor=request.user, observer=observer, upload=serializer.validated_data["photo"]
        )
        return Response(
            serializers.ObserverSerializer(observer, context=self.get_serializer_context()).data
        )


class NominationBatchViewSet(mixins.CreateModelMixin, ReadOnlyModelViewSet):
    """Nominations submitted together (a mission's list): saved whole or not at all."""

    token_scopes = {"GET": TokenScope.OBSERVERS_READ, "POST": TokenScope.OBSERVERS_SUBMIT}
    queryset = NominationBatch.objects.prefetch_related(
        Prefetch("observers", queryset=Observer.objects.select_related("election").order_by("pk"))
    )
    serializer_class = serializers.NominationBatchSerializer
    filterset_class = NominationBatchFilterSet
    ordering_fields = ["submitted_at"]
    lookup_value_regex = ID

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.NominationBatchSubmitSerializer
        return serializers.NominationBatchSerializer

    @extend_schema(
        request=serializers.NominationBatchSubmitSerializer,
        responses={
            201: OpenApiResponse(serializers.NominationBatchSerializer, "The batch, saved."),
            200: OpenApiResponse(
                serializers.NominationBatchSerializer,
                "A batch with this reference was received before: that batch; nothing new saved.",
            ),
            400: OpenApiResponse(
                serializers.NominationBatchErrorSerializer,
                "Nothing was saved: every invalid row's errors by row number and field.",
            ),
        },
        description="Submit a list of nominees at once: every row is checked and all errors of "
        "all rows are answered together; nothing is saved unless every row is valid.",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        raw_rows = fields["observers"]
        rows, parse_errors = _parse_rows(raw_rows)
        try:
            with transaction.atomic():
                result = services.nomination_batch_submit(
                    actor=request.user,
                    election=fields["election"],
                    body=fields["body"],
                    reference=fields["reference"],
                    rows=rows,
                    source=BatchSource.API,
                )
                if parse_errors and result.created:  # never saved with a row unread
                    raise services.BatchInvalid(parse_errors)
        except services.BatchInvalid as exc:
            errors = _batch_errors(exc, rows, parse_errors)
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        batch = self.get_queryset().get(pk=result.batch.pk)
        data = serializers.NominationBatchSerializer(
            batch, context=self.get_serializer_context()
        ).data
        return Response(
            data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


def _parse_rows(raw_rows: list) -> tuple[list, dict[int, dict[str, list[str]]]]:
    """Each row parsed on its own (types, dates, country codes). A field that could not be read
    is passed on empty, so that the service still checks the rest of the row and every other
    row, and refuses the batch; its parse error then replaces the service's."""
    if len(raw_rows) > services.BATCH_LIMIT:
        return raw_rows, {}  # refused whole by the service, unread
    rows, errors = [], {}
    for number, raw in enumerate(raw_rows, start=1):
        row = serializers.NomineeSerializer(data=raw)
        if row.is_valid():
            rows.append(dict(row.validated_data))
            continue
        errors[number] = {
            field: [str(m) for m in messages] for field, messages in row.errors.items()
        }
        readable = raw if isinstance(raw, dict) else {}
        parsed = {}
        for name, field in row.fields.items():
            if name in row.errors or name not in readable:
                continue
            parsed[name] = field.run_validation(readable[name])
        rows.append(parsed)
    return rows, errors


def _batch_errors(exc: services.BatchInvalid, rows: list, parse_errors: dict) -> dict:
    """The service's errors by row and field, with the parse errors of rows that could not be
    read whole (the service's word on a field that was not read is left out)."""
    by_row: dict[int, dict[str, list[str]]] = {}
    for number, errors in exc.rows.items():
        read = rows[number - 1] if number in parse_errors else None
        by_row[number] = {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in errors.items()
            if read is None or field in read or field == "__all__"
        }
    for number, errors in parse_errors.items():
        by_row.setdefault(number, {}).update(errors)
    body = {}
    if by_row:
        body["observers"] = {str(number): by_row[number] for number in sorted(by_row)}
    if exc.non_row:
        body["non_field_errors"] = [str(m) for m in exc.non_row]
    return body


class ObserverStatsView(APIView):
    """Accreditation statistics, public: for a day (`date`), up to a day (`until`) or all so far.

    Counts the accreditations granted (a later revocation does not change a day's figures) of
    foreign states and international organisations, with the breakdown by state (ISO code) and
    by organisation (its name in the request's language: send `Accept-Language: ru` for Russian
    names, `kk` for Kazakh, `en` for English).
    """

    public_cache_areas = ("observers", "commissions")

    public = True
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[serializers.ObserverStatsQuerySerializer],
        responses={
            200: serializers.ObserverStatsSerializer,
            400: OpenApiResponse(
                ValidationErrorSerializer,
                "No such election, a malformed date, or both date and until.",
            ),
        },
    )
    def get(self, request):
        query = serializers.ObserverStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stats = observer_stats(
            election=query.validated_data["election"],
            day=query.validated_data.get("date"),
            until=query.validated_data.get("until"),
        )
        return Response(stats.as_dict())
