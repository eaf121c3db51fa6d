"""The anonymous API throttle: one Redis round trip a request (none of its own on a cached
path), failing open."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous rate (`DEFAULT_THROTTLE_RATES["anon"]`, e.g. "600/minute") per client
    address, counted in fixed windows: one counter per address and window in Redis, to which
    each process adds its requests in small batches (`_count`; DRF's own throttle reads and
    rewrites a list of timestamps: two round trips a request and a list as long as the rate).
    A fixed window lets a client send up to twice the rate across a window's edge; that is the
    price of a single counter. Signed-in users and agencies' tokens are not counted here.

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
            count = _count(client, counter, batch=max(1, min(BATCH, self.num_requests // 50)))
        except (RedisError, OSError) as exc:
            cache._failed("throttle", exc)
            return True
        return count <= self.num_requests

    def wait(self):
        if self.window_ends is None:
            return super().wait()
        return max(0.0, self.window_ends - time.time())


# A process counts each client's requests itself and adds them to the shared counter in Redis in
# batches of up to BATCH (and at most a fiftieth of the rate, so a low rate is counted exactly):
# one command for BATCH requests instead of one each. A client whose requests spread over P
# processes may pass the rate by at most P × (batch − 1) requests in a window (2 workers, 600 a
# minute: 18). The counts of the current window only are kept, at most MAX_PENDING clients.
BATCH = 10
MAX_PENDING = 50_000
_pending: dict[str, list[int]] = {}  # counter key -> [requests not yet added, shared count seen]
_pending_window: list[float] = [0.0]
_lock = threading.Lock()


def _count(client, counter: AnonymousCount, *, batch: int) -> int:
    """The client's requests in the window, this one included, as far as this process knows."""
    with _lock:
        if _pending_window[0] != counter.window_ends or len(_pending) >= MAX_PENDING:
            _pending.clear()
            _pending_window[0] = counter.window_ends
        entry = _pending.setdefault(counter.key, [0, 0])
        entry[0] += 1
        if entry[0] < batch:
            return entry[1] + entry[0]
        add, entry[0] = entry[0], 0
    total = client.incrby(counter.key, add)
    if total == add:  # the window's first addition gives the counter its expiry
        client.expire(counter.key, counter.expire)
    with _lock:
        entry[1] = max(entry[1], total)
    return total


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
