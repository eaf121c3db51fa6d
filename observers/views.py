"""The public observer pages: accreditation statistics (with a chart and downloads), the lists of
accredited observers and of revoked accreditations, and the badges' verification page.

They read only through the selectors, which select the safe columns: no passport number, date
of birth or photo ever reaches these pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from commissions.models import Election
from core.csv import csv_response
from core.normalize import normalize_name
from core.xlsx import xlsx_response

from .choices import Verification
from .filtersets import ObserverFilterSet
from .forms import ObserverListForm, ObserverStatsForm
from .models import Observer
from .selectors import (
    ObserverStats,
    accreditation_days,
    by_name,
    default_election,
    elections_with_accreditations,
    observer_by_code,
    observer_stats,
    public_accredited,
    public_bodies,
    public_revoked,
)

BAD_QUERY = gettext_lazy("This page cannot be shown for the address given.")
NO_ELECTION = gettext_lazy("No election has been called yet.")

ROWS_PER_PAGE = 100
NAME_QUERY_MAX = 100  # characters of a name search looked at
# Bar lengths are percentages of the chart's width, so the chart fits any screen without scaling
# its text; each bar is a row with its label above it.
CHART_LONGEST_BAR = 85.0  # per cent of the width, leaving room for the figure after the bar


# QUERIES


class ElectionQueryMixin:
    """Parses the page's query with `form_class` before the handler runs; a bad query gets a page
    that says why (400), never an error."""

    form_class = ObserverStatsForm
    reads = ("GET", "HEAD")  # the methods that read the query (OPTIONS answers without it)

    def dispatch(self, request, *args, **kwargs):
        if request.method in self.reads:
            self.form = self.form_class(request.GET, user=request.user)
            if not self.form.is_valid():
                return self.bad_query()
            self.election = self.form.cleaned_data["election"] or default_election(request.user)
        return super().dispatch(request, *args, **kwargs)

    def bad_query(self):
        return TemplateResponse(
            self.request,
            "observers/bad_query.html",
            {"form": self.form, "message": BAD_QUERY},
            status=400,
        )

    def elections(self) -> list[Election]:
        """The elections to choose from: those with accreditations, and the one shown."""
        elections = list(elections_with_accreditations(self.request.user))
        if self.election is not None and self.election not in elections:
            elections.insert(0, self.election)
        return elections


class StatsQueryMixin(ElectionQueryMixin):
    """`election`; `date` (that day) or `until` (cumulative up to that day); by default the last
    day accreditations were granted on."""

    @property
    def cumulative(self) -> bool:
        return self.form.cleaned_data["until"] is not None

    @cached_property
    def accreditation_days(self) -> list[date]:
        return accreditation_days(self.election) if self.election else []

    @cached_property
    def day(self) -> date | None:
        data = self.form.cleaned_data
        chosen = data["until"] or data["date"]
        if chosen is not None:
            return chosen
        return self.accreditation_days[-1] if self.accreditation_days else None

    def stats(self) -> ObserverStats:
        """The figures the query asks for (all accreditations when none was granted yet)."""
        if self.day is None:
            return observer_stats(election=self.election)
        if self.cumulative:
            return observer_stats(election=self.election, until=self.day)
        return observer_stats(election=self.election, day=self.day)

    def file_name(self, extension: str) -> str:
        if self.day is None:
            period = "all"
        elif self.cumulative:
            period = f"until-{self.day:%Y-%m-%d}"
        else:
            period = f"{self.day:%Y-%m-%d}"
        return f"observer-statistics-{self.election.pk}-{period}.{extension}"


# STATISTICS


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: int
    width: str  # of the chart's width, e.g. "42.50%"


@dataclass(frozen=True)
class Chart:
    bars: list[ChartBar]
    description: str


def bar_chart(rows: list[tuple[str, int]], *, longest: int | None = None) -> Chart:
    """A horizontal bar chart of (label, value) rows for the template. `longest` is the
    value drawn at the longest bar (by default the rows' largest): give charts shown side by side
    the same, so that a bar's length means the same number of observers in each."""
    if longest is None:
        longest = max((value for _label, value in rows), default=0)
    bars = []
    for label, value in rows:
        share = CHART_LONGEST_BAR * value / longest if longest else 0.0
        bars.append(ChartBar(label=label, value=value, width=f"{max(share, 0.5):.2f}%"))
    description = "; ".join(
        _("{name}: {count}").format(name=label, count=value) for label, value in rows
    )
    return Chart(bars=bars, description=description)


class ObserverStatsView(StatsQueryMixin, TemplateView):
    """The public statistics of accreditation: one day's figures and the figures up to that day,
    the breakdown by state and organisation as a chart and a table, and downloads."""

    public_cache_areas = ("observers", "commissions")

    template_name = "observers/stats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        election, day = self.election, self.day
        context.update(
            form=self.form,
            election=election,
            elections=self.elections(),
            days=self.accreditation_days,
            day=day,
            cumulative=self.cumulative,
        )
        if election is None or day is None:
            return context
        day_stats = observer_stats(election=election, day=day)
        until_stats = observer_stats(election=election, until=day)
        shown = until_stats if self.cumulative else day_stats
        period = "until" if self.cumulative else "date"
        # Both charts on one scale; organisations by their full names, as in the table.
        state_rows = [(name, n) for _k, _c, name, n in shown.state_rows()]
        organization_rows = [(name, n) for _k, _c, name, n in shown.organization_rows()]
        longest = max((n for _name, n in state_rows + organization_rows), default=0)
        context.update(
            day_stats=day_stats,
            until_stats=until_stats,
            figure_groups=[("day", day_stats), ("until", until_stats)],
            shown=shown,
            state_total=sum(shown.by_state.values()),
            organization_total=sum(shown.by_organization.values()),
            download_query=urlencode({"election": election.pk, period: day.isoformat()}),
            state_chart=bar_chart(state_rows, longest=longest),
            organization_chart=bar_chart(organization_rows, longest=longest),
        )
        return context


STATS_HEADER = ["kind", "code", "name", "observers"]


class ObserverStatsCsvView(StatsQueryMixin, View):
    """The statistics as CSV: kind, code, name, observers; a row per state and organisation, then
    the total. UTF-8 with a byte-order mark, so that spreadsheets read Kazakh letters right."""

    public_cache_areas = ("observers", "commissions")

    def get(self, request, *args, **kwargs):
        if self.election is None:
            raise Http404(NO_ELECTION)
        return csv_response(self.rows(), filename=self.file_name("csv"), header=STATS_HEADER)

    def rows(self) -> list[tuple]:
        stats = self.stats()
        return [*stats.rows(), ("total", "", _("Total"), stats.observers)]


class ObserverStatsXlsxView(ObserverStatsCsvView):
    """The statistics as an Excel workbook, the CSV's rows: Excel opens it right under any
    locale (a Russian or Kazakh Excel splits a CSV on semicolons, so it lands in one column)."""

    def get(self, request, *args, **kwargs):
        if self.election is None:
            raise Http404(NO_ELECTION)
        return xlsx_response(
            self.rows(),
            filename=self.file_name("xlsx"),
            header=STATS_HEADER,
            sheet_title=self.sheet_title(),
        )

    def sheet_title(self) -> str:
        """The sheet's name in the page's language: what the figures count (core.xlsx makes it
        a valid sheet name, cut at a word's end if it is too long)."""
        if self.day is None:
            return _("All accreditations")
        if self.cumulative:
            return _("Accreditations up to {day}").format(day=self.day.isoformat())
        return _("Accreditations of {day}").format(day=self.day.isoformat())


class ObserverStatsJsonView(StatsQueryMixin, View):
    """The statistics as JSON: ObserverStats.as_dict(), the API's contract."""

    public_cache_areas = ("observers", "commissions")

    def get(self, request, *args, **kwargs):
        if self.election is None:
            raise Http404(NO_ELECTION)
        response = JsonResponse(self.stats().as_dict(), json_dumps_params={"ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="{self.file_name("json")}"'
        return response

    def bad_query(self):
        errors = {
            field: [str(message) for message in messages]
            for field, messages in self.form.errors.items()
        }
        return JsonResponse({"detail": str(BAD_QUERY), "errors": errors}, status=400)


# PUBLIC LISTS


class PublicListMixin(ElectionQueryMixin):
    """`election`, `body` (the nominating state or organisation) and `q` (a name, Latin or
    Cyrillic: ObserverFilterSet's search); `page`, where what is not a page number shows the
    first page, a number past the end the last page, and "last" the last (never a 404)."""

    form_class = ObserverListForm
    paginate_by = ROWS_PER_PAGE

    @cached_property
    def name_query(self) -> str:
        return normalize_name(self.request.GET.get("q", ""))[:NAME_QUERY_MAX]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            election=self.election,
            elections=self.elections(),
            bodies=public_bodies(self.election, self.request.user) if self.election else [],
            body=self.form.cleaned_data["body"],
            name_query=self.name_query,
            download_query=self.download_query(),
        )
        return context

    def download_query(self) -> str:
        """The list's query (election, body, name) for its downloads, without the page."""
        query = {"election": self.election.pk if self.election else ""}
        if self.form.cleaned_data["body"] is not None:
            query["body"] = self.form.cleaned_data["body"].pk
        if self.name_query:
            query["q"] = self.name_query
        return urlencode(query)

    def filtered(self, queryset):
        """The list's rows the filters keep, by name in the page's alphabet (selectors.by_name)."""
        body = self.form.cleaned_data["body"]
        if body is not None:
            queryset = queryset.filter(body=body)
        if self.name_query:
            queryset = ObserverFilterSet({"q": self.name_query}, queryset=queryset).qs
        return by_name(queryset)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        wanted = self.request.GET.get(self.page_kwarg) or "1"
        if wanted == "last":
            number = paginator.num_pages
        else:
            try:
                number = int(wanted)
            except ValueError:
                number = 1
            number = min(max(number, 1), paginator.num_pages)
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()


class ObserverListView(PublicListMixin, ListView):
    """Accredited observers of an election: names, nominating body and number only, by name in
    the page's alphabet."""

    public_cache_areas = ("observers", "commissions")

    template_name = "observers/observer_list.html"
    context_object_name = "observers"

    def get_queryset(self):
        if self.election is None:
            return []
        return self.filtered(public_accredited(self.election))


class RevokedListView(PublicListMixin, ListView):
    """Revoked accreditations of an election: names, body, number and the day of revocation, by
    name in the page's alphabet."""

    public_cache_areas = ("observers", "commissions")

    template_name = "observers/revoked_list.html"
    context_object_name = "observers"

    def get_queryset(self):
        if self.election is None:
            return []
        return self.filtered(public_revoked(self.election))


LIST_HEADER = [
    "number",
    "last_name_latin",
    "first_name_latin",
    "last_name_cyrillic",
    "first_name_cyrillic",
    "nominated_by",
]


class PublicListDownloadView(PublicListMixin, View):
    """A public list as a spreadsheet (`extension` "csv" or "xlsx"), filtered as the page is:
    the accredited observers (`revoked` False) or the revoked accreditations, the safe columns
    only, every row (not a page)."""

    public_cache_areas = ("observers", "commissions")

    revoked = False
    extension = "csv"

    def get(self, request, *args, **kwargs):
        if self.election is None:
            raise Http404(NO_ELECTION)
        if self.revoked:
            observers = public_revoked(self.election)
            header = [*LIST_HEADER, "revoked_on"]
        else:
            observers = public_accredited(self.election)
            header = LIST_HEADER
        rows = (
            self.row(observer)
            for chunk in self.filtered(observers).chunks(500)
            for observer in chunk
        )
        name = f"observers-{'revoked' if self.revoked else 'accredited'}-{self.election.pk}"
        if self.extension == "xlsx":
            # The sheet says what it lists, in the page's language (the file keeps a plain name).
            title = _("Revoked accreditations") if self.revoked else _("Accredited observers")
            return xlsx_response(rows, filename=f"{name}.xlsx", header=header, sheet_title=title)
        return csv_response(rows, filename=f"{name}.csv", header=header, streaming=True)

    def row(self, observer: Observer) -> list:
        row = [
            observer.number_display,
            observer.last_name_latin,
            observer.first_name_latin,
            observer.last_name_cyrillic,
            observer.first_name_cyrillic,
            observer.body.display_name,
        ]
        if self.revoked:
            row.append(timezone.localdate(observer.revoked_at) if observer.revoked_at else None)
        return row


# VERIFICATION


@method_decorator(never_cache, name="dispatch")
class ObserverVerificationView(TemplateView):
    """What a badge's QR code opens: valid, revoked, expired or unknown, with only the name, the
    body, the election and the validity. An unknown code learns nothing but "unknown" (404)."""

    public_cache_areas = ("observers", "commissions")

    template_name = "observers/verify.html"

    def get(self, request, *args, **kwargs):
        observer = observer_by_code(kwargs["code"])
        verification = observer.verification() if observer else Verification.UNKNOWN
        if verification == Verification.UNKNOWN:
            observer = None
        response = self.render_to_response(
            self.get_context_data(
                observer=observer,
                verification=verification,
                verification_label=Verification(verification).label,
            ),
            status=404 if observer is None else 200,
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"  # the address holds the badge's code
        return response
