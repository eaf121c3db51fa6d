"""How the API answers errors: always JSON, `{"detail": ...}` in the request's language.

DRF's views answer through `exception_handler` (plus the services' ValidationError as a 400 by
field). What Django answers itself under /api/ (an address that matches nothing, a server error,
a refused host, with DEBUG on its technical pages) is turned into the same JSON by
`ApiErrorMiddleware` and the project's `handler404` / `handler500` (core.views).
"""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import is_valid_path
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"
SLASH_MISSING = _("Not found. This address ends with a slash: {path}")

# DRF's own messages (translated by DRF's catalogues), by status.
DETAILS = {
    400: exceptions.ParseError.default_detail,
    401: exceptions.NotAuthenticated.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    404: exceptions.NotFound.default_detail,
    406: exceptions.NotAcceptable.default_detail,
    429: exceptions.Throttled.default_detail,
    500: exceptions.APIException.default_detail,
}
# Headers of an error answer a client needs (which methods, how to authenticate, when to retry).
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary")


def exception_handler(exc, context):
    """DRF's handler, plus the services' ValidationError as a 400 with field-level messages.
    A 404 says "Not found." in the request's language (Django's get_object_or_404 message
    names the model in English)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = serializers.ValidationError(
                {
                    ("non_field_errors" if field == "__all__" else field): messages
                    for field, messages in exc.message_dict.items()
                }
            )
        else:
            exc = serializers.ValidationError({"non_field_errors": exc.messages})
    return drf_exception_handler(exc, context)


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_detail(status: int, method: str = "") -> str:
    """The message of an error status, in the active language."""
    if status == 405:
        return str(exceptions.MethodNotAllowed.default_detail).format(method=method)
    if status in DETAILS:
        return str(DETAILS[status])
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(DETAILS[500] if status >= 500 else DETAILS[400])


def api_error_response(request, status: int, detail: str | None = None) -> JsonResponse:
    """`{"detail": ...}` with `status`, as DRF answers its own errors."""
    detail = detail if detail is not None else error_detail(status, request.method)
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _is_json(response) -> bool:
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


class ApiErrorMiddleware:
    """Every error under /api/ answers JSON, whatever DEBUG says: an address that matches nothing
    is `{"detail": "Not found."}` (never Django's page listing the URL patterns), a server error
    `{"detail": "A server error occurred."}` (never a traceback), and so on for what Django
    answers itself (400 for a refused host, ...). DRF's own answers are left as they are.

    It sits after LocaleMiddleware, so the messages are in the request's language, and before
    CommonMiddleware, whose APPEND_SLASH would otherwise redirect a write without its final slash
    (losing its body) or, with DEBUG on, fail: such a request is a 404 naming the address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_request(request):
            return self.get_response(request)
        if self._slash_missing(request):
            detail = SLASH_MISSING.format(path=f"{request.path}/")
            return api_error_response(request, 404, detail)
        response = self.get_response(request)
        if response.status_code < 400 or isinstance(response, Response) or _is_json(response):
            return response
        replaced = api_error_response(request, response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                replaced[header] = response[header]
        return replaced

    @staticmethod
    def _slash_missing(request) -> bool:
        if request.method in ("GET", "HEAD") or not settings.APPEND_SLASH:
            return False  # a GET is redirected to the address with its slash
        path = request.path_info
        if path.endswith("/"):
            return False
        urlconf = getattr(request, "urlconf", None)
        return not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf)


# DRF's messages that its own Russian or Kazakh catalogue lacks (Django would fill them in from
# the default language, Kazakh, in a Russian answer): translated in the project's catalogue.
# DRF translates the throttle's two sentences with gettext, then picks one by the English rule,
# so each is its own entry, worded to suit any number ("через {wait} с.").
DRF_MESSAGES = (
    _("Expected available in {wait} second."),
    _("Expected available in {wait} seconds."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
)
