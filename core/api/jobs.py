"""Jobs in the API: a job's status and progress, and its file once it is done.

`GET /api/v1/jobs/{id}/` and `GET /api/v1/jobs/{id}/download/`. A caller sees the jobs it
started (an agency: those its tokens started), the CEC every job, a `read:all` token every job.
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.api.schema import ErrorSerializer
from core.api.viewsets import RestrictedViewSetMixin
from core.choices import JobStatus, TokenScope
from core.models import Job

JOB_NOT_DONE = _("The job is not done yet: its file can be downloaded once its status is done.")
JOB_HAS_NO_FILE = _("This job made no file.")


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the file itself is a FileResponse."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class FileDownloadMixin:
    """For views that answer a file: their errors are still JSON, whatever the client accepted."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and isinstance(
            getattr(request, "accepted_renderer", None), PdfRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def job_file_response(job: Job) -> FileResponse:
    """A finished job's file as an attachment (the API's and the admin's download)."""
    name = job.result_name or job.result.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        job.result.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


class JobSerializer(serializers.ModelSerializer):
    title = serializers.CharField(
        source="display_title",
        read_only=True,
        help_text="What the job makes, in the request's language (as submitted for older jobs).",
    )
    progress = serializers.IntegerField(read_only=True, help_text="Per cent done (0 to 100).")
    error = serializers.CharField(
        source="error_message",
        read_only=True,
        help_text="Why the job failed (empty unless its status is failed).",
    )
    download = serializers.SerializerMethodField(
        help_text="Where the job's file is downloaded, once the job is done (else null)."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "progress",
            "done",
            "total",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, job: Job) -> str | None:
        if job.status != JobStatus.DONE or not job.result:
            return None
        return reverse("core-api:job-download", args=[job.pk], request=self.context.get("request"))


class JobViewSet(
    FileDownloadMixin, RestrictedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A long job started through the API (a mission's badges): its status and progress, then
    its file. Poll the job until `status` is `done` (or `failed`, with its `error`)."""

    queryset = Job.objects.select_related("created_by")
    serializer_class = JobSerializer
    # Any signed-in caller may read the jobs `restrict` leaves it; a token needs observers:read
    # (the scope that starts badge jobs; read:all includes it).
    token_scopes = {"GET": TokenScope.OBSERVERS_READ}
    _ignore_model_permissions = True

    def get_renderers(self):
        if getattr(self, "action", None) == "download":
            return super().get_renderers()
        return [JSONRenderer()]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The job's file."),
            409: OpenApiResponse(ErrorSerializer, "The job is not done yet."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The job's file (an attachment), once the job is done."""
        job = self.get_object()
        if job.status != JobStatus.DONE:
            return Response({"detail": JOB_NOT_DONE}, status=status.HTTP_409_CONFLICT)
        if not job.result:
            raise NotFound(JOB_HAS_NO_FILE)
        return job_file_response(job)
