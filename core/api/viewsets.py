from django.http import Http404
from django.utils.translation import get_language
from rest_framework import viewsets

from core.choices import TokenScope
from core.collation import QuerySetByName
from core.models import ApiToken
from core.rows import RowReader


class RestrictedViewSetMixin:
    """Every API queryset goes through the model's `restrict(user, action)`.

    One exception, by the token's own declaration: a token with `read:all` (a ministry's) reads
    every row of every endpoint it may call, whatever its agency's scope.
    """

    # Ids in paths are ASCII digits only ("١٢" and "12.5" are no id; Python's \d takes any
    # script's digits): anything else is no route, a 404.
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        queryset = super().get_queryset()
        reading = self.request.method in ("GET", "HEAD", "OPTIONS")
        token = self.request.auth
        if reading and isinstance(token, ApiToken) and token.has_scope(TokenScope.READ_ALL):
            return queryset
        return queryset.restrict(self.request.user, "view" if reading else "change")

    # Anonymous single-row reads use SQL compiled once (core.rows) instead of compiling the
    # queryset for every request. A view whose queryset depends on more than the action and the
    # language (the time, a query parameter) sets this to False.
    row_reads = True
    _row_readers: dict = {}

    def get_object(self):
        reader = self._row_reader()
        if reader is None:
            return super().get_object()
        obj = reader.get(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def _row_reader(self) -> RowReader | None:
        """The compiled reader of this view's rows for an anonymous GET, None for any other."""
        request = self.request
        if not (
            self.row_reads
            and getattr(self, "public", False)
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
        ):
            return None
        key = (type(self), self.action, self.lookup_field, get_language())
        try:
            return self._row_readers[key]
        except KeyError:
            reader = RowReader.compile(self.filter_queryset(self.get_queryset()), self.lookup_field)
            self._row_readers[key] = reader  # None too: that view reads as usual
            return reader

    # A list whose default order is by name reads in the language's alphabet (core.collation:
    # Kazakh Қ right after К, not after Ш as the database's order of code points puts it): the
    # text fields named here, then the id. An explicit ?ordering= is the database's.
    collated_by: tuple[str, ...] = ()

    def filter_queryset(self, queryset):
        # Filters and ordering choose among rows of a list; one row's address needs neither.
        if getattr(self, "action", None) != "list":
            return queryset
        queryset = super().filter_queryset(queryset)
        if self.collated_by and not self.request.query_params.get("ordering"):
            return QuerySetByName(queryset, names=self.collated_by, unique="pk")
        return queryset


class ReadOnlyModelViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
