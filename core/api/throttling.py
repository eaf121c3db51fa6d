"""The anonymous API throttle: one Redis round trip a request (none of its own on a cached
path), failing open."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous rate (`DEFAULT_THROTTLE_RATES["anon"]`, e.g. "600/minute") per client
    address, counted in fixed windows: one counter per address and window, incremented in one
    command (DRF's own throttle reads and rewrites a list of timestamps: two round trips and a
    list as long as the rate). A fixed window lets a
    client send up to twice the rate across a window's edge; that is the price of the single
    round trip. Signed-in users and agencies' tokens are not counted here.

    With the cache unavailable (core.caching.FailOpenRedisCache) every request is allowed; with
    another cache backend configured, DRF's own counting applies.
    """

    def counter(self, request) -> AnonymousCount:
        window = int(time.time() // self.duration)
        return AnonymousCount(
            key=cache.make_key(f"throttle_anon_{self.get_ident(request)}_{window}"),
            expire=self.duration + 1,
            window_ends=(window + 1) * self.duration,
        )

    def allow_request(self, request, view):
        if self.rate is None or (request.user and request.user.is_authenticated):
            return True
        counted = getattr(request, AnonymousCount.ATTRIBUTE, None)
        if counted is not None:  # counted by the cache of public reads' round trip
            setattr(request._request, AnonymousCount.ATTRIBUTE, None)
            counter, count = counted
            self.window_ends = counter.window_ends
            return count is None or count <= self.num_requests
        if not hasattr(cache, "raw_client"):
            self.window_ends = None
            return super().allow_request(request, view)
        client = cache.raw_client()
        if client is None:  # Redis is away: fail open
            return True
        counter = self.counter(request)
        self.window_ends = counter.window_ends
        try:
            # The window's first request gives its counter an expiry: one command a request
            # afterwards (a counter left without one by a crash in between is of a past window
            # once this one ends, and the cache's memory limit evicts it).
            count = client.incr(counter.key)
            if count == 1:
                client.expire(counter.key, counter.expire)
        except (RedisError, OSError) as exc:
            cache._failed("throttle", exc)
            return True
        return count <= self.num_requests

    def wait(self):
        if self.window_ends is None:
            return super().wait()
        return max(0.0, self.window_ends - time.time())


@dataclass(frozen=True)
class AnonymousCount:
    """An anonymous client's counter of the current window: its Redis key (made), seconds to
    live, and when the window ends (epoch seconds)."""

    ATTRIBUTE = "_saylau_anonymous_count"

    key: str
    expire: int
    window_ends: float

    def record(self, request, count: int | None) -> None:
        """The count after this request's increment (None: Redis was unavailable, allowed),
        kept on the request for `AnonymousRateThrottle` to use instead of counting again."""
        setattr(request, self.ATTRIBUTE, (self, count))


def anonymous_api_counter(request) -> AnonymousCount | None:
    """The anonymous API rate's counter of `request` (a Django request), or None when no rate is
    set or another cache backend counts in DRF's way. The cache of public reads increments it
    in the round trip that looks up a cached answer (core.caching), so an anonymous API read
    costs one round trip to Redis, not two: every anonymous API request to a cached path is
    counted, and the rate refuses only the ones the cache cannot answer (a cached answer costs
    the server little)."""
    throttle = AnonymousRateThrottle()
    if throttle.rate is None or not hasattr(cache, "raw_client"):
        return None
    return throttle.counter(request)
