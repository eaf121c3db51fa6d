"""Caching of public reads, and a Redis cache that fails open.

Public answers (anonymous GETs of pages and API reads) are cached whole, per scheme, host, path,
query, language and Accept header, by `PublicCacheMiddleware`. A view opts in by naming the
content areas it reads (app labels):

    @public_cache("observers", "commissions")         # a function view
    class StatsView(PublicCacheMixin, TemplateView):   # a class-based view or DRF view(set)
        public_cache_areas = ("observers", "commissions")

Each area has a generation number in the cache; saving or deleting any model of an area bumps
it once the transaction commits (`area_changed`, wired to Django's model signals in
core.apps), so an answer is served from the cache only while every area it read is unchanged.
Writes that bypass the signals (QuerySet.update, bulk_create) call `area_changed` themselves.
A model whose rows no public answer reads (a voter's subscription to a station's notices) says
`public_cache_exempt = True`: saving it bumps nothing, so anonymous writes to it cannot empty
the cache of public pages.
Entries also expire after PUBLIC_CACHE_TIMEOUT seconds (answers that depend on the clock, such
as "accreditation closes in 3 days", are at most that old).

Never cached: a request with a session, an Authorization header or any cookie other than the
language and CSRF cookies; an answer that sets a cookie, used the CSRF token, is not a 200, is
streamed, says `private`/`no-store`, or is larger than PUBLIC_CACHE_MAX_BYTES. Cached answers
carry ETag, Last-Modified, Cache-Control (public, max-age=PUBLIC_CACHE_MAX_AGE) and Vary, so a
proxy or CDN in front can cache and revalidate them too (a matching If-None-Match is a 304).

`FailOpenRedisCache` is Django's Redis cache that treats an unreachable Redis as a miss: reads
answer their default, writes do nothing, and after a failure Redis is not tried again for
REDIS_RETRY_SECONDS, so pages, the API and its throttles keep working while Redis is away.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ENTRY_PREFIX = "public:v1:"
GENERATION_PREFIX = "public-generation:"
CACHE_HEADER = "X-Saylau-Cache"
# Headers of the view's answer kept with a cached entry (the rest are added again on the way out
# by the outer middleware: security headers, the content security policy).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Vary",
    "Allow",
    "X-Frame-Options",
)
VARY = ("Accept", "Accept-Language", "Cookie")


# THE FAIL-OPEN CACHE BACKEND


class _ReusedClients(RedisCacheClient):
    """Django's client makes a new redis-py client object (and its table of about 170 response
    callbacks) for every cache call; one per connection pool serves every thread."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache, but an unreachable Redis is a miss instead of an error.

    Reads answer their default (`get` → default, `get_many` → {}), writes answer False or do
    nothing, `incr` raises ValueError as for a missing key. After a failure the backend skips
    Redis for `OPTIONS["retry_seconds"]` (default 2 s) so a request does not wait on a dead
    server for every call; the first call after that tries again.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("retry_seconds", 2.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClients
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            first = self._available()
            self._down_until = time.monotonic() + self.retry_seconds
        if first:
            logger.warning("Cache unavailable (%s: %s); serving without it", operation, exc)

    def _guard(self, operation: str, default, call, *args, **kwargs):
        if not self._available():
            return default
        try:
            return call(*args, **kwargs)
        except (RedisError, OSError) as exc:
            self._failed(operation, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, super().get_many, keys, version)

    def get_many_and_count(self, keys, counter: str, expire: int):
        """`get_many(keys)` and the counter (a raw key) incremented, given `expire` seconds to
        live, in one round trip: ({key: value}, count). Redis unavailable: ({}, None)."""
        if not self._available():
            return {}, None
        key_map = {self.make_and_validate_key(key): key for key in keys}
        try:
            with self._cache.get_client(write=True).pipeline(transaction=False) as pipe:
                pipe.mget(list(key_map))
                pipe.incr(counter)
                pipe.expire(counter, expire)
                values, count, _ = pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("get_many_and_count", exc)
            return {}, None
        loads = self._cache._serializer.loads
        pairs = zip(key_map, values, strict=True)
        return {key_map[k]: loads(v) for k, v in pairs if v is not None}, count

    def has_key(self, key, version=None):
        return self._guard("has_key", False, super().has_key, key, version)

    def set(self, key, value, timeout=None, version=None):
        self._guard("set", None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._guard("add", False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._guard("touch", False, super().touch, key, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guard("set_many", list(data), super().set_many, data, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._guard("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        if not self._available():
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as exc:
            self._failed("incr", exc)
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).") from exc

    def clear(self):
        return self._guard("clear", False, super().clear)

    def raw_client(self):
        """The redis-py client for writes, or None while Redis is unavailable."""
        if not self._available():
            return None
        return self._cache.get_client(write=True)


# GENERATIONS


def areas() -> tuple[str, ...]:
    """Every content area: the project's apps (settings.LOCAL_APPS) but the core, whose rows
    (users, jobs, notifications, audit) are never shown on a public page."""
    return tuple(label for label in settings.LOCAL_APPS if label != "core")


def _generation_key(area: str) -> str:
    return cache.make_key(GENERATION_PREFIX + area)


def bump(*names: str) -> None:
    """Advance the generation of each area now: every cached answer that read it is stale.

    A missing generation starts from the clock (nanoseconds), so one lost with Redis never
    comes back to a value an old entry recorded."""
    client = cache.raw_client() if hasattr(cache, "raw_client") else None
    if client is None:
        if not hasattr(cache, "raw_client"):  # another backend (tests may configure one)
            for name in names:
                cache.set(GENERATION_PREFIX + name, time.time_ns(), None)
        return
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                key = _generation_key(name)
                pipe.set(key, time.time_ns(), nx=True)
                pipe.incr(key)
            pipe.execute()
    except (RedisError, OSError) as exc:
        cache._failed("bump", exc)


def _bump_on_commit(area: str, using: str) -> None:
    """Bump `area` when the current transaction commits, once per transaction."""
    conn = connections[using]
    if conn.in_atomic_block:
        for _sids, func, _robust in conn.run_on_commit:
            if getattr(func, "public_cache_area", None) == area and not func.done:
                return

    def callback():
        callback.done = True
        bump(area)

    callback.done = False

    callback.public_cache_area = area
    transaction.on_commit(callback, using=using, robust=True)


def area_changed(*names: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """The data of these areas changed (or will, when the transaction commits)."""
    for name in names:
        _bump_on_commit(name, using)


def model_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed: bumps the model's app's area."""
    if getattr(sender, "public_cache_exempt", False):
        return
    label = sender._meta.app_label
    after = kwargs.get("action", "post_").startswith("post_")  # m2m_changed: after the change
    if after and label in areas():
        _bump_on_commit(label, using or DEFAULT_DB_ALIAS)


def generations(names: Iterable[str]) -> dict[str, object]:
    keys = {GENERATION_PREFIX + name: name for name in names}
    found = cache.get_many(list(keys))
    return {name: found.get(key) for key, name in keys.items()}


# OPTING IN


def public_cache(*area_names: str):
    """Decorator for a function view: its anonymous answers are cached (see the module)."""

    def decorate(view):
        view.public_cache_areas = tuple(area_names)
        return view

    return decorate


class PublicCacheMixin:
    """For a class-based view or a DRF view(set): set `public_cache_areas` to the areas read
    ("*" for every area)."""

    public_cache_areas: tuple[str, ...] = ()


def _view_areas(func) -> tuple[str, ...]:
    for holder in (func, getattr(func, "view_class", None), getattr(func, "cls", None)):
        found = getattr(holder, "public_cache_areas", None)
        if found:
            return areas() if "*" in found else tuple(found)
    return ()


# THE MIDDLEWARE


@functools.lru_cache(maxsize=4096)
def _path_areas(language: str, path: str) -> tuple[str, ...]:
    """The areas the view at this path reads (none: not cached). Remembered per path, as the
    URL configuration does not change while the process runs."""
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return ()
    return _view_areas(match.func)


def _anonymous(request) -> bool:
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return all(name in allowed for name in request.COOKIES)


def _entry_key(request, language: str) -> str:
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        language,
        request.META.get("HTTP_ACCEPT", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return ENTRY_PREFIX + digest


# A query longer than this is answered but not stored: no real link is, and each distinct query
# is an entry of its own.
MAX_QUERY_LENGTH = 512


def _cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {v.lower() for v in VARY}:
        return False
    return len(response.content) <= settings.PUBLIC_CACHE_MAX_BYTES


def _finish(response, etag: str, modified: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_MAX_AGE}"
    patch_vary_headers(response, VARY)


def _not_modified(request, etag: str, modified: float) -> bool:
    """RFC 9110 13.1.2: If-None-Match compares weakly (W/"x" matches "x"), and wins over
    If-Modified-Since."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(modified) <= since


class PublicCacheMiddleware:
    """Serves and stores the answers of views that opted in (see the module). Place it after the
    security, static-file and content-security-policy middleware and before the session one."""

    def __init__(self, get_response):
        from core.api.throttling import anonymous_api_counter  # the API's, loaded with DRF

        self.get_response = get_response
        self.anonymous_api_counter = anonymous_api_counter

    def __call__(self, request):
        if (
            not settings.PUBLIC_CACHE_ENABLED
            or request.method not in ("GET", "HEAD")
            or not _anonymous(request)
        ):
            return self.get_response(request)
        # The language first: a page's path resolves only in its own language (i18n_patterns).
        language = translation.get_language_from_request(request, check_path=True)
        names = _path_areas(language, request.path_info)
        if not names:
            return self.get_response(request)
        try:
            key = _entry_key(request, language)
        except DisallowedHost:  # refused further in, as JSON under /api/ (core.api.exceptions)
            return self.get_response(request)
        keys = [key, *(GENERATION_PREFIX + name for name in names)]
        api = request.path_info.startswith("/api/")
        counter = self.anonymous_api_counter(request) if api else None
        if counter is not None and hasattr(cache, "get_many_and_count"):
            # The API's anonymous rate counted in the same round trip (core.api.throttling).
            found, count = cache.get_many_and_count(keys, counter.key, counter.expire)
            counter.record(request, count)
        else:
            found = cache.get_many(keys)
        current = {name: found.get(GENERATION_PREFIX + name) for name in names}
        entry = found.get(key)
        if entry is not None and entry["generations"] == current:
            return self._from_entry(request, entry)
        response = self.get_response(request)
        if _cacheable(request, response):
            content = response.content
            etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
            modified = time.time()
            _finish(response, etag, modified)
            entry = {
                "generations": current,
                "status": response.status_code,
                "headers": [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)],
                "content": content,
                "etag": etag,
                "modified": modified,
            }
            cache.set(key, entry, settings.PUBLIC_CACHE_TIMEOUT)
            if _not_modified(request, etag, modified):  # a proxy revalidating what it kept
                response = self._from_entry(request, entry)
            response[CACHE_HEADER] = "miss"
        return response

    def _from_entry(self, request, entry):
        if _not_modified(request, entry["etag"], entry["modified"]):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        _finish(response, entry["etag"], entry["modified"])
        response[CACHE_HEADER] = "hit"
        return response
