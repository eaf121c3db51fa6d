"""How long `polling.selectors.station_for_address` takes to find the station of an address.

    python bench/address_lookup.py                # 200 stations, 20,000 addresses
    python bench/address_lookup.py --full         # 10,223 stations, 1,000,000 addresses
    python bench/address_lookup.py --stations 1000 --addresses 100000 --lookups 5000

Builds, inside one transaction that is rolled back at the end (nothing stays in the database of
the environment), a bench region with its territorial commission, the stations with their
precinct commissions, one city with streets of 100 buildings each (addresses = streets × 100),
and the territories: each street's odd and even sides split into ranges between stations, plus
two single buildings with letters or blocks (12А, 24/1) served by another station, and a village
served whole per 20 stations. The rows are bulk-inserted (a benchmark's fixture, not a write
path: the services' checks are the tests' business). Then it looks up random addresses (a
building number with a letter or block one time in four, a village now and then), after a
warm-up, and prints the median, p90, p99 and maximum of one call, and the queries it made.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("PUBLIC_BASE_URL", "https://bench.invalid")

BUILDINGS_PER_STREET = 100
FULL_STATIONS = 10_223
FULL_ADDRESSES = 1_000_000
BATCH = 5_000


class _Rollback(Exception):
    pass


def build(stations: int, addresses: int):
    """The bench's rows; returns (streets' ids, villages' ids)."""
    from commissions.choices import CommissionLevel
    from commissions.models import Commission, Region
    from polling.choices import LocalityKind, Parity, RuleKind
    from polling.models import Locality, PollingStation, Street, StreetName, TerritoryRule

    region = Region.objects.create(
        code="bench-region", name="Bench", kind="oblast", timezone="Asia/Almaty"
    )
    cec = Commission.objects.filter(level=CommissionLevel.CEC).first()
    if cec is None:
        cec = Commission.objects.create(level=CommissionLevel.CEC, name="CEC")
    territorial = Commission.objects.create(
        level=CommissionLevel.TERRITORIAL, name="Bench TEC", region=region, parent=cec
    )
    precincts = Commission.objects.bulk_create(
        [
            Commission(
                level=CommissionLevel.PRECINCT,
                name=f"PEC {n}",
                region=region,
                parent=territorial,
                number=n,
            )
            for n in range(1, stations + 1)
        ],
        batch_size=BATCH,
    )
    station_rows = PollingStation.objects.bulk_create(
        [
            PollingStation(
                number=p.number, name=f"School {p.number}", address="-", region=region,
                precinct_commission=p,
            )
            for p in precincts
        ],
        batch_size=BATCH,
    )  # fmt: skip
    city = Locality.objects.create(region=region, kind=LocalityKind.CITY, name="Bench City")
    villages = Locality.objects.bulk_create(
        [
            Locality(region=region, kind=LocalityKind.VILLAGE, name=f"Auyl {n}")
            for n in range(max(1, stations // 20))
        ]
    )
    street_count = max(1, addresses // BUILDINGS_PER_STREET)
    streets = Street.objects.bulk_create(
        [Street(locality=city, name=f"Street {n}") for n in range(street_count)],
        batch_size=BATCH,
    )
    StreetName.objects.bulk_create(
        [
            StreetName(street=s, name=f"Көше {s.pk}", language="kk", key=f"koshe {s.pk}")
            for s in streets
        ],
        batch_size=BATCH,
    )
    rules = []
    ids = [s.pk for s in station_rows]
    at = 0
    for street in streets:
        for parity, first in ((Parity.ODD, 1), (Parity.EVEN, 2)):
            # each side in two ranges of two stations
            half = BUILDINGS_PER_STREET // 2
            for low, high in ((first, half), (half + first, BUILDINGS_PER_STREET)):
                rules.append(
                    TerritoryRule(
                        station_id=ids[at % len(ids)], kind=RuleKind.RANGE, locality=city,
                        street=street, parity=parity, number_from=low, number_to=high,
                    )
                )  # fmt: skip
                at += 1
        for building, key in (("12А", "12A"), ("24/1", "24/1")):
            rules.append(
                TerritoryRule(
                    station_id=ids[at % len(ids)], kind=RuleKind.BUILDING, locality=city,
                    street=street, building=building, building_key=key,
                )
            )  # fmt: skip
            at += 1
    for village in villages:
        rules.append(
            TerritoryRule(station_id=ids[at % len(ids)], kind=RuleKind.LOCALITY, locality=village)
        )
        at += 1
    TerritoryRule.objects.bulk_create(rules, batch_size=BATCH)
    return [s.pk for s in streets], [v.pk for v in villages], len(rules)


def measure(streets, villages, lookups: int, seed: int):
    from django.db import connection, reset_queries

    from polling.selectors import station_for_address

    rng = random.Random(seed)
    suffixes = ["", "", "", "А", "/1", "Б", " корпус 2"]

    def one():
        if rng.random() < 0.02:
            return {"locality": rng.choice(villages)}
        number = rng.randint(1, BUILDINGS_PER_STREET)
        return {"street": rng.choice(streets), "building": f"{number}{rng.choice(suffixes)}"}

    for _ in range(min(500, lookups)):  # warm-up: connections, compiled code, buffers
        station_for_address(**one())
    times = []
    found = 0
    connection.force_debug_cursor = True
    reset_queries()
    for _ in range(lookups):
        address = one()
        start = time.perf_counter()
        station = station_for_address(**address)
        times.append((time.perf_counter() - start) * 1000)
        found += station is not None
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return times, found, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="10,223 stations, 1,000,000 addresses")
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--addresses", type=int, default=20_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=19032023)
    options = parser.parse_args()
    if options.full:
        options.stations, options.addresses = FULL_STATIONS, FULL_ADDRESSES

    import django

    django.setup()
    from django.db import connection, transaction

    try:
        with transaction.atomic():
            start = time.perf_counter()
            streets, villages, rules = build(options.stations, options.addresses)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE polling_territoryrule; ANALYZE polling_street")
            built = time.perf_counter() - start
            times, found, queries = measure(streets, villages, options.lookups, options.seed)
            raise _Rollback
    except _Rollback:
        pass
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))]

    print(
        f"{options.stations} stations, {len(streets) * BUILDINGS_PER_STREET} addresses on "
        f"{len(streets)} streets and {len(villages)} villages, {rules} rules "
        f"(built in {built:.1f} s, rolled back)"
    )
    print(
        f"station_for_address x {len(times)}: median {statistics.median(times):.3f} ms, "
        f"p90 {pct(90):.3f} ms, p99 {pct(99):.3f} ms, max {times[-1]:.3f} ms; "
        f"{found} served; {queries / len(times):.2f} queries per call"
    )


if __name__ == "__main__":
    main()
