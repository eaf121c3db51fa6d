"""Abuse limits: which address a request comes from, and the limit on bad API tokens.

Failed sign-ins are counted by django-axes (settings' AUTH section: per account and address,
`SIGNIN_FAILURE_LIMIT` failures lock that pair out for `SIGNIN_COOLOFF_MINUTES`; its page is
`signin_locked_out`). Bad API tokens are counted here, in the cache, per address
(`core.api.authentication.AgencyTokenAuthentication` calls `bad_token_attempt`).

Addresses are personal data: they are kept where the limits need them (axes' tables, the cache's
counters) and never written to the log.
"""

import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled

logger = logging.getLogger(__name__)

TOO_MANY_BAD_TOKENS = _("Too many requests with an invalid API token from this address.")


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the one the
    outermost of them saw, which is that many entries from the right of X-Forwarded-For.

    Entries further left are whatever the client sent and are never believed. With no proxy
    configured the header is ignored, so a client cannot pick its own address. The one rule for
    django-axes (`AXES_CLIENT_IP_CALLABLE`), the bad-token limit, and DRF's throttles
    (`NUM_PROXIES`). Something that is not an IP address falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def signin_locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in refused by django-axes (`AXES_LOCKOUT_CALLABLE`): too many failed
    attempts for this account from this address. 429 with Retry-After, a page of the site in the
    request's language; it names neither the account nor whether it exists."""
    # Each refused attempt starts the cool-off again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
    # is left on), so the whole cool-off is the wait.
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"minutes": max(1, math.ceil(seconds / 60))}
    response = render(request, "signin_locked.html", context, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def bad_token_attempt(request) -> None:
    """Count a request with an unknown, revoked or malformed API token against its address;
    past `API_BAD_TOKEN_LIMIT` of them in the current `API_BAD_TOKEN_WINDOW` seconds, raise
    `Throttled` (429, with Retry-After: the end of the window).

    Only bad tokens are refused: a valid token is authenticated without looking at the count,
    so an agency behind the same NAT or proxy as someone sending garbage keeps working. What
    stops guessing is the key itself (32 random bytes, `ApiToken.generate_key`), not this
    limit; the limit makes a client that keeps sending a wrong or revoked key back off, and
    costs it a 429 instead of the work of a 401.

    Windows are fixed (aligned on multiples of the window), one counter per address and
    window, expiring with it. The counter fails open: when the cache cannot be reached the
    request goes on to its 401 and a warning is logged, naming neither token nor address.
    """
    window = settings.API_BAD_TOKEN_WINDOW
    now = time.time()
    # Named like DRF's throttles' keys, which the tests clear between tests.
    key = f"throttle_bad_api_token_{client_address(request) or '-'}_{int(now // window)}"
    try:
        if cache.add(key, 1, timeout=window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between the two calls: a new window
                cache.set(key, 1, timeout=window)
                count = 1
    except (RedisError, OSError) as exc:
        logger.warning(
            "Bad API token not counted, the cache is unavailable (%s): no limit applied",
            type(exc).__name__,
        )
        return
    if count > settings.API_BAD_TOKEN_LIMIT:
        raise Throttled(wait=math.ceil(window - now % window), detail=str(TOO_MANY_BAD_TOKENS))
