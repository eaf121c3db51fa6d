"""The anonymous API throttle: one Redis round trip a request, failing open."""

from __future__ import annotations

import time

from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous rate (`DEFAULT_THROTTLE_RATES["anon"]`, e.g. "600/minute") per client
    address, counted in fixed windows: one counter per address and window, incremented and
    given its expiry in one pipelined round trip (DRF's own throttle reads and rewrites a list
    of timestamps: two round trips and a list as long as the rate). A fixed window lets a
    client send up to twice the rate across a window's edge; that is the price of the single
    round trip. Signed-in users and agencies' tokens are not counted here.

    With the cache unavailable (core.caching.FailOpenRedisCache) every request is allowed; with
    another cache backend configured, DRF's own counting applies.
    """

    def allow_request(self, request, view):
        if self.rate is None or (request.user and request.user.is_authenticated):
            return True
        if not hasattr(cache, "raw_client"):
            self.window_ends = None
            return super().allow_request(request, view)
        client = cache.raw_client()
        if client is None:  # Redis is away: fail open
            return True
        window = int(time.time() // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = cache.make_key(f"throttle_anon_{self.get_ident(request)}_{window}")
        try:
            with client.pipeline(transaction=False) as pipe:
                pipe.incr(key)
                pipe.expire(key, self.duration + 1)
                count, _ = pipe.execute()
        except (RedisError, OSError) as exc:
            cache._failed("throttle", exc)
            return True
        return count <= self.num_requests

    def wait(self):
        if self.window_ends is None:
            return super().wait()
        return max(0.0, self.window_ends - time.time())
