"""Anonymous single-row reads of the public API, answered without the request cycle they skip.

An anonymous `GET /api/v1/<resource>/<id>/` of a public resource is the most frequent uncached
read of the API (agencies' and journalists' scripts walking stations and commissions). Through
the whole request cycle it costs several times the look-up itself: sessions, language, CSRF,
authentication, messages, audit, sign-in protection and DRF's dispatch (authentication, content
negotiation, versioning) all run, and none of them changes the answer of a request that carries
no session, no token and no cookie. `PublicRowReadMiddleware` answers such a request itself,
right after the cache of public reads (core.caching) missed: the view's own throttles,
permissions, `get_object` (SQL compiled once, core.rows) and serializer, rendered by the view's
JSON renderer, with the headers the skipped middleware would have added (Allow, Vary,
Content-Language, X-Frame-Options, Content-Length).

What it takes: a GET from an anonymous client (core.caching's rule: no Authorization header, no
cookie but the language and CSRF ones) whose Accept is empty, `*/*` or `application/json` and
that names no `?format=`, to a route whose view is a public `RestrictedViewSetMixin` viewset with
row reads on, answering `retrieve` with DRF's own `retrieve`, `dispatch`, `initial` and
`finalize_response` (a view that overrides any of them keeps the whole cycle). Everything else,
and any request the view would answer with an error (404, 429 throttled, a bad `?election=`),
goes through the whole cycle, which renders errors (core.api.exceptions). A generated test
compares every public detail endpoint's answer through both paths, headers included
(tests/core/test_rowreads.py). `PUBLIC_ROW_READS = False` turns it off.
"""

from __future__ import annotations

import functools
import inspect
import threading

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.serializers import ModelSerializer
from core.api.viewsets import RestrictedViewSetMixin
from core.caching import _anonymous

ACCEPTED = frozenset(("", "*/*", "application/json"))


def _plain(cls) -> bool:
    """The view answers `retrieve` with DRF's and Saylau's own code, nothing of its own."""
    return (
        issubclass(cls, RestrictedViewSetMixin)
        and getattr(cls, "public", False)
        and cls.row_reads
        # drf-spectacular's extend_schema_view wraps inherited methods without changing them
        and inspect.unwrap(cls.retrieve) is mixins.RetrieveModelMixin.retrieve
        and inspect.unwrap(cls.get_object) is RestrictedViewSetMixin.get_object
        and cls.initialize_request is viewsets.ViewSetMixin.initialize_request
        and all(
            getattr(cls, name) is getattr(APIView, name)
            for name in ("dispatch", "initial", "finalize_response")
        )
    )


@functools.lru_cache(maxsize=8192)
def _route(language: str, path: str):
    """(view class, its initkwargs, the URL's kwargs) of a row read at this path, else None."""
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return None
    cls = getattr(match.func, "cls", None)
    actions = getattr(match.func, "actions", None) or {}
    if cls is None or actions.get("get") != "retrieve" or not _plain(cls):
        return None
    if "format" in match.kwargs:  # a format suffix (…/12.json): DRF's negotiation decides
        return None
    return cls, match.func.initkwargs, actions, match.kwargs


def answer(request, language: str) -> HttpResponse | None:
    """The row read's answer to `request`, or None when the whole cycle must answer it."""
    route = _route(language, request.path_info)
    if route is None:
        return None
    cls, initkwargs, actions, kwargs = route
    view = cls(**initkwargs)
    view.action_map = actions
    for method, action in actions.items():  # as ViewSetMixin.as_view does: the Allow header
        setattr(view, method, getattr(view, action))
    if "get" in actions and "head" not in actions:
        view.head = view.get
    view.action = actions["get"]
    view.args, view.kwargs, view.format_kwarg = (), kwargs, None
    # No authenticators: the request is anonymous (no session, no token); DRF's user is then
    # its UNAUTHENTICATED_USER, as the whole cycle makes it.
    drf_request = Request(request, authenticators=(), parser_context={"view": view})
    view.request = drf_request
    view.headers = view.default_response_headers
    renderer = view.renderer_classes[0]()
    drf_request.accepted_renderer, drf_request.accepted_media_type = renderer, renderer.media_type
    request.LANGUAGE_CODE = language
    with translation.override(language):
        try:
            view.check_permissions(drf_request)
            for throttle in view.get_throttles():
                if not throttle.allow_request(drf_request, view):
                    return None  # the whole cycle answers 429, with Retry-After
            data = _represent(view, view.get_object())
        except Exception:  # noqa: BLE001 — any error is the whole cycle's to answer and render
            return None
        content = renderer.render(data, renderer.media_type, {"view": view, "request": drf_request})
    response = HttpResponse(content, content_type=renderer.media_type)
    for header, value in view.headers.items():  # Allow (and Vary: Accept with several renderers)
        response[header] = value
    # What the skipped middleware add to such an answer: LocaleMiddleware (a path outside
    # i18n_patterns), SessionMiddleware (DRF's session authentication read the session),
    # XFrameOptionsMiddleware and CommonMiddleware.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response.headers.setdefault("Content-Language", language)
    response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    response["Content-Length"] = str(len(response.content))
    return response


_serializers = threading.local()


def _represent(view, obj) -> dict:
    """`view.get_serializer(obj).data`, with one serializer per class and thread kept bound.

    DRF builds and binds every field of a serializer again for each instance, about as long as
    representing the row; a representation reads the fields and the context (through the root
    serializer) and changes neither, so the kept serializer is given this request's context,
    represents the row, and lets the context go. Only for the core's ModelSerializer, whose
    fields depend on nothing but the class (core.api.serializers); others are built as usual."""
    cls = view.get_serializer_class()
    if not issubclass(cls, ModelSerializer):  # only the core's declares fields fixed per class
        return view.get_serializer(obj).data
    kept = _serializers.__dict__.setdefault("by_class", {})
    serializer = kept.get(cls)
    if serializer is None:
        serializer = kept[cls] = cls(context={})
        serializer.fields  # noqa: B018 — built and bound once, here
    serializer._context = view.get_serializer_context()
    try:
        return serializer.to_representation(obj)
    finally:
        serializer._context = {}


class PublicRowReadMiddleware:
    """Answers anonymous public single-row API reads (see the module); place it right after
    core.caching.PublicCacheMiddleware, before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PUBLIC_ROW_READS
            and request.method == "GET"
            and request.path_info.startswith("/api/")
            and request.META.get("HTTP_ACCEPT", "") in ACCEPTED
            and "format" not in request.GET
            and _anonymous(request)
        ):
            language = translation.get_language_from_request(request)
            response = answer(request, language)
            if response is not None:
                return response
        return self.get_response(request)
