from rest_framework import viewsets


class RestrictedViewSetMixin:
    """Every API queryset goes through the model's `restrict(user, action)`."""

    def get_queryset(self):
        queryset = super().get_queryset()
        action = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return queryset.restrict(self.request.user, action)

    def filter_queryset(self, queryset):
        # Filters and ordering choose among rows of a list; one row's address needs neither.
        if getattr(self, "action", None) != "list":
            return queryset
        return super().filter_queryset(queryset)


class ReadOnlyModelViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
