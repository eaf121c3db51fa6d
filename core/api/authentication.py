from datetime import timedelta
from typing import NoReturn

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from core.abuse import bad_token_attempt
from core.audit import bind_actor
from core.models import ApiToken

INVALID_TOKEN = _("Invalid, expired or revoked API token.")


class AgencyTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`: the request acts as the agency's service account. Bad keys
    are limited per client address (`refuse`)."""

    keyword = "Token"
    touch_interval = timedelta(minutes=1)

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            self.refuse(request)
        try:
            key = parts[1].decode()
        except UnicodeError:
            self.refuse(request)
        token = (
            ApiToken.objects.active()
            .select_related("agency__user")
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None or not token.agency.user.is_active:
            self.refuse(request)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > self.touch_interval:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.agency.user
        bind_actor(user)
        return user, token

    @staticmethod
    def refuse(request) -> NoReturn:
        """A bad token: 401, or 429 once its address has sent too many (core.abuse). The key is
        never logged nor echoed."""
        bad_token_attempt(request)
        raise exceptions.AuthenticationFailed(INVALID_TOKEN)

    def authenticate_header(self, request):
        return self.keyword


class AgencyTokenScheme(OpenApiAuthenticationExtension):
    target_class = AgencyTokenAuthentication
    name = "agencyToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An agency's key: `Token <key>`.",
        }
