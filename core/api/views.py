"""/api/v1/: what the API has, found from its URLs (core.frame.api_urlpatterns)."""

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import frame


def _addresses(patterns, namespace: str):
    """The names and paths of the URL patterns that take no parameter (the lists, the
    statistics, ...), in order, reversed within `namespace`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _addresses(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            yield reverse(f"{namespace}:{pattern.name}")


def api_index() -> dict[str, list[str]]:
    """Each app's API addresses without a parameter, by app label in LOCAL_APPS order."""
    index = {}
    for resolver in frame.api_urlpatterns():
        app_label = resolver.namespace.removesuffix("-api")
        paths = list(dict.fromkeys(_addresses(resolver.url_patterns, resolver.namespace)))
        if paths:
            index[app_label] = paths
    return index


class ApiIndexView(APIView):
    """The API's entry point: each app's lists and other addresses without a parameter (keyed by
    their path under /api/v1/), and where the schema and its documentation are."""

    permission_classes = [AllowAny]
    # It reads no data: cached like the public reads, and made fresh with any of them.
    public_cache_areas = ("*",)

    @extend_schema(exclude=True)
    def get(self, request):
        root = reverse("api-index")
        absolute = request.build_absolute_uri
        return Response(
            {
                "apps": {
                    app_label: {
                        path.removeprefix(root).rstrip("/"): absolute(path) for path in paths
                    }
                    for app_label, paths in api_index().items()
                },
                "schema": absolute(reverse("schema")),
                "docs": absolute(reverse("api-docs")),
                "redoc": absolute(reverse("api-redoc")),
            }
        )


class ApiDocsView(SpectacularSwaggerSplitView):
    """The Swagger UI page (/api/docs/). OPTIONS answers the allowed methods: drf-spectacular's
    view would render DRF's OPTIONS metadata through its HTML template and fail (a 500)."""

    def options(self, request, *args, **kwargs):
        response = HttpResponse(status=200)
        response["Allow"] = ", ".join(self.allowed_methods)
        return response
