"""The national registry the benchmarks read: stations at home and abroad, the territories that
say which station serves an address, and published voting hours decisions.

    from bench.registry import seed          # inside Django, in a transaction if it is to go
    registry = seed(stations=10_223, addresses=1_000_000)

    python -m bench.registry --full          # into DATABASE_URL's database, committed
    python -m bench.registry --stations 300 --addresses 3000

`--full` is the registry issue #9 names: 10,223 stations (10,146 at home in 20 regions, 77
abroad) and 1,000,000 addresses in the territories. bench/address_lookup.py seeds it inside a
transaction it rolls back; bench/public_api.py into its own <name>_bench database, after the
demo (`load_demo`), and reads its paths from what is there.

What is built:
- regions: every region of the database that has a territorial commission (the demo's 20);
  in a database without any, 20 bench regions with a CEC and their territorial commissions;
- stations at home, spread evenly over the regions and numbered from HOME_NUMBERS in each, each
  with its precinct commission (same number, under the region's territorial commission); a
  name, address and (nine times in ten) coordinates in kk, ru and en, accessibility, a phone;
- stations abroad (77 in 10,223, the same share for other counts), numbered from ABROAD_NUMBERS,
  in a dozen countries with their own zones, their commissions under the territorial
  commission of Astana (as the demo's) or of the first region;
- one city per region, and addresses = streets × 100 buildings, the streets dealt to the
  cities in turn: each with its current name in Kazakh and Russian (common names, Абай көшесі /
  улица Абая, told apart by a number when a name comes back) and one street in ten a former
  Russian name (улица Ленина); each street's odd and even sides split into two ranges each,
  plus two single buildings (12А, 24/1), each rule another station of the street's region;
  a village served whole per 20 stations, dealt to the regions in turn;
- with an election (the demo's Mazhilis of 2023-03-19 if `election` is not given and it
  exists), one published decision per region by its territorial commission that changes the
  hours of one station in 20 of those it runs (at home and abroad).

The rows are bulk-inserted (a benchmark's fixture, not a write path: the services' checks are
the tests' business); the search keys of street names are `polling.addresses.street_key`'s, so
the typeahead finds them as it finds any. The public cache's areas are marked changed (on
commit), since bulk inserts send no signals.

Numbers must be free in the database: HOME_NUMBERS + n and ABROAD_NUMBERS + n (the demo uses
numbers below 10,000). Raises ValueError for counts that do not fit them.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

FULL_STATIONS = 10_223
FULL_ABROAD = 77
FULL_ADDRESSES = 1_000_000
BUILDINGS_PER_STREET = 100
STATIONS_PER_VILLAGE = 20
CHANGED_EVERY = 20  # one station in 20 has its hours changed by a decision
HOME_NUMBERS = 10_000  # station numbers at home start above this, in each region
ABROAD_NUMBERS = 90_000  # and abroad above this (the finder reads numbers up to 99,999)
BATCH = 5_000
DEMO_ELECTION = {"kind": "mazhilis", "election_day": date(2023, 3, 19)}

# (Kazakh, Russian) current names: "Абай көшесі", "улица Абая".
STREET_NAMES = [
    ("Абай", "Абая"),
    ("Достық", "Достык"),
    ("Бейбітшілік", "Мира"),
    ("Жамбыл", "Жамбыла"),
    ("Сейфуллин", "Сейфуллина"),
    ("Төле би", "Толе би"),
    ("Әуезов", "Ауэзова"),
    ("Тәуелсіздік", "Независимости"),
    ("Республика", "Республики"),
    ("Желтоқсан", "Желтоксан"),
    ("Қабанбай батыр", "Кабанбай батыра"),
    ("Кенесары", "Кенесары"),
    ("Бөгенбай батыр", "Богенбай батыра"),
    ("Сәтбаев", "Сатпаева"),
    ("Байтұрсынұлы", "Байтурсынова"),
    ("Шевченко", "Шевченко"),
    ("Пушкин", "Пушкина"),
    ("Гагарин", "Гагарина"),
    ("Мәңгілік Ел", "Мангилик Ел"),
    ("Тұран", "Туран"),
    ("Сарыарқа", "Сарыарка"),
    ("Иманов", "Иманова"),
    ("Жібек жолы", "Жибек жолы"),
    ("Абылай хан", "Абылай хана"),
    ("Райымбек", "Райымбека"),
    ("Момышұлы", "Момышулы"),
    ("Мұқанов", "Муканова"),
    ("Алтынсарин", "Алтынсарина"),
    ("Бұқар жырау", "Бухар жырау"),
    ("Жансүгіров", "Жансугурова"),
]
FORMER_NAMES = ["Ленина", "Кирова", "Карла Маркса", "Фрунзе", "Калинина", "Горького", "Советская"]
ABROAD_PLACES = [
    ("TR", "Europe/Istanbul"),
    ("RU", "Europe/Moscow"),
    ("DE", "Europe/Berlin"),
    ("US", "America/New_York"),
    ("CN", "Asia/Shanghai"),
    ("GB", "Europe/London"),
    ("AE", "Asia/Dubai"),
    ("KR", "Asia/Seoul"),
    ("UZ", "Asia/Tashkent"),
    ("KG", "Asia/Bishkek"),
    ("FR", "Europe/Paris"),
    ("JP", "Asia/Tokyo"),
]


@dataclass
class Registry:
    """What `seed` built: ids, for the benchmarks to read."""

    stations: list[int] = field(default_factory=list)  # at home and abroad
    abroad: list[int] = field(default_factory=list)
    streets: list[int] = field(default_factory=list)
    villages: list[int] = field(default_factory=list)
    rules: int = 0
    changed: list[int] = field(default_factory=list)  # stations a published decision covers
    regions: int = 0

    @property
    def addresses(self) -> int:
        return len(self.streets) * BUILDINGS_PER_STREET

    def summary(self) -> str:
        return (
            f"{len(self.stations):,} stations ({len(self.stations) - len(self.abroad):,} at "
            f"home in {self.regions} regions, {len(self.abroad)} abroad), {self.addresses:,} "
            f"addresses on {len(self.streets):,} streets and {len(self.villages):,} villages, "
            f"{self.rules:,} territory rules, {len(self.changed):,} stations with changed hours"
        )


def abroad_count(stations: int) -> int:
    """Stations abroad among `stations`: the national registry's share (77 in 10,223)."""
    return round(stations * FULL_ABROAD / FULL_STATIONS)


def seed(*, stations: int, addresses: int, election=None) -> Registry:
    """Builds the registry (see the module) and returns its ids. `election`: an Election whose
    hours the decisions change; None: the demo's Mazhilis election if there is one, else no
    decision."""
    from commissions.models import Commission, Election
    from core import caching

    abroad = abroad_count(stations)
    regions = _regions()
    home = stations - abroad
    per_region = -(-home // len(regions))
    if per_region >= ABROAD_NUMBERS - HOME_NUMBERS or abroad >= 100_000 - ABROAD_NUMBERS:
        raise ValueError(f"{stations} stations do not fit the bench's station numbers")
    registry = Registry(regions=len(regions))
    home_rows = _stations(regions, home)
    abroad_rows = _stations_abroad(regions, abroad)
    registry.stations = [s.pk for s in home_rows + abroad_rows]
    registry.abroad = [s.pk for s in abroad_rows]
    registry.streets, registry.villages, registry.rules = _territories(
        regions, home_rows, addresses
    )
    if election is None:
        election = Election.objects.filter(**DEMO_ELECTION).order_by("pk").first()
    if election is not None:
        by_commission = {}
        for station in home_rows + abroad_rows:
            by_commission.setdefault(station.precinct_commission.parent_id, []).append(station)
        commissions = Commission.objects.in_bulk(list(by_commission))
        registry.changed = _decisions(election, commissions, by_commission)
    caching.area_changed("commissions", "polling")
    return registry


def _regions():
    """[(region, territorial commission)]: the database's, else 20 bench regions."""
    from commissions.choices import CommissionLevel
    from commissions.models import Commission, Region

    territorials = {
        c.region_id: c
        for c in Commission.objects.filter(level=CommissionLevel.TERRITORIAL).order_by("-pk")
    }
    regions = [
        (r, territorials[r.pk]) for r in Region.objects.order_by("pk") if r.pk in territorials
    ]
    if regions:
        return regions
    cec = Commission.objects.filter(level=CommissionLevel.CEC).first()
    if cec is None:
        cec = Commission.objects.create(level=CommissionLevel.CEC, name="CEC")
    for n in range(1, 21):
        region = Region.objects.create(
            code=f"bench-{n}", name=f"Bench region {n}", kind="oblast", timezone="Asia/Almaty"
        )
        territorial = Commission.objects.create(
            level=CommissionLevel.TERRITORIAL, name=f"Bench TEC {n}", region=region, parent=cec
        )
        regions.append((region, territorial))
    return regions


def _precincts(specs):
    """Precinct commissions for (region, parent, number)."""
    from commissions.choices import CommissionLevel
    from commissions.models import Commission

    return Commission.objects.bulk_create(
        [
            Commission(
                level=CommissionLevel.PRECINCT, region=region, parent=parent, number=number,
                name_kk=f"№ {number} учаскелік сайлау комиссиясы",
                name_ru=f"Участковая избирательная комиссия № {number}",
                name_en=f"Precinct election commission No. {number}",
            )
            for region, parent, number in specs
        ],
        batch_size=BATCH,
    )  # fmt: skip


def _station(n: int, commission, **fields):
    from polling.models import PollingStation

    number = commission.number
    located = n % 10 != 9
    return PollingStation(
        number=number,
        precinct_commission=commission,
        name_kk=f"№ {n % 90 + 1} мектеп-гимназия",
        name_ru=f"Школа-гимназия № {n % 90 + 1}",
        name_en=f"School-gymnasium No. {n % 90 + 1}",
        address_kk=f"{STREET_NAMES[n % len(STREET_NAMES)][0]} көшесі, {n % 99 + 1}",
        address_ru=f"улица {STREET_NAMES[n % len(STREET_NAMES)][1]}, {n % 99 + 1}",
        address_en=f"{n % 99 + 1} {STREET_NAMES[n % len(STREET_NAMES)][1]} Street",
        latitude=Decimal(f"{41 + (n * 7919) % 1100 / 100:.6f}") if located else None,
        longitude=Decimal(f"{51 + (n * 104729) % 3400 / 100:.6f}") if located else None,
        step_free_entrance=n % 2 == 0,
        has_ramp=n % 3 == 0,
        accessible_booth=n % 4 == 0,
        phone=f"+7717{n % 10_000_000:07d}" if n % 5 else "",
        **fields,
    )


def _stations(regions, count: int):
    from polling.models import PollingStation

    specs = []
    for n in range(count):
        region, territorial = regions[n % len(regions)]
        specs.append((region, territorial, HOME_NUMBERS + 1 + n // len(regions)))
    precincts = _precincts(specs)
    return PollingStation.objects.bulk_create(
        [
            _station(n, commission, region=spec[0])
            for n, (spec, commission) in enumerate(zip(specs, precincts, strict=True))
        ],
        batch_size=BATCH,
    )


def _stations_abroad(regions, count: int):
    from polling.models import PollingStation

    region, parent = next(((r, c) for r, c in regions if r.code == "astana"), regions[0])
    precincts = _precincts([(region, parent, ABROAD_NUMBERS + 1 + n) for n in range(count)])
    rows = []
    for n, commission in enumerate(precincts):
        country, zone = ABROAD_PLACES[n % len(ABROAD_PLACES)]
        rows.append(
            _station(n, commission, region=None, is_abroad=True, country=country, timezone=zone)
        )
    return PollingStation.objects.bulk_create(rows, batch_size=BATCH)


def _territories(regions, stations, addresses: int):
    """One city per region, its streets and their rules, and the villages: (streets' ids,
    villages' ids, rules)."""
    from polling.addresses import street_key
    from polling.choices import LocalityKind, Parity, RuleKind, StreetNameKind
    from polling.models import Locality, Street, StreetName, TerritoryRule

    if not stations:
        return [], [], 0
    cities = Locality.objects.bulk_create(
        [
            Locality(
                region=region, kind=LocalityKind.CITY, name_kk=f"Қала {n + 1}",
                name_ru=f"Город {n + 1}", name_en=f"City {n + 1}",
            )
            for n, (region, _territorial) in enumerate(regions)
        ]
    )  # fmt: skip
    by_region: dict[int, list[int]] = {}
    for station in stations:
        by_region.setdefault(station.region_id, []).append(station.pk)
    used = [(city, by_region[city.region_id]) for city in cities if city.region_id in by_region]
    villages = Locality.objects.bulk_create(
        [
            Locality(
                region=used[n % len(used)][0].region, kind=LocalityKind.VILLAGE,
                name_kk=f"Ауыл {n + 1}", name_ru=f"Аул {n + 1}", name_en=f"Auyl {n + 1}",
            )
            for n in range(max(1, len(stations) // STATIONS_PER_VILLAGE))
        ],
        batch_size=BATCH,
    )  # fmt: skip
    count = max(1, addresses // BUILDINGS_PER_STREET)
    names = []
    for n in range(count):
        kk, ru = STREET_NAMES[n % len(STREET_NAMES)]
        repeat = n // len(STREET_NAMES)
        names.append(
            (f"{kk} {repeat + 1}" if repeat else kk, f"{ru} {repeat + 1}" if repeat else ru)
        )
    streets = Street.objects.bulk_create(
        [
            Street(
                locality=used[n % len(used)][0], name_kk=f"{kk} көшесі", name_ru=f"улица {ru}",
                name_en=f"{ru} Street",
            )
            for n, (kk, ru) in enumerate(names)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    street_names = []
    for n, street in enumerate(streets):
        for name, language, kind in (
            (street.name_kk, "kk", StreetNameKind.CURRENT),
            (street.name_ru, "ru", StreetNameKind.CURRENT),
        ) + (
            ((f"улица {FORMER_NAMES[n // 10 % len(FORMER_NAMES)]}", "ru", StreetNameKind.FORMER),)
            if n % 10 == 0
            else ()
        ):
            street_names.append(
                StreetName(
                    street=street, name=name, language=language, kind=kind, key=street_key(name)
                )
            )
    StreetName.objects.bulk_create(street_names, batch_size=BATCH)
    rules = []
    at = 0
    half = BUILDINGS_PER_STREET // 2
    for n, street in enumerate(streets):
        served = used[n % len(used)][1]
        for parity, first in ((Parity.ODD, 1), (Parity.EVEN, 2)):
            for low, high in ((first, half), (half + first, BUILDINGS_PER_STREET)):
                rules.append(
                    TerritoryRule(
                        station_id=served[at % len(served)], kind=RuleKind.RANGE,
                        locality=street.locality, street=street, parity=parity, number_from=low,
                        number_to=high,
                    )
                )  # fmt: skip
                at += 1
        for building, key in (("12А", "12A"), ("24/1", "24/1")):
            rules.append(
                TerritoryRule(
                    station_id=served[at % len(served)], kind=RuleKind.BUILDING,
                    locality=street.locality, street=street, building=building, building_key=key,
                )
            )  # fmt: skip
            at += 1
    for village in villages:
        served = by_region[village.region_id]
        rules.append(
            TerritoryRule(
                station_id=served[at % len(served)], kind=RuleKind.LOCALITY, locality=village
            )
        )
        at += 1
    TerritoryRule.objects.bulk_create(rules, batch_size=BATCH)
    return [s.pk for s in streets], [v.pk for v in villages], len(rules)


def _decisions(election, commissions, by_commission) -> list[int]:
    """One published decision per territorial commission over one station in CHANGED_EVERY of
    those it runs; the ids of the stations covered."""
    from polling.choices import DecisionStatus, HoursReason, ProposingBody
    from polling.models import VotingHoursDecision

    published_at = datetime.combine(election.election_day, time(6), tzinfo=UTC)
    decisions, covered = [], []
    for n, (commission_id, stations) in enumerate(sorted(by_commission.items())):
        chosen = stations[::CHANGED_EVERY]
        early = n % 2 == 0
        decisions.append(
            VotingHoursDecision(
                election=election, commission=commissions[commission_id],
                number=f"bench-{n + 1}", proposed_by=ProposingBody.AKIM,
                opens_at=time(6) if early else None, closes_at=None if early else time(22),
                reason_kind=HoursReason.REMOTE_AREA if early else HoursReason.SHIFT_CAMP,
                reason_kk="Алыс жайылым", reason_ru="Отдалённые пастбища",
                reason_en="Remote pastures", status=DecisionStatus.PUBLISHED,
                adopted_on=election.election_day.replace(day=1), published_at=published_at,
            )
        )  # fmt: skip
        covered.append(chosen)
    decisions = VotingHoursDecision.objects.bulk_create(decisions)
    through = VotingHoursDecision.stations.through
    through.objects.bulk_create(
        [
            through(votinghoursdecision_id=decision.pk, pollingstation_id=station.pk)
            for decision, chosen in zip(decisions, covered, strict=True)
            for station in chosen
        ],
        batch_size=BATCH,
    )
    return [station.pk for chosen in covered for station in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--full", action="store_true", help="10,223 stations (77 abroad), 1,000,000 addresses"
    )
    parser.add_argument("--stations", type=int, default=2_000)
    parser.add_argument("--addresses", type=int, default=20_000)
    options = parser.parse_args()
    if options.full:
        options.stations, options.addresses = FULL_STATIONS, FULL_ADDRESSES
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    with transaction.atomic():
        registry = seed(stations=options.stations, addresses=options.addresses)
    print(registry.summary())


if __name__ == "__main__":
    main()
