import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from redis import Redis

from core.scoping import OutOfScope

from . import frame
from .api.exceptions import api_error_response, is_api_request


class HomeView(TemplateView):
    """The site's front page: what each app shows there (its `home_sections`, in order), a card
    per app's navigation entry, and the links for agencies and staff (core.frame)."""

    public_cache_areas = ("*",)  # every app contributes to the home page

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home_sections"] = frame.home_sections(self.request)
        context["app_entries"] = frame.app_entries()
        return context


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        client = Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


@never_cache
@require_http_methods(["GET", "HEAD", "OPTIONS"])
def healthz(request):
    """The state of the database and the broker: 200 when both answer, 503 otherwise (GET and
    HEAD, which health checkers use; OPTIONS names them)."""
    if request.method == "OPTIONS":
        response = HttpResponse()
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: ("up" if ok else "down") for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


def page_not_found(request, exception):
    """404 (handler404): JSON under /api/ (clients parse it), the site's page (404.html)
    everywhere else. With DEBUG on, Django answers with its own page instead, which
    core.api.exceptions.ApiErrorMiddleware turns into the same JSON under /api/."""
    if is_api_request(request):
        return api_error_response(request, 404)
    response = defaults.page_not_found(request, exception)
    response.site_page = True
    return response


def permission_denied(request, exception):
    """403 (handler403): JSON under /api/, the site's page (403.html) in the reader's language
    everywhere else (Django's own is a bare English "403 Forbidden")."""
    if is_api_request(request):
        return api_error_response(request, 403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """403 for a form sent without its safety token (CSRF_FAILURE_VIEW: no CSRF cookie, or a
    stale token): the site's page (403_csrf.html) in the reader's language, saying to reload
    the page and allow cookies; JSON under /api/. Django's own page is half English and shows
    the technical reason, which is only logged (by django.security.csrf, as Django does)."""
    if is_api_request(request):
        return api_error_response(request, 403)
    return TemplateResponse(request, "403_csrf.html", status=403).render()


def cross_site(request) -> bool:
    """Whether a browser says the request comes from another site: its Sec-Fetch-Site header is
    "cross-site", or (a browser that sends none) its Origin is neither this site nor one of
    CSRF_TRUSTED_ORIGINS. A request without either header (a script, an old browser) is not."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "cross-site"
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    parts = urlsplit(origin)
    try:
        host = request.get_host()
    except Exception:  # noqa: BLE001 — a disallowed host is refused elsewhere
        return True
    return (parts.scheme, parts.netloc) != (request.scheme, host)


def same_site_posts(view):
    """For a public form's view that skips CSRF (its page is cached whole, core.caching): a POST
    a browser sends from another site is refused (403, the site's page) before the view runs,
    so no other site can make its visitors' browsers post it. What a script can post directly
    stays bounded by the view's own limits."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and cross_site(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class OutOfScopeMiddleware:
    """A row outside the user's scope (core.scoping.OutOfScope) answers the site's own 404 page,
    with DEBUG on too: that is an answer to a user who followed a link, not a developer's error
    to debug. So does any other page not found with DEBUG on (a missing row, an address that
    matches nothing): Django's own page lists every URL pattern, in English, to whoever follows
    a stale link on `make run`'s site. (Under /api/ core.api.exceptions answers JSON.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "site_page", False)
            and not is_api_request(request)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request, None)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OutOfScope):
            return page_not_found(request, exception)
        return None


def _problem_page(request, status: int, template: str, response_class, fallback: str):
    """An error that may come from the request or the database itself: JSON under /api/, else
    the site's page rendered without the request (no context processor runs, nothing touches
    the database); if even that fails, a plain page."""
    if is_api_request(request):
        return api_error_response(request, status)
    try:
        body = loader.get_template(template).render()
    except Exception:  # the error page must not fail in turn; the error itself is logged
        body = f"<!DOCTYPE html><title>{fallback}</title><h1>{fallback}</h1>"
    return response_class(body)


@requires_csrf_token
def server_error(request):
    """500 (handler500): JSON under /api/, the site's page (500.html) everywhere else."""
    return _problem_page(request, 500, "500.html", HttpResponseServerError, "Server Error (500)")


def bad_request(request, exception):
    """400 (handler400: a request Django refuses, e.g. more than DATA_UPLOAD_MAX_NUMBER_FIELDS
    query parameters): JSON under /api/, the site's page (400.html) elsewhere."""
    return _problem_page(request, 400, "400.html", HttpResponseBadRequest, "Bad Request (400)")
