"""The voting hours report through the API: `POST /api/v1/voting-hours-reports/` starts the job
(`polling.reports`) and answers it (202, its `Location`); poll `GET /api/v1/jobs/{id}/` and
download its file from `GET /api/v1/jobs/{id}/download/` once done. Staff only (signed in):
the CEC's report covers the country, territorial staff's their region."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.reverse import reverse

from commissions.models import Election
from core.api.jobs import JobSerializer
from core.api.permissions import ScopedPermission
from polling.models import VotingHoursDecision
from polling.reports import REPORT_FORMATS, hours_report_submit


class HoursReportRequestSerializer(serializers.Serializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all())
    format = serializers.ChoiceField(choices=REPORT_FORMATS, default="pdf")
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The report's language (kk, ru or en); the request's language if not given.",
    )


class HoursReportPermission(ScopedPermission):
    """Staff who may read voting hours decisions; no agency token (none has the scope)."""

    perms_map = {**ScopedPermission.perms_map, "POST": ["%(app_label)s.view_%(model_name)s"]}


class HoursReportCreateView(generics.GenericAPIView):
    """Start the job that makes the non-standard voting hours report (PDF or CSV). Asking again
    for the same report while the decisions in force are the same answers the same job."""

    serializer_class = HoursReportRequestSerializer
    queryset = (
        VotingHoursDecision.objects.none()
    )  # the permission checked: view_votinghoursdecision
    token_scopes: dict = {}  # no agency token may ask

    def get_permissions(self):
        return [HoursReportPermission()]

    @extend_schema(
        request=HoursReportRequestSerializer,
        responses={202: OpenApiResponse(JobSerializer, "The job (queued, running or done).")},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = hours_report_submit(
            actor=request.user,
            election=data["election"],
            format=data["format"],
            language=data.get("language") or translation.get_language(),
        )
        location = reverse("core-api:job-detail", args=[job.pk], request=request)
        return Response(
            JobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )
