"""Where a public read spends its time: cProfile over Django's test client, in one process.

    python bench/profile_reads.py                 # every public read, 200 requests each
    python bench/profile_reads.py --only station  # the reads whose name contains "station"
    python bench/profile_reads.py --top 25 --requests 500 --sort tottime

Runs against the database of the environment (load the demo first: `manage.py load_demo`; or
point DATABASE_URL at the <name>_bench database bench/public_api.py left, for its registry), with
DEBUG off, after a warm-up, and prints per read the mean cost of a request (profiled, so slower
than served) and the functions with the most cumulative time. Set BENCH_NO_CACHE=1 to measure
the uncached path (each request then carries a unique query parameter).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "profile-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("API_ANON_RATE", "100000000/second")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("PUBLIC_BASE_URL", "https://saylau.example.kz")


def reads() -> list[tuple[str, list[str]]]:
    from commissions.models import Election
    from polling.models import PollingStation, TerritoryRule

    stations = list(PollingStation.objects.exclude(region=None).values_list("pk", "region_id")[:50])
    election = Election.objects.filter(kind="mazhilis").order_by("election_day", "pk").first()
    day = f"election={election.pk}&date=2023-03-07" if election else ""
    chosen = f"election={election.pk}" if election else ""
    regions = sorted({r for _, r in stations})
    served = list(
        TerritoryRule.objects.filter(kind="range")
        .order_by("pk")
        .values_list("street_id", "number_from", "street__names__name")[:50]
    )
    return [
        ("station page", [f"/kk/polling/stations/{pk}/?{chosen}" for pk, _ in stations]),
        ("station finder", ["/kk/polling/"]),
        (
            "station finder, streets to choose",
            [f"/kk/polling/?street={quote(name[:4])}" for _, _, name in served],
        ),
        (
            "street typeahead",
            [f"/kk/polling/streets.json?q={quote(name[:4])}" for _, _, name in served],
        ),
        ("API streets", [f"/api/v1/streets/?q={quote(name[:4])}" for _, _, name in served]),
        (
            "API address look-up",
            [
                f"/api/v1/polling-stations/lookup/?street={street}&building={number}"
                for street, number, _ in served
            ],
        ),
        (
            "stations with changed hours",
            [f"/kk/polling/changed-hours/?{chosen}&region={r}" for r in regions]
            + [f"/kk/polling/changed-hours/?{chosen}"],
        ),
        ("API station detail", [f"/api/v1/polling-stations/{pk}/" for pk, _ in stations]),
        (
            "API station list",
            [f"/api/v1/polling-stations/?region={r}&page_size=50" for _, r in stations],
        ),
        ("API regions", ["/api/v1/regions/"]),
        ("home page", ["/kk/"]),
        ("API observers' statistics", [f"/api/v1/observers/stats/?{day}"]),
        ("observers' statistics page", [f"/kk/observers/stats/?{day}"]),
        ("observers' list page", ["/kk/observers/"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--only", default="")
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1")
    bust = os.environ.get("BENCH_NO_CACHE") == "1"
    for name, paths in reads():
        if args.only and args.only.lower() not in name.lower():
            continue

        def get(i: int, paths=paths) -> None:
            path = paths[i % len(paths)]
            if bust:
                path += ("&" if "?" in path else "?") + f"_profile={time.monotonic_ns()}"
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")

        for i in range(20):
            get(i)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for i in range(args.requests):
            get(i)
        profile.disable()
        elapsed = time.perf_counter() - started
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(f"## {name}: {elapsed / args.requests * 1000:.2f} ms a request (profiled)")
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print("\n".join(lines[start : start + args.top + 1]))
        print()


if __name__ == "__main__":
    main()
