"""Public reads under load: Saylau's API and public pages against a bare Django look-up.

    python bench/public_api.py            # 2,000 stations, 3 s per target, 16 clients
    python bench/public_api.py --full     # 100,000 stations, 10 s per target, 32 clients

Runs with the services of `make bench` / `python -m core.devstack exec`. It builds a database of
its own (saylau_bench), serves Saylau and the baseline with gunicorn (2 sync workers, as in
production), and prints requests per second, p50/p99 latency and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import median_result, run  # noqa: E402

BENCH_DB = "saylau_bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(base_url: str) -> dict[str, str]:
    url = base_url.rsplit("/", 1)[0] + "/" + BENCH_DB
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "100000000/second",
        "LOG_LEVEL": "WARNING",
        "DEMO_PASSWORD": "bench-demo-password",
    }


def prepare(env: dict[str, str], stations: int) -> None:
    sys.path.insert(0, str(ROOT))
    admin_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    import environ

    cfg = environ.Env.db_url_config(admin_url)
    from urllib.parse import unquote

    conninfo = {
        "dbname": "postgres",
        "user": cfg["USER"],
        "host": unquote(cfg["HOST"]) or None,
        "port": cfg["PORT"] or None,
        "password": cfg["PASSWORD"] or None,
    }
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "load_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    seed = f"""
import time
from django.db import transaction
from commissions.models import Commission, Region
from polling.models import PollingStation
region = Region.objects.get(code="astana")
parent = Commission.objects.get(level="territorial", region=region)
start = time.perf_counter()
with transaction.atomic():
    commissions = Commission.objects.bulk_create(
        [Commission(level="precinct", parent=parent, region=region, number=100000 + n,
                    name_en=f"Precinct commission No. {{100000 + n}}") for n in range({stations})],
        batch_size=5000)
    PollingStation.objects.bulk_create(
        [PollingStation(number=c.number, name_en=f"School No. {{c.number}}",
                        address_en=f"{{c.number}} Abay Avenue", region=region,
                        precinct_commission=c) for c in commissions], batch_size=5000)
print(f"seeded {stations} stations in {{time.perf_counter() - start:.1f}} s")
"""
    subprocess.run([*manage, "shell", "-c", seed], env=env, cwd=ROOT, check=True)


def serve(app: str, env: dict[str, str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", app,
            "--workers", "2", "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "--access-logfile", "/dev/null",
        ],
        env=env,
        cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{app} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    stations, seconds, clients = (100_000, 10.0, 32) if args.full else (2_000, 3.0, 16)

    base_url = os.environ.get("DATABASE_URL") or _services_env("DATABASE_URL")
    env = bench_env(base_url)
    env.setdefault("REDIS_URL", _services_env("REDIS_URL"))
    prepare(env, stations)

    ids_sql = "SELECT id, region_id FROM polling_pollingstation ORDER BY random() LIMIT 200"
    out = subprocess.run(
        [sys.executable, "manage.py", "dbshell", "--", "-At", "-F", ",", "-c", ids_sql],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    rows = [line.split(",") for line in out.stdout.split()]
    station_ids = [r[0] for r in rows]
    region_ids = sorted({r[1] for r in rows})
    election_sql = (
        "SELECT id FROM commissions_election"
        " WHERE kind = 'mazhilis' AND election_day = '2023-03-19'"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "dbshell", "--", "-At", "-c", election_sql],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    day = f"election={out.stdout.strip()}&date=2023-03-07"  # the seed's day of the demo

    baseline_port, saylau_port = free_port(), free_port()
    servers = [
        serve("bench.baseline_wsgi:application", env, baseline_port),
        serve("config.wsgi:application", env, saylau_port),
    ]
    try:
        detail = [f"/api/v1/polling-stations/{i}/" for i in station_ids]
        targets = [
            ("bare Django indexed look-up", baseline_port, [f"/station/{i}" for i in station_ids]),
            ("API station detail", saylau_port, detail),
            ("API station list (50 a page)", saylau_port,
             [f"/api/v1/polling-stations/?region={r}&page_size=50" for r in region_ids]),
            ("API regions list", saylau_port, ["/api/v1/regions/"]),
            ("home page (kk)", saylau_port, ["/kk/"]),
            ("API observers' statistics", saylau_port, [f"/api/v1/observers/stats/?{day}"]),
            ("observers' statistics page (kk)", saylau_port, [f"/kk/observers/stats/?{day}"]),
        ]  # fmt: skip
        for name, port, paths in targets:  # warm up every worker and connection
            run(name, "127.0.0.1", port, paths, clients=4, seconds=0.5)
        print(f"{stations:,} stations; {clients} clients; {args.rounds} rounds of {seconds:.0f} s")
        baseline = None
        for name, port, paths in targets:
            rounds = [
                run(name, "127.0.0.1", port, paths, clients=clients, seconds=seconds)
                for _ in range(args.rounds)
            ]
            result = median_result(rounds)
            baseline = baseline or result
            print(result.line(None if result is baseline else baseline), flush=True)
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=10)


def _services_env(key: str) -> str:
    for line in (ROOT / "var" / "services.env").read_text().splitlines():
        if line.startswith(key + "="):
            return line.split("=", 1)[1]
    raise SystemExit(f"{key} is not set: run through `make bench`")


if __name__ == "__main__":
    main()
