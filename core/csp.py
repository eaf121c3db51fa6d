"""The content security policy header, built once for responses with no policy of their own.

django-csp's middleware builds the header from the settings for every response, twice (the
policy and the report-only one), through `dataclasses.asdict`: about a tenth of the time of a
cached public read. The settings do not change while the process runs, so for a response with
no policy of its own (no `@csp_update`/`@csp_replace`/`@csp`, for either header) to a request
that used no nonce, `CSPMiddleware` sets the headers built once; any other response is left to
django-csp as it is. tests/core/test_csp.py compares both ways' headers.
"""

from __future__ import annotations

import functools
import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, PolicyParts
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _settings_headers() -> tuple[tuple[str, str, str, str], ...]:
    """(header, value, exemption attribute, settings name) of each header the settings make."""
    found = []
    for header, report_only, exempt, name in (
        (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
        (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
    ):
        value = build_policy(**vars(PolicyParts()), report_only=report_only)
        if value:
            found.append((header, value, exempt, name))
    return tuple(found)


@receiver(setting_changed)
def _policy_settings_changed(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):  # tests that override the policy
        _settings_headers.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the settings' policy built once (see the module)."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _OWN_POLICY
        ):
            return super().process_response(request, response)
        exempted = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
        if response.status_code in exempted and settings.DEBUG:
            return response
        for header, value, exempt, name in _settings_headers():
            prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = value
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
