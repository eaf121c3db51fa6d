"""Voting hours as voters live them: every page, PDF, API answer and notice asks these.

A station votes from its election's default hours (07:00–20:00) unless a decision in force (a
published voting hours decision that no published decision supersedes) covering it sets another
opening, closing or both. Times are the station's local time, in its own IANA zone (its region's
at home, its country's abroad), so an aware datetime of election day in that zone: Aktobe's
07:00 is an hour after Astana's in 2023, New York's is ten hours after Almaty's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection, models
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from modeltranslation.utils import build_localized_fieldname

from commissions.models import Election, Region
from core.collation import sorted_by_name

from .addresses import (
    AddressReading,
    locality_names,
    parse_address,
    parse_building,
    street_kind,
    typed_street_key,
)
from .choices import Parity, RuleKind, StreetNameKind
from .models import (
    Locality,
    PollingStation,
    Street,
    StreetName,
    TerritoryRule,
    VotingHoursDecision,
)

EffectiveHours = tuple[datetime, datetime, VotingHoursDecision | None]


def _prefetch_name(election: Election) -> str:
    return f"_voting_hours_decisions_{election.pk}"


def in_force_decisions(election: Election | int) -> QuerySet[VotingHoursDecision]:
    """The election's (an election or its id) decisions that set voting hours now, the latest
    published first."""
    return (
        VotingHoursDecision.objects.in_force()
        .filter(election=election)
        .order_by("-published_at", "-pk")
    )


def with_voting_hours(
    stations: QuerySet[PollingStation], election: Election
) -> QuerySet[PollingStation]:
    """`stations` ready for `effective_hours(station, election)` without a query per station:
    their regions joined (the zone) and the election's decisions in force prefetched (one more
    query for the whole list)."""
    return stations.select_related("region").prefetch_related(
        Prefetch(
            "voting_hours_decisions",
            queryset=in_force_decisions(election),
            to_attr=_prefetch_name(election),
        )
    )


def hours_decision(station: PollingStation, election: Election) -> VotingHoursDecision | None:
    """The decision in force that sets the station's hours for the election, or None."""
    prefetched = getattr(station, _prefetch_name(election), None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return in_force_decisions(election).filter(stations=station).first()


def effective_hours(station: PollingStation, election: Election) -> EffectiveHours:
    """When the station votes in the election: (opening, closing, decision or None), the two
    times aware datetimes of election day in the station's zone. The side a decision leaves
    empty is the election's default."""
    decision = hours_decision(station, election)
    opens = election.voting_opens_at
    closes = election.voting_closes_at
    if decision is not None:
        opens = decision.opens_at or opens
        closes = decision.closes_at or closes
    zone = station.zone
    day = election.election_day
    return (
        datetime.combine(day, opens, tzinfo=zone),
        datetime.combine(day, closes, tzinfo=zone),
        decision,
    )


def utc_offset(moment: datetime) -> str:
    """The offset of an aware datetime as "UTC+06:00", "UTC−03:00" (a minus sign) or
    "UTC+05:45", as pages and reports show it beside a station's zone."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def is_open(station: PollingStation, election: Election, at: datetime) -> bool:
    """Whether voting at the station is open at the instant `at` (aware, any zone): from its
    opening (included) to its closing (excluded). A special station that may close early once
    everyone on its list has voted is shown open until its closing time."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("is_open needs an aware datetime")
    opening, closing, _decision = effective_hours(station, election)
    return opening <= at < closing


# TERRITORIES

# What decides an address when several rules of a street or locality cover it: the most precise
# rule (polling.choices.RuleKind, in this order). An exception to a street (one building of
# it served elsewhere) is therefore a single-building rule, not an overlap.
RULE_PRECEDENCE = (RuleKind.BUILDING, RuleKind.RANGE, RuleKind.STREET, RuleKind.LOCALITY)
# How many matching names the typeahead reads before sorting them in the alphabet's order.
STREET_CANDIDATES = 200


def _pk(value) -> int | None:
    if value is None or value == "":
        return None
    return value.pk if isinstance(value, models.Model) else int(value)


# The rule that decides an address, as SQL written once: the ORM would compile the same query
# for every call, which costs ten times what PostgreSQL takes to answer it (bench/
# address_lookup.py). Parameters: street (id or NULL), locality (id or NULL: then the street's),
# key (a building's key or NULL), number (its number or NULL), side ("odd"/"even", or "both"
# when no building is given: then only whole-street rules of both sides answer).
_PRECEDENCE_SQL = " ".join(
    f"WHEN '{kind}' THEN {rank}" for rank, kind in enumerate(RULE_PRECEDENCE)
)
_RULE_SQL = f"""
SELECT station_id FROM {TerritoryRule._meta.db_table}
WHERE (
    street_id = %(street)s AND (
        (kind = '{RuleKind.BUILDING}' AND building_key = %(key)s)
        OR (kind = '{RuleKind.RANGE}' AND number_from <= %(number)s AND number_to >= %(number)s
            AND parity IN ('{Parity.BOTH}', %(side)s))
        OR (kind = '{RuleKind.STREET}' AND parity IN ('{Parity.BOTH}', %(side)s))
    )
) OR (
    kind = '{RuleKind.LOCALITY}' AND locality_id = COALESCE(
        %(locality)s, (SELECT locality_id FROM {Street._meta.db_table} WHERE id = %(street)s)
    )
)
ORDER BY CASE kind {_PRECEDENCE_SQL} END, id
LIMIT 1
"""  # noqa: S608 (constants only; the values are parameters)
# The station with its region (its zone), read with the deciding rule in the same query.
_STATION_FIELDS = [f.attname for f in PollingStation._meta.concrete_fields]
_REGION_FIELDS = [f.attname for f in Region._meta.concrete_fields]
_STATION_SQL = "SELECT {columns} FROM {station} s LEFT JOIN {region} r ON r.id = s.region_id WHERE s.id = ({rule})".format(  # noqa: E501, S608
    columns=", ".join(
        [f's."{f.column}"' for f in PollingStation._meta.concrete_fields]
        + [f'r."{f.column}"' for f in Region._meta.concrete_fields]
    ),
    station=PollingStation._meta.db_table,
    region=Region._meta.db_table,
    rule=_RULE_SQL,
)


def _station_from_row(row) -> PollingStation:
    station = PollingStation.from_db(connection.alias, _STATION_FIELDS, row[: len(_STATION_FIELDS)])
    values = row[len(_STATION_FIELDS) :]
    region = Region.from_db(connection.alias, _REGION_FIELDS, values) if values[0] else None
    PollingStation.region.field.set_cached_value(station, region)
    return station


def station_for_address(*, street=None, locality=None, building: str = "") -> PollingStation | None:
    """The station that serves an address (its region joined), or None when no rule covers it.
    One query, its SQL written once (above).

    `street` (a Street or its id) with `building` (any spelling `polling.addresses.parse_building`
    reads: 12, 12А, 12/1, 12 корпус 2; empty: the street as a whole), or `locality` (a Locality or
    its id) alone for a village served whole. Precedence, most precise first (RULE_PRECEDENCE):
    a single building (its exact key: `12` is not `12А`) before a range (by number: 12А and 12/1
    stand inside 10–14), a range before the whole street (or its side), the whole street before
    the whole locality the street lies in. Without a building number only whole-street (both
    sides) and whole-locality rules can answer. A building number that cannot be read raises
    ValidationError (`polling.addresses.BUILDING_INVALID`).
    """
    street_id, locality_id = _pk(street), _pk(locality)
    if street_id is None and locality_id is None:
        return None
    params = {"street": street_id, "locality": locality_id, "key": None, "number": None}
    params["side"] = Parity.BOTH
    if street_id is not None and building.strip():
        address = parse_building(building)
        params["key"], params["number"] = address.key, address.number
        params["side"] = Parity.ODD if address.number % 2 else Parity.EVEN
    with connection.cursor() as cursor:
        cursor.execute(_STATION_SQL, params)
        row = cursor.fetchone()
    return _station_from_row(row) if row is not None else None


def streets_matching(text: str, *, locality=None, limit: int = 10) -> list[Street]:
    """Streets for a typeahead: those with a name (current or former, Kazakh, Russian or any
    other) whose search key (`polling.addresses.street_key`) starts with the text's key, in the
    active language's alphabetical order of their names, then by pk. Each street carries
    `matched_name`: the name that matched, and `matched_former`: whether it is a former name
    (which shows why the street was offered; a current name in another language is none).

    The prefix search uses the btree index on StreetName.key (text_pattern_ops); at most
    STREET_CANDIDATES names are read, in key order, before sorting. A street-type word being
    typed after the name ("Абай к", "Абая ули") is not yet a word of the name: the name before it
    is searched (`typed_street_key`); a whole type word typed keeps the streets with a name of
    that kind, if any ("Абай көшесі": not Абай даңғылы, `street_kind`). Two queries."""
    key = typed_street_key(text)
    if not key or limit <= 0:
        return []
    names = StreetName.objects.filter(key__startswith=key)
    locality_id = _pk(locality)
    if locality_id is not None:
        names = names.filter(street__locality_id=locality_id)
    found: dict[int, tuple[tuple[bool, bool], str, str]] = {}
    typed_kind, of_kind = street_kind(text), set()
    for street_id, name, name_key, kind in names.order_by("key", "pk").values_list(
        "street_id", "name", "key", "kind"
    )[:STREET_CANDIDATES]:
        # The closest name wins: an exact key before a longer one, a current name (in any
        # language) before a former one; else the first in key order.
        rank = (name_key != key, kind == StreetNameKind.FORMER)
        if street_id not in found or rank < found[street_id][0]:
            found[street_id] = (rank, name, kind)
        if typed_kind and street_kind(name) == typed_kind:
            of_kind.add(street_id)
    if of_kind:  # "Абай көш": the streets, not the avenue of that name (`street_kind`)
        found = {street_id: found[street_id] for street_id in of_kind}
    streets = list(Street.objects.filter(pk__in=found).select_related("locality__region"))
    for street in streets:
        _rank, street.matched_name, kind = found[street.pk]
        street.matched_former = kind == StreetNameKind.FORMER
    ordered = sorted_by_name(streets, key=lambda street: street.name, unique=lambda s: s.pk)
    return ordered[:limit]


@dataclass(frozen=True)
class UnservedAddresses:
    """Addresses of a street no station serves: the whole street (`parity` both, no numbers),
    one side of it, or the numbers from–to of a side (`number_to` None: and every number above).
    Single-building rules do not count: they serve one building, not a stretch of numbers."""

    street: Street
    parity: str = Parity.BOTH
    number_from: int | None = None
    number_to: int | None = None


def _gaps(ranges: list[tuple[int, int]], first: int) -> list[tuple[int, int | None]]:
    """The numbers of one side (first: 1 odd, 2 even) no range covers, as (from, to) stretches,
    the last open-ended."""

    def up(number: int) -> int:
        return number if (number - first) % 2 == 0 else number + 1

    def down(number: int) -> int:
        return number if (number - first) % 2 == 0 else number - 1

    spans = sorted((up(low), down(high)) for low, high in ranges if up(low) <= down(high))
    gaps: list[tuple[int, int | None]] = []
    expected = first
    for low, high in spans:
        if low > expected:
            gaps.append((expected, low - 2))
        expected = max(expected, high + 2)
    gaps.append((expected, None))
    return gaps


def unserved_addresses(locality) -> list[UnservedAddresses]:
    """What of a locality (a Locality or its id) no station serves, street by street in the
    alphabet's order: nothing when a rule serves the whole locality; else each street with no
    rule, each side with none, and the stretches of a side between, below or above its ranges.
    Two queries."""
    locality_id = _pk(locality)
    if TerritoryRule.objects.filter(locality_id=locality_id, kind=RuleKind.LOCALITY).exists():
        return []
    streets = Street.objects.filter(locality_id=locality_id).prefetch_related(
        Prefetch(
            "territory_rules",
            queryset=TerritoryRule.objects.filter(kind__in=[RuleKind.STREET, RuleKind.RANGE]),
            to_attr="side_rules",
        )
    )
    report = []
    for street in sorted_by_name(streets, key=lambda s: s.name, unique=lambda s: s.pk):
        rules = street.side_rules
        if not rules:
            report.append(UnservedAddresses(street))
            continue
        if any(r.kind == RuleKind.STREET and r.parity == Parity.BOTH for r in rules):
            continue
        for side, first in ((Parity.ODD, 1), (Parity.EVEN, 2)):
            if any(r.kind == RuleKind.STREET and r.parity == side for r in rules):
                continue
            ranges = [
                (r.number_from, r.number_to)
                for r in rules
                if r.kind == RuleKind.RANGE and r.parity in (Parity.BOTH, side)
            ]
            if not ranges:
                report.append(UnservedAddresses(street, side))
                continue
            for low, high in _gaps(ranges, first):
                report.append(UnservedAddresses(street, side, low, high))
    return report


# ADDRESSES AS TEXT


@dataclass(frozen=True)
class TextAddressMatch:
    """What a typed address names (`station_for_text`): the reading understood (None: it names
    no known street, nor a locality a station serves whole), the one street it names
    (`street_id`) with the station that serves it (None: no station does), or the streets it
    may name (`candidates`: several, at most `limit`, each with `matched_name` and
    `matched_former` as `streets_matching` gives them, in the alphabet's order of the request's
    language, then by pk; `street_id` None), or, with no street, the locality served whole that
    answers (`locality_id`, with its `station`)."""

    reading: AddressReading | None
    street_id: int | None = None
    station: PollingStation | None = None
    candidates: tuple[Street, ...] = ()
    locality_id: int | None = None


def _names_locality(names: tuple[str, ...]) -> Q:
    """A street name's street in a locality with one of `names` (in any language, either case),
    or in a city district of a city with one of them."""
    condition = Q()
    for name in names:
        for code, _language in settings.LANGUAGES:
            field = build_localized_fieldname("name", code)
            condition |= Q(**{f"street__locality__{field}__iexact": name})
            condition |= Q(**{f"street__locality__parent__{field}__iexact": name})
    return condition


def station_for_text(text, *, locality=None, limit: int = 10) -> TextAddressMatch:
    """The station that serves an address typed as text ("ул. Абая, 12/1", "Алматы, Ленина 5"),
    read by `polling.addresses.parse_address` (its ValidationError passes through), decided by
    `station_for_address`. `locality` (a Locality or its id) narrows the streets to that
    locality and its city districts.

    The streets of the first reading that names any are taken: those with a name whose search
    key equals the reading's (`ул. Абая` is `проспект Абая`, a former name too), else those
    whose key starts with it (`Кенесар` finds Кенесары). One street: its station for the
    reading's building. Several (one name in several localities, or a name that is the start of
    others): those of them with a name of the kind the reading's type word names, if any
    ("Абай даңғылы": the avenue, not Абай көшесі, `street_kind`); still several: no station,
    the candidates. At most STREET_CANDIDATES names are read, in key order
    (an exact key before longer ones). Two queries: the names of every reading's streets, then
    the station or the candidates.

    When no street matches: the station serving the whole of the `locality` given, or of the
    one locality the street's words name ("с. Саты", "Саты ауылы": a village served whole,
    whatever its streets), read in one or two more queries; else nothing."""
    readings = parse_address(text)
    names = StreetName.objects.filter(
        reduce(or_, (Q(key__startswith=reading.key) for reading in readings))
    )
    locality_id = _pk(locality)
    if locality_id is not None:
        names = names.filter(
            Q(street__locality_id=locality_id) | Q(street__locality__parent_id=locality_id)
        )
    conditions = []
    for reading in readings:
        condition = Q(key__startswith=reading.key)
        if reading.locality:
            condition &= _names_locality(reading.locality)
        conditions.append(condition)
    rows = list(
        names.filter(reduce(or_, conditions))
        .annotate(
            reading=Case(
                *(When(condition, then=Value(n)) for n, condition in enumerate(conditions)),
                output_field=models.IntegerField(),
            )
        )
        .order_by("reading", "key", "pk")
        .values_list("street_id", "name", "key", "kind", "reading")[:STREET_CANDIDATES]
    )
    if not rows:
        return _station_for_locality_text(readings[0], locality_id)
    reading = readings[rows[0][4]]
    rows = [row for row in rows if row[4] == rows[0][4]]
    rows = [row for row in rows if row[2] == reading.key] or rows
    found: dict[int, tuple[tuple[bool, bool], str, str]] = {}
    for street_id, name, name_key, kind, _reading in rows:
        rank = (name_key != reading.key, kind == StreetNameKind.FORMER)
        if street_id not in found or rank < found[street_id][0]:
            found[street_id] = (rank, name, kind)
    kind = street_kind(reading.street) if len(found) > 1 else None
    if kind:  # "Абай даңғылы" of an avenue and a street both named Абай: the avenue
        of_kind = {row[0] for row in rows if street_kind(row[1]) == kind}
        found = {key: value for key, value in found.items() if key in of_kind} or found
    if len(found) == 1:
        (street_id,) = found
        station = station_for_address(street=street_id, building=reading.building)
        return TextAddressMatch(reading=reading, street_id=street_id, station=station)
    streets = list(Street.objects.filter(pk__in=found).select_related("locality__region"))
    for street in streets:
        _rank, street.matched_name, kind = found[street.pk]
        street.matched_former = kind == StreetNameKind.FORMER
    ordered = sorted_by_name(streets, key=lambda street: street.name, unique=lambda s: s.pk)
    return TextAddressMatch(reading=reading, candidates=tuple(ordered[: max(limit, 1)]))


def _station_for_locality_text(reading: AddressReading, locality_id: int | None):
    """No street matched: the station serving the whole of the locality given, or of the one
    locality the reading's street words name (in any language, either case)."""
    if locality_id is None:
        condition = Q()
        for name in locality_names(reading.street):
            for code, _language in settings.LANGUAGES:
                condition |= Q(**{f"{build_localized_fieldname('name', code)}__iexact": name})
        if not condition:
            return TextAddressMatch(reading=None)
        found = list(Locality.objects.filter(condition).values_list("pk", flat=True)[:2])
        if len(found) != 1:
            return TextAddressMatch(reading=None)
        (locality_id,) = found
    station = station_for_address(locality=locality_id)
    if station is None:
        return TextAddressMatch(reading=None)
    return TextAddressMatch(reading=reading, station=station, locality_id=locality_id)
