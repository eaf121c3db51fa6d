"""How long `polling.selectors.station_for_address` takes to find the station of an address.

    python bench/address_lookup.py                # 200 stations, 20,000 addresses
    python bench/address_lookup.py --full         # 10,223 stations (77 abroad), 1,000,000 addresses
    python bench/address_lookup.py --stations 1000 --addresses 100000 --lookups 5000

Builds, inside one transaction that is rolled back at the end (nothing stays in the database of
the environment), the national registry of bench/registry.py (`seed`, shared with
bench/public_api.py): stations at home in every region (or 20 bench regions in an empty
database) and abroad, one city per region with streets of 100 buildings each (addresses =
streets × 100) whose odd and even sides are split into ranges between its region's stations,
plus two single buildings with letters or blocks (12А, 24/1) served by another station, and a
village served whole per 20 stations. Then it looks up random addresses (a building number with
a letter or block one time in four, a village now and then), after a warm-up, and prints the
median, p90, p99 and maximum of one call, and the queries it made.
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

from bench.registry import BUILDINGS_PER_STREET, FULL_ADDRESSES, FULL_STATIONS  # noqa: E402
from bench.registry import seed as seed_registry  # noqa: E402


class _Rollback(Exception):
    pass


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
    parser.add_argument(
        "--full", action="store_true", help="10,223 stations (77 abroad), 1,000,000 addresses"
    )
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
            registry = seed_registry(stations=options.stations, addresses=options.addresses)
            streets, villages = registry.streets, registry.villages
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

    print(f"{registry.summary()} (built in {built:.1f} s, rolled back)")
    print(
        f"station_for_address x {len(times)}: median {statistics.median(times):.3f} ms, "
        f"p90 {pct(90):.3f} ms, p99 {pct(99):.3f} ms, max {times[-1]:.3f} ms; "
        f"{found} served; {queries / len(times):.2f} queries per call"
    )


if __name__ == "__main__":
    main()
