"""The public polling pages: find your station (by its number, or by address: a street, then a
building), the station's page (where, how accessible, its voting hours for an election in its
own time with its UTC offset, any published hours decision, a map link), the lists of stations
whose hours a published decision changed, by region, and the open-data downloads of every
station with its effective hours (CSV, XLSX, JSON).

Everything here is public and read through `polling.selectors` and the models' public columns:
no voter's personal data is ever read. Anonymous answers are cached whole by core.caching's
middleware (areas "polling" and "commissions": a station, a decision, a region or an election
saved makes them fresh). "Open now" depends on the clock, so it is not in a cached page: the
station page carries its opening and closing instants and static/polling/station.js says
whether voting is open at the reader's instant; without scripts, a link opens the never-cached
`StationOpenNowView`, which answers at request time. The downloads stream, and keep what they
streamed in the cache under the same areas' generations (`cached_stream`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from commissions.models import Election, Region
from core import caching
from core.collation import sort_key, sorted_by_name
from core.csv import CONTENT_TYPE as CSV_CONTENT_TYPE
from core.csv import csv_lines
from core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from core.xlsx import xlsx_bytes

from . import selectors
from .models import PREMISES_OPEN_BEFORE_VOTING, PollingStation, Street, VotingHoursDecision
from .selectors import utc_offset
from .subscriptions import SubscriptionForm

AREAS = ("polling", "commissions")
BAD_QUERY = gettext_lazy("This page cannot be shown for the address given.")
NO_ELECTION = gettext_lazy("No election has been called yet.")
ABROAD = "abroad"  # the region choice of stations abroad
ABROAD_LABEL = gettext_lazy("Abroad")
STREET_QUERY_MAX = 100  # characters of a street search looked at
STREETS_SHOWN = 10
STREET_CHECK_LIMIT = 200  # streets read to check that a chosen street has the name typed
BUILDING_MAX = 20  # characters of a building number looked at
# A download larger than this streams but is not kept in the cache.
DOWNLOAD_CACHE_MAX_BYTES = 32 * 1024 * 1024
DOWNLOAD_CHUNK_ROWS = 1000
DOWNLOAD_PREFIX = "polling-download:v1:"
OSM_ZOOM = 17
DOWNLOAD_SHEET_TITLE = gettext_lazy("Polling stations")


# QUERIES


def _plain_id(value) -> int | None:
    """An id written with ASCII digits only (not "+3", " 3", "٣" or 30 digits), else None."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        return None
    return int(value)


def _one_of(rows, pk, model):
    """The row with this pk: from `rows` when the page has read them all (no query), else the
    database's."""
    if pk is None:
        return None
    if rows is not None:
        return next((row for row in rows if row.pk == pk), None)
    return model.objects.filter(pk=pk).first()


class ElectionField(forms.Field):
    """An election's id; empty: the current one (the view's default). Chosen among `elections`
    when the form is given them (the page's picker lists them all: one query for both)."""

    default_error_messages = {"invalid": gettext_lazy("No election has this id.")}
    elections: list[Election] | None = None

    def to_python(self, value):
        if value in (None, ""):
            return None
        election = _one_of(self.elections, _plain_id(value), Election)
        if election is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return election


class ElectionQueryForm(forms.Form):
    election = ElectionField(label=gettext_lazy("Election"), required=False)

    def __init__(self, *args, elections=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].elections = elections
        if "region" in self.fields:
            self.fields["region"].regions = regions


class RegionChoiceField(forms.Field):
    """A region's id, or "abroad"; empty: none chosen. Chosen among `regions` when the form is
    given them."""

    default_error_messages = {"invalid": gettext_lazy("No region has this id.")}
    regions: list[Region] | None = None

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value == ABROAD:
            return ABROAD
        region = _one_of(self.regions, _plain_id(value), Region)
        if region is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return region


class ChangedHoursQueryForm(ElectionQueryForm):
    region = RegionChoiceField(label=gettext_lazy("Region"), required=False)


class StationNumberForm(forms.Form):
    """The number search: a station's number, and its region (or abroad) if known."""

    number = forms.IntegerField(
        label=gettext_lazy("Station number"),
        min_value=1,
        max_value=99999,
        error_messages={"invalid": gettext_lazy("A station number is written in digits.")},
    )
    region = RegionChoiceField(label=gettext_lazy("Region"), required=False)

    def clean_number(self):
        raw = str(self.data.get("number", "")).strip()
        if not (raw.isascii() and raw.isdigit()):
            raise forms.ValidationError(
                self.fields["number"].error_messages["invalid"], code="invalid"
            )
        return self.cleaned_data["number"]


def default_election() -> Election | None:
    """The election the pages open on: the current election day's first (core's `current`)."""
    return Election.objects.current().first()


def public_elections() -> list[Election]:
    return list(Election.objects.order_by("-election_day", "kind", "pk"))


def regions_by_name() -> list[Region]:
    """Every region, by name in the page's alphabet."""
    return sorted_by_name(Region.objects.all(), key=lambda r: r.name, unique=lambda r: r.pk)


class ElectionQueryMixin:
    """Parses `?election=` (and what `form_class` adds) before the handler; a bad query gets a
    page that says why (400), never an error. OPTIONS answers without reading it.

    The elections are read once (`self.elections`, every one: a handful), for the page's
    picker and the choice alike."""

    form_class = ElectionQueryForm
    reads = ("GET", "HEAD")

    def form_kwargs(self) -> dict:
        return {"elections": self.elections}

    def dispatch(self, request, *args, **kwargs):
        if request.method in self.reads:
            self.elections = public_elections()
            self.form = self.form_class(request.GET, **self.form_kwargs())
            if not self.form.is_valid():
                return self.bad_query()
            self.election = self.form.cleaned_data["election"] or default_election()
        return super().dispatch(request, *args, **kwargs)

    def bad_query(self):
        return TemplateResponse(
            self.request,
            "polling/bad_query.html",
            {"form": self.form, "message": BAD_QUERY},
            status=400,
        )


# HOURS AS SHOWN


@dataclass(frozen=True)
class StationHours:
    """A station's voting hours for an election as pages and downloads show them: local
    times of the station's zone, its UTC offset, and the decision that sets them, if any."""

    opens: datetime
    closes: datetime
    decision: VotingHoursDecision | None

    @classmethod
    def of(cls, station: PollingStation, election: Election) -> StationHours:
        opens, closes, decision = selectors.effective_hours(station, election)
        return cls(opens, closes, decision)

    @property
    def premises_open(self) -> datetime:
        return self.opens - PREMISES_OPEN_BEFORE_VOTING

    @property
    def opens_local(self) -> str:
        return f"{self.opens:%H:%M}"

    @property
    def closes_local(self) -> str:
        return f"{self.closes:%H:%M}"

    @property
    def premises_local(self) -> str:
        return f"{self.premises_open:%H:%M}"

    @property
    def offset(self) -> str:
        return utc_offset(self.opens)

    @property
    def changed(self) -> bool:
        return self.decision is not None


def map_url(station: PollingStation) -> str:
    """The station's place on openstreetmap.org (its marker), or "" without coordinates."""
    if station.latitude is None or station.longitude is None:
        return ""
    lat, lon = f"{station.latitude:f}", f"{station.longitude:f}"
    return (
        f"https://www.openstreetmap.org/?{urlencode({'mlat': lat, 'mlon': lon})}"
        f"#map={OSM_ZOOM}/{lat}/{lon}"
    )


def place_name(station: PollingStation) -> str:
    """Its region's name, or the country's abroad."""
    if station.region_id is not None:
        return station.region.name
    return country_name(station.country)


def country_name(code: str) -> str:
    try:
        from django_countries import countries
    except ImportError:  # pragma: no cover - django-countries is installed
        return code
    return str(countries.name(code)) or code


# FINDING A STATION


@dataclass(frozen=True)
class StreetChoice:
    """A street as the finder offers it: its id, its current name, the former (or other) name
    the search matched if it is not the current one, its locality's and region's names."""

    id: int
    name: str
    locality: str
    matched: str = ""
    region: str = ""

    @classmethod
    def of(cls, street: Street) -> StreetChoice:
        # Only a former name is worth showing: a current name in another language is no news.
        matched = (
            (getattr(street, "matched_name", "") or "")
            if getattr(street, "matched_former", False)
            else ""
        )
        locality = street.locality
        return cls(
            id=street.pk,
            name=street.name,
            locality=locality.name,
            matched="" if matched == street.name else matched,
            region=locality.region.name if locality.region_id else "",
        )

    @property
    def label(self) -> str:
        parts = [self.locality]
        if self.region and self.region != self.locality:  # Astana, Astana: said once
            parts.append(self.region)
        place = ", ".join(part for part in parts if part)
        if self.matched:
            name = _("{name} (formerly {former})").format(name=self.name, former=self.matched)
        else:
            name = self.name
        return f"{name}, {place}" if place else name


def street_choices(text: str) -> list[StreetChoice]:
    """The streets whose name (Kazakh or Russian, current or former) starts like `text`."""
    text = text.strip()[:STREET_QUERY_MAX]
    if len(text) < 2:
        return []
    return [
        StreetChoice.of(street) for street in selectors.streets_matching(text, limit=STREETS_SHOWN)
    ]


def street_matches(street: StreetChoice, text: str) -> bool:
    """Whether one of the street's names starts like `text`."""
    if street.name == text.strip():
        return True
    found = selectors.streets_matching(text.strip()[:STREET_QUERY_MAX], limit=STREET_CHECK_LIMIT)
    return any(candidate.pk == street.id for candidate in found)


def street_by_id(pk: int | None) -> StreetChoice | None:
    if pk is None:
        return None
    street = Street.objects.select_related("locality__region").filter(pk=pk).first()
    return StreetChoice.of(street) if street else None


class StationFinderView(TemplateView):
    """Find your station: by address (a street, then the building) or by its number (and
    region). Plain GET forms with their results on the page, so it works without scripts;
    static/polling/finder.js adds street suggestions as one types (streets.json)."""

    public_cache_areas = AREAS
    template_name = "polling/finder.html"

    def get(self, request, *args, **kwargs):
        self.address = None
        if "number" not in request.GET:
            # The address search first: when it finds the station, the voter goes there
            # without the page's lists being read (a redirect is never cached).
            self.address = self.address_context(request.GET)
            station = self.address.get("address_station")
            if station is not None:
                return HttpResponseRedirect(station_url(station))
        context = self.get_context_data(**kwargs)
        number_form = context["number_form"]
        if number_form.is_bound and number_form.is_valid():
            matches = context["number_matches"]
            if len(matches) == 1:
                return HttpResponseRedirect(station_url(matches[0]))
        station = context.get("address_station")
        if station is not None:
            return HttpResponseRedirect(station_url(station))
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        number_form = StationNumberForm(query if "number" in query else None)
        regions = regions_by_name()
        number_form.fields["region"].regions = regions  # the choice among the picker's
        context.update(
            number_form=number_form,
            number_matches=[],
            regions=regions,
            abroad=ABROAD,
        )
        if number_form.is_bound and number_form.is_valid():
            context["number_matches"] = stations_numbered(
                number_form.cleaned_data["number"], number_form.cleaned_data["region"]
            )
        context.update(self.address if self.address is not None else self.address_context(query))
        return context

    def address_context(self, query) -> dict:
        """The street typed (`street`), the one chosen (`street_id`), the building: the streets
        to choose from, or the station (or why none)."""
        street_text = query.get("street", "")[:STREET_QUERY_MAX]
        building = query.get("building", "").strip()[:BUILDING_MAX]
        street = street_by_id(_plain_id(query.get("street_id")))
        if street is not None and street_text and not street_matches(street, street_text):
            street = None  # the street was chosen, then another name typed (without scripts)
        streets = [] if street is not None or not street_text else street_choices(street_text)
        if street is None and building and len(streets) == 1:
            street = streets[0]  # one street has that name: no need to choose it
        context = {
            "street_text": street.name if street else street_text,
            "streets": streets,
            "street": street,
            "building": building,
        }
        if street is not None and building:
            try:
                station = selectors.station_for_address(street=street.id, building=building)
            except ValidationError as error:
                context["building_errors"] = error.messages
            else:
                context["address_station"] = station
                context["address_missed"] = station is None
        return context


def stations_numbered(number: int, region) -> list[PollingStation]:
    """The stations with this number: in the region (or abroad) if given, else anywhere."""
    stations = PollingStation.objects.select_related("region").filter(number=number)
    if region == ABROAD:
        stations = stations.filter(is_abroad=True)
    elif region is not None:
        stations = stations.filter(region=region)
    stations = list(stations)
    return sorted_by_name(stations, key=place_name, unique=lambda s: s.pk)


def station_url(station: PollingStation, election: Election | None = None) -> str:
    url = reverse("polling:station_detail", kwargs={"pk": station.pk})
    return f"{url}?{urlencode({'election': election.pk})}" if election else url


class StreetSuggestionsView(View):
    """The typeahead's JSON: `?q=` (2 to 100 characters of a street's name, Kazakh or Russian,
    current or former) → {"streets": [{"id", "name", "locality", "label"}, ...]}, at most 10,
    in the page's alphabet."""

    public_cache_areas = AREAS

    def get(self, request, *args, **kwargs):
        text = request.GET.get("q", "")
        streets = street_choices(text)
        return JsonResponse(
            {
                "streets": [
                    {"id": s.id, "name": s.name, "locality": s.locality, "label": s.label}
                    for s in streets
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )


# THE STATION'S PAGE


def clock() -> datetime:
    """Now (the one place the open-now page reads the clock, so tests can set it)."""
    return timezone.now()


class StationDetailView(ElectionQueryMixin, TemplateView):
    """A station's page: number, name, address, region (or country), accessibility, phone, its
    hours for the election in its local time with the UTC offset, the premises' opening, the
    published decision that set other hours (if any), a link to a map service, and the form
    that subscribes to the station's notices (no CSRF token, so the page stays cached:
    polling.subscriptions.StationSubscribeView says why)."""

    public_cache_areas = AREAS
    template_name = "polling/station_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stations = PollingStation.objects.select_related("region")
        station = get_object_or_404(stations, pk=kwargs["pk"])
        context.update(
            station=station,
            place=place_name(station),
            election=self.election,
            elections=self.elections,
            map_url=map_url(station),
            subscription_form=SubscriptionForm(),
        )
        if self.election is not None:
            hours = StationHours.of(station, self.election)
            # The decision (its commission read when the page names it), if any.
            context.update(hours=hours, decision=hours.decision)
        return context


@method_decorator(never_cache, name="dispatch")
class StationOpenNowView(ElectionQueryMixin, TemplateView):
    """Whether voting at the station is open at this instant: what the station page's script
    says, for a reader without scripts. Never cached (it depends on the clock)."""

    template_name = "polling/open_now.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        station = get_object_or_404(
            PollingStation.objects.select_related("region"), pk=kwargs["pk"]
        )
        if self.election is None:
            raise Http404(NO_ELECTION)
        hours = StationHours.of(station, self.election)
        now = clock()
        if now < hours.opens:
            state = "before"
        elif now < hours.closes:
            state = "open"
        else:
            state = "closed"
        context.update(
            station=station,
            election=self.election,
            hours=hours,
            state=state,
            now_local=f"{now.astimezone(station.zone):%H:%M}",
            station_url=station_url(station, self.election),
        )
        return context


# STATIONS WITH CHANGED HOURS


@dataclass
class RegionGroup:
    name: str
    key: str  # the region's id, or "abroad"
    rows: list


class ChangedHoursView(ElectionQueryMixin, TemplateView):
    """The stations whose voting hours a published decision changed for an election, by region
    in the page's alphabet (stations abroad last), then by number, then by id. A fixed number of
    queries, however many stations."""

    public_cache_areas = AREAS
    form_class = ChangedHoursQueryForm
    template_name = "polling/changed_hours.html"

    def form_kwargs(self) -> dict:
        self.regions = regions_by_name()  # the picker's, and the choice among them
        return {**super().form_kwargs(), "regions": self.regions}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.form.cleaned_data["region"]
        context.update(
            election=self.election,
            elections=self.elections,
            regions=self.regions,
            region=region,
            abroad=ABROAD,
            groups=[],
            count=0,
        )
        if self.election is None:
            return context
        context["groups"] = groups = changed_hours_groups(self.election, region)
        context["count"] = sum(len(group.rows) for group in groups)
        query = {"election": self.election.pk}
        context["download_query"] = urlencode(query)
        return context


def changed_hours_stations(election: Election, region=None):
    changed = Exists(selectors.in_force_decisions(election).filter(stations=OuterRef("pk")))
    stations = PollingStation.objects.filter(changed)
    if region == ABROAD:
        stations = stations.filter(is_abroad=True)
    elif region is not None:
        stations = stations.filter(region=region)
    return selectors.with_voting_hours(stations, election)


def changed_hours_groups(election: Election, region=None) -> list[RegionGroup]:
    """Region by region (in the page's alphabet; abroad last), each station's hours."""
    text_key = sort_key()
    rows = []
    for station in changed_hours_stations(election, region):
        abroad = station.region_id is None
        region_key = b"" if abroad else text_key(station.region.name)
        group = ABROAD if abroad else str(station.region_id)
        rows.append(((abroad, region_key, station.number, station.pk), group, station))
    rows.sort(key=lambda row: row[0])
    groups: list[RegionGroup] = []
    for _order, key, station in rows:
        name = str(ABROAD_LABEL) if key == ABROAD else station.region.name
        if not groups or groups[-1].key != key:
            groups.append(RegionGroup(name=name, key=key, rows=[]))
        groups[-1].rows.append((station, StationHours.of(station, election)))
    return groups


# OPEN DATA


DOWNLOAD_HEADER = [
    "id",
    "region_code",
    "region",
    "country",
    "number",
    "name",
    "address",
    "timezone",
    "utc_offset",
    "latitude",
    "longitude",
    "step_free_entrance",
    "has_ramp",
    "accessible_booth",
    "phone",
    "premises_open_at",
    "voting_opens_at",
    "voting_closes_at",
    "hours_changed",
    "decision_number",
]


def download_rows(election: Election) -> Iterator[dict]:
    """Every station (by region code, number, id) with its effective hours for the election, a
    chunk of stations (and their decisions) per query."""
    stations = selectors.with_voting_hours(
        PollingStation.objects.order_by("region__code", "number", "pk"), election
    )
    for station in stations.iterator(chunk_size=DOWNLOAD_CHUNK_ROWS):
        hours = StationHours.of(station, election)
        yield {
            "id": station.pk,
            "region_code": station.region.code if station.region_id else "",
            "region": station.region.name if station.region_id else "",
            "country": station.country,
            "number": station.number,
            "name": station.name,
            "address": station.address,
            "timezone": station.timezone_name,
            "utc_offset": hours.offset.replace("\u2212", "-"),
            "latitude": f"{station.latitude:f}" if station.latitude is not None else None,
            "longitude": f"{station.longitude:f}" if station.longitude is not None else None,
            "step_free_entrance": station.step_free_entrance,
            "has_ramp": station.has_ramp,
            "accessible_booth": station.accessible_booth,
            "phone": station.phone,
            "premises_open_at": hours.premises_open.isoformat(),
            "voting_opens_at": hours.opens.isoformat(),
            "voting_closes_at": hours.closes.isoformat(),
            "hours_changed": hours.changed,
            "decision_number": hours.decision.number if hours.decision else "",
        }


def cached_stream(name: str, lines: Iterable[str | bytes]) -> tuple[Iterator[bytes], bool]:
    """The download's bytes, a piece at a time, and whether they came from the cache.

    Kept under `name` and the generations of AREAS (core.caching): any station, decision,
    region or election saved makes a new entry. What is streamed is gathered as it goes and
    stored only when the client has read it to the end (a download cut short stores nothing).
    Text is written as UTF-8; bytes (a workbook) as they are."""
    generations = caching.generations(AREAS)
    digest = hashlib.sha256(
        json.dumps([name, generations], sort_keys=True, default=str).encode()
    ).hexdigest()
    key = DOWNLOAD_PREFIX + digest
    if settings.PUBLIC_CACHE_ENABLED:
        found = cache.get(key)
        if found is not None:
            return _pieces(found), True

    def streamed() -> Iterator[bytes]:
        kept: list[bytes] = []
        size = 0
        for line in lines:
            data = line if isinstance(line, bytes) else line.encode("utf-8")
            if size <= DOWNLOAD_CACHE_MAX_BYTES:
                kept.append(data)
                size += len(data)
            yield data
        if settings.PUBLIC_CACHE_ENABLED and size <= DOWNLOAD_CACHE_MAX_BYTES:
            cache.set(key, b"".join(kept), settings.PUBLIC_CACHE_TIMEOUT)

    return streamed(), False


def _pieces(content: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(content), size):
        yield content[start : start + size]


class StationsDownloadView(ElectionQueryMixin, View):
    """Every station with its effective hours for an election (`?election=`, else the current
    one) as CSV (`extension` "csv": UTF-8 with BOM, formula-guarded, core.csv), XLSX (the same
    rows in one sheet, core.xlsx: a CSV opens as one column in Excel under a Russian or Kazakh
    locale) or JSON; names in the page's language. Streams (the workbook is written whole, then
    sent); kept in the cache until a station or decision changes."""

    public_cache_areas = AREAS
    extension = "csv"

    def get(self, request, *args, **kwargs):
        if self.election is None:
            raise Http404(NO_ELECTION)
        language = get_language()
        name = f"{self.extension}:{self.election.pk}:{language}"
        if self.extension == "json":
            lines, content_type = self.json_lines(), "application/json"
        elif self.extension == "xlsx":
            lines, content_type = self.xlsx_pieces(), XLSX_CONTENT_TYPE
        else:
            rows = ([row[column] for column in DOWNLOAD_HEADER] for row in self.rows())
            lines, content_type = csv_lines(rows, DOWNLOAD_HEADER), CSV_CONTENT_TYPE
        body, hit = cached_stream(name, lines)
        response = StreamingHttpResponse(body, content_type=content_type)
        filename = f"polling-stations-{self.election.pk}-{language}.{self.extension}"
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
        response[caching.CACHE_HEADER] = "hit" if hit else "miss"
        return response

    def rows(self) -> Iterator[dict]:
        return download_rows(self.election)

    def xlsx_pieces(self) -> Iterator[bytes]:
        """The workbook, written when the response is first read (not at all on a cache hit)."""
        rows = ([row[column] for column in DOWNLOAD_HEADER] for row in self.rows())
        yield xlsx_bytes(rows, header=DOWNLOAD_HEADER, sheet_title=DOWNLOAD_SHEET_TITLE)

    def json_lines(self) -> Iterator[str]:
        election = self.election
        head = {
            "election": {
                "id": election.pk,
                "name": election.name,
                "election_day": election.election_day.isoformat(),
            },
            "fields": DOWNLOAD_HEADER,
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "stations": [\n'
        first = True
        for row in self.rows():
            yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n]}\n"

    def bad_query(self):
        if self.extension != "json":
            return super().bad_query()
        errors = {
            field: [str(message) for message in messages]
            for field, messages in self.form.errors.items()
        }
        return JsonResponse({"detail": str(BAD_QUERY), "errors": errors}, status=400)
