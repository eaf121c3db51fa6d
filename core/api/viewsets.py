from rest_framework import viewsets


class RestrictedViewSetMixin:
    """Every API queryset goes through the model's `restrict(user, action)`."""

    def get_queryset(self):
        queryset = super().get_queryset()
        action = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return queryset.restrict(self.request.user, action)


class ReadOnlyModelViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
