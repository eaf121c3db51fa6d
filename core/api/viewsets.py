from rest_framework import viewsets

from core.choices import TokenScope
from core.models import ApiToken


class RestrictedViewSetMixin:
    """Every API queryset goes through the model's `restrict(user, action)`.

    One exception, by the token's own declaration: a token with `read:all` (a ministry's) reads
    every row of every endpoint it may call, whatever its agency's scope.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        reading = self.request.method in ("GET", "HEAD", "OPTIONS")
        token = self.request.auth
        if reading and isinstance(token, ApiToken) and token.has_scope(TokenScope.READ_ALL):
            return queryset
        return queryset.restrict(self.request.user, "view" if reading else "change")

    def filter_queryset(self, queryset):
        # Filters and ordering choose among rows of a list; one row's address needs neither.
        if getattr(self, "action", None) != "list":
            return queryset
        return super().filter_queryset(queryset)


class ReadOnlyModelViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
