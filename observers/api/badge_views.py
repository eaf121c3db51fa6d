"""Badges through the API: one observer's badge, and a job that makes a mission's badges.

`GET /api/v1/observers/{id}/badge/` answers the PDF at once. `POST /api/v1/observers/badge-jobs/`
starts (or finds) the job that makes a nominating body's, a batch's or, for the CEC, a whole
election's badges as one PDF: poll `GET /api/v1/jobs/{id}/` and download its file when done.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse

from commissions.models import Election
from core.api.jobs import FileDownloadMixin, JobSerializer
from core.api.permissions import ScopedPermission
from core.api.schema import ValidationErrorSerializer
from core.api.viewsets import RestrictedViewSetMixin
from core.audit import log_access
from core.choices import TokenScope
from observers import services
from observers.badges import badge_pdf
from observers.choices import ObserverStatus
from observers.models import NominatingBody, NominationBatch, Observer

NO_BADGE = _("This observer has no badge: only an accredited observer has one.")


class BadgeLanguageSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The badge's language (kk, ru or en); the request's language if not given.",
    )


class BadgeJobRequestSerializer(serializers.Serializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all())
    body = serializers.PrimaryKeyRelatedField(
        queryset=NominatingBody.objects.all(),
        required=False,
        allow_null=True,
        help_text="Only this nominating body's observers (required unless the caller is the CEC).",
    )
    batch = serializers.PrimaryKeyRelatedField(
        queryset=NominationBatch.objects.none(),
        required=False,
        allow_null=True,
        help_text="Only the observers of this batch of nominations.",
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The badges' language (kk, ru or en); the request's language if not given.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # another body's batches are not even named
            self.fields["batch"].queryset = NominationBatch.objects.restrict(request.user)


class ObserverBadgeView(FileDownloadMixin, RestrictedViewSetMixin, generics.GenericAPIView):
    """One accredited observer's badge (PDF): to the nominating body's own token
    (`observers:read`), a `read:all` token, or staff who may view the observer."""

    queryset = Observer.objects.select_related("body", "election")
    token_scopes = {"GET": TokenScope.OBSERVERS_READ}
    serializer_class = None

    @extend_schema(
        operation_id="observers_badge_retrieve",
        parameters=[
            OpenApiParameter(
                "language",
                str,
                enum=[code for code, _name in settings.LANGUAGES],
                description="The badge's language; the request's language if not given.",
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The badge."),
            400: OpenApiResponse(ValidationErrorSerializer, "Unknown language."),
        },
    )
    def get(self, request, *args, **kwargs):
        query = BadgeLanguageSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        language = query.validated_data.get("language") or translation.get_language()
        observer = self.get_object()
        if observer.status != ObserverStatus.ACCREDITED:
            raise NotFound(NO_BADGE)
        pdf = badge_pdf(observer, language=language)
        log_access(observer)  # the badge carries the photo: a read of personal data
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"badge-{observer.number_display}-{language}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class BadgeJobCreateView(generics.GenericAPIView):
    """Start the job that makes badges as one PDF: a nominating body's (its own token, with
    `observers:read`, or staff in whose scope it is), one batch's, or, for the CEC, a whole
    election's. Asking again for the same badges answers the same job."""

    token_scopes = {"POST": TokenScope.OBSERVERS_READ}
    serializer_class = BadgeJobRequestSerializer
    queryset = Observer.objects.none()  # the permission checked: staff's view_observer

    def get_permissions(self):
        return [BadgeJobPermission()]

    @extend_schema(
        request=BadgeJobRequestSerializer,
        responses={202: OpenApiResponse(JobSerializer, "The job (queued, running or done).")},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = services.badge_job_submit(
            actor=request.user,
            election=data["election"],
            body=data.get("body"),
            batch=data.get("batch"),
            language=data.get("language") or translation.get_language(),
        )
        location = reverse("core-api:job-detail", args=[job.pk], request=request)
        return Response(
            JobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )


class BadgeJobPermission(ScopedPermission):
    """Making badges is reading observers: staff need view_observer, tokens observers:read."""

    perms_map = {**ScopedPermission.perms_map, "POST": ["%(app_label)s.view_%(model_name)s"]}
